"""
A WordPress export made into the same site in Notizie.

``import_export(path, ...)`` reads the file twice, both times streaming:

1. ``scan()`` checks that the whole file is well-formed XML before anything is
   written (a truncated export stops with its line and column and leaves the
   database as it was), counts the posts for the progress line and keeps the
   attachments, which posts refer to (featured images) from anywhere in the file.
2. The import proper: authors and terms as they come, posts in batches of
   ``batch_size``, each batch in one transaction with its comments and redirects.

Every object made is remembered in ``ImportedObject`` with a digest of what was
written, so a second run updates only what changed in WordPress and creates
nothing twice. A crash between batches leaves whole batches behind, which the
next run recognizes.
"""

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from articles.models import Article, BodyImage, Byline, Section, reserved_section_slugs
from articles.search import update_search_vector
from authors.models import Author
from images.body import library_ids, responsive, rewrite_images
from images.models import Image
from images.validators import validate_image

from . import wxr
from .autop import one_line, plain_text, post_html
from .dates import parse_wp_date
from .discussion import plan_comments, write_comments
from .media import MediaDir
from .models import ImportedObject
from .redirects import old_paths, write_redirects
from .report import Report
from .signals import import_finished

BATCH_SIZE = 500
STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,  # with its future date: scheduled
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.DRAFT,
    "private": Article.Status.UNPUBLISHED,
}
TITLE_LENGTH = Article._meta.get_field("title").max_length
# Room for a "-2" when the slug is taken.
SLUG_LENGTH = Article._meta.get_field("slug").max_length - 10
DEFAULT_SECTION = ("senza-categoria", "Senza categoria")


class Unmappable(Exception):
    """An item that cannot become an article; the message says why."""


@dataclass
class Attachment:
    url: str
    alt: str


@dataclass
class Scan:
    site: wxr.Site
    posts: int = 0
    attachments: dict[str, Attachment] = field(default_factory=dict)


def scan(path) -> Scan:
    """The first pass: raises ``wxr.WXRError`` if the file is malformed anywhere."""
    result = Scan(site=wxr.Site())
    for thing in wxr.read(path):
        if isinstance(thing, wxr.Site):
            result.site = thing
        elif isinstance(thing, wxr.Item):
            if thing.post_type == "post":
                result.posts += 1
            elif thing.post_type == "attachment" and thing.attachment_url:
                alt = one_line(thing.meta.get("_wp_attachment_image_alt", "")) or one_line(
                    thing.title
                )
                result.attachments[thing.post_id] = Attachment(thing.attachment_url, alt)
    return result


def source_of(site: wxr.Site) -> str:
    """
    The namespace of this export's ids. The blog URL comes first because every
    wordpress.com blog (and every blog of a multisite network) shares one
    ``base_site_url``, and their ids overlap.
    """
    return (site.base_blog_url or site.base_site_url or site.link or "unknown").rstrip("/")


def digest_of(*values) -> str:
    return hashlib.sha1(json.dumps(values, default=str, sort_keys=True).encode()).hexdigest()


@dataclass
class Hero:
    """A post's featured image found in --media-dir."""

    path: Path
    src: str
    alt: str


@dataclass
class Plan:
    """What one post becomes, before it is written."""

    item: wxr.Item
    fields: dict
    slug_base: str
    author_ids: list[int]
    tag_ids: list[int]
    hero: Hero | None
    digest: str


def import_export(
    path,
    *,
    media_dir=None,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
    report: Report | None = None,
) -> Report:
    """
    Import the export at ``path``; the report of what was done. With
    ``dry_run`` everything happens in one transaction that is rolled back, and
    no file is stored. Raises ``wxr.WXRError`` (nothing written) on a malformed file.
    """
    report = report or Report(dry_run=dry_run)
    found = scan(path)
    importer = Importer(found, report, media_dir=media_dir, dry_run=dry_run, progress=progress)
    if dry_run:
        with transaction.atomic():
            importer.run(path, batch_size)
            transaction.set_rollback(True)
    else:
        try:
            importer.run(path, batch_size)
        finally:
            # Even a failed run may have committed whole batches.
            import_finished.send(sender=None, report=report)
    return report


class Importer:
    def __init__(self, found: Scan, report: Report, *, media_dir, dry_run, progress):
        self.source = source_of(found.site)
        self.total = found.posts
        self.attachments = found.attachments
        self.report = report
        self.media = MediaDir(media_dir) if media_dir else None
        self.dry_run = dry_run
        self.progress = progress
        language = found.site.language.split("-")[0].lower()
        self.language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        self.declared_authors: dict[str, wxr.Author] = {}
        self.terms: dict[tuple[str, str], wxr.Term] = {}
        self.ids: dict[tuple[str, str], int] = {}  # (kind, wp key) -> pk, this run
        self.photo_files: dict[int, tuple[str, dict]] = {}  # photo pk -> file name, renditions
        self.section_slugs: dict[int, str] = {}
        self.done = 0
        # Few and needed by every post: loaded once rather than asked per post.
        self.known = {kind: {} for kind in ("author", "section", "tag")}
        for kind, wp_id, object_id, digest in ImportedObject.objects.filter(
            source=self.source, kind__in=list(self.known)
        ).values_list("kind", "wp_id", "object_id", "digest"):
            self.known[kind][wp_id] = (object_id, digest)
        self.tag_slugs = dict(Tag.objects.values_list("slug", "pk"))
        self.tag_names = dict(Tag.objects.values_list("name", "pk"))
        self.tag_pks = set(self.tag_slugs.values())

    def run(self, path, batch_size: int) -> None:
        batch = []
        for thing in wxr.read(path):
            if isinstance(thing, wxr.Author):
                self.declared_authors[thing.login] = thing
            elif isinstance(thing, wxr.Term):
                self.terms[(thing.taxonomy, thing.slug)] = thing
            elif isinstance(thing, wxr.Item):
                if thing.post_type != "post":
                    kind = thing.post_type or "unknown"
                    self.report.not_imported[kind] += 1
                    if thing.comments:
                        self.report.count("comment", f"skipped: on a {kind}", len(thing.comments))
                    continue
                batch.append(thing)
                if len(batch) >= batch_size:
                    self.flush(batch)
                    batch = []
        if batch:
            self.flush(batch)
        # Authors credited on no post are imported too: they were the site's people.
        with transaction.atomic():
            for login in self.declared_authors:
                self.author_id(login)

    # Posts --------------------------------------------------------------------

    def flush(self, items: list[wxr.Item]) -> None:
        with transaction.atomic():
            plans = []
            for item in items:
                try:
                    plans.append(self.plan(item))
                except Unmappable as reason:
                    self.report.skip("article", item.post_id or "?", str(reason))
                    if item.comments:
                        self.report.count("comment", "skipped: post skipped", len(item.comments))
            known = self.remembered("article", [plan.item.post_id for plan in plans])
            articles = Article.objects.in_bulk([record.object_id for record in known.values()])
            new, changed, same = [], [], []
            for plan in plans:
                record = known.get(plan.item.post_id)
                article = articles.get(record.object_id) if record else None
                if article is None:
                    new.append(plan)
                elif record.digest == plan.digest:
                    same.append((plan, article))
                    self.report.count("article", "unchanged")
                else:
                    changed.append((plan, article, record))
            written = self.create(new, known) + self.update(changed)
            # Scheduled articles too: their redirects start working when they do.
            self.redirect([pair for pair in written if pair[1].status == Article.Status.PUBLISHED])
            comments = []
            for plan, article in written + same:
                comments += plan_comments(plan.item, article.pk, self.report)
            write_comments(comments, self.source, self.report)
            update_search_vector([article.pk for _, article in written])
        self.done += len(items)
        if self.progress:
            self.progress(self.done, self.total)

    def plan(self, item: wxr.Item) -> Plan:
        wp_id = item.post_id
        if not wp_id:
            raise Unmappable("no wp:post_id")
        if item.status == "trash":
            raise Unmappable("in the trash")
        status = STATUSES.get(item.status)
        if status is None:
            raise Unmappable(f"status {item.status!r}")
        published_at = parse_wp_date(item.post_date_gmt, item.post_date)
        if status == Article.Status.PUBLISHED and published_at is None:
            raise Unmappable("published without a valid date")
        if status == Article.Status.DRAFT:
            published_at = None
        if item.password:
            status, published_at = Article.Status.DRAFT, None
            self.report.note("article", wp_id, "password-protected: imported as a draft")

        title = one_line(item.title) or f"Senza titolo ({wp_id})"
        if len(title) > TITLE_LENGTH:
            self.report.note("article", wp_id, f"title cut to {TITLE_LENGTH} characters")
            title = title[: TITLE_LENGTH - 1] + "…"
        slug_base = readable_slug(item.post_name) or readable_slug(title) or f"post-{wp_id}"
        categories = [t for t in item.terms if t.taxonomy == "category"]
        tags = [t for t in item.terms if t.taxonomy == "post_tag"]
        if categories:
            section_id = self.section_id(categories[0])
        else:
            section_id = self.section_id(wxr.ItemTerm("category", *DEFAULT_SECTION))
        tag_ids = list(dict.fromkeys(self.tag_id(term) for term in categories[1:] + tags))
        author_ids = [self.author_id(item.creator)] if item.creator else []
        hero = self.hero(item)
        fields = {
            "title": title,
            "summary": plain_text(item.excerpt),
            "body": self.body(item),
            "section_id": section_id,
            "status": status,
            "published_at": published_at,
            "comments_enabled": item.comment_status == "open",
            "language": self.language,
            "hero_alt": hero.alt if hero else "",
        }
        hero_stamp = (str(hero.path), hero.path.stat().st_size) if hero else None
        digest = digest_of(fields, slug_base, author_ids, tag_ids, hero_stamp, item.link)
        return Plan(item, fields, slug_base, author_ids, tag_ids, hero, digest)

    def body(self, item: wxr.Item) -> str:
        """The post's content, sanitized, its photos found in --media-dir put in the library."""
        body = Article._meta.get_field("body").sanitize(post_html(item.content))
        if "<img" not in body:
            return body
        # What Article.save() does too, for the rows bulk_create() writes.
        return responsive(rewrite_images(body, partial(self.inline_photo, item)))

    def inline_photo(self, item: wxr.Item, attributes: dict) -> str:
        """A photo of the post's body as the library's, or "" (and a note) if it cannot be."""
        src = attributes.get("src", "")
        if self.media is None:
            self.report.note("article", item.post_id, f"photo not imported (no --media-dir): {src}")
            return ""
        path = self.media.find(src)
        if path is None:
            self.report.note("article", item.post_id, f"photo not found in --media-dir: {src}")
            return ""
        alt = one_line(attributes.get("alt", "")) or one_line(item.title)
        photo = self.library_photo(item, src, path, attributes.get("class", ""), alt[:250])
        if photo is None:
            return ""
        return format_html('<img src="" alt="{}" data-file="{}">', alt, photo)

    def library_photo(self, item, src, path: Path, css_class: str, alt: str) -> int | None:
        """
        The id of the library's photo for ``path``: stored on first use, then
        reused by every post that shows it, in this run and the next ones.
        """
        # WordPress marks a photo of its media library with its attachment id.
        attachment = re.search(r"\bwp-image-(\d+)\b", css_class)
        key = attachment.group(1) if attachment else unquote(src)[-200:]
        if ("photo", key) in self.ids:
            return self.ids["photo", key]
        record = self.remembered("photo", [key]).get(key)
        if record is not None and Image.objects.filter(pk=record.object_id).exists():
            self.ids["photo", key] = record.object_id
            return record.object_id
        if self.dry_run:  # files outlive the rollback: none is stored
            self.report.count("photo", "created")
            return None
        try:
            with path.open("rb") as handle:
                file = File(handle, name=path.name)
                validate_image(file)
                photo = Image.objects.create(file=file, alt=alt)
        except (OSError, ValidationError, ValueError) as error:
            message = error.messages[0] if isinstance(error, ValidationError) else error
            self.report.note("article", item.post_id, f"photo refused ({src}): {message}")
            return None
        if record is None:
            ImportedObject.objects.create(
                source=self.source, kind="photo", wp_id=key, object_id=photo.pk, digest=""
            )
        else:
            record.object_id = photo.pk
            record.save(update_fields=["object_id", "imported_at"])
        self.report.count("photo", "created")
        self.ids["photo", key] = photo.pk
        return photo.pk

    def hero(self, item: wxr.Item) -> Hero | None:
        """The post's featured image, if its file is in --media-dir."""
        thumbnail = item.meta.get("_thumbnail_id", "").strip()
        if not thumbnail:
            return None
        attachment = self.attachments.get(thumbnail)
        if attachment is None:
            self.report.note(
                "article", item.post_id, f"featured image {thumbnail} not in the export"
            )
            return None
        if self.media is None:
            self.report.note(
                "article",
                item.post_id,
                f"featured image not imported (no --media-dir): {attachment.url}",
            )
            return None
        path = self.media.find(attachment.url)
        if path is None:
            self.report.note(
                "article",
                item.post_id,
                f"featured image not found in --media-dir: {attachment.url}",
            )
            return None
        # The alt text is required with an image: the title when WordPress had none.
        return Hero(path, attachment.url, (attachment.alt or one_line(item.title))[:250])

    def create(self, plans: list[Plan], known: dict) -> list[tuple[Plan, Article]]:
        """Bulk-create the articles of ``plans``, with bylines, tags and memory."""
        if not plans:
            return []
        slugs = self.free_slugs(plans)
        articles = []
        for plan in plans:
            article = Article(slug=slugs[plan.item.post_id], **plan.fields)
            if plan.hero:
                self.attach(article, plan)
            articles.append(article)
        # What Article.save() would do: the body is sanitized in plan(), the
        # renditions made by attach(); no old URL to redirect from.
        Article.objects.bulk_create(articles)
        pairs = list(zip(plans, articles, strict=True))
        Byline.objects.bulk_create(
            Byline(article=article, author_id=author_id, position=position)
            for plan, article in pairs
            for position, author_id in enumerate(plan.author_ids)
        )
        # What Article.save() keeps: where each library photo is shown.
        BodyImage.objects.bulk_create(
            BodyImage(article=article, image_id=image_id)
            for _plan, article in pairs
            for image_id in library_ids(article.body)
        )
        content_type = ContentType.objects.get_for_model(Article)
        TaggedItem.objects.bulk_create(
            TaggedItem(content_type=content_type, object_id=article.pk, tag_id=tag_id)
            for plan, article in pairs
            for tag_id in plan.tag_ids
        )
        new_records, stale = [], []
        for plan, article in pairs:
            record = known.get(plan.item.post_id)
            if record is None:
                new_records.append(
                    (self.source, "article", plan.item.post_id, article.pk, plan.digest)
                )
            else:  # remembered, but deleted in Notizie since: made again
                record.object_id, record.digest = article.pk, plan.digest
                stale.append(record)
        ImportedObject.objects.insert_many(new_records)
        ImportedObject.objects.bulk_update(stale, ["object_id", "digest"])
        self.report.count("article", "created", len(articles))
        return pairs

    def update(self, changed) -> list[tuple[Plan, Article]]:
        """Rewrite articles whose WordPress post changed: one save each, as an editor's."""
        pairs = []
        for plan, article, record in changed:
            for name, value in plan.fields.items():
                setattr(article, name, value)
            slug = article.slug
            if slug != plan.slug_base and not slug.startswith(plan.slug_base + "-"):
                article.slug = self.free_slugs([plan], exclude=article.pk)[plan.item.post_id]
            if plan.hero and not article.hero_image:
                self.attach(article, plan)
            article.save()  # sanitizes again, and redirects the old URL if it moved
            Byline.objects.filter(article=article).delete()
            Byline.objects.bulk_create(
                Byline(article=article, author_id=author_id, position=position)
                for position, author_id in enumerate(plan.author_ids)
            )
            article.tags.set(list(Tag.objects.filter(pk__in=plan.tag_ids)))
            record.digest = plan.digest
            record.save(update_fields=["digest", "imported_at"])
            pairs.append((plan, article))
        self.report.count("article", "updated", len(pairs))
        return pairs

    def attach(self, article: Article, plan: Plan) -> None:
        """
        The featured image as the article's main photo, from the library: the
        same photo as a body's that shows the same file (photos are known by
        their URL, as the bodies' lose their class to the sanitizer).
        """
        hero = plan.hero
        photo = self.library_photo(plan.item, hero.src, hero.path, "", hero.alt)
        if photo is None:  # refused (and noted), or a dry run
            article.hero_alt = ""
            return
        if photo not in self.photo_files:
            self.photo_files[photo] = Image.objects.values_list("file", "renditions").get(pk=photo)
        # What Article.save() copies, for the rows bulk_create() writes.
        article.hero_photo_id = photo
        article.hero_image, article.hero_renditions = self.photo_files[photo]

    def free_slugs(self, plans: list[Plan], exclude=None) -> dict[str, str]:
        """
        A unique slug for each plan (by post id): its own when free, else with
        the first free "-2", "-3"... Slugs are unique across the whole site in
        Notizie, by date in WordPress, so clashes happen and are reported.
        """
        taken = set(
            Article.objects.filter(slug__in=[plan.slug_base for plan in plans])
            .exclude(pk=exclude)
            .values_list("slug", flat=True)
        )
        slugs = {}
        for plan in plans:
            slug = plan.slug_base
            if slug in taken:
                siblings = set(
                    Article.objects.filter(slug__startswith=slug + "-")
                    .exclude(pk=exclude)
                    .values_list("slug", flat=True)
                )
                number = 2
                while f"{slug}-{number}" in siblings or f"{slug}-{number}" in taken:
                    number += 1
                slug = f"{slug}-{number}"
                self.report.note(
                    "article", plan.item.post_id, f"slug {plan.slug_base!r} taken: now {slug!r}"
                )
            taken.add(slug)
            slugs[plan.item.post_id] = slug
        return slugs

    def redirect(self, pairs) -> None:
        targets = {}
        for plan, article in pairs:
            url = reverse(
                "articles:detail",
                kwargs={"section": self.section_slugs[article.section_id], "slug": article.slug},
            )
            targets[url] = old_paths(plan.item.link, plan.item.post_name)
        write_redirects(targets, self.report)

    # Authors, sections and tags: few, made one at a time when first needed ----

    def remembered(self, kind: str, wp_ids: list[str]) -> dict[str, ImportedObject]:
        records = ImportedObject.objects.filter(source=self.source, kind=kind, wp_id__in=wp_ids)
        return {record.wp_id: record for record in records}

    def author_id(self, login: str) -> int:
        if login not in self.declared_authors and login.strip("<> ") in self.declared_authors:
            # A stray character around dc:creator (seen in real exports): same person.
            login = login.strip("<> ")
        if ("author", login) in self.ids:
            return self.ids[("author", login)]
        declared = self.declared_authors.get(login) or wxr.Author(login=login)
        full_name = f"{declared.first_name} {declared.last_name}".strip()
        name = (declared.display_name or full_name or login)[:120]
        fields = {"name": name, "email": declared.email[:254], "bio": declared.description}
        digest = digest_of(fields)
        object_id, known_digest = self.known["author"].get(login, (None, None))
        author = Author.objects.filter(pk=object_id).first() if object_id else None
        if author is None:
            author = Author(slug=unique_slug(Author, slugify(name) or slugify(login) or "autore"))
            self.report.count("author", "created")
        elif known_digest == digest:
            self.ids[("author", login)] = author.pk
            self.report.count("author", "unchanged")
            return author.pk
        else:
            self.report.count("author", "updated")
        for key, value in fields.items():
            setattr(author, key, value)
        author.save()
        ImportedObject.objects.update_or_create(
            source=self.source,
            kind="author",
            wp_id=login,
            defaults={"object_id": author.pk, "digest": digest},
        )
        self.ids[("author", login)] = author.pk
        return author.pk

    def section_id(self, term: wxr.ItemTerm) -> int:
        """The section of a category: remembered, else the one with its slug or name, else new."""
        key = term.slug or slugify(term.name)
        if ("section", key) in self.ids:
            return self.ids[("section", key)]
        declared = self.terms.get(("category", term.slug))
        name = one_line(declared.name if declared else term.name)[:80] or key
        slug = slugify(unquote(key))[:70] or "sezione"
        object_id, _ = self.known["section"].get(key, (None, None))
        section = Section.objects.filter(pk=object_id).first() if object_id else None
        if section is not None:
            self.report.count("section", "unchanged")
        else:
            section = (
                Section.objects.filter(slug=slug).first()
                or Section.objects.filter(name__iexact=name).first()
            )
            if section is not None:
                self.report.count("section", "matched existing")
            else:
                if slug in reserved_section_slugs():
                    slug += "-wp"
                section = Section.objects.create(
                    name=name,
                    slug=unique_slug(Section, slug),
                    description=plain_text(declared.description) if declared else "",
                )
                self.report.count("section", "created")
            ImportedObject.objects.update_or_create(
                source=self.source,
                kind="section",
                wp_id=key,
                defaults={"object_id": section.pk},
            )
        self.ids[("section", key)] = section.pk
        self.section_slugs[section.pk] = section.slug
        return section.pk

    def tag_id(self, term: wxr.ItemTerm) -> int:
        """The tag of a post tag or a secondary category: by slug, else by name, else new."""
        key = f"{term.taxonomy}:{term.slug or slugify(term.name)}"
        if ("tag", key) in self.ids:
            return self.ids[("tag", key)]
        declared = self.terms.get((term.taxonomy, term.slug))
        name = one_line(declared.name if declared else term.name)[:100] or term.slug
        slug = slugify(unquote(term.slug))[:90] or slugify(name)[:90] or "tag"
        object_id, _ = self.known["tag"].get(key, (None, None))
        if object_id in self.tag_pks:
            tag_pk = object_id
            self.report.count("tag", "unchanged")
        else:
            tag_pk = self.tag_slugs.get(slug) or self.tag_names.get(name)
            if tag_pk is not None:
                self.report.count("tag", "matched existing")
            else:
                free, number = slug, 2
                while free in self.tag_slugs:
                    free, number = f"{slug}-{number}", number + 1
                # bulk_create: one INSERT, none of save()'s savepoint and slug retries.
                (tag,) = Tag.objects.bulk_create([Tag(name=name, slug=free)])
                tag_pk = self.tag_slugs[free] = self.tag_names[name] = tag.pk
                self.tag_pks.add(tag_pk)
                self.report.count("tag", "created")
            ImportedObject.objects.update_or_create(
                source=self.source, kind="tag", wp_id=key, defaults={"object_id": tag_pk}
            )
        self.ids[("tag", key)] = tag_pk
        return tag_pk


def readable_slug(text: str) -> str:
    """
    An ASCII slug of a WordPress slug or title, or "" when too little survives:
    a Greek "επίπεδο-2" would be left as "2".
    """
    slug = slugify(unquote(text))[:SLUG_LENGTH].strip("-")
    return slug if re.search("[a-z]", slug) else ""


def unique_slug(model, slug: str) -> str:
    """``slug``, or ``slug-2``, ``slug-3``... whichever ``model`` does not have yet."""
    taken = set(model.objects.filter(slug__startswith=slug).values_list("slug", flat=True))
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate
