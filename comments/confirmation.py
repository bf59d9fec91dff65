"""
The confirmation link sent with the first comment from an address (rule 2),
and the link that lets a confirmed address publish its own held comment.

The link carries the record's id and a keyed digest of the address, signed
with ``django.core.signing``: it cannot be forged, it expires after
``COMMENTS_CONFIRMATION_DAYS``, and the address itself never appears in a
URL (where it would end up in logs).
"""

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import Comment, EmailConfirmation

SALT = "comments.email-confirmation"
PUBLISH_SALT = "comments.publish-own-comment"


def _digest(email: str) -> str:
    return salted_hmac(SALT, email).hexdigest()[:24]


def make_token(confirmation: EmailConfirmation) -> str:
    return signing.dumps([confirmation.pk, _digest(confirmation.email)], salt=SALT)


def confirmation_url(confirmation: EmailConfirmation) -> str:
    return reverse("comments:confirm", kwargs={"token": make_token(confirmation)})


def read_signed(token: str, salt: str, days: int) -> tuple[int, str] | None:
    """The id and digest a valid token signed less than ``days`` ago carries."""
    try:
        pk, digest = signing.loads(token, salt=salt, max_age=days * 24 * 3600)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(pk, int) or not isinstance(digest, str):
        return None
    return pk, digest


def read_token(token: str) -> EmailConfirmation | None:
    """The record a valid, unexpired token stands for, or None (one query)."""
    if (read := read_signed(token, SALT, settings.COMMENTS_CONFIRMATION_DAYS)) is None:
        return None
    pk, digest = read
    confirmation = EmailConfirmation.objects.filter(pk=pk).first()
    if confirmation is None or not constant_time_compare(digest, _digest(confirmation.email)):
        return None
    return confirmation


def confirm(confirmation: EmailConfirmation) -> None:
    if not confirmation.is_confirmed:
        confirmation.confirmed_at = timezone.now()
        confirmation.save(update_fields=["confirmed_at"])


def needs_link(comment: Comment, known: EmailConfirmation | None) -> EmailConfirmation | None:
    """
    The record to send a link for, after ``comment`` was stored; None if no
    link is due. ``known`` is the record the moderation context already loaded,
    so this costs at most one write. Spam earns no email: a bot typing someone
    else's address must not make us write to them.
    """
    if not comment.email or comment.status == Comment.Status.SPAM:
        return None
    if known is None:
        try:
            with transaction.atomic():
                return EmailConfirmation.objects.create(email=comment.email)
        except IntegrityError:
            return None  # a request of the same moment created it and sends the link
    if not known.is_confirmed and known.link_expired():
        # The first link expired unused: one more, at most once per validity period.
        known.sent_at = timezone.now()
        known.save(update_fields=["sent_at"])
        return known
    return None


def publish_url(comment: Comment) -> str:
    token = signing.dumps([comment.pk, _digest(comment.email)], salt=PUBLISH_SALT)
    return reverse("comments:publish", kwargs={"token": token})


def read_publish_token(token: str) -> Comment | None:
    """The comment a valid, unexpired publish link stands for, or None (one query)."""
    if (read := read_signed(token, PUBLISH_SALT, settings.COMMENTS_CONFIRMATION_DAYS)) is None:
        return None
    pk, digest = read
    comment = Comment.objects.select_related("article").filter(pk=pk).first()
    if comment is None or not constant_time_compare(digest, _digest(comment.email)):
        return None
    return comment


def confirmed_record_of(comment: Comment) -> EmailConfirmation | None:
    """The record of the comment's address, if it is confirmed (one query)."""
    return EmailConfirmation.objects.exclude(confirmed_at=None).filter(email=comment.email).first()
