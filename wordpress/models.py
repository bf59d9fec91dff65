"""
What the importer remembers between runs: which Notizie object each WordPress
object became. It makes a second import update instead of duplicate, and lets
it skip what has not changed since (the ``digest`` of what was written).
"""

from django.db import connections, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportedObjectQuerySet(models.QuerySet):
    def insert_many(self, rows) -> None:
        """
        Insert ``(source, kind, wp_id, object_id, digest)`` rows in one
        ``executemany``. An import remembers a row per comment, 100,000 for a
        mid-sized archive: bulk_create spends more time preparing each row
        than the database spends storing it.
        """
        connection = connections[self.db]
        table = connection.ops.quote_name(self.model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (source, kind, wp_id, object_id, digest, imported_at) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [(*row, now) for row in rows],
            )


class ImportedObject(models.Model):
    class Kind(models.TextChoices):
        AUTHOR = "author", _("autore")
        SECTION = "section", _("sezione")
        TAG = "tag", _("tag")
        ARTICLE = "article", _("articolo")
        COMMENT = "comment", _("commento")
        PHOTO = "photo", _("foto")

    # One WordPress site's ids are not another's: the export's wp:base_site_url
    # (with the blog URL, for multisite networks) keeps them apart.
    source = models.CharField(_("sito WordPress"), max_length=300)
    kind = models.CharField(_("tipo"), max_length=16, choices=Kind.choices)
    wp_id = models.CharField(
        _("id WordPress"),
        max_length=200,
        help_text=_("L'id del post o commento, lo slug del termine, il login dell'autore."),
    )
    object_id = models.BigIntegerField(_("id in Notizie"))
    digest = models.CharField(
        _("impronta"),
        max_length=64,
        blank=True,
        help_text=_("Di ciò che è stato scritto: se non cambia, un nuovo import non lo tocca."),
    )
    imported_at = models.DateTimeField(_("importato il"), auto_now=True)

    objects = ImportedObjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("oggetto importato")
        verbose_name_plural = _("oggetti importati")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "wp_id"], name="imported_object_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["author", "section", "tag", "article", "comment", "photo"]
                ),
                name="imported_object_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.wp_id} -> {self.object_id}"
