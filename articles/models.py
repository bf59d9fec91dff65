from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.contrib.redirects.models import Redirect
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.urls import get_resolver, reverse_lazy
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import Tag

import cachetags
from authors.models import Author
from images.body import library_ids, responsive
from images.models import Image
from images.renditions import refresh_renditions
from images.validators import validate_image

from .links import url
from .search import search as search_articles

# What an editor can write in an article body, and so all the sanitizer keeps:
# the same list drives the editor's toolbar and nh3's allow-list.
BODY_EXTENSIONS = {
    "Heading": {"levels": [2, 3]},
    "Bold": True,
    "Italic": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    # Photos of the library with a caption, chosen with its picker (images/body.py).
    "Figure": {"pickerUrl": reverse_lazy("admin:images_image_picker")},
    "Image": True,
    "Caption": True,
}


def reserved_section_slugs() -> set[str]:
    """
    The first path segments the site already uses, read from the URLconf (and
    the static and media URLs, served outside it): a section there would
    never show, its address taken by another page.
    """
    taken = {url.strip("/").split("/")[0] for url in (settings.STATIC_URL, settings.MEDIA_URL)}
    patterns = [("", pattern) for pattern in get_resolver().url_patterns]
    while patterns:
        prefix, pattern = patterns.pop()
        route = prefix + str(pattern.pattern).lstrip("^")
        first = route.partition("/")[0]
        if first and "<" not in first and "(" not in first:
            taken.add(first)
        elif not first and hasattr(pattern, "url_patterns"):  # an include() at the root
            patterns.extend((route, inner) for inner in pattern.url_patterns)
    return taken


def validate_section_slug(value):
    if value in reserved_section_slugs():
        raise ValidationError(
            _("“%(slug)s” è riservato a un'altra pagina del sito: scegline un altro."),
            params={"slug": value},
        )


class Section(models.Model):
    name = models.CharField(_("nome"), max_length=80, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        validators=[validate_section_slug],
        help_text=_("L'indirizzo della sezione: /<slug>/. Cambiarlo cambia gli indirizzi."),
    )
    description = models.TextField(_("descrizione"), blank=True)
    order = models.PositiveSmallIntegerField(
        _("ordine"), default=0, help_text=_("Le sezioni con numero più basso vengono prima.")
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("sezione")
        verbose_name_plural = _("sezioni")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return url("articles:section", self.slug)


def new_preview_key() -> str:
    return get_random_string(32)


def published_q(now=None) -> Q:
    """The one rule for what readers may see, as a filter."""
    return Q(status=Article.Status.PUBLISHED, published_at__lte=now or timezone.now())


def bylines_prefetch() -> Prefetch:
    return Prefetch("bylines", queryset=Byline.objects.select_related("author"))


def prefetch_bylines(articles) -> None:
    """The bylines of articles read apart (several lists on one page), in one query."""
    prefetch_related_objects(articles, bylines_prefetch())


def comment_count(status: str):
    """
    An expression: how many comments with ``status`` an article has, counted by
    the database per article shown, on the comments' (article, status) index.
    Comments are reached only through their foreign key's reverse relation.
    """
    comments = Article._meta.get_field("comments").related_model.objects
    return Coalesce(
        Subquery(
            comments.filter(article=OuterRef("pk"), status=status)
            .order_by()
            .values("article")
            .annotate(count=Count("pk"))
            .values("count")
        ),
        0,
    )


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """The only queryset public pages, feeds and sitemaps may start from."""
        return self.filter(published_q(now))

    def scheduled(self, now=None):
        """Published, but with a publication time still to come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=now or timezone.now())

    # A page that lists a section's, a tag's or an author's articles is stale
    # when that list changes: it carries the list's cache tag.

    def in_section(self, section):
        cachetags.add(cachetags.section_list(section.pk))
        return self.filter(section=section)

    def tagged(self, tag):
        cachetags.add(cachetags.tag_list(tag.pk))
        return self.filter(tags=tag)

    def by_author(self, author):
        cachetags.add(cachetags.author_list(author.pk))
        return self.filter(bylines__author=author)

    def owned_by(self, user):
        """What ``user`` started or signs: a reporter's own articles (no duplicates)."""
        signed = Byline.objects.filter(author__user=user).values("article_id")
        return self.filter(Q(created_by=user) | Q(pk__in=signed))

    def latest_first(self):
        return self.order_by("-published_at", "-pk")

    def with_bylines(self):
        """Section and ordered authors, in one extra query for the whole page."""
        return self.select_related("section").prefetch_related(bylines_prefetch())

    def for_listing(self):
        """What a teaser needs; the body, the heaviest column, stays in the database."""
        return self.with_bylines().defer("body").with_comment_count()

    def with_comment_count(self):
        """``approved_comment_count`` on each article, in the same query."""
        return self.annotate(approved_comment_count=comment_count("approved"))

    def for_feed(self):
        """Whole articles with their section, authors and tags, for many at once."""
        return self.with_bylines().prefetch_related("tags")

    def for_page(self):
        """
        The article page's article, with its section. Its authors and tags come
        from ``Article.page_credits()``: for one article, two plain queries cost
        less than prefetch_related's machinery.
        """
        return self.select_related("section")

    def search(self, text):
        """Articles matching what a reader typed, best first (see ``articles/search.py``)."""
        return search_articles(self, text)

    def latest_per_section(self, count):
        """
        The ``count`` newest articles of each section. The ids come first, in
        one query that reads the head of each section's index
        (``article_section_public_idx``) ``count`` times, so the cost follows
        the number of sections, not of articles, as a window function over
        every article would.
        """
        newest = self.order_by("-published_at", "-pk").values("pk")
        heads = Section.objects.values_list(
            *(Subquery(newest.filter(section=OuterRef("pk"))[n : n + 1]) for n in range(count))
        )
        return self.filter(pk__in=[pk for row in heads for pk in row if pk is not None])


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_queryset(self):
        # The search vector is as big as the text and only the database reads
        # it: keep it out of every page, feed and admin query.
        return super().get_queryset().defer("search_vector")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bozza")
        REVIEW = "review", _("In revisione")
        PUBLISHED = "published", _("Pubblicato")
        UNPUBLISHED = "unpublished", _("Ritirato")

    title = models.CharField(_("titolo"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_(
            "La parte finale dell'indirizzo, fatta dal titolo: solo lettere senza "
            "accenti, numeri e trattini."
        ),
    )
    summary = models.TextField(
        _("sommario"), blank=True, help_text=_("Una o due frasi sotto il titolo e negli elenchi.")
    )
    body = ProseEditorField(_("testo"), extensions=BODY_EXTENSIONS, sanitize=True, blank=True)
    section = models.ForeignKey(
        Section, verbose_name=_("sezione"), on_delete=models.PROTECT, related_name="articles"
    )
    authors = models.ManyToManyField(
        Author, verbose_name=_("autori"), through="Byline", related_name="articles", blank=True
    )
    tags = TaggableManager(_("tag"), blank=True, help_text=_("Argomenti, persone, luoghi."))

    hero_image = models.ImageField(
        _("immagine principale"),
        upload_to="articles/%Y/%m/",
        blank=True,
        validators=[validate_image],
        help_text=_("JPEG, PNG, WebP o GIF, al massimo 20 MB e 40 megapixel."),
    )
    hero_renditions = models.JSONField(default=dict, blank=True, editable=False)
    hero_alt = models.CharField(
        _("testo alternativo"),
        max_length=250,
        blank=True,
        help_text=_("Descrive l'immagine a chi non la vede. Obbligatorio con un'immagine."),
    )
    hero_caption = models.CharField(_("didascalia"), max_length=300, blank=True)
    hero_credit = models.CharField(
        _("credito"), max_length=120, blank=True, help_text=_("Per esempio: Foto ANSA.")
    )
    # Chosen in the library instead of uploaded here: ``save()`` then copies its
    # file and renditions into hero_image and hero_renditions, which pages print
    # without a join; the library refuses to delete it while it is the hero.
    hero_photo = models.ForeignKey(
        Image,
        verbose_name=_("oppure una foto dell'archivio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="heroes",
        help_text=_(
            "Scrivi per cercarla per testo alternativo, didascalia o credito; con + ne carichi "
            "una nuova nell'archivio. Testo alternativo, didascalia e credito vengono dalla foto "
            "se non li scrivi tu."
        ),
    )

    status = models.CharField(
        _("stato"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        _("data di pubblicazione"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "L'articolo è pubblico quando è pubblicato e questa ora è passata: "
            "un'ora futura lo programma."
        ),
    )
    updated_at = models.DateTimeField(
        _("aggiornato il"),
        null=True,
        blank=True,
        help_text=_("Mostrato ai lettori quando il testo cambia dopo la pubblicazione."),
    )
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True)
    modified_at = models.DateTimeField(_("modificato il"), auto_now=True)

    comments_enabled = models.BooleanField(_("commenti aperti"), default=True)
    seo_title = models.CharField(
        _("titolo per i motori di ricerca"),
        max_length=70,
        blank=True,
        help_text=_("Se vuoto si usa il titolo."),
    )
    seo_description = models.CharField(
        _("descrizione per i motori di ricerca"),
        max_length=160,
        blank=True,
        help_text=_("Se vuota si usa il sommario."),
    )
    language = models.CharField(
        _("lingua"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    correction = models.TextField(
        _("rettifica"),
        blank=True,
        help_text=_(
            "Nota pubblica in fondo all'articolo, con la sua data, quando si corregge "
            "un errore già letto dai lettori. Testo semplice."
        ),
    )
    correction_at = models.DateTimeField(
        _("rettifica del"),
        null=True,
        blank=True,
        help_text=_("Messa da sola quando la rettifica cambia."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("creato da"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Optimistic locking: the admin form carries the version it was opened at,
    # and a save from an older version is refused (see ArticleAdminForm).
    version = models.PositiveIntegerField(
        _("versione"),
        default=1,
        editable=False,
        help_text=_("Cresce di uno a ogni salvataggio."),
    )
    # Part of every signed preview link: a new key revokes all links given so far.
    preview_key = models.CharField(max_length=32, default=new_preview_key, editable=False)

    # Derived on save by articles.search.update_search_vector() (see signals.py);
    # only PostgreSQL fills and indexes it. Never loaded unless asked for.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleManager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("articolo")
        verbose_name_plural = _("articoli")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "review", "published", "unpublished"]),
                name="article_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_public_idx"),
            # A section's newest articles (its page, its block on the home page)
            # read from the index head, whatever the size of the archive.
            models.Index(
                fields=["section", "-published_at", "-id"],
                name="article_section_public_idx",
                condition=Q(status="published"),
            ),
        ]
        # Who may use them: articles/workflow.py (and ROLES there).
        permissions = [
            ("publish_article", "Può pubblicare, programmare, ritirare e rimandare all'autore"),
            ("edit_any_article", "Può modificare gli articoli di tutti, in ogni stato"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        adding = self._state.adding
        old_url = self._stored_url()
        if not self.slug:
            self.slug = slugify(self.title)[: self._meta.get_field("slug").max_length]
        # Sanitizing here too (the admin form already did) covers every other
        # way in: imports, fixtures, the shell. It is idempotent, and so is
        # printing the library's photos from their renditions (images/body.py).
        self.body = responsive(self._meta.get_field("body").sanitize(self.body or ""))
        update_fields = kwargs.get("update_fields")
        if self.hero_photo_id is not None and update_fields is None:
            self.hero_image = self.hero_photo.file.name
            self.hero_renditions = self.hero_photo.renditions
        self.hero_renditions = refresh_renditions(self.hero_image, self.hero_renditions)
        if not self._state.adding and (update_fields is None or "version" in update_fields):
            self.version += 1
        super().save(*args, **kwargs)
        self._redirect_old_url(old_url)
        if update_fields is None or "body" in update_fields:
            self._keep_body_images(adding=adding)

    def get_absolute_url(self):
        return url("articles:detail", self.section.slug, self.slug)

    def _keep_body_images(self, adding):
        wanted = library_ids(self.body)
        if adding and not wanted:
            return  # nothing stored, nothing to store: no query
        current = set(self.body_images.values_list("image_id", flat=True))
        if current - wanted:
            self.body_images.filter(image_id__in=current - wanted).delete()
        if wanted - current:
            BodyImage.objects.bulk_create(
                BodyImage(article=self, image_id=pk) for pk in wanted - current
            )

    @property
    def is_published(self) -> bool:
        """Mirrors ``published_q()`` for one article already in memory."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    def page_credits(self) -> tuple[list[Author], list]:
        """The authors in byline order and the tags, in one query each."""
        authors = Author.objects.filter(bylines__article=self).order_by(
            "bylines__position", "bylines__pk"
        )
        # Not through ``self.tags``: taggit's manager joins django_content_type
        # and adds DISTINCT, a third more time for the same rows.
        tags = Tag.objects.filter(
            taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(Article),
            taggit_taggeditem_items__object_id=self.pk,
        ).order_by("taggit_taggeditem_items__pk")
        return list(authors), list(tags)

    @property
    def byline_authors(self) -> list[Author]:
        """The credited authors in byline order (no query after ``for_listing()``)."""
        return [byline.author for byline in self.bylines.all()]

    @property
    def was_updated(self) -> bool:
        return bool(self.updated_at and self.published_at and self.updated_at > self.published_at)

    @property
    def meta_description(self) -> str:
        return self.seo_description or self.summary

    def clean(self):
        super().clean()
        if self.hero_image and not self.hero_alt.strip():
            raise ValidationError(
                {
                    "hero_alt": _(
                        "Scrivi il testo alternativo: descrive l'immagine a chi non la vede."
                    )
                }
            )
        if self.status == self.Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()

    # Workflow moves. Each saves the article and records who moved it and why;
    # whether ``by`` may make the move is for articles/workflow.py to decide
    # before calling them.

    def submit(self, *, by=None, note="") -> "StatusChange":
        """Hand the article to the editors for review."""
        return self._move(self.Status.REVIEW, by=by, note=note)

    def send_back(self, *, by=None, note="") -> "StatusChange":
        """Return the article to its author as a draft, with the editor's note."""
        return self._move(self.Status.DRAFT, by=by, note=note)

    def publish(self, *, by=None, at=None, note="") -> "StatusChange":
        """Make the article public at ``at`` (now by default; a future time schedules it)."""
        return self._move(
            self.Status.PUBLISHED, by=by, note=note, published_at=at or timezone.now()
        )

    def unpublish(self, *, by=None, note="") -> "StatusChange":
        """Take the article off the site (or cancel its scheduling); its URL answers 404."""
        return self._move(self.Status.UNPUBLISHED, by=by, note=note)

    def _move(self, status, *, by, note, published_at=None) -> "StatusChange":
        change = StatusChange(
            article=self, from_status=self.status, to_status=status, by=by, note=note.strip()
        )
        self.status = status
        if published_at is not None:
            self.published_at = change.published_at = published_at
        self.save()
        change.save()
        return change

    def revoke_previews(self) -> None:
        """Make every preview link given so far stop working."""
        self.preview_key = new_preview_key()
        self.save(update_fields=["preview_key"])

    def note_content_change(self, changed_fields) -> None:
        """Stamp "Aggiornato il" when readers' text changes after publication."""
        changed = set(changed_fields)
        if "correction" in changed:
            self.correction_at = timezone.now() if self.correction.strip() else None
        if self.is_published and {"title", "summary", "body", "correction"} & changed:
            self.updated_at = timezone.now()

    def _stored_url(self) -> str | None:
        """The URL this article has in the database now (one query), if it was public."""
        if self._state.adding:
            return None
        stored = (
            Article.objects.filter(pk=self.pk, published_at__isnull=False)
            .values_list("section__slug", "slug")
            .first()
        )
        if stored is None:
            return None
        return url("articles:detail", stored[0], stored[1])

    def _redirect_old_url(self, old_url: str | None) -> None:
        """Keep links to an old slug or section working with a permanent redirect."""
        new_url = self.get_absolute_url()
        if not old_url or old_url == new_url:
            return
        redirects = Redirect.objects.filter(site_id=settings.SITE_ID)
        # Earlier redirects to the old URL now point straight to the new one,
        # and a redirect away from the new URL would loop: drop it.
        redirects.filter(new_path=old_url).update(new_path=new_url)
        redirects.filter(old_path=new_url).delete()
        Redirect.objects.update_or_create(
            site_id=settings.SITE_ID, old_path=old_url, defaults={"new_path": new_url}
        )


class Byline(models.Model):
    """One credit of an author on an article; ``position`` orders the byline."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(
        Author, verbose_name=_("autore"), on_delete=models.PROTECT, related_name="bylines"
    )
    position = models.PositiveSmallIntegerField(_("posizione"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("firma")
        verbose_name_plural = _("firme")
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author")
        ]

    def __str__(self):
        return str(self.author)


class BodyImage(models.Model):
    """
    A photo of the library shown in an article's body (images/body.py): kept
    by ``Article.save()``, so the library knows where each photo is used and
    refuses to delete one still shown.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="body_images")
    image = models.ForeignKey(
        Image, verbose_name=_("foto"), on_delete=models.PROTECT, related_name="uses"
    )

    class Meta:
        verbose_name = _("foto nel testo")
        verbose_name_plural = _("foto nel testo")
        constraints = [
            models.UniqueConstraint(fields=["article", "image"], name="body_image_unique")
        ]

    def __str__(self):
        # What the library's delete page lists as protecting the photo.
        return str(self.article)


class StatusChange(models.Model):
    """One move of an article through the workflow: who, when, from where to where, why."""

    article = models.ForeignKey(
        Article, verbose_name=_("articolo"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("da"), max_length=16, choices=Article.Status.choices)
    to_status = models.CharField(_("a"), max_length=16, choices=Article.Status.choices)
    published_at = models.DateTimeField(
        _("pubblicazione alle"),
        null=True,
        blank=True,
        help_text=_("L'ora di pubblicazione scelta con questo passaggio, se pubblica o programma."),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("da chi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("quando"), default=timezone.now)
    note = models.TextField(_("nota"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("passaggio di stato")
        verbose_name_plural = _("passaggi di stato")
        constraints = [
            models.CheckConstraint(
                condition=Q(from_status__in=["draft", "review", "published", "unpublished"])
                & Q(to_status__in=["draft", "review", "published", "unpublished"]),
                name="status_change_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.to_label}"

    @property
    def is_scheduling(self) -> bool:
        return bool(
            self.to_status == Article.Status.PUBLISHED
            and self.published_at
            and self.published_at > self.at
        )

    @property
    def to_label(self) -> str:
        return _("Programmato") if self.is_scheduling else self.get_to_status_display()


class Revision(models.Model):
    """
    An article's editorial fields as one admin save left them (``data``, see
    articles/revisions.py). Never changed once written: restoring makes a new one.
    """

    article = models.ForeignKey(
        Article, verbose_name=_("articolo"), on_delete=models.CASCADE, related_name="revisions"
    )
    version = models.PositiveIntegerField(_("versione"))
    created_at = models.DateTimeField(_("salvata il"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("salvata da"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    restored_from = models.ForeignKey(
        "self",
        verbose_name=_("ripristino di"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    data = models.JSONField(_("contenuto"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("revisione")
        verbose_name_plural = _("revisioni")
        indexes = [models.Index(fields=["article", "-created_at"], name="revision_article_idx")]

    def __str__(self):
        return f"{self.article_id} v{self.version}"
