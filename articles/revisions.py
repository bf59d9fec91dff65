"""
Revisions: what an article's editorial fields were at each admin save, how two
of them differ, how to go back to one, and what changed since a given version.

A revision's ``data`` is plain JSON (names as well as ids for the section,
authors and tags), so that it still reads right after those are renamed or
deleted.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from images.models import Image

from .diff import readable_html, side_by_side
from .models import Article, Byline, Revision, Section
from .search import update_search_vector

# In the order the history shows them.
FIELDS = [
    "title", "slug", "summary", "body", "section", "authors", "tags",
    "hero_image", "hero_alt", "hero_caption", "hero_credit",
    "status", "published_at", "correction",
    "comments_enabled", "language", "seo_title", "seo_description",
]  # fmt: skip

# What a restore puts back. The status, the publication time and the public
# correction note are the workflow's and the readers' record: never rewound.
TEXT_FIELDS = [
    "title", "summary", "body", "hero_alt", "hero_caption", "hero_credit",
    "comments_enabled", "language", "seo_title", "seo_description",
]  # fmt: skip
RESTORED = [*TEXT_FIELDS, "slug", "section", "authors", "tags", "hero_image"]


def label(name: str) -> str:
    if name == "authors":
        return _("autori")
    if name == "tags":
        return _("tag")
    return Article._meta.get_field(name).verbose_name


def snapshot(article: Article) -> dict:
    """The editorial fields of ``article`` as stored now, as JSON (two queries)."""
    bylines = (
        Byline.objects.filter(article=article).select_related("author").order_by("position", "pk")
    )
    tags = article.tags.through.tags_for(Article, article)
    return {
        **{name: getattr(article, name) for name in TEXT_FIELDS},
        "slug": article.slug,
        "section": {"id": article.section_id, "name": article.section.name},
        "authors": [{"id": b.author_id, "name": b.author.name} for b in bylines],
        "tags": sorted(tag.name for tag in tags),
        "hero_image": article.hero_image.name or "",
        "hero_photo": article.hero_photo_id,
        "status": article.status,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "correction": article.correction,
    }


def record(article: Article, *, by=None, restored_from: Revision | None = None) -> Revision:
    """Store ``article`` as it is now in a new revision: call after saving its tags and bylines."""
    return Revision.objects.create(
        article=article,
        version=article.version,
        created_by=by if by is not None and by.is_authenticated else None,
        restored_from=restored_from,
        data=snapshot(article),
    )


def ensure_baseline(article: Article) -> None:
    """
    Store the article as it is now if no revision holds its current version
    (it was made or last changed outside the admin): called when the edit
    page opens, so that a refused save can always say what changed after.
    """
    if not article.revisions.filter(version=article.version).exists():
        record(article)


# Comparing


def as_text(name: str, value) -> str:
    """One field of a revision as the history shows it."""
    if value is None or value == "":
        return ""
    if name == "body":
        return readable_html(value)
    if name == "section":
        return value["name"]
    if name == "authors":
        return ", ".join(author["name"] for author in value)
    if name == "tags":
        return ", ".join(value)
    if name == "status":
        return str(Article.Status(value).label)
    if name == "published_at":
        moment = timezone.localtime(parse_datetime(value))
        return formats.date_format(moment, "DATETIME_FORMAT")
    if name == "comments_enabled":
        return str(_("sì") if value else _("no"))
    if name == "language":
        return str(dict(Article._meta.get_field("language").choices).get(value, value))
    return str(value)


@dataclass
class FieldChange:
    name: str
    label: str
    old: SafeString
    new: SafeString
    changed: bool


def compare(old: dict, new: dict, *, only_changed=False) -> list[FieldChange]:
    """Field by field, ``old`` against ``new`` (two revisions' ``data``), marked."""
    rows = []
    for name in FIELDS:
        before, after = as_text(name, old.get(name)), as_text(name, new.get(name))
        changed = before != after
        if only_changed and not changed:
            continue
        left, right = side_by_side(before, after)
        rows.append(FieldChange(name, label(name), left, right, changed))
    return rows


@dataclass
class Conflict:
    """What happened to an article after someone opened it at ``version``."""

    names: list[str]
    last_saved_at: datetime | None
    changes: list[FieldChange] = field(default_factory=list)


def display_name(user) -> str:
    if user is None:
        return str(_("qualcuno"))
    return user.get_full_name() or user.get_username()


def changes_since(article: Article, version: int) -> Conflict:
    """
    Who saved ``article`` after ``version`` and how its fields differ now from
    the revision of that version (none listed if that revision was never stored).
    """
    later = list(
        article.revisions.filter(version__gt=version)
        .select_related("created_by")
        .order_by("created_at", "pk")
    )
    names = list(dict.fromkeys(display_name(revision.created_by) for revision in later))
    base = article.revisions.filter(version__lte=version).order_by("-version", "-pk").first()
    changes = compare(base.data, snapshot(article), only_changed=True) if base else []
    return Conflict(
        names=names or [display_name(None)],
        last_saved_at=later[-1].created_at if later else article.modified_at,
        changes=changes,
    )


# Restoring


@transaction.atomic
def restore(revision: Revision, *, by) -> Revision:
    """
    Put the article back as ``revision`` had it (see RESTORED) and store that
    as a new revision: the history is only ever added to. A slug another
    article took since, a deleted section or author, or a missing image file
    is left as it is now.
    """
    article = Article.objects.select_for_update().get(pk=revision.article_id)
    data = revision.data
    was_public = article.is_published
    before = snapshot(article)

    for name in TEXT_FIELDS:
        if name in data:
            setattr(article, name, data[name])
    slug = data.get("slug")
    if slug and not Article.objects.filter(slug=slug).exclude(pk=article.pk).exists():
        article.slug = slug
    section = Section.objects.filter(pk=(data.get("section") or {}).get("id")).first()
    if section is not None:
        article.section = section
    # The library's photo if it is still there (older revisions name none), else the file.
    photo = data.get("hero_photo")
    article.hero_photo = Image.objects.filter(pk=photo).first() if photo else None
    image = data.get("hero_image", "")
    if not image or article.hero_image.storage.exists(image):
        article.hero_image = image

    if was_public:
        changed = [name for name in TEXT_FIELDS if before.get(name) != data.get(name)]
        article.note_content_change(changed)
    article.save()

    article.tags.set(data.get("tags", []))
    authors = [author["id"] for author in data.get("authors", [])]
    existing = set(
        article.authors.model.objects.filter(pk__in=authors).values_list("pk", flat=True)
    )
    Byline.objects.filter(article=article).delete()
    Byline.objects.bulk_create(
        Byline(article=article, author_id=author_id, position=position)
        for position, author_id in enumerate(a for a in authors if a in existing)
    )
    # bulk_create sends no signal: the restored author names join the search vector here.
    update_search_vector([article.pk])
    return record(article, by=by, restored_from=revision)
