from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImagesConfig(AppConfig):
    """Upload checks and responsive renditions shared by articles and authors."""

    name = "images"
    verbose_name = _("Immagini")
