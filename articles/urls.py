from django.urls import path, register_converter

from . import feeds, views
from .converters import TagSlugConverter

register_converter(TagSlugConverter, "tag")

app_name = "articles"

urlpatterns = [
    # Feeds live under /feed/, a reserved section slug, so that no section or
    # article URL can ever take one of their addresses.
    path("feed/", feeds.ArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.ArticlesAtomFeed(), name="feed_atom"),
    path("feed/sezioni/<slug:slug>/", feeds.SectionFeed(), name="section_feed"),
    path("feed/sezioni/<slug:slug>/atom/", feeds.SectionAtomFeed(), name="section_feed_atom"),
    path("feed/tag/<tag:slug>/", feeds.TagFeed(), name="tag_feed"),
    path("feed/tag/<tag:slug>/atom/", feeds.TagAtomFeed(), name="tag_feed_atom"),
    path("feed/autori/<slug:slug>/", feeds.AuthorFeed(), name="author_feed"),
    path("feed/autori/<slug:slug>/atom/", feeds.AuthorAtomFeed(), name="author_feed_atom"),
    # "anteprima" is a reserved section slug: no section can shadow this.
    path("anteprima/<str:token>/", views.ArticlePreviewView.as_view(), name="preview"),
    path("autori/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("tag/<tag:slug>/", views.TagView.as_view(), name="tag"),
    path("<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("<slug:section>/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
]
