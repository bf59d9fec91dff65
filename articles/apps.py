from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    """Sections, articles, their bylines and workflow, and the pages that list them."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = _("Articoli")

    def ready(self):
        from . import signals

        signals.connect()
