import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from comments.models import Comment, EmailConfirmation, normalize_email

ANONYMOUS = "Anonimo"


class Command(BaseCommand):
    help = (
        "What is stored about a commenter's email address: 'export EMAIL' prints it as "
        "JSON, 'erase EMAIL' deletes it (with COMMENTS_ERASE_KEEPS_TEXT, the comments' "
        "text stays, anonymized: no name, email, website, IP or browser)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("email")

    def handle(self, *args, action, email, **options):
        email = normalize_email(email)
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an email address.") from None
        if action == "export":
            self.stdout.write(json.dumps(export(email), indent=2, ensure_ascii=False))
        else:
            comments, confirmations = erase(email, keep_text=settings.COMMENTS_ERASE_KEEPS_TEXT)
            verb = "anonymized" if settings.COMMENTS_ERASE_KEEPS_TEXT else "deleted"
            self.stdout.write(
                f"{email}: {comments} comment(s) {verb}, "
                f"{confirmations} confirmation record(s) deleted."
            )


def export(email: str) -> dict:
    """Everything stored about ``email``, as plain data."""
    comments = Comment.objects.by_email(email).select_related("article").order_by("created_at")
    confirmation = EmailConfirmation.objects.filter(email=email).first()
    return {
        "email": email,
        "confirmation": confirmation
        and {
            "link_sent_at": confirmation.sent_at.isoformat(),
            "confirmed_at": confirmation.confirmed_at and confirmation.confirmed_at.isoformat(),
        },
        "comments": [
            {
                "id": comment.pk,
                "article": comment.article.title,
                "in_reply_to": comment.parent_id,
                "name": comment.name,
                "email": comment.email,
                "website": comment.website,
                "body": comment.body,
                "status": comment.status,
                "moderation_reason": comment.moderation_reason,
                "ip": comment.ip,
                "user_agent": comment.user_agent,
                "created_at": comment.created_at.isoformat(),
            }
            for comment in comments
        ],
    }


@transaction.atomic
def erase(email: str, *, keep_text: bool) -> tuple[int, int]:
    """
    Delete what is stored about ``email``; with ``keep_text`` the comments stay,
    with nothing left that points to the person. Replies from others stay
    either way (their parent link is cleared when a comment is deleted).
    """
    comments = list(Comment.objects.by_email(email))
    # Saved and deleted one by one, so that the page cache hears of each change.
    for comment in comments:
        if keep_text:
            comment.name, comment.email, comment.website = ANONYMOUS, "", ""
            comment.ip, comment.user_agent = None, ""
            comment.save(update_fields=["name", "email", "website", "ip", "user_agent"])
        else:
            comment.delete()
    count = len(comments)
    confirmations, _ = EmailConfirmation.objects.filter(email=email).delete()
    return count, confirmations
