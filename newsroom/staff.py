"""
The newsroom's people in the admin: where and when each signed in, and
signing someone out of every browser at once (a lost laptop, a colleague who
left). Sessions belong to staff only: readers' pages set none.
"""

from axes.models import AccessLog
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone


def sign_out_everywhere(user) -> int:
    """End every session of ``user``, in every browser; how many there were."""
    sessions = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(pk__in=sessions).delete()
    return len(sessions)


def last_sign_ins(user, count=10):
    """The last ``count`` successful sign-ins of ``user``, newest first (one query)."""
    return AccessLog.objects.filter(username=user.get_username()).order_by("-attempt_time")[:count]
