from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from authors.models import Author

from . import previews
from .models import Article, Section
from .seo import Head


class PublishedArticlesMixin:
    """Every reader view starts from ``Article.objects.published()``."""

    paginate_by = settings.ARTICLES_PER_PAGE

    def published_articles(self):
        return Article.objects.published().latest_first()


class ArticlePageMixin:
    """
    The article page's context: authors and tags read once, for every part of
    the page, and what its head tells search engines and social networks.
    """

    context_object_name = "article"

    def get_context_data(self, **kwargs):
        authors, tags = self.object.page_credits()
        head = Head(self.request, self.object, authors, tags)
        return super().get_context_data(authors=authors, tags=tags, head=head, **kwargs)


class ArticleDetailView(PublishedArticlesMixin, ArticlePageMixin, DetailView):
    template_name = "articles/article_detail.html"

    def get_queryset(self):
        return self.published_articles().for_page()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.section.slug != kwargs["section"]:
            # The section moved: keep old links working, with one canonical URL.
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))


class SectionView(PublishedArticlesMixin, ListView):
    template_name = "articles/section.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return self.published_articles().in_section(self.section).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class TagView(PublishedArticlesMixin, ListView):
    template_name = "articles/tag.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return self.published_articles().tagged(self.tag).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorView(PublishedArticlesMixin, ListView):
    """An author's photo and bio, then their published articles."""

    template_name = "articles/author.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return self.published_articles().by_author(self.author).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class ArticlePreviewView(ArticlePageMixin, DetailView):
    """
    A shareable preview link (see ``articles/previews.py``): the article as
    readers will see it, whatever its state, for anyone holding the link. Never
    indexed, never cached; a bad or old link gets a friendly page, not an error.
    """

    template_name = "articles/article_preview.html"

    def get(self, request, *args, **kwargs):
        try:
            self.object = previews.article_for(kwargs["token"])
        except previews.LinkExpired:
            response = render(request, "articles/preview_unavailable.html", status=410)
        except previews.LinkInvalid:
            response = render(
                request, "articles/preview_unavailable.html", {"invalid": True}, status=404
            )
        else:
            response = self.render_to_response(self.get_context_data(object=self.object))
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        # The link is the key: keep it out of Referer headers sent to other sites.
        response.headers["Referrer-Policy"] = "no-referrer"
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
        return response
