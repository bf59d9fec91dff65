"""
The article admin's revision pages: the list of revisions, two of them side
by side, and restoring one. A mixin of ``ArticleAdmin`` (see admin.py).
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from . import revisions, workflow
from .models import Revision


class RevisionViewsMixin:
    def revision_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/revisioni/",
                view(self.revisions_view),
                name="articles_article_revisions",
            ),
            path(
                "<path:object_id>/revisioni/confronta/",
                view(self.compare_revisions_view),
                name="articles_article_compare_revisions",
            ),
            path(
                "<path:object_id>/revisioni/<int:revision_id>/ripristina/",
                view(self.restore_revision_view),
                name="articles_article_restore_revision",
            ),
        ]

    def _article_or_404(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def _render(self, request, template, article, title, **context):
        return TemplateResponse(
            request,
            f"admin/articles/article/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": article,
                "title": title,
                "change_url": reverse("admin:articles_article_change", args=[article.pk]),
                "revisions_url": reverse("admin:articles_article_revisions", args=[article.pk]),
                **context,
            },
        )

    def revisions_view(self, request, object_id):
        """Every revision of the article, newest first, with who saved it."""
        article = self._article_or_404(request, object_id)
        items = list(article.revisions.select_related("created_by", "restored_from"))
        return self._render(
            request,
            "revisions.html",
            article,
            _("Revisioni di “%(title)s”") % {"title": article.title},
            revisions=items,
            can_restore=workflow.can_edit(request.user, article),
        )

    def compare_revisions_view(self, request, object_id):
        """Two revisions (``da`` and ``a`` in the query string) side by side."""
        article = self._article_or_404(request, object_id)
        ids = {}
        for name in ("da", "a"):
            try:
                ids[name] = int(request.GET.get(name, ""))
            except ValueError:
                return HttpResponseRedirect(
                    reverse("admin:articles_article_revisions", args=[article.pk])
                )
        old = get_object_or_404(article.revisions.select_related("created_by"), pk=ids["da"])
        new = get_object_or_404(article.revisions.select_related("created_by"), pk=ids["a"])
        return self._render(
            request,
            "compare_revisions.html",
            article,
            _("Confronto tra due revisioni di “%(title)s”") % {"title": article.title},
            old=old,
            new=new,
            old_by=revisions.display_name(old.created_by),
            new_by=revisions.display_name(new.created_by),
            changes=revisions.compare(old.data, new.data),
            can_restore=workflow.can_edit(request.user, article),
        )

    def restore_revision_view(self, request, object_id, revision_id):
        """POST only: make ``revision`` the article's content again, as a new revision."""
        article = self._article_or_404(request, object_id)
        if request.method != "POST" or not workflow.can_edit(request.user, article):
            raise PermissionDenied
        revision = get_object_or_404(Revision, pk=revision_id, article=article)
        revisions.restore(revision, by=request.user)
        when = formats.date_format(timezone.localtime(revision.created_at), "DATETIME_FORMAT")
        self.message_user(
            request,
            _(
                "Ripristinata la revisione del %(when)s: ora è la più recente, "
                "e quelle successive restano nella cronologia."
            )
            % {"when": when},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
