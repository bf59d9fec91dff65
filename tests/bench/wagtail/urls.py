"""The project template's URLs, less the Django admin, documents and search."""

from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    # Last: every other path is a page of the tree.
    path("", include(wagtail_urls)),
]
