"""
Search vectors by the article's language (``SEARCH_CONFIGS``): the articles in a
language with a configuration of its own, until now stemmed as Italian, are
read again. PostgreSQL only, as in 0002.
"""

from importlib import import_module

from django.conf import settings
from django.db import migrations

# 0002's frozen FILL, for the articles of one language.
REFILL = import_module("articles.migrations.0002_article_search_vector").FILL + (
    "WHERE a.language = %(language)s"
)


def refill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for language, config in settings.SEARCH_CONFIGS.items():
        schema_editor.execute(REFILL, {"config": config, "language": language})


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_bodyimage")]

    operations = [migrations.RunPython(refill, migrations.RunPython.noop, elidable=True)]
