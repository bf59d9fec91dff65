"""The site's addresses under /edizione/, for tests of links that follow the URLconf."""

from django.urls import include, path

urlpatterns = [path("edizione/", include("newsroom.urls"))]
