"""
The stored full-text vector of each article, and its GIN index.

The column exists on every database (SQLite accepts any type name and the
column stays empty there); the index and the filling run on PostgreSQL only,
because ``USING gin`` and ``to_tsvector`` exist nowhere else. The index is not
declared in ``Article.Meta.indexes`` for the same reason: SQLite rebuilds a
table with all its declared indexes whenever a later migration alters it.
"""

import django.contrib.postgres.search
from django.conf import settings
from django.db import migrations

INDEX = "article_search_idx"

# Mirrors articles.search.document_vector() as it is when this migration is
# written, frozen here so that the migration keeps working if that code moves.
FILL = """
UPDATE articles_article AS a SET search_vector =
    setweight(to_tsvector(%(config)s::regconfig, coalesce(a.title, '')), 'A')
    || setweight(to_tsvector(%(config)s::regconfig, coalesce(a.summary, '')), 'B')
    || setweight(to_tsvector(%(config)s::regconfig, coalesce(a.body, '')), 'C')
    || setweight(to_tsvector(%(config)s::regconfig, coalesce((
        SELECT string_agg(t.name, ' ')
        FROM taggit_tag t
        JOIN taggit_taggeditem ti ON ti.tag_id = t.id
        JOIN django_content_type ct ON ct.id = ti.content_type_id
        WHERE ct.app_label = 'articles' AND ct.model = 'article' AND ti.object_id = a.id
    ), '')), 'B')
    || setweight(to_tsvector(%(config)s::regconfig, coalesce((
        SELECT string_agg(au.name, ' ')
        FROM articles_byline b
        JOIN authors_author au ON au.id = b.author_id
        WHERE b.article_id = a.id
    ), '')), 'C')
"""


def create_index_and_fill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON articles_article USING gin (search_vector)"
    )
    schema_editor.execute(FILL, {"config": settings.SEARCH_CONFIG})


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("authors", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_index_and_fill, drop_index, elidable=False),
    ]
