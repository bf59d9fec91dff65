from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WordpressConfig(AppConfig):
    """Moving a WordPress site in: ``manage.py import_wordpress EXPORT.xml``."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "wordpress"
    verbose_name = _("Importazione da WordPress")
