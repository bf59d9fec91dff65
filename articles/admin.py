from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.models import Tag

from images.forms import ImageUploadField

from .models import Article, Byline, Section


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["author", "position"]


class ArticleAdminForm(forms.ModelForm):
    # taggit's own field is a comma-separated text box, which neither
    # suggests existing tags nor works with ``autocomplete_fields``. Choosing
    # Tag objects through the admin's autocomplete view keeps the spelling of
    # existing tags; ``new_tags`` is the one way to coin a tag.
    tags = forms.ModelMultipleChoiceField(
        label=_("Tag"),
        queryset=Tag.objects.all(),
        required=False,
        widget=AutocompleteSelectMultiple(Article._meta.get_field("tags"), admin.site),
        help_text=_("Argomenti, persone, luoghi: scrivi per cercare tra i tag esistenti."),
    )
    new_tags = forms.CharField(
        label=_("Nuovi tag"),
        required=False,
        max_length=500,
        help_text=_(
            "Solo per tag che non esistono ancora, separati da virgole: "
            "Intelligenza artificiale, Bologna."
        ),
    )

    class Meta:
        model = Article
        fields = [
            "title", "slug", "summary", "body",
            "hero_image", "hero_alt", "hero_caption", "hero_credit",
            "tags", "new_tags",
            "section", "status", "published_at", "comments_enabled", "language",
            "seo_title", "seo_description",
        ]  # fmt: skip

    def clean_new_tags(self):
        max_length = Tag._meta.get_field("name").max_length
        names = []
        # Commas only: a tag such as "Intelligenza artificiale" has spaces.
        for name in self.cleaned_data["new_tags"].split(","):
            name = " ".join(name.split())
            if not name or name in names:
                continue
            if len(name) > max_length:
                raise forms.ValidationError(
                    _("“%(name)s” è troppo lungo: un tag ha al massimo %(max)s caratteri."),
                    params={"name": name, "max": max_length},
                )
            names.append(name)
        return names

    def clean(self):
        cleaned_data = super().clean()
        # TaggableManager.save_form_data() accepts Tag objects and names
        # together, reuses a tag whose name already exists and creates the
        # rest: the article gets the union of both fields.
        if "tags" in cleaned_data and cleaned_data.get("new_tags"):
            cleaned_data["tags"] = [*cleaned_data["tags"], *cleaned_data["new_tags"]]
        return cleaned_data


class StatusListFilter(admin.SimpleListFilter):
    """The stored statuses, with "published" split into live and scheduled."""

    title = _("stato")
    parameter_name = "stato"

    SCHEDULED = "scheduled"

    def lookups(self, request, model_admin):
        return [
            (Article.Status.DRAFT, Article.Status.DRAFT.label),
            (Article.Status.REVIEW, Article.Status.REVIEW.label),
            (self.SCHEDULED, _("Programmato")),
            (Article.Status.PUBLISHED, _("Pubblicato (online)")),
            (Article.Status.UNPUBLISHED, Article.Status.UNPUBLISHED.label),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.SCHEDULED:
            return queryset.scheduled()
        if value == Article.Status.PUBLISHED:
            return queryset.published()
        if value in Article.Status.values:
            return queryset.filter(status=value)
        return queryset


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    formfield_overrides = {models.ImageField: {"form_class": ImageUploadField}}
    inlines = [BylineInline]
    list_display = ["title", "status_label", "section", "byline", "published_at", "is_published"]
    list_filter = [StatusListFilter, "section", "authors"]
    list_select_related = ["section"]
    search_fields = ["title", "summary"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["updated_at"]
    actions = ["close_comments", "open_comments"]
    fieldsets = [
        (_("Testo"), {"fields": ["title", "slug", "summary", "body"]}),
        (_("Immagine"), {"fields": ["hero_image", "hero_alt", "hero_caption", "hero_credit"]}),
        (_("Argomenti"), {"fields": ["tags", "new_tags"]}),
        (
            _("Pubblicazione"),
            {
                "fields": [
                    "section",
                    "status",
                    "published_at",
                    "updated_at",
                    "comments_enabled",
                    "language",
                ]
            },
        ),
        (
            _("Motori di ricerca"),
            {
                "classes": ["collapse"],
                "fields": ["seo_title", "seo_description"],
                "description": _("Facoltativi: servono solo a cambiare ciò che mostra Google."),
            },
        ),
    ]

    def get_queryset(self, request):
        # Bylines and their authors in one extra query for the whole page.
        return super().get_queryset(request).with_bylines()

    @admin.display(description=_("stato"), ordering="status")
    def status_label(self, obj):
        if obj.is_scheduled:
            return _("Programmato")
        return obj.get_status_display()

    @admin.display(description=_("autori"))
    def byline(self, obj):
        return ", ".join(author.name for author in obj.byline_authors)

    @admin.display(description=_("online"), boolean=True)
    def is_published(self, obj):
        return obj.is_published

    def view_on_site(self, obj):
        # Readers' pages answer 404 until the article is public.
        return obj.get_absolute_url() if obj.is_published else None

    def save_model(self, request, obj, form, change):
        # Only a change to text readers could already see earns "Aggiornato
        # il": last edits made while publishing for the first time do not.
        if change and Article.objects.published().filter(pk=obj.pk).exists():
            obj.note_content_change(form.changed_data)
        super().save_model(request, obj, form, change)

    def _set_comments(self, request, queryset, enabled):
        # Saved one by one, not with update(), so that save signals (page
        # cache invalidation) see every article.
        articles = list(queryset.exclude(comments_enabled=enabled))
        for article in articles:
            article.comments_enabled = enabled
            article.save(update_fields=["comments_enabled", "modified_at"])
        return len(articles)

    @admin.action(
        permissions=["change"], description=_("Chiudi i commenti degli articoli selezionati")
    )
    def close_comments(self, request, queryset):
        count = self._set_comments(request, queryset, enabled=False)
        self.message_user(
            request,
            ngettext(
                "Commenti chiusi su %(count)d articolo.",
                "Commenti chiusi su %(count)d articoli.",
                count,
            )
            % {"count": count},
        )

    @admin.action(
        permissions=["change"], description=_("Apri i commenti degli articoli selezionati")
    )
    def open_comments(self, request, queryset):
        count = self._set_comments(request, queryset, enabled=True)
        self.message_user(
            request,
            ngettext(
                "Commenti aperti su %(count)d articolo.",
                "Commenti aperti su %(count)d articoli.",
                count,
            )
            % {"count": count},
        )
