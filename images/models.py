from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .renditions import refresh_renditions
from .validators import validate_image


class ImageQuerySet(models.QuerySet):
    def search(self, terms: str):
        query = models.Q()
        for term in terms.split():
            query &= (
                models.Q(alt__icontains=term)
                | models.Q(caption__icontains=term)
                | models.Q(credit__icontains=term)
            )
        return self.filter(query)


class Image(models.Model):
    """
    A photo of the library, for article bodies: uploaded once with its alt text,
    caption and credit, then chosen from the body editor as often as needed.

    The file does not change once uploaded (a new photo is a new image): the
    bodies that show it keep the URLs of its renditions.
    """

    file = models.ImageField(
        _("file"),
        upload_to="images/%Y/%m/",
        validators=[validate_image],
        help_text=_("JPEG, PNG, WebP o GIF, al massimo 20 MB e 40 megapixel."),
    )
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    alt = models.CharField(
        _("testo alternativo"),
        max_length=250,
        help_text=_("Descrive l'immagine a chi non la vede."),
    )
    caption = models.CharField(_("didascalia"), max_length=300, blank=True)
    credit = models.CharField(
        _("credito"), max_length=120, blank=True, help_text=_("Per esempio: Foto ANSA.")
    )
    uploaded_at = models.DateTimeField(_("caricata il"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caricata da"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("immagine")
        verbose_name_plural = _("immagini")

    def __str__(self):
        return self.alt

    def save(self, *args, **kwargs):
        self.renditions = refresh_renditions(self.file, self.renditions)
        super().save(*args, **kwargs)

    @property
    def figure_caption(self) -> str:
        """What the body's figure shows under the photo: the caption, then the credit."""
        return " ".join(part for part in (self.caption, self.credit) if part)
