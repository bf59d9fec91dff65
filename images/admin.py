from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .forms import ImageUploadField, LibraryImageForm
from .html import fallback_url, img_tag, thumbnail_tag
from .models import Image

PICKER_PER_PAGE = 24
# django-prose-editor opens the picker as CKEditor did, naming its callback.
CALLBACK_PARAM = "CKEditorFuncNum"


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    """The photo library: photos uploaded once, then chosen in the body editor."""

    formfield_overrides = {models.ImageField: {"form_class": ImageUploadField}}
    list_display = [
        "thumbnail",
        "alt",
        "caption",
        "credit",
        "use_count",
        "uploaded_at",
        "uploaded_by",
    ]
    list_display_links = ["thumbnail", "alt"]
    search_fields = ["alt", "caption", "credit"]
    # Meta.ordering again, explicitly: the use count's GROUP BY drops it, and the
    # main photo's search (the admin's autocomplete) would page an unordered list.
    ordering = ["-uploaded_at", "-pk"]
    date_hierarchy = "uploaded_at"
    list_select_related = ["uploaded_by"]
    readonly_fields = ["preview", "used_in", "uploaded_at", "uploaded_by"]
    fields = [
        "file",
        "preview",
        "alt",
        "caption",
        "credit",
        "used_in",
        "uploaded_at",
        "uploaded_by",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(use_count=Count("uses", distinct=True) + Count("heroes", distinct=True))
        )

    @admin.display(description=_("usi"), ordering="use_count")
    def use_count(self, obj):
        return obj.use_count

    @admin.display(description=_("usata in"))
    def used_in(self, obj):
        # The articles that show it; while there are any, it cannot be deleted.
        heroes = obj.heroes.order_by("-pk")
        bodies = [
            use.article for use in obj.uses.select_related("article").order_by("-article__pk")
        ]
        links = [
            format_html(
                '<a href="{}">{}</a> ({})',
                reverse("admin:articles_article_change", args=[article.pk]),
                article,
                where,
            )
            for articles, where in ((heroes, _("foto principale")), (bodies, _("nel testo")))
            for article in articles
        ]
        return format_html_join(mark_safe("<br>"), "{}", ((link,) for link in links)) or "—"

    @admin.display(description=_("foto"))
    def thumbnail(self, obj):
        return thumbnail_tag(obj.renditions, 80)

    @admin.display(description=_("anteprima"))
    def preview(self, obj):
        return thumbnail_tag(obj.renditions, 320) or "—"

    def get_readonly_fields(self, request, obj=None):
        # A photo's file never changes: bodies keep the URLs of its renditions.
        if obj is not None:
            return ["file", *self.readonly_fields]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        picker = path(
            "picker/",
            self.admin_site.admin_view(self.picker_view),
            name="images_image_picker",
        )
        return [picker, *super().get_urls()]

    def picker_view(self, request):
        """
        The body editor's "Browse..." window: search the library, upload a
        photo, choose one (``images/static/images/picker.js`` hands it to
        the editor that opened the window).
        """
        if not self.has_view_permission(request):
            raise PermissionDenied
        may_upload = self.has_add_permission(request)
        callback = request.GET.get(CALLBACK_PARAM, "")
        form = None
        if may_upload:
            form = LibraryImageForm(request.POST or None, request.FILES or None)
            if request.method == "POST" and form.is_valid():
                image = form.save(commit=False)
                image.uploaded_by = request.user
                image.save()
                messages.success(request, _("Foto caricata: sceglila qui sotto."))
                return redirect(f"{request.path}?{CALLBACK_PARAM}={callback}")
        elif request.method == "POST":
            raise PermissionDenied
        terms = request.GET.get("q", "").strip()[:200]
        images = Image.objects.search(terms) if terms else Image.objects.all()
        page = Paginator(images, PICKER_PER_PAGE).get_page(request.GET.get("p"))
        choices = [
            {
                "image": image,
                "thumbnail": img_tag(image.renditions, image.alt, sizes="12rem"),
                # What the editor shows while editing; on save the body
                # gets every rendition (images/body.py).
                "url": fallback_url(image.renditions),
            }
            for image in page
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Scegli una foto"),
            "form": form,
            "page": page,
            "choices": choices,
            "terms": terms,
            "callback": callback,
            "callback_param": CALLBACK_PARAM,
            "is_popup": True,
        }
        return TemplateResponse(request, "admin/images/image/picker.html", context)
