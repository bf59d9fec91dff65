"""WordPress's dates: ``YYYY-MM-DD HH:MM:SS`` strings, in UTC or the blog's time."""

from datetime import UTC, datetime

from django.utils import timezone

FORMAT = "%Y-%m-%d %H:%M:%S"


def parse_wp_date(gmt: str, local: str = "") -> datetime | None:
    """
    The moment of a post or comment: its ``*_gmt`` date, else (WordPress writes
    ``0000-00-00 00:00:00`` in the GMT column of drafts never saved with a date)
    the local one, read in this site's TIME_ZONE since the export does not say
    the blog's. None when neither is a date.
    """
    for value, zone in ((gmt, UTC), (local, timezone.get_default_timezone())):
        value = (value or "").strip()
        if not value or value.startswith("0000"):
            continue
        try:
            # Many times faster than strptime, and it reads FORMAT.
            moment = datetime.fromisoformat(value)
        except ValueError:
            continue
        if moment.tzinfo is not None:
            return moment
        return moment.replace(tzinfo=UTC) if zone is UTC else timezone.make_aware(moment, zone)
    return None
