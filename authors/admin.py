from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from images.forms import ImageUploadField
from images.html import thumbnail_tag

from .models import Author


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    formfield_overrides = {
        models.ImageField: {"form_class": ImageUploadField},
        models.URLField: {"assume_scheme": "https"},
    }
    list_display = ["name", "photo_thumbnail", "role", "article_count"]
    # Also what the byline autocomplete of the article form searches.
    search_fields = ["name"]
    # Explicit because Meta.ordering is dropped from the annotated (GROUP BY)
    # queryset below, and the byline autocomplete pages through it.
    ordering = ["name", "pk"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    readonly_fields = ["photo_preview"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "role", "bio", "website"]}),
        (_("Foto"), {"fields": ["photo", "photo_preview"]}),
        (
            _("Riservato alla redazione"),
            {
                "fields": ["email", "user"],
                "description": _("Questi dati non compaiono mai sul sito."),
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("bylines"))

    @admin.display(description=_("articoli"), ordering="article_count")
    def article_count(self, obj):
        return obj.article_count

    @admin.display(description=_("foto"))
    def photo_thumbnail(self, obj):
        return thumbnail_tag(obj.photo_renditions, 48)

    @admin.display(description=_("foto attuale"))
    def photo_preview(self, obj):
        return thumbnail_tag(obj.photo_renditions, 200) or _("Nessuna foto.")
