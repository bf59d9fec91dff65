"""
Sitemaps of the public pages the articles app serves: articles, sections, tags,
authors, and a Google News sitemap of the last two days' articles. Each starts
from ``Article.objects.published()``; ``newsroom/sitemaps.py`` composes them.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from authors.models import Author

from .models import Article, Section

# Google News takes articles published in the last two days, at most 1,000.
NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


def latest_publication():
    """When the newest published article came out (one query)."""
    return Article.objects.published().aggregate(latest=Max("published_at"))["latest"]


class PagedSitemap(Sitemap):
    @property
    def limit(self):
        return settings.SITEMAP_PAGE_SIZE

    def get_latest_lastmod(self):
        # For the index: the default loads every item to find the newest date.
        # A new article is what changes a section's, tag's or author's page.
        return latest_publication()


class ArticleSitemap(PagedSitemap):
    def items(self):
        # Oldest first, so that a new article changes only the last page.
        return (
            Article.objects.published()
            .select_related("section")
            .only("slug", "published_at", "updated_at", "section__slug")
            .order_by("published_at", "pk")
        )

    def lastmod(self, article):
        return article.updated_at or article.published_at

    def get_latest_lastmod(self):
        # One aggregate, where the default would load every article.
        return Article.objects.published().aggregate(
            latest=Max(Coalesce("updated_at", "published_at"))
        )["latest"]


class SectionSitemap(PagedSitemap):
    def items(self):
        newest = (
            Article.objects.published()
            .filter(section=OuterRef("pk"))
            .order_by("-published_at")
            .values("published_at")[:1]
        )
        return Section.objects.annotate(latest=Subquery(newest)).order_by("order", "name", "pk")

    def lastmod(self, section):
        return section.latest


class TagSitemap(PagedSitemap):
    """Tags of at least one published article: other tag pages are empty."""

    def items(self):
        return (
            Tag.objects.filter(article__in=Article.objects.published())
            # After the filter, the maximum only counts published articles.
            .annotate(latest=Max("article__published_at"))
            .order_by("name", "pk")
        )

    def location(self, tag):
        return reverse("articles:tag", kwargs={"slug": tag.slug})

    def lastmod(self, tag):
        return tag.latest


class AuthorSitemap(PagedSitemap):
    """Authors of at least one published article."""

    def items(self):
        return (
            Author.objects.filter(bylines__article__in=Article.objects.published())
            .annotate(latest=Max("bylines__article__published_at"))
            .only("slug")
            .order_by("name", "pk")
        )

    def lastmod(self, author):
        return author.latest


class NewsSitemap(Sitemap):
    """Google News: the last 48 hours' articles, newest first, rendered by ``sitemaps/news.xml``."""

    limit = NEWS_LIMIT

    def items(self):
        return (
            Article.objects.published()
            .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
            .select_related("section")
            .only("title", "slug", "language", "published_at", "updated_at", "section__slug")
            .latest_first()[:NEWS_LIMIT]
        )

    def lastmod(self, article):
        return article.updated_at or article.published_at

    def get_urls(self, *args, **kwargs):
        # The sitemap view gives the template nothing but the URLs: the
        # publication's name travels with each of them.
        urls = super().get_urls(*args, **kwargs)
        for url in urls:
            url["publication_name"] = settings.PUBLISHER_NAME
        return urls
