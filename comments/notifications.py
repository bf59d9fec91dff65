"""
Emails about comments: to moderators when a comment waits for them, to a
commenter with their confirmation link. Sending never breaks the reader's
request: a failing mail server is logged, and the comment is already saved.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from . import moderation
from .confirmation import confirmation_url, needs_link, publish_url
from .models import Comment, EmailConfirmation

logger = logging.getLogger(__name__)

MODERATOR_GROUP = "Moderator"


def moderator_addresses() -> list[str]:
    """
    ``COMMENTS_MODERATOR_EMAILS``; else the active members of the Moderator
    group; else the active superusers (as in the demo). One query when the
    setting is empty.
    """
    if settings.COMMENTS_MODERATOR_EMAILS:
        return list(settings.COMMENTS_MODERATOR_EMAILS)
    rows = (
        get_user_model()
        .objects.filter(Q(groups__name=MODERATOR_GROUP) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .values_list("email", "groups__name")
    )
    rows = set(rows)
    moderators = {email for email, group in rows if group == MODERATOR_GROUP}
    return sorted(moderators or {email for email, _ in rows})


def _send(template: str, context: dict, recipients: list[str]) -> bool:
    if not recipients:
        return False
    # Written in the site's language: moderators read the newsroom's language,
    # and the commenter wrote on a page in it.
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    try:
        send_mail(subject, body, None, recipients)
    except Exception:
        # Any failure of the mail server or backend: the post must go through.
        logger.exception("Could not send %s to %d recipient(s)", template, len(recipients))
        return False
    return True


def comment_held(comment: Comment, request) -> bool:
    """Tell the moderators that ``comment`` waits in the queue."""
    if comment.status != Comment.Status.PENDING:
        return False
    admin_path = reverse("admin:comments_comment_change", args=[comment.pk])
    context = {
        "comment": comment,
        "article": comment.article,
        "article_url": request.build_absolute_uri(comment.article.get_absolute_url()),
        "admin_url": request.build_absolute_uri(admin_path),
        "site_name": settings.SITE_NAME,
    }
    return _send("comments/email/comment_held", context, moderator_addresses())


def _to_commenter(template: str, comment: Comment, address: str, request, **links) -> bool:
    """Write to ``address`` about ``comment``, with ``links`` (name: path) made absolute."""
    context = {
        "comment": comment,
        "article": comment.article,
        "days": settings.COMMENTS_CONFIRMATION_DAYS,
        "site_name": settings.SITE_NAME,
        **{name: request.build_absolute_uri(path) for name, path in links.items()},
    }
    return _send(template, context, [address])


def confirmation_link(confirmation: EmailConfirmation, comment: Comment, request) -> bool:
    """Send the commenter the link that confirms their address."""
    link = confirmation_url(confirmation)
    return _to_commenter(
        "comments/email/confirm_address", comment, confirmation.email, request, confirm_url=link
    )


def publish_link(comment: Comment, request) -> bool:
    """Send a confirmed address the link that publishes its comment held for the browser."""
    link = publish_url(comment)
    return _to_commenter(
        "comments/email/publish_own", comment, comment.email, request, publish_url=link
    )


def comment_received(comment: Comment, context, request) -> None:
    """
    After a reader's comment is stored: the moderators hear of it if it is
    held, a first-time address gets its confirmation link, and a confirmed
    one posting from another browser gets the link to publish it itself.
    ``context`` is the moderation context, which knows the address's record.
    """
    comment_held(comment, request)
    if moderation.held_only_for_browser(comment, context):
        publish_link(comment, request)
    due = needs_link(comment, context.confirmation_for(comment.email))
    if due is not None:
        confirmation_link(due, comment, request)
