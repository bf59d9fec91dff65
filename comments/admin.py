"""
The moderation queue. Moderators decide here; the rules that decided first
live in ``moderation.py`` and are not repeated.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Case, Count, IntegerField, Value, When
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .models import Comment, EmailConfirmation, ModerationWord


class StatusFilter(admin.SimpleListFilter):
    """The statuses with how many comments each has: "In attesa (5)"."""

    title = _("stato")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        counts = dict(Comment.objects.order_by().values_list("status").annotate(count=Count("pk")))
        return [
            (status.value, f"{status.label} ({counts.get(status.value, 0)})")
            for status in Comment.Status
        ]

    def queryset(self, request, queryset):
        if self.value() in Comment.Status.values:
            return queryset.filter(status=self.value())
        return queryset


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    # The decision next to the text, within sight without scrolling sideways.
    list_display = [
        "excerpt_column",
        "row_actions",
        "article_column",
        "status",
        "moderation_reason",
        "written",
        "report_count",
        "ip",
    ]
    list_display_links = ["excerpt_column"]
    list_filter = [StatusFilter]
    show_facets = admin.ShowFacets.NEVER  # the status filter always shows its counts
    list_select_related = ["article__section"]
    search_fields = ["name", "email", "body", "ip"]
    date_hierarchy = "created_at"
    list_per_page = 50
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["approve_selected", "reject_selected", "mark_selected_as_spam", "delete_selected"]
    fields = [
        "article",
        "parent",
        "name",
        "email",
        "website",
        "body",
        "status",
        "moderation_reason",
        "moderated_by",
        "moderated_at",
        "created_at",
        "ip",
        "user_agent",
    ]
    readonly_fields = [
        "article",
        "parent",
        "email",
        "moderation_reason",
        "moderated_by",
        "moderated_at",
        "created_at",
        "ip",
        "user_agent",
    ]

    def get_queryset(self, request):
        # The report count in the same query as the page.
        return super().get_queryset(request).annotate(report_total=Count("reports"))

    def get_ordering(self, request):
        # The queue: pending first, then newest first.
        pending_first = Case(
            When(status=Comment.Status.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return [pending_first.asc(), "-created_at", "-pk"]

    def has_add_permission(self, request):
        # Comments come from readers only.
        return False

    @admin.display(description=_("commento"))
    def excerpt_column(self, obj):
        return format_html("<strong>{}</strong>: {}", obj.name, obj.excerpt)

    @admin.display(description=_("articolo"), ordering="article__title")
    def article_column(self, obj):
        return format_html('<a href="{}">{}</a>', obj.article.get_absolute_url(), obj.article)

    @admin.display(description=_("scritto il"), ordering="created_at")
    def written(self, obj):
        # "2 dic 2026, 14:30": the admin's full format ("mercoledì 02
        # dicembre 2026 14:30") took the width the buttons need.
        return date_format(localtime(obj.created_at), "j b Y, H:i")

    @admin.display(description=_("segnalazioni"), ordering="report_total")
    def report_count(self, obj):
        return obj.report_total or ""

    @admin.display(description=_("decidi"))
    def row_actions(self, obj):
        # Buttons of the change list's own form, sent to a URL of their own:
        # one click, the list's CSRF token, no JavaScript.
        buttons = []
        if obj.status != Comment.Status.APPROVED:
            buttons.append((_("Approva"), "approve"))
        if obj.status != Comment.Status.REJECTED:
            buttons.append((_("Rifiuta"), "reject"))
        return format_html_join(
            "",
            '<button type="submit" class="button" formaction="{}" formnovalidate>{}</button> ',
            (
                (reverse(f"admin:comments_comment_{name}", args=[obj.pk]), label)
                for label, name in buttons
            ),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/approva/",
                self.admin_site.admin_view(self.one_click_view(Comment.Status.APPROVED)),
                name="comments_comment_approve",
            ),
            path(
                "<int:pk>/rifiuta/",
                self.admin_site.admin_view(self.one_click_view(Comment.Status.REJECTED)),
                name="comments_comment_reject",
            ),
            *super().get_urls(),
        ]

    def one_click_view(self, status):
        @require_POST
        def view(request, pk):
            comment = get_object_or_404(Comment, pk=pk)
            if not self.has_change_permission(request, comment):
                raise PermissionDenied
            comment.moderate(status, by=request.user)
            self.message_user(
                request,
                _("Commento di %(name)s: %(status)s.")
                % {"name": comment.name, "status": Comment.Status(status).label.lower()},
            )
            return HttpResponseRedirect(self.back_to_list(request))

        return view

    def back_to_list(self, request) -> str:
        """The list as the moderator left it (filters, page), if it is this site's."""
        referer = request.META.get("HTTP_REFERER", "")
        if referer and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return referer
        return reverse("admin:comments_comment_changelist")

    def _moderate(self, request, queryset, status, message):
        # One by one, not update(): saves reach whatever listens to them
        # (page cache invalidation), and approving clears old reports.
        comments = list(queryset.exclude(status=status))
        for comment in comments:
            comment.moderate(status, by=request.user)
        self.message_user(request, message(len(comments)) % {"count": len(comments)})

    @admin.action(permissions=["change"], description=_("Approva i commenti selezionati"))
    def approve_selected(self, request, queryset):
        self._moderate(
            request,
            queryset,
            Comment.Status.APPROVED,
            lambda n: ngettext("%(count)d commento approvato.", "%(count)d commenti approvati.", n),
        )

    @admin.action(permissions=["change"], description=_("Rifiuta i commenti selezionati"))
    def reject_selected(self, request, queryset):
        self._moderate(
            request,
            queryset,
            Comment.Status.REJECTED,
            lambda n: ngettext("%(count)d commento rifiutato.", "%(count)d commenti rifiutati.", n),
        )

    @admin.action(permissions=["change"], description=_("Segna come spam i commenti selezionati"))
    def mark_selected_as_spam(self, request, queryset):
        self._moderate(
            request,
            queryset,
            Comment.Status.SPAM,
            lambda n: ngettext(
                "%(count)d commento segnato come spam.", "%(count)d commenti segnati come spam.", n
            ),
        )

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            obj.moderate(obj.status, by=request.user, save=False)
        super().save_model(request, obj, form, change)


@admin.register(ModerationWord)
class ModerationWordAdmin(admin.ModelAdmin):
    list_display = ["word", "action", "note"]
    list_filter = ["action"]
    search_fields = ["word", "note"]


@admin.register(EmailConfirmation)
class EmailConfirmationAdmin(admin.ModelAdmin):
    """
    Read-only: addresses are confirmed by their owners, and only deleted here,
    or disowned from every browser they were proven in (rule 2 holds their
    comments until the owner proves a browser again from the mailbox).
    """

    list_display = ["email", "sent_at", "confirmed_at"]
    search_fields = ["email"]
    readonly_fields = ["email", "sent_at", "confirmed_at"]
    actions = ["revoke_browsers"]

    @admin.action(description=_("Revoca la fiducia nei browser degli indirizzi selezionati"))
    def revoke_browsers(self, request, queryset):
        for record in queryset:
            record.revoke_browsers()
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Browser revocati per %(count)d indirizzo.",
                "Browser revocati per %(count)d indirizzi.",
                count,
            )
            % {"count": count},
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
