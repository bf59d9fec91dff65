import secrets

from django.db import migrations, models

import comments.models


def a_key_for_each(apps, schema_editor):
    """AddField gives every existing row the same default; each gets its own."""
    EmailConfirmation = apps.get_model("comments", "EmailConfirmation")
    for record in EmailConfirmation.objects.only("pk").iterator():
        record.browser_key = secrets.token_hex(16)
        record.save(update_fields=["browser_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_comment_outline_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="emailconfirmation",
            name="browser_key",
            field=models.CharField(
                default=comments.models.new_browser_key, editable=False, max_length=32
            ),
        ),
        migrations.RunPython(a_key_for_each, migrations.RunPython.noop),
    ]
