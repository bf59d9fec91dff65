from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from images.body import foreign_images

from . import revisions, workflow
from .models import Article

# The names the change form's workflow buttons and note post under.
TRANSITION_FIELD = "_transition"
NOTE_FIELD = "_transition_note"


class ArticleAdminForm(forms.ModelForm):
    """
    The article form of the admin. Besides the fields, it refuses a save made
    from an outdated version (``conflict`` then says what changed meanwhile) and
    checks the workflow move asked for with the buttons (``transition``).
    """

    # Who is saving: set by ArticleAdmin.get_form() on the class it builds for
    # each request.
    user = None

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
    # The version the page was opened at (optimistic locking).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [
            "title", "slug", "summary", "body",
            "hero_image", "hero_photo", "hero_alt", "hero_caption", "hero_credit",
            "tags", "new_tags",
            "section", "published_at", "correction", "comments_enabled", "language",
            "seo_title", "seo_description",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        self.transition = None
        self.hero_upload = None
        if self.instance.pk is not None:
            self.fields["version"].initial = self.instance.version
        elif self.user is not None:
            self.instance.created_by = self.user

    @property
    def note(self) -> str:
        return self.data.get(NOTE_FIELD, "").strip()

    @property
    def publication_time(self):
        """The time a "Programma" button schedules for."""
        if "published_at" in self.fields:
            return self.cleaned_data.get("published_at")
        return self.instance.published_at

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

    def clean_body(self):
        body = self.cleaned_data["body"]
        foreign = foreign_images(body)
        if foreign:
            raise ValidationError(
                _(
                    "Le foto del testo vengono dall'archivio: inseriscile con il pulsante "
                    "della foto, poi «Sfoglia l'archivio…». Non è nell'archivio: %(images)s"
                ),
                params={"images": ", ".join(src or str(_("(senza indirizzo)")) for src in foreign)},
            )
        return body

    def clean(self):
        cleaned_data = super().clean()
        # TaggableManager.save_form_data() accepts Tag objects and names
        # together, reuses a tag whose name already exists and creates the
        # rest: the article gets the union of both fields.
        if "tags" in cleaned_data and cleaned_data.get("new_tags"):
            cleaned_data["tags"] = [*cleaned_data["tags"], *cleaned_data["new_tags"]]
        self._settle_hero(cleaned_data)
        if self.instance.pk is not None:
            self._check_version()
        self._check_workflow()
        return cleaned_data

    def _settle_hero(self, cleaned_data):
        """
        One main photo: uploaded here (into the library) or chosen there. A new
        upload or "Svuota" lets go of the photo chosen before, and taking it away
        leaves none; a photo just chosen brings its words, where the editor has
        not written their own in this save.
        """
        if "hero_image" not in cleaned_data or "hero_photo" not in cleaned_data:
            return
        uploaded = "hero_image" in self.changed_data and bool(cleaned_data["hero_image"])
        cleared = cleaned_data["hero_image"] is False
        photo = cleaned_data["hero_photo"]
        if uploaded and photo is not None and "hero_photo" in self.changed_data:
            self.add_error(
                "hero_photo",
                _(
                    "Hai caricato una foto e ne hai scelta una dall'archivio: tieni l'una o "
                    "l'altra."
                ),
            )
        elif uploaded or cleared:
            cleaned_data["hero_photo"] = None
            # Joins the library when the article is saved (ArticleAdmin.save_model).
            self.hero_upload = cleaned_data["hero_image"] if uploaded else None
        elif photo is None and "hero_photo" in self.changed_data:
            # The library's photo taken away: no main photo any more.
            cleaned_data["hero_image"] = False
        elif photo is not None and "hero_photo" in self.changed_data:
            for name, value in (
                ("hero_alt", photo.alt),
                ("hero_caption", photo.caption),
                ("hero_credit", photo.credit),
            ):
                if name not in self.changed_data:
                    cleaned_data[name] = value

    def _check_version(self):
        """Refuse a save from a version older than the stored one, keeping what was typed."""
        sent = self.cleaned_data.get("version")
        # The row stays locked until the admin's transaction ends (PostgreSQL),
        # so two simultaneous saves from the same version cannot both pass.
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if sent is None:
            self.add_error(
                None,
                _("Il modulo non dice da quale versione parte: ricarica la pagina dell'articolo."),
            )
        elif sent != current:
            stored = Article.objects.select_related("section").get(pk=self.instance.pk)
            self.conflict = revisions.changes_since(stored, sent)
            # Saving again from this page now replaces their version on purpose.
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = str(current)
            self.add_error(None, self._conflict_message())

    def _conflict_message(self):
        conflict = self.conflict
        message = _(
            "Non salvato: %(names)s ha salvato questo articolo mentre lo modificavi "
            "(alle %(time)s). Il tuo testo non è andato perso: è ancora qui sotto."
        ) % {
            "names": ", ".join(conflict.names),
            "time": formats.time_format(timezone.localtime(conflict.last_saved_at), "H:i"),
        }
        if conflict.changes:
            message += " " + _("Cambiato nel frattempo: %(fields)s.") % {
                "fields": ", ".join(str(change.label) for change in conflict.changes)
            }
        message += " " + _(
            "Confronta, poi salva di nuovo per sostituire la loro versione con la tua."
        )
        return ValidationError(message, code="stale_version")

    def _check_workflow(self):
        user, article = self.user, self.instance
        name = self.data.get(TRANSITION_FIELD)
        try:
            if name:
                # PermissionDenied (a move never offered) is not caught: 403.
                self.transition = workflow.check(
                    user, article, name, note=self.note, at=self.publication_time
                )
            elif "published_at" in self.cleaned_data and article.pk is not None:
                workflow.check_published_at(user, article, self.cleaned_data["published_at"])
        except ValidationError as error:
            self.add_error(None, error)
