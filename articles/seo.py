"""
What search engines and social networks read in an article page's head: the
JSON-LD ``NewsArticle`` and ``BreadcrumbList``, OpenGraph and Twitter cards
(called by the reader pages, jinja2/), and ``iso`` dates.

Everything comes from the article as the page loaded it (section, bylines and
tags are already fetched) and from settings: no query, no file access.
"""

import json

from django.conf import settings
from django.core.files.storage import default_storage
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

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


def renditions(article, request) -> list[dict]:
    """The hero image's renditions, largest first, with absolute URLs."""
    sizes = (article.hero_renditions or {}).get("sizes") or []
    return [
        {
            "url": request.build_absolute_uri(default_storage.url(size["name"])),
            "width": size["width"],
            "height": size["height"],
        }
        for size in reversed(sizes)
    ]


def logo(request) -> dict:
    return {
        "url": request.build_absolute_uri(static(settings.SITE_LOGO)),
        "width": settings.SITE_LOGO_WIDTH,
        "height": settings.SITE_LOGO_HEIGHT,
    }


def publisher(request) -> dict:
    image = logo(request)
    return {
        "@type": "Organization",
        "name": settings.PUBLISHER_NAME,
        "url": request.build_absolute_uri(reverse("home")),
        "logo": {"@type": "ImageObject", **image},
    }


def news_article(article, authors, tags, request) -> dict:
    url = request.build_absolute_uri(article.get_absolute_url())
    authors = [
        {
            "@type": "Person",
            "name": author.name,
            "url": request.build_absolute_uri(author.get_absolute_url()),
        }
        for author in authors
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": Truncator(article.title).chars(HEADLINE_MAX_CHARACTERS),
        "description": article.meta_description,
        "image": [image["url"] for image in renditions(article, request)],
        "datePublished": iso(article.published_at),
        "dateModified": iso(article.updated_at or article.published_at),
        # Without a byline the newsroom itself signs the article.
        "author": authors or [publisher(request)],
        "publisher": publisher(request),
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in tags],
        "inLanguage": article.language,
    }
    return {key: value for key, value in data.items() if value not in ("", [])}


def breadcrumbs(article, request) -> dict:
    trail = [
        (settings.SITE_NAME, reverse("home")),
        (article.section.name, article.section.get_absolute_url()),
        (article.title, article.get_absolute_url()),
    ]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": request.build_absolute_uri(url),
            }
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def structured_data(request, article, authors, tags) -> SafeString:
    """``NewsArticle`` and ``BreadcrumbList`` as JSON-LD, for a published article."""
    return json_ld(news_article(article, authors, tags, request)) + json_ld(
        breadcrumbs(article, request)
    )


def social_meta(request, article, authors, tags) -> dict:
    """What jinja2/articles/social_meta.html prints: OpenGraph and Twitter card tags."""
    images = renditions(article, request)
    image = images[0] if images else logo(request)
    return {
        "site_name": settings.SITE_NAME,
        "twitter_site": settings.TWITTER_SITE,
        "locale": OG_LOCALES.get(article.language, article.language),
        "title": article.seo_title or article.title,
        "description": article.meta_description,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "image": image,
        "image_alt": article.hero_alt if images else settings.SITE_NAME,
        "large_image": bool(images),
        "published": iso(article.published_at),
        "modified": iso(article.updated_at or article.published_at),
        "authors": [request.build_absolute_uri(author.get_absolute_url()) for author in authors],
        "section": article.section.name,
        "tags": [tag.name for tag in tags],
    }
