"""
Shareable preview links: an article's id and preview key, signed with a time
stamp (``django.core.signing``). A link works without logging in until it is
older than ``ARTICLE_PREVIEW_HOURS`` (48 by default) or until the article's
preview key is changed (``Article.revoke_previews()``), which revokes them all.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from .models import Article

SALT = "articles.preview"


class LinkInvalid(Exception):
    """Not a link we made: mistyped, cut short or tampered with."""


class LinkExpired(Exception):
    """A real link that no longer works: too old, revoked, or its article is gone."""


def max_age() -> timedelta:
    return timedelta(hours=settings.ARTICLE_PREVIEW_HOURS)


def token_for(article: Article) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object(
        {"id": article.pk, "key": article.preview_key}
    )


def url_for(article: Article) -> str:
    return reverse("articles:preview", kwargs={"token": token_for(article)})


def expires_at(now: datetime | None = None) -> datetime:
    """When a link made now stops working."""
    return (now or timezone.now()) + max_age()


def article_for(token: str) -> Article:
    """The article a preview link shows, ready for the article template; or LinkInvalid/Expired."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        value = signer.unsign_object(token, max_age=max_age())
    except signing.SignatureExpired:
        raise LinkExpired from None
    except (signing.BadSignature, ValueError, TypeError):
        raise LinkInvalid from None
    if not isinstance(value, dict) or not isinstance(value.get("id"), int):
        raise LinkInvalid
    article = Article.objects.for_page().filter(pk=value["id"]).first()
    if article is None or article.preview_key != value.get("key"):
        raise LinkExpired
    return article
