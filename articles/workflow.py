"""
The editorial workflow: an article's states, the moves between them, and who
may do what. The admin and the views ask this module; none of them decides.

    draft ──submit──▶ review ──publish / schedule──▶ published (live or scheduled)
      ▲                 │                               │
      └────send back────┘        unpublished ◀──unpublish┘

Roles are Django groups whose permissions are set here (``ROLES``) and
re-applied after every ``migrate`` (``newsroom.roles``): a Reporter writes and
edits their own drafts and submits them; an Editor edits everything, publishes,
schedules, unpublishes and sends back; superusers may do everything.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Article, StatusChange

PUBLISH_PERMISSION = "articles.publish_article"
EDIT_ANY_PERMISSION = "articles.edit_any_article"

# Fields of the article form only people who may publish can change: the
# publication time (which schedules) and the public correction note. The
# status is never a form field: it changes only through TRANSITIONS.
EDITOR_ONLY_FIELDS = frozenset({"published_at", "correction"})


class State(models.TextChoices):
    """Where an article is, as editors speak of it: "published" split in two."""

    DRAFT = "draft", _("Bozza")
    REVIEW = "review", _("In revisione")
    SCHEDULED = "scheduled", _("Programmato")
    LIVE = "live", _("Pubblicato")
    UNPUBLISHED = "unpublished", _("Ritirato")

    @classmethod
    def of(cls, article, now=None) -> "State":
        if article.status == Article.Status.PUBLISHED:
            if article.published_at and article.published_at > (now or timezone.now()):
                return cls.SCHEDULED
            return cls.LIVE
        return cls(article.status)


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    done: str  # the message once made
    needs_publish_permission: bool = True
    needs_note: bool = False
    needs_future_time: bool = False
    help_text: str = ""


SUBMIT = Transition(
    "submit",
    _("Invia in revisione"),
    frozenset({State.DRAFT}),
    done=_("Inviato in revisione: ora lo leggono gli editor."),
    needs_publish_permission=False,
    help_text=_(
        "Salva e passa l'articolo agli editor. Non potrai modificarlo finché non torna a te."
    ),
)
PUBLISH = Transition(
    "publish",
    _("Pubblica ora"),
    frozenset({State.DRAFT, State.REVIEW, State.SCHEDULED, State.UNPUBLISHED}),
    done=_("Pubblicato: è online da adesso."),
    help_text=_("Salva e mette l'articolo online adesso."),
)
SCHEDULE = Transition(
    "schedule",
    _("Programma"),
    frozenset({State.DRAFT, State.REVIEW, State.SCHEDULED, State.UNPUBLISHED}),
    done=_("Programmato: andrà online da solo all'ora scelta."),
    needs_future_time=True,
    help_text=_("Salva e fa uscire l'articolo da solo all'ora scritta in «Data di pubblicazione»."),
)
SEND_BACK = Transition(
    "send_back",
    _("Rimanda all'autore"),
    frozenset({State.REVIEW, State.UNPUBLISHED}),
    done=_("Rimandato all'autore come bozza, con la tua nota."),
    needs_note=True,
    help_text=_("Salva e restituisce l'articolo all'autore: scrivi nella nota cosa cambiare."),
)
UNPUBLISH = Transition(
    "unpublish",
    _("Ritira"),
    frozenset({State.LIVE, State.SCHEDULED}),
    done=_("Ritirato: l'articolo non è più sul sito."),
    help_text=_("Salva e toglie l'articolo dal sito (o annulla la programmazione)."),
)

TRANSITIONS = {t.name: t for t in (SUBMIT, PUBLISH, SCHEDULE, SEND_BACK, UNPUBLISH)}


# Who is who


def can_publish(user) -> bool:
    """Publish, schedule, unpublish, send back, and write corrections."""
    return user.has_perm(PUBLISH_PERMISSION)


def is_owner(user, article) -> bool:
    """Whether ``user`` started ``article`` or signs it (one query unless they started it)."""
    if not user.is_authenticated:
        return False
    if article.created_by_id == user.pk:
        return True
    if article.pk is None:
        return False
    return article.bylines.filter(author__user=user).exists()


def can_edit(user, article) -> bool:
    """Editors edit every article; a reporter only their own while it is a draft."""
    if not user.has_perm("articles.change_article"):
        return False
    if user.has_perm(EDIT_ANY_PERMISSION):
        return True
    return article.status == Article.Status.DRAFT and is_owner(user, article)


def can_delete(user, article) -> bool:
    """Editors delete any article; a reporter only an own draft never published."""
    if not user.has_perm("articles.delete_article"):
        return False
    if user.has_perm(EDIT_ANY_PERMISSION):
        return True
    return (
        article.status == Article.Status.DRAFT
        and article.published_at is None
        and is_owner(user, article)
    )


def can_manage_previews(user, article) -> bool:
    """Who may revoke the preview links: the article's own people and editors."""
    return user.has_perm(EDIT_ANY_PERMISSION) or (
        user.has_perm("articles.change_article") and is_owner(user, article)
    )


def chooses_bylines(user) -> bool:
    """Editors choose who signs; a reporter's new article is signed by the reporter."""
    return user.has_perm("articles.add_byline")


def locked_fields(user) -> frozenset:
    """Article form fields ``user`` sees but may not change."""
    return frozenset() if can_publish(user) else EDITOR_ONLY_FIELDS


def check_changes(user, article, changed_fields) -> None:
    """
    Refuse (PermissionDenied) a save changing what ``user`` may not change.
    The admin already leaves those fields out of the form; this is the
    server's own word on it, whatever a request contains.
    """
    if not (article.pk is None or can_edit(user, article)):
        raise PermissionDenied
    if locked_fields(user) & set(changed_fields):
        raise PermissionDenied


# Moves


def allowed_transitions(user, article, now=None) -> list[Transition]:
    """The moves ``user`` may make on ``article`` now, in the order buttons show them."""
    if not can_edit(user, article):
        return []
    state = State.of(article, now)
    return [
        transition
        for transition in TRANSITIONS.values()
        if state in transition.sources
        and (can_publish(user) or not transition.needs_publish_permission)
    ]


def check(user, article, name, *, note="", at=None, now=None) -> Transition:
    """
    The transition called ``name``, if ``user`` may make it on ``article`` with
    this note and publication time. Raises PermissionDenied for a move the user
    was never offered (a forged request), ValidationError for a move that needs
    something more (a note, a future time).
    """
    transition = TRANSITIONS.get(name)
    if transition is None or transition not in allowed_transitions(user, article, now):
        raise PermissionDenied
    if transition.needs_note and not note.strip():
        raise ValidationError(
            _("Scrivi nella nota cosa deve cambiare l'autore, poi premi di nuovo «%(label)s»."),
            params={"label": transition.label},
            code="note_required",
        )
    if transition.needs_future_time and not (at and at > (now or timezone.now())):
        raise ValidationError(
            {
                "published_at": ValidationError(
                    _("Per programmare scrivi qui una data e un'ora future."),
                    code="future_time_required",
                )
            }
        )
    return transition


def perform(user, article, name, *, note="", at: datetime | None = None) -> StatusChange:
    """Check the move (see ``check``), then make it; the article is saved."""
    transition = check(user, article, name, note=note, at=at)
    return apply(transition, article, by=user, note=note, at=at)


def apply(transition, article, *, by, note="", at: datetime | None = None) -> StatusChange:
    """
    Make a move that ``check`` allowed on the article as it was when checked
    (the admin checks before saving the edits that come with the move).
    """
    if transition is SUBMIT:
        return article.submit(by=by, note=note)
    if transition is SEND_BACK:
        return article.send_back(by=by, note=note)
    if transition is UNPUBLISH:
        return article.unpublish(by=by, note=note)
    return article.publish(by=by, note=note, at=at if transition is SCHEDULE else None)


def check_published_at(user, article, new_time, now=None) -> None:
    """
    Editing the time of a published article may move it within its state, but
    not put it online or take it off the site: the buttons do that, and leave
    a trace. Raises ValidationError.
    """
    now = now or timezone.now()
    before = State.of(article, now)
    if before not in {State.LIVE, State.SCHEDULED}:
        return
    if new_time is None:
        message = _("Un articolo pubblicato ha bisogno di una data: per toglierlo usa «Ritira».")
    elif before == State.LIVE and new_time > now:
        message = _(
            "L'articolo è già online: per spostarlo nel futuro prima ritiralo "
            "(«Ritira»), poi programmalo."
        )
    elif before == State.SCHEDULED and new_time <= now:
        message = _(
            "L'articolo è programmato: per metterlo online adesso usa «Pubblica ora», "
            "per spostarne l'uscita scrivi un'ora futura."
        )
    else:
        return
    raise ValidationError({"published_at": ValidationError(message, code="state_change")})


# Roles

ROLES = {
    "Reporter": [
        "articles.add_article",
        "articles.change_article",
        "articles.delete_article",
        "articles.view_article",
        "articles.view_byline",
        "articles.view_section",
        "authors.view_author",
        # The tag field of the article form searches the Tag admin.
        "taggit.view_tag",
        # The photos of the body: chosen from the library, or uploaded to it.
        "images.view_image",
        "images.add_image",
    ],
    "Editor": [
        "articles.add_article",
        "articles.change_article",
        "articles.delete_article",
        "articles.view_article",
        "articles.publish_article",
        "articles.edit_any_article",
        "articles.add_byline",
        "articles.change_byline",
        "articles.delete_byline",
        "articles.view_byline",
        "articles.add_section",
        "articles.change_section",
        "articles.delete_section",
        "articles.view_section",
        "authors.add_author",
        "authors.change_author",
        "authors.delete_author",
        "authors.view_author",
        # Linking an author to an account searches the user admin.
        "auth.view_user",
        "images.view_image",
        "images.add_image",
        "images.change_image",
        "images.delete_image",
        "taggit.add_tag",
        "taggit.change_tag",
        "taggit.delete_tag",
        "taggit.view_tag",
        "taggit.add_taggeditem",
        "taggit.change_taggeditem",
        "taggit.delete_taggeditem",
        "taggit.view_taggeditem",
        "redirects.add_redirect",
        "redirects.change_redirect",
        "redirects.delete_redirect",
        "redirects.view_redirect",
    ],
}
