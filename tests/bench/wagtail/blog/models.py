"""
The blog of Wagtail's tutorial, "Your first Wagtail site", as it ends: the
models are the tutorial's, field for field, so the page measured is the page
a Wagtail developer would write first.
"""

from django import forms
from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet


class HomePage(Page):
    """The site's root as `wagtail start` makes it (its home app, here): routing
    a request starts from its specific page, one query that a plain Page root
    would not cost."""


class BlogIndexPage(Page):
    intro = RichTextField(blank=True)

    content_panels = [*Page.content_panels, "intro"]

    def get_context(self, request):
        context = super().get_context(request)
        context["blogpages"] = self.get_children().live().order_by("-first_published_at")
        return context


class BlogPageTag(TaggedItemBase):
    content_object = ParentalKey("BlogPage", related_name="tagged_items", on_delete=models.CASCADE)


class BlogPage(Page):
    date = models.DateField("Post date")
    intro = models.CharField(max_length=250)
    body = RichTextField(blank=True)
    authors = ParentalManyToManyField("blog.Author", blank=True)
    tags = ClusterTaggableManager(through=BlogPageTag, blank=True)

    def main_image(self):
        gallery_item = self.gallery_images.first()
        return gallery_item.image if gallery_item else None

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("date"),
                FieldPanel("authors", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
            ],
            heading="Blog information",
        ),
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("gallery_images", label="Gallery images"),
    ]


class BlogPageGalleryImage(Orderable):
    page = ParentalKey(BlogPage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")
    caption = models.CharField(blank=True, max_length=250)

    panels = ["image", "caption"]


@register_snippet
class Author(models.Model):
    name = models.CharField(max_length=255)
    author_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = ["name", "author_image"]

    class Meta:
        verbose_name_plural = "Authors"

    def __str__(self):
        return self.name


class BlogTagIndexPage(Page):
    """The page the tutorial's tag links point to (slug "tags")."""

    def get_context(self, request):
        context = super().get_context(request)
        context["blogpages"] = BlogPage.objects.filter(tags__name=request.GET.get("tag"))
        return context
