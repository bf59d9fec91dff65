from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from django.views.static import serve

from . import views

admin.site.site_header = admin.site.site_title = f"{settings.SITE_NAME} · Redazione"
admin.site.index_title = "Redazione"

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    # Exempt so that reader pages carry no CSRF token and no cookie, and stay
    # cacheable; a forged request could only switch someone's UI language.
    path("lingua/", csrf_exempt(set_language), name="set_language"),
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
