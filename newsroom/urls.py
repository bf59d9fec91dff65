from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from django.views.static import serve

import cachetags
from comments import views as comments_views

from . import views
from .sitemaps import NEWS_SITEMAPS, SITEMAPS

# A database that cannot be reached answers 503 (newsroom/unavailable.py).
handler500 = "newsroom.unavailable.server_error"

admin.site.site_header = admin.site.site_title = f"{settings.SITE_NAME} · Redazione"
admin.site.index_title = "Redazione"

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    # Exempt so that reader pages carry no CSRF token and no cookie, and stay
    # cacheable; a forged request could only switch someone's UI language.
    path("lingua/", csrf_exempt(set_language), name="set_language"),
    # Search, sitemaps and robots.txt: before the articles' catch-all patterns.
    path("cerca/", views.search, name="search"),
    path("robots.txt", views.robots, name="robots"),
    path(
        "sitemap.xml",
        cachetags.standing_for(cachetags.SITEMAP)(sitemap_views.index),
        {
            "sitemaps": SITEMAPS,
            "sitemap_url_name": "sitemap_section",
            "template_name": "sitemaps/index.xml",
        },
        name="sitemap",
    ),
    path(
        "sitemap-news.xml",
        cachetags.standing_for(cachetags.SITEMAP)(sitemap_views.sitemap),
        {"sitemaps": NEWS_SITEMAPS, "section": "news", "template_name": "sitemaps/news.xml"},
        name="news_sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        cachetags.standing_for(cachetags.SITEMAP)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS, "template_name": "sitemaps/sitemap.xml"},
        name="sitemap_section",
    ),
    path("commenti/", include("comments.urls")),
    path("privacy/", comments_views.privacy, name="privacy"),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    # In production media is served by the web server or object storage.
    urlpatterns.insert(
        0,
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        ),
    )
