"""
Search vectors by the article's language (``SEARCH_CONFIGS``): the articles in a
language with a configuration of its own, until now stemmed as Italian, are
read again. PostgreSQL only, as in 0002.
"""

from django.conf import settings
from django.db import migrations

# 0002's FILL, for the articles of one language, with that language's configuration.
REFILL = """
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
WHERE a.language = %(language)s
"""


def refill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for language, config in settings.SEARCH_CONFIGS.items():
        schema_editor.execute(REFILL, {"config": config, "language": language})


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_bodyimage")]

    operations = [migrations.RunPython(refill, migrations.RunPython.noop, elidable=True)]
