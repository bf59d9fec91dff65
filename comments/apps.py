from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    """Readers' comments and their moderation."""

    name = "comments"
    verbose_name = _("Commenti")

    def ready(self):
        checks.register(check_limits)


def check_limits(app_configs=None, **kwargs):
    """A name limit the database column cannot hold would fail on save, not in the form."""
    from .models import NAME_COLUMN_LENGTH

    errors = []
    if not 1 <= settings.COMMENTS_NAME_MAX_LENGTH <= NAME_COLUMN_LENGTH:
        errors.append(
            checks.Error(
                f"COMMENTS_NAME_MAX_LENGTH must be between 1 and {NAME_COLUMN_LENGTH}.",
                id="comments.E001",
            )
        )
    if settings.COMMENTS_BODY_MAX_LENGTH < 1 or settings.COMMENTS_MAX_DEPTH < 1:
        errors.append(
            checks.Error(
                "COMMENTS_BODY_MAX_LENGTH and COMMENTS_MAX_DEPTH must be at least 1.",
                id="comments.E002",
            )
        )
    return errors
