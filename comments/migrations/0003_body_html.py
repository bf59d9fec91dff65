"""
The comment body as the page shows it, stored on save so that an article page
prints it instead of running urlize and linebreaks for every comment.
"""

from django.db import migrations, models

from comments.models import render_body

CHUNK = 2000


def fill_body_html(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    rows = Comment.objects.filter(body_html="").exclude(body="").only("pk", "body")
    batch = []
    for comment in rows.iterator(chunk_size=CHUNK):
        comment.body_html = render_body(comment.body)
        batch.append(comment)
        if len(batch) == CHUNK:
            Comment.objects.bulk_update(batch, ["body_html"])
            batch = []
    Comment.objects.bulk_update(batch, ["body_html"])


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0002_moderator_group"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="body_html",
            field=models.TextField(blank=True, editable=False, verbose_name="commento in HTML"),
        ),
        migrations.RunPython(fill_body_html, migrations.RunPython.noop, elidable=True),
    ]
