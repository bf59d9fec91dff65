"""What a reader's browser posts with the comment form, for tests that post to the real view."""

from datetime import timedelta

from django.utils import timezone

from comments.forms import started_token


def comment_post_data(**fields) -> dict:
    """
    The comment form's fields as a person sends them, the form shown a minute
    ago (so the too-fast rule lets it through); ``fields`` replace the
    defaults, and a field given as None is left out.
    """
    values = {
        "name": "Giulia Ferri",
        "email": "giulia@example.org",
        "website": "",
        "body": "Clubhouse mi sembra già passato di moda.",
        "started": started_token(timezone.now() - timedelta(minutes=1)),
        "url": "",
    }
    values.update(fields)
    return {key: value for key, value in values.items() if value is not None}
