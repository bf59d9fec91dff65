"""
RSS 2.0 and Atom feeds of published articles: the whole site, a section, a tag,
an author. Each item carries the summary, the full sanitized body, the dates,
every author, the section and tags as categories, and the hero image.
"""

import html
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.contrib.syndication.views import Feed, add_domain
from django.core.files.storage import default_storage
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from taggit.models import Tag

import cachetags
from authors.models import Author

from .models import Article, Section
from .search import plain_text

# A site-relative address in the body: a link to another page, a photo.
SITE_URL = re.compile(r'(\s(?:href|src)=")(/(?!/)[^"]*)"')
SRCSET = re.compile(r'(\ssrcset=")([^"]*)"')

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"


class ArticleRssFeed(Rss201rev2Feed):
    """RSS 2.0 plus the full body (``content:encoded``) and one ``dc:creator`` per author."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NS, "xmlns:dc": DC_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, _url in item["authors"]:
            handler.addQuickElement("dc:creator", name)
        handler.addQuickElement("content:encoded", item["content"])


class ArticleAtomFeed(Atom1Feed):
    """Atom plus the full body (``content``) and one ``author`` per byline."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, url in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", url)
            handler.endElement("author")
        handler.addQuickElement("content", item["content"], {"type": "html"})


@dataclass(frozen=True)
class Scope:
    """
    What one request's feed covers (``object`` is None for the whole site) and
    the domain its links use. A feed instance serves every request, so anything
    that belongs to one request travels here, never on ``self``.
    """

    object: object
    domain: str
    secure: bool

    def absolute(self, url: str) -> str:
        return add_domain(self.domain, url, self.secure)

    def absolute_body(self, body: str) -> str:
        """
        ``body`` with the site's own addresses made absolute: a feed reader
        shows it away from the site, where "/media/…" means nothing.
        """

        def url(match):
            address = self.absolute(html.unescape(match.group(2)))
            return f'{match.group(1)}{html.escape(address)}"'

        def srcset(match):
            candidates = (
                candidate.split() for candidate in html.unescape(match.group(2)).split(",")
            )
            absolute = ", ".join(
                " ".join([self.absolute(address), *rest])
                for address, *rest in candidates
                if address
            )
            return f'{match.group(1)}{html.escape(absolute)}"'

        return SRCSET.sub(srcset, SITE_URL.sub(url, body))


@dataclass(frozen=True)
class Entry:
    article: Article
    scope: Scope


class ArticlesFeed(Feed):
    """The newest published articles of the whole site (RSS); subclasses narrow it."""

    feed_type = ArticleRssFeed
    language = settings.LANGUAGE_CODE

    # The feed ---------------------------------------------------------------

    def get_object(self, request, *args, **kwargs):
        return self.make_scope(request, None)

    @staticmethod
    def make_scope(request, obj) -> Scope:
        return Scope(obj, get_current_site(request).domain, request.is_secure())

    def articles(self, scope):
        """The articles this feed covers: always a narrowing of ``published()``."""
        return Article.objects.published()

    def items(self, scope):
        if scope.object is None:
            cachetags.add(cachetags.HOME)
        articles = self.articles(scope).latest_first().for_feed()[: settings.FEED_ITEM_COUNT]
        return [Entry(article, scope) for article in articles]

    def title(self, scope):
        return settings.SITE_NAME

    def link(self, scope):
        return reverse("home")

    def description(self, scope):
        return settings.SITE_TAGLINE

    def author_name(self, scope):
        # Atom wants an author for the feed when an entry has no byline.
        return settings.PUBLISHER_NAME

    # Its items --------------------------------------------------------------

    def item_title(self, entry):
        # Plain text, as Atom declares it and today's readers take RSS titles:
        # not escaped twice like Django's default, or readers would show "&amp;".
        return entry.article.title

    def item_description(self, entry):
        # The summary, or else the body's opening words: readers list this.
        article = entry.article
        return escape(article.summary or Truncator(plain_text(article.body)).words(40)) or None

    def item_link(self, entry):
        return entry.article.get_absolute_url()

    def item_guid(self, entry):
        # A tag URI on the primary key, so that a reader does not show an
        # article again when its slug or section changes.
        article = entry.article
        return f"tag:{entry.scope.domain},{article.created_at:%Y-%m-%d}:article:{article.pk}"

    def item_guid_is_permalink(self, entry):
        return False

    def item_pubdate(self, entry):
        return entry.article.published_at

    def item_updateddate(self, entry):
        return entry.article.updated_at or entry.article.published_at

    def item_categories(self, entry):
        article = entry.article
        return [article.section.name, *sorted(tag.name for tag in article.tags.all())]

    def item_enclosures(self, entry):
        sizes = (entry.article.hero_renditions or {}).get("sizes")
        if not sizes:
            return []
        largest = sizes[-1]
        # RSS requires a length; the renditions' sizes are not stored and asking
        # the storage would cost a request per item, so "0", which the RSS
        # Advisory Board's profile allows when the size is unknown.
        url = entry.scope.absolute(default_storage.url(largest["name"]))
        return [Enclosure(url, "0", "image/webp")]

    def item_extra_kwargs(self, entry):
        return {
            "content": entry.scope.absolute_body(entry.article.body),
            "authors": [
                (author.name, entry.scope.absolute(author.get_absolute_url()))
                for author in entry.article.byline_authors
            ],
        }


class SectionFeed(ArticlesFeed):
    def get_object(self, request, slug):
        return self.make_scope(request, get_object_or_404(Section, slug=slug))

    def articles(self, scope):
        return super().articles(scope).in_section(scope.object)

    def title(self, scope):
        return f"{scope.object.name} · {settings.SITE_NAME}"

    def link(self, scope):
        return scope.object.get_absolute_url()

    def description(self, scope):
        return scope.object.description or _("Gli ultimi articoli di %(section)s") % {
            "section": scope.object.name
        }


class TagFeed(ArticlesFeed):
    def get_object(self, request, slug):
        return self.make_scope(request, get_object_or_404(Tag, slug=slug))

    def articles(self, scope):
        return super().articles(scope).tagged(scope.object)

    def title(self, scope):
        return f"{scope.object.name} · {settings.SITE_NAME}"

    def link(self, scope):
        return reverse("articles:tag", kwargs={"slug": scope.object.slug})

    def description(self, scope):
        return _("Gli ultimi articoli su %(tag)s") % {"tag": scope.object.name}


class AuthorFeed(ArticlesFeed):
    def get_object(self, request, slug):
        return self.make_scope(request, get_object_or_404(Author, slug=slug))

    def articles(self, scope):
        return super().articles(scope).by_author(scope.object)

    def title(self, scope):
        return f"{scope.object.name} · {settings.SITE_NAME}"

    def link(self, scope):
        return scope.object.get_absolute_url()

    def description(self, scope):
        return _("Gli ultimi articoli di %(author)s") % {"author": scope.object.name}


class AtomMixin:
    feed_type = ArticleAtomFeed

    def subtitle(self, scope):
        return self.description(scope)


class ArticlesAtomFeed(AtomMixin, ArticlesFeed):
    pass


class SectionAtomFeed(AtomMixin, SectionFeed):
    pass


class TagAtomFeed(AtomMixin, TagFeed):
    pass


class AuthorAtomFeed(AtomMixin, AuthorFeed):
    pass
