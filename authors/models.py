from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from images.renditions import refresh_renditions
from images.validators import validate_image


class AuthorQuerySet(models.QuerySet):
    def with_photo(self):
        return self.exclude(photo="")


class Author(models.Model):
    """A person credited in bylines. The email is for the newsroom only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text=_("L'account con cui questa persona entra nell'amministrazione, se ne ha uno."),
    )
    name = models.CharField(_("nome"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=140,
        unique=True,
        help_text=_("La parte dell'indirizzo della pagina autore: /autori/<slug>/."),
    )
    role = models.CharField(
        _("ruolo"), max_length=120, blank=True, help_text=_("Per esempio: Giornalista, Inviata.")
    )
    bio = models.TextField(_("biografia"), blank=True, help_text=_("Mostrata sotto gli articoli."))
    photo = models.ImageField(
        _("foto"),
        upload_to="authors/%Y/",
        blank=True,
        validators=[validate_image],
        help_text=_("JPEG, PNG, WebP o GIF, al massimo 20 MB."),
    )
    photo_renditions = models.JSONField(default=dict, blank=True, editable=False)
    website = models.URLField(_("sito web"), blank=True)
    email = models.EmailField(
        _("email"), blank=True, help_text=_("Privata: non compare mai sul sito.")
    )

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("autore")
        verbose_name_plural = _("autori")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.photo_renditions = refresh_renditions(self.photo, self.photo_renditions)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})
