from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The project itself: site-wide views, templates and management commands."""

    name = "newsroom"
    verbose_name = "Notizie"
