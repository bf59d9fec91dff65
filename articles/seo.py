"""
What search engines and social networks read in an article page's head
(``Head``, given to the page by articles/views.py): the JSON-LD ``NewsArticle``
and ``BreadcrumbList``, OpenGraph and Twitter cards; and ``iso`` dates.

Everything comes from the article as the page loaded it (section, bylines and
tags are already fetched) and from settings: no query, no file access.
"""

import json

from django.conf import settings
from django.core.files.storage import default_storage
from django.templatetags.static import static
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from .links import url

# Google shows at most this much of a NewsArticle headline.
HEADLINE_MAX_CHARACTERS = 110
OG_LOCALES = {"it": "it_IT", "en": "en_GB"}

# As django.utils.html.json_script: inside <script>, "</script>" or "<!--" in
# a title must not end the element, so <, > and & are written as escapes.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data: dict) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(
        '<script type="application/ld+json">' + text.translate(JSON_SCRIPT_ESCAPES) + "</script>"
    )


def iso(moment, zone=None) -> str:
    """
    W3C / ISO 8601, in the site's zone (or ``zone``, for a caller printing
    many), to the second: ``2026-02-03T09:15:00+01:00``.
    """
    if not moment:
        return ""
    return timezone.localtime(moment, zone).isoformat(timespec="seconds")


class Head:
    """
    The absolute addresses an article's head names, each built once: the
    OpenGraph tags and the JSON-LD name the article, its authors, its images
    and the site several times over.
    """

    def __init__(self, request, article, authors, tags):
        self.article, self.authors = article, authors
        absolute = request.build_absolute_uri
        self.url = absolute(article.get_absolute_url())
        self.home_url = absolute(url("home"))
        self.section_url = absolute(article.section.get_absolute_url())
        self.author_urls = [absolute(author.get_absolute_url()) for author in authors]
        # The hero image's renditions, largest first.
        sizes = (article.hero_renditions or {}).get("sizes") or []
        self.images = [
            {
                "url": absolute(default_storage.url(size["name"])),
                "width": size["width"],
                "height": size["height"],
            }
            for size in reversed(sizes)
        ]
        self.logo = {
            "url": absolute(static(settings.SITE_LOGO)),
            "width": settings.SITE_LOGO_WIDTH,
            "height": settings.SITE_LOGO_HEIGHT,
        }
        # Named alike by OpenGraph and the JSON-LD.
        self.published = iso(article.published_at)
        self.modified = iso(article.updated_at or article.published_at)
        self.keywords = [tag.name for tag in tags]

    @property
    def social(self) -> dict:
        """What jinja2/articles/social_meta.html prints: OpenGraph and Twitter card tags."""
        article = self.article
        return {
            "site_name": settings.SITE_NAME,
            "twitter_site": settings.TWITTER_SITE,
            "locale": OG_LOCALES.get(article.language, article.language),
            "title": article.seo_title or article.title,
            "description": article.meta_description,
            "url": self.url,
            "image": self.images[0] if self.images else self.logo,
            "image_alt": article.hero_alt if self.images else settings.SITE_NAME,
            "large_image": bool(self.images),
            "published": self.published,
            "modified": self.modified,
            "authors": self.author_urls,
            "section": article.section.name,
            "tags": self.keywords,
        }

    @property
    def structured_data(self) -> SafeString:
        """``NewsArticle`` and ``BreadcrumbList`` as JSON-LD, for a published article."""
        return json_ld(self.news_article()) + json_ld(self.breadcrumbs())

    def publisher(self) -> dict:
        return {
            "@type": "Organization",
            "name": settings.PUBLISHER_NAME,
            "url": self.home_url,
            "logo": {"@type": "ImageObject", **self.logo},
        }

    def news_article(self) -> dict:
        article = self.article
        authors = [
            {"@type": "Person", "name": author.name, "url": address}
            for author, address in zip(self.authors, self.author_urls, strict=True)
        ]
        publisher = self.publisher()
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": Truncator(article.title).chars(HEADLINE_MAX_CHARACTERS),
            "description": article.meta_description,
            "image": [image["url"] for image in self.images],
            "datePublished": self.published,
            "dateModified": self.modified,
            # Without a byline the newsroom itself signs the article.
            "author": authors or [publisher],
            "publisher": publisher,
            "mainEntityOfPage": {"@type": "WebPage", "@id": self.url},
            "url": self.url,
            "articleSection": article.section.name,
            "keywords": self.keywords,
            "inLanguage": article.language,
        }
        return {key: value for key, value in data.items() if value not in ("", [])}

    def breadcrumbs(self) -> dict:
        trail = [
            (settings.SITE_NAME, self.home_url),
            (self.article.section.name, self.section_url),
            (self.article.title, self.url),
        ]
        return {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": position, "name": name, "item": address}
                for position, (name, address) in enumerate(trail, start=1)
            ],
        }
