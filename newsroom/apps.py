from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class NewsroomConfig(AppConfig):
    """The project itself: site-wide views, templates and management commands."""

    name = "newsroom"
    verbose_name = "Notizie"

    def ready(self):
        from . import invalidation, roles, signals

        # Writes to the apps' models invalidate the pages that show them.
        invalidation.connect()

        # After the sites app migrates, when its table is sure to exist.
        post_migrate.connect(signals.sync_site, sender=apps.get_app_config("sites"))
        # Sent once per app: idempotent, and the last call sees every app's
        # permissions, which auth's own post_migrate handler creates app by app.
        post_migrate.connect(roles.sync_roles, dispatch_uid="newsroom.roles")
