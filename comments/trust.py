"""
The commenter cookie: proof that a browser belongs to a confirmed address.

Rule 2 approves a known commenter only from a browser that holds this cookie
for the very address the comment carries; typing someone's address is not
enough. The cookie is issued when the owner acts on a link from their mailbox
(confirming the address, publishing a held comment), is signed, HttpOnly, and
sent back only to the comment endpoints (its ``Path``), so article pages stay
cookie-free and cacheable. It carries a digest of the address and of the
record's ``browser_key``: revoking the key disowns every browser at once.
"""

import posixpath
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from .confirmation import read_signed
from .models import EmailConfirmation

COOKIE = "commentatore"
SALT = "comments.commenter-browser"


@dataclass(frozen=True)
class Claim:
    """What a commenter cookie says: the record it was issued for, and its digest."""

    confirmation_id: int
    digest: str


def _digest(confirmation: EmailConfirmation) -> str:
    return salted_hmac(SALT, f"{confirmation.email}\n{confirmation.browser_key}").hexdigest()


def cookie_path() -> str:
    """The comment endpoints' common path (``/commenti/``), read from the URLconf."""
    paths = [
        reverse("comments:post", kwargs={"article_id": 1}),
        reverse("comments:confirm", kwargs={"token": "x"}),
    ]
    return posixpath.join(posixpath.commonpath(paths), "")


def issue(response, request, confirmation: EmailConfirmation) -> None:
    """Mark the browser of ``request`` as belonging to ``confirmation``'s address."""
    response.set_cookie(
        COOKIE,
        signing.dumps([confirmation.pk, _digest(confirmation)], salt=SALT),
        max_age=settings.COMMENTS_TRUST_COOKIE_DAYS * 24 * 3600,
        path=cookie_path(),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def claim(request) -> Claim | None:
    """The claim of the request's commenter cookie, if it holds a valid one (no query)."""
    value = request.COOKIES.get(COOKIE)
    read = value and read_signed(value, SALT, settings.COMMENTS_TRUST_COOKIE_DAYS)
    return Claim(*read) if read else None


def vouches_for(claim: Claim | None, confirmation: EmailConfirmation) -> bool:
    """Whether ``claim`` was issued for ``confirmation`` and not revoked since."""
    return (
        claim is not None
        and claim.confirmation_id == confirmation.pk
        and constant_time_compare(claim.digest, _digest(confirmation))
    )


def claim_for(confirmation: EmailConfirmation) -> Claim:
    """The claim a browser proven for ``confirmation`` would bring."""
    return Claim(confirmation.pk, _digest(confirmation))
