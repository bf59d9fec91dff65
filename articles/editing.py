"""
Who has an article's edit page open: a soft lock, only ever a warning.

Kept in the cache (shared by every server process when ``REDIS_URL`` is set),
one entry per article mapping user ids to a name and the time they last opened
the page. Two people opening the page at the same instant may overwrite each
other's entry: acceptable for a warning, and why this is not a real lock.
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .revisions import display_name


def window() -> timedelta:
    return timedelta(minutes=settings.ARTICLE_EDITING_MINUTES)


def _key(article) -> str:
    return f"articles:editing:{article.pk}"


def _recent(article, now) -> dict:
    since = (now - window()).timestamp()
    entries = cache.get(_key(article)) or {}
    return {user_id: entry for user_id, entry in entries.items() if entry[1] >= since}


def note_editing(article, user, now=None) -> None:
    """Remember that ``user`` opened the edit page of ``article`` now."""
    now = now or timezone.now()
    entries = _recent(article, now)
    entries[str(user.pk)] = (display_name(user), now.timestamp())
    cache.set(_key(article), entries, timeout=int(window().total_seconds()))


def stop_editing(article, user, now=None) -> None:
    """``user`` saved and left the page."""
    entries = _recent(article, now or timezone.now())
    if entries.pop(str(user.pk), None) is not None:
        cache.set(_key(article), entries, timeout=int(window().total_seconds()))


def others_editing(article, user, now=None) -> list[str]:
    """The names of the other people who opened the page in the last minutes."""
    entries = _recent(article, now or timezone.now())
    return [name for user_id, (name, _at) in entries.items() if user_id != str(user.pk)]
