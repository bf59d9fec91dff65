from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from images.forms import ImageUploadField
from images.html import thumbnail_tag
from images.models import Image

from . import editing, previews, revisions, workflow
from .admin_revisions import RevisionViewsMixin
from .forms import NOTE_FIELD, TRANSITION_FIELD, ArticleAdminForm
from .models import Article, Byline, Section, StatusChange, comment_count

__all__ = ["ArticleAdmin", "ArticleAdminForm", "SectionAdmin"]


class BylineInline(admin.TabularInline):
    """Who signs the article. Only people who may add bylines (Editors) change them."""

    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["author", "position"]


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


class MineListFilter(admin.SimpleListFilter):
    """A reporter's own articles: those they started or sign."""

    title = _("firma")
    parameter_name = "miei"

    def lookups(self, request, model_admin):
        return [("1", _("I miei articoli"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.owned_by(request.user)
        return queryset


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(RevisionViewsMixin, admin.ModelAdmin):
    """
    Saving runs in this order: the form (refused if its version is outdated),
    the article, its tags and bylines, then the workflow move asked for with a
    button, then a new revision. Who may do what is asked of ``workflow``.
    """

    form = ArticleAdminForm
    formfield_overrides = {models.ImageField: {"form_class": ImageUploadField}}
    inlines = [BylineInline]
    autocomplete_fields = ["hero_photo"]
    list_display = [
        "title",
        "status_label",
        "section",
        "byline",
        "published_at",
        "is_published",
        "pending_comments",
        "approved_comments",
    ]
    list_filter = [MineListFilter, StatusListFilter, "section", "authors"]
    list_select_related = ["section"]
    search_fields = ["title", "summary"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    actions = ["close_comments", "open_comments"]
    fieldsets = [
        (_("Testo"), {"fields": ["title", "slug", "summary", "body"]}),
        (
            _("Immagine"),
            {
                "fields": [
                    "hero_preview",
                    "hero_image",
                    "hero_photo",
                    "hero_alt",
                    "hero_caption",
                    "hero_credit",
                ]
            },
        ),
        (_("Argomenti"), {"fields": ["tags", "new_tags"]}),
        (
            _("Pubblicazione"),
            {
                "fields": [
                    "section",
                    "state",
                    "published_at",
                    "updated_at",
                    "correction",
                    "correction_at",
                    "comments_enabled",
                    "language",
                ],
                "description": _(
                    "Lo stato cambia solo con i pulsanti in fondo alla pagina: "
                    "per programmare scrivi qui la data e l'ora, poi premi «Programma»."
                ),
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

    # Who may

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return workflow.can_delete(request.user, obj)

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        return [
            "hero_preview",
            "state",
            "updated_at",
            "correction_at",
            *sorted(workflow.locked_fields(request.user)),
        ]

    @admin.display(description=_("anteprima"))
    def hero_preview(self, obj):
        # The main photo as saved, whether uploaded here or chosen in the library.
        return thumbnail_tag(obj.hero_renditions, 240) or "—"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user  # a class made for this request: see ArticleAdminForm
        return form

    # The list

    def get_queryset(self, request):
        # Bylines and their authors in one extra query for the whole page; the
        # latest move's target tells a sent-back draft from a new one.
        last_move = StatusChange.objects.filter(article=OuterRef("pk")).order_by("-at", "-pk")
        return (
            super()
            .get_queryset(request)
            .with_bylines()
            .annotate(
                last_move_to=Subquery(last_move.values("to_status")[:1]),
                pending_comment_total=comment_count("pending"),
                approved_comment_total=comment_count("approved"),
            )
        )

    def _comments_link(self, obj, status, count):
        """The count, linked to the moderation queue filtered to this article and status."""
        query = urlencode({"article__id__exact": obj.pk, "status": status})
        url = f"{reverse('admin:comments_comment_changelist')}?{query}"
        return format_html('<a href="{}">{}</a>', url, count)

    @admin.display(description=_("commenti in attesa"), ordering="pending_comment_total")
    def pending_comments(self, obj):
        return self._comments_link(obj, "pending", obj.pending_comment_total)

    @admin.display(description=_("commenti approvati"), ordering="approved_comment_total")
    def approved_comments(self, obj):
        return self._comments_link(obj, "approved", obj.approved_comment_total)

    @admin.display(description=_("stato"), ordering="status")
    def status_label(self, obj):
        if obj.is_scheduled:
            return _("Programmato")
        if obj.status == Article.Status.DRAFT and getattr(obj, "last_move_to", None) == "draft":
            return _("Rimandato all'autore")
        return obj.get_status_display()

    @admin.display(description=_("stato"))
    def state(self, obj):
        state = workflow.State.of(obj)
        if state == workflow.State.SCHEDULED:
            when = formats.date_format(timezone.localtime(obj.published_at), "DATETIME_FORMAT")
            return _("Programmato per il %(when)s") % {"when": when}
        return state.label

    @admin.display(description=_("autori"))
    def byline(self, obj):
        return ", ".join(author.name for author in obj.byline_authors)

    @admin.display(description=_("online"), boolean=True)
    def is_published(self, obj):
        return obj.is_published

    def view_on_site(self, obj):
        # Readers' pages answer 404 until the article is public.
        return obj.get_absolute_url() if obj.is_published else None

    # Saving

    def save_model(self, request, obj, form, change):
        workflow.check_changes(request.user, obj, form.changed_data)
        # Only a change to text readers could already see earns "Aggiornato
        # il": last edits made while publishing for the first time do not.
        if change and Article.objects.published().filter(pk=obj.pk).exists():
            obj.note_content_change(form.changed_data)
        elif "correction" in form.changed_data:
            obj.note_content_change(["correction"])
        if form.hero_upload is not None:
            # Every photo uploaded here joins the library, to be chosen again.
            obj.hero_photo = Image.objects.create(
                file=form.hero_upload,
                alt=obj.hero_alt,
                caption=obj.hero_caption,
                credit=obj.hero_credit,
                uploaded_by=request.user,
            )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if not change and not workflow.chooses_bylines(request.user):
            author = getattr(request.user, "author", None)
            if author is not None:
                Byline.objects.get_or_create(article=article, author=author)
        if form.transition is not None:
            # Checked by the form against the article as it was before this save.
            workflow.apply(
                form.transition,
                article,
                by=request.user,
                note=form.note,
                at=form.publication_time,
            )
        revisions.record(article, by=request.user)

    def _after_transition(self, request, obj):
        transition = workflow.TRANSITIONS[request.POST[TRANSITION_FIELD]]
        self.message_user(request, transition.done, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    def response_add(self, request, obj, post_url_continue=None):
        if TRANSITION_FIELD in request.POST:
            return self._after_transition(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if TRANSITION_FIELD in request.POST:
            return self._after_transition(request, obj)
        if "_continue" not in request.POST:
            editing.stop_editing(obj, request.user)
        return super().response_change(request, obj)

    # The change page

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        article = obj or form.instance
        user = request.user
        context.update(
            transitions=workflow.allowed_transitions(user, article),
            transition_field=TRANSITION_FIELD,
            note_field=NOTE_FIELD,
            transition_note=request.POST.get(NOTE_FIELD, ""),
            conflict=getattr(form, "conflict", None),
            status_changes=[],
            editing_now=[],
        )
        if obj is not None:
            context.update(
                status_changes=obj.status_changes.select_related("by"),
                revisions_url=reverse("admin:articles_article_revisions", args=[obj.pk]),
            )
            # The link opens the article to anyone holding it: made and shown
            # only to those who may revoke it, not to every reader of the page.
            if workflow.can_manage_previews(user, obj):
                context.update(
                    preview_url=request.build_absolute_uri(previews.url_for(obj)),
                    preview_expires=previews.expires_at(),
                )
            if self.has_change_permission(request, obj):
                context["editing_now"] = editing.others_editing(obj, user)
                editing.note_editing(obj, user)
                if request.method == "GET":
                    revisions.ensure_baseline(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        return [*self.revision_urls(), *self.preview_urls(), *super().get_urls()]

    def preview_urls(self):
        return [
            path(
                "<path:object_id>/anteprima/revoca/",
                self.admin_site.admin_view(self.revoke_previews_view),
                name="articles_article_revoke_previews",
            )
        ]

    def revoke_previews_view(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if request.method != "POST" or not workflow.can_manage_previews(request.user, article):
            raise PermissionDenied
        article.revoke_previews()
        self.message_user(
            request,
            _("Link di anteprima revocati: quelli dati finora non funzionano più."),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    # Actions

    def _set_comments(self, request, queryset, enabled):
        # Saved one by one, not with update(), so that save signals (page
        # cache invalidation) see every article.
        # A new version and revision each, like any admin save: a form opened
        # before would otherwise silently put the old setting back.
        articles = list(queryset.exclude(comments_enabled=enabled).select_related("section"))
        for article in articles:
            article.comments_enabled = enabled
            article.save(update_fields=["comments_enabled", "modified_at", "version"])
            revisions.record(article, by=request.user)
        return len(articles)

    @admin.action(
        permissions=["publish"], description=_("Chiudi i commenti degli articoli selezionati")
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
        permissions=["publish"], description=_("Apri i commenti degli articoli selezionati")
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
