"""The site's sitemaps, composed from the apps' own, as served at /sitemap.xml."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.sitemaps import (
    ArticleSitemap,
    AuthorSitemap,
    NewsSitemap,
    SectionSitemap,
    TagSitemap,
    latest_publication,
)


class HomeSitemap(Sitemap):
    def items(self):
        return ["home"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return latest_publication()

    def get_latest_lastmod(self):
        return latest_publication()


# The index at /sitemap.xml lists one sitemap per key, at /sitemap-<key>.xml.
SITEMAPS = {
    "pagine": HomeSitemap,
    "sezioni": SectionSitemap,
    "articoli": ArticleSitemap,
    "tag": TagSitemap,
    "autori": AuthorSitemap,
}

# Google News reads its own sitemap, listed in robots.txt beside the index.
NEWS_SITEMAPS = {"news": NewsSitemap}
