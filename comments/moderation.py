"""
Moderation: a new comment plus its context in, a decision and a reason out.

Each rule is a plain function ``rule(comment, context) -> Decision | None`` that
looks at one thing. ``moderate()`` runs them all; the most severe verdict wins
(spam over pending over approved), and with no verdict at all a comment is held
(rule 1). Refusals are different: a duplicate or a flood is not stored at all,
and the form shows their message with the text kept.

Rules, each driven by a setting (see the "Comments" block of the settings):
  1. hold everything no rule approves          COMMENTS_HOLD_BY_DEFAULT
  2. approve a confirmed, approved commenter    COMMENTS_APPROVE_KNOWN_COMMENTERS
     posting from a browser proven theirs       COMMENTS_TRUST_COOKIE_DAYS
  3. hold more than N links                     COMMENTS_MAX_LINKS
  4. moderation words hold, blocked words spam  ModerationWord, edited in the admin
  5. honeypot filled, or posted too fast: spam  COMMENTS_MIN_SECONDS_TO_POST
  6. refuse the same text twice                 COMMENTS_REFUSE_DUPLICATES
  7. refuse a flood from one IP address         COMMENTS_FLOOD_SECONDS
  8. limits of name and body (in forms.py)      COMMENTS_NAME/BODY_MAX_LENGTH
"""

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from . import trust
from .models import Comment, EmailConfirmation, ModerationWord

APPROVED = Comment.Status.APPROVED
PENDING = Comment.Status.PENDING
SPAM = Comment.Status.SPAM
SEVERITY = {APPROVED: 0, PENDING: 1, SPAM: 2}

LINK_RE = re.compile(r"https?://|\bwww\.", re.IGNORECASE)


@dataclass(frozen=True)
class Decision:
    status: str
    reason: str


@dataclass
class Context:
    """
    What the rules know besides the comment's own fields. The lists it loads
    from the database are loaded once, by the first rule that asks.
    """

    honeypot: str = ""
    seconds_to_post: float | None = None
    now: datetime = field(default_factory=timezone.now)
    # The commenter cookie the browser sent, if valid (comments/trust.py).
    browser: trust.Claim | None = None

    @cached_property
    def words(self) -> list[ModerationWord]:
        """Every moderation word (one query)."""
        return list(ModerationWord.objects.all())

    _confirmations: dict = field(default_factory=dict, repr=False)

    def confirmation_for(self, email: str) -> EmailConfirmation | None:
        """The confirmation record of ``email``, if any (one query per address)."""
        if email not in self._confirmations:
            self._confirmations[email] = EmailConfirmation.objects.filter(email=email).first()
        return self._confirmations[email]


Rule = Callable[[Comment, Context], Decision | None]


# 1. Everything is held unless a rule approves it.


def hold_by_default(comment: Comment, context: Context) -> Decision:
    """The decision when no other rule has one: held, unless the setting is off."""
    if settings.COMMENTS_HOLD_BY_DEFAULT:
        return Decision(PENDING, gettext("in attesa: ogni commento nuovo passa dai moderatori"))
    return Decision(APPROVED, gettext("approvato: la moderazione preventiva è spenta"))


# 2. Known commenter, done safely.


def approve_known_commenter(comment: Comment, context: Context) -> Decision | None:
    """
    Approve an address that followed its confirmation link and already has an
    approved comment, posting from a browser proven to be its owner's. Anyone
    can type anyone's address: without that browser the comment is held, and
    its owner may publish it from their mailbox (``held_only_for_browser``).
    """
    if not settings.COMMENTS_APPROVE_KNOWN_COMMENTERS or not comment.email:
        return None
    confirmation = context.confirmation_for(comment.email)
    if confirmation is None or not confirmation.is_confirmed:
        return None
    if not Comment.objects.approved().by_email(comment.email).exists():
        return None
    if not trust.vouches_for(context.browser, confirmation):
        return Decision(
            PENDING, gettext("in attesa: indirizzo confermato, ma non da questo browser")
        )
    return Decision(APPROVED, gettext("approvato: commentatore conosciuto, email confermata"))


# 3. Too many links.


def count_links(text: str) -> int:
    return len(LINK_RE.findall(text))


def hold_many_links(comment: Comment, context: Context) -> Decision | None:
    links = count_links(comment.body)
    if links > settings.COMMENTS_MAX_LINKS:
        return Decision(
            PENDING,
            ngettext("in attesa: %(count)d link", "in attesa: %(count)d link", links)
            % {"count": links},
        )
    return None


# 4. Moderation words hold, blocked words (or addresses, or IPs) are spam.


def _fields_of(comment: Comment, *, private: bool) -> list[tuple[str, str]]:
    fields = [
        (gettext("nome"), comment.name),
        (gettext("email"), comment.email),
        (gettext("sito web"), comment.website),
        (gettext("testo"), comment.body),
    ]
    if private:
        fields += [
            (gettext("indirizzo IP"), comment.ip or ""),
            (gettext("browser"), comment.user_agent),
        ]
    return fields


def _find_word(comment: Comment, words, *, private: bool) -> tuple[str, str] | None:
    fields = [(label, value.lower()) for label, value in _fields_of(comment, private=private)]
    for word in words:
        needle = word.word.strip().lower()
        if not needle:
            continue
        for label, value in fields:
            if needle in value:
                return word.word, label
    return None


def hold_moderation_words(comment: Comment, context: Context) -> Decision | None:
    words = [w for w in context.words if w.action == ModerationWord.Action.HOLD]
    found = _find_word(comment, words, private=False)
    if found:
        return Decision(
            PENDING,
            gettext("in attesa: parola da moderare “%(word)s” in %(field)s")
            % {"word": found[0], "field": found[1]},
        )
    return None


def spam_blocked_words(comment: Comment, context: Context) -> Decision | None:
    words = [w for w in context.words if w.action == ModerationWord.Action.SPAM]
    found = _find_word(comment, words, private=True)
    if found:
        return Decision(
            SPAM,
            gettext("spam: parola bloccata “%(word)s” in %(field)s")
            % {"word": found[0], "field": found[1]},
        )
    return None


# 5. Bots: the honeypot field, or a form sent back faster than a person types.


def spam_honeypot(comment: Comment, context: Context) -> Decision | None:
    if context.honeypot.strip():
        return Decision(SPAM, gettext("spam: compilato il campo nascosto ai lettori"))
    return None


def spam_too_fast(comment: Comment, context: Context) -> Decision | None:
    minimum = settings.COMMENTS_MIN_SECONDS_TO_POST
    if not minimum:
        return None
    if context.seconds_to_post is None:
        return Decision(SPAM, gettext("spam: modulo senza un'ora di apertura valida"))
    if context.seconds_to_post < minimum:
        return Decision(
            SPAM,
            gettext("spam: inviato %(seconds).1f secondi dopo l'apertura della pagina")
            % {"seconds": max(context.seconds_to_post, 0)},
        )
    return None


RULES: tuple[Rule, ...] = (
    approve_known_commenter,
    hold_many_links,
    hold_moderation_words,
    spam_blocked_words,
    spam_honeypot,
    spam_too_fast,
)


def combine(decisions: list[Decision | None], default: Decision) -> Decision:
    """
    The most severe verdict wins, so a later rule holds what rule 2 approved;
    the reasons of every rule with that verdict are kept, in rule order. With
    no verdict at all, ``default`` (rule 1) decides.
    """
    verdicts = [decision for decision in decisions if decision is not None]
    if not verdicts:
        return default
    worst = max(SEVERITY[decision.status] for decision in verdicts)
    winners = [decision for decision in verdicts if SEVERITY[decision.status] == worst]
    return Decision(winners[0].status, "; ".join(decision.reason for decision in winners))


def moderate(comment: Comment, context: Context, rules: tuple[Rule, ...] = RULES) -> Decision:
    """
    Run every rule on an unsaved comment. Costs at most three queries (the
    words, the address's confirmation, its approved comments). The reason is
    written in the site's language, whatever the reader's.
    """
    with translation.override(settings.LANGUAGE_CODE):
        decisions = [rule(comment, context) for rule in rules]
        return combine(decisions, default=hold_by_default(comment, context))


def held_only_for_browser(comment: Comment, context: Context) -> bool:
    """
    Whether ``comment`` was held only because its confirmed address was not
    proven in this browser: every rule would approve it from the owner's own.
    Costs up to three more queries, and only for such a comment.
    """
    if comment.status != PENDING or not comment.email:
        return False
    confirmation = context.confirmation_for(comment.email)
    if confirmation is None or not confirmation.is_confirmed:
        return False
    if trust.vouches_for(context.browser, confirmation):
        return False
    owners = dataclasses.replace(context, browser=trust.claim_for(confirmation))
    return moderate(comment, owners).status == APPROVED


# Refusals (rules 6 and 7): the comment is not stored, the reader is told why.


def refuse_duplicate(comment: Comment, context: Context) -> str | None:
    if not settings.COMMENTS_REFUSE_DUPLICATES or not comment.email:
        return None
    duplicate = Comment.objects.filter(
        article_id=comment.article_id, email=comment.email, body=comment.body
    ).exists()
    if duplicate:
        return gettext("Hai già inviato questo commento a questo articolo.")
    return None


def refuse_flood(comment: Comment, context: Context) -> str | None:
    seconds = settings.COMMENTS_FLOOD_SECONDS
    if not seconds or not comment.ip:
        return None
    since = context.now - timedelta(seconds=seconds)
    if Comment.objects.filter(ip=comment.ip, created_at__gt=since).exists():
        return ngettext(
            "Hai appena inviato un commento: aspetta %(seconds)d secondo e invia di nuovo. "
            "Il testo è qui sotto, non è andato perso.",
            "Hai appena inviato un commento: aspetta %(seconds)d secondi e invia di nuovo. "
            "Il testo è qui sotto, non è andato perso.",
            seconds,
        ) % {"seconds": seconds}
    return None


REFUSALS = (refuse_duplicate, refuse_flood)


def refusal(comment: Comment, context: Context) -> str | None:
    """The first refusal's message, or None if the comment may be stored."""
    for check in REFUSALS:
        message = check(comment, context)
        if message:
            return message
    return None
