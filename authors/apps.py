from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuthorsConfig(AppConfig):
    """The people credited in bylines."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "authors"
    verbose_name = _("Autori")
