"""
Readers' comments and what moderation needs around them.

A comment knows its article only as the object it hangs from (a foreign key):
nothing here imports the internals of ``articles``, and ``articles`` never
imports this module.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.html import linebreaks, urlize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The database column is wider than the default limit so that the limit can be
# raised by a setting without a migration (a system check guards the maximum).
NAME_COLUMN_LENGTH = 200


def comments_are_open(article, now=None) -> bool:
    """
    Whether readers may comment on ``article`` now: open on the article, and not
    older than ``COMMENTS_CLOSE_AFTER_DAYS`` (0, the default, never closes).
    """
    if not article.comments_enabled:
        return False
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    if days and article.published_at:
        return (now or timezone.now()) < article.published_at + timedelta(days=days)
    return True


URL_DISPLAY_LIMIT = 60


def render_body(body: str) -> str:
    """
    A comment's plain text as HTML: everything escaped, paragraphs and line
    breaks kept, bare URLs made into links that pass no ranking and no opener.
    Stored with the comment (``body_html``) so that pages only print it.
    """
    html = urlize(body, trim_url_limit=URL_DISPLAY_LIMIT, nofollow=True, autoescape=True)
    # urlize escaped the text first, so this attribute can only be its own.
    html = html.replace(' rel="nofollow"', ' rel="nofollow ugc noopener"')
    return str(linebreaks(html, autoescape=False))


def normalize_email(email: str) -> str:
    """One spelling per address, so that rules and erasure match what was typed."""
    return email.strip().lower()


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def on(self, article):
        return self.filter(article=article)

    def by_email(self, email):
        return self.filter(email=normalize_email(email))

    def oldest_first(self):
        return self.order_by("created_at", "pk")

    def for_public_page(self):
        """The email, IP and user agent never leave the database for a reader's page."""
        return self.defer("email", "ip", "user_agent")

    # bulk_create and bulk_update call no save(): the stored HTML is computed here,
    # so that the demo, the importer and the benchmark need not know about it.
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for comment in objs:
            comment.body_html = render_body(comment.body)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        if "body" in fields and "body_html" not in fields:
            objs = list(objs)
            for comment in objs:
                comment.body_html = render_body(comment.body)
            fields = [*fields, "body_html"]
        return super().bulk_update(objs, fields, *args, **kwargs)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("In attesa")
        APPROVED = "approved", _("Approvato")
        SPAM = "spam", _("Spam")
        REJECTED = "rejected", _("Rifiutato")

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("articolo"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in risposta a"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        help_text=_("Se il commento a cui risponde viene cancellato, resta come commento a sé."),
    )
    depth = models.PositiveSmallIntegerField(
        _("livello"),
        default=1,
        editable=False,
        help_text=_("1 per un commento, 2 per una risposta…"),
    )
    name = models.CharField(_("nome"), max_length=NAME_COLUMN_LENGTH)
    email = models.EmailField(
        _("email"), blank=True, help_text=_("Privata: non compare mai sulle pagine pubbliche.")
    )
    website = models.URLField(_("sito web"), blank=True)
    body = models.TextField(
        _("commento"), help_text=_("Testo semplice: i link diventano cliccabili.")
    )
    # The body as the page shows it, computed on save (render_body).
    body_html = models.TextField(_("commento in HTML"), blank=True, editable=False)
    status = models.CharField(
        _("stato"),
        max_length=16,
        choices=Status.choices,
        default=Status.PENDING,
        help_text=_("Solo i commenti approvati sono pubblici."),
    )
    moderation_reason = models.CharField(
        _("motivo"),
        max_length=300,
        blank=True,
        help_text=_("Perché le regole di moderazione hanno deciso così."),
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderato da"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderato il"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("indirizzo IP"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("scritto il"), default=timezone.now)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("commento")
        verbose_name_plural = _("commenti")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "spam", "rejected"]),
                name="comment_status_valid",
            ),
        ]
        indexes = [
            # The article page: approved comments of one article, oldest first.
            # With the id and the parent, a long discussion's outline (every
            # approved comment's place in its thread) is read from the index
            # alone, in its order, without visiting a row of the table.
            models.Index(
                fields=["article", "status", "created_at", "id", "parent"],
                name="comment_outline_idx",
            ),
            models.Index(fields=["email"], name="comment_email_idx"),
            models.Index(fields=["ip", "created_at"], name="comment_ip_idx"),
            models.Index(fields=["status", "-created_at"], name="comment_queue_idx"),
        ]

    def __str__(self):
        return f"{self.name}: {self.excerpt}"

    def save(self, *args, **kwargs):
        self.body_html = render_body(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    @property
    def text_html(self) -> SafeString:
        """The body as safe HTML: stored, or computed for a row written around save()."""
        if self.body_html or not self.body:
            return mark_safe(self.body_html)
        return mark_safe(render_body(self.body))

    @property
    def excerpt(self) -> str:
        text = " ".join(self.body.split())
        return text if len(text) <= 80 else text[:79] + "…"

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED

    def apply(self, decision) -> None:
        """Take the status and reason of a moderation ``Decision`` (not saved)."""
        self.status = decision.status
        self.moderation_reason = decision.reason[
            : self._meta.get_field("moderation_reason").max_length
        ]

    def moderate(self, status, *, by=None, save=True) -> None:
        """A moderator's decision. Approving clears earlier reports, so they count again."""
        self.status = status
        self.moderated_by = by
        self.moderated_at = timezone.now()
        if save:
            self.save(update_fields=["status", "moderated_by", "moderated_at"])
        if status == self.Status.APPROVED:
            self.reports.all().delete()

    def approve(self, *, by=None) -> None:
        self.moderate(self.Status.APPROVED, by=by)

    def publish_by_owner(self) -> None:
        """Approved by the owner of its confirmed address, through a link sent to it."""
        self.moderate(self.Status.APPROVED, save=False)
        with translation.override(settings.LANGUAGE_CODE):
            self.moderation_reason = gettext(
                "approvato: pubblicato dal titolare dell'indirizzo con il link ricevuto"
            )
        self.save(update_fields=["status", "moderated_by", "moderated_at", "moderation_reason"])

    def reject(self, *, by=None) -> None:
        self.moderate(self.Status.REJECTED, by=by)

    def mark_spam(self, *, by=None) -> None:
        self.moderate(self.Status.SPAM, by=by)

    def report(self, ip) -> bool:
        """
        Count one reader's report (one per IP address); at the threshold a public
        comment goes back to the moderation queue. Returns whether it was held.
        """
        Report.objects.get_or_create(comment=self, ip=ip)
        count = self.reports.count()
        if self.is_public and count >= settings.COMMENTS_REPORTS_TO_HOLD:
            self.status = self.Status.PENDING
            # Stored in the site's language, whoever's browser sent the report.
            with translation.override(settings.LANGUAGE_CODE):
                self.moderation_reason = gettext("in attesa: segnalato da %(count)d lettori") % {
                    "count": count
                }
            self.save(update_fields=["status", "moderation_reason"])
            return True
        return False


class Report(models.Model):
    """A reader's "Segnala" on a public comment; one per comment and IP address."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    ip = models.GenericIPAddressField(_("indirizzo IP"), null=True, blank=True)
    created_at = models.DateTimeField(_("segnalato il"), default=timezone.now)

    class Meta:
        verbose_name = _("segnalazione")
        verbose_name_plural = _("segnalazioni")
        constraints = [models.UniqueConstraint(fields=["comment", "ip"], name="report_once_per_ip")]

    def __str__(self):
        return f"{self.comment_id} @ {self.created_at:%Y-%m-%d %H:%M}"


def new_browser_key() -> str:
    return secrets.token_hex(16)


class EmailConfirmation(models.Model):
    """
    The link sent to an address with its first comment, and whether its owner
    followed it. Only a confirmed address can earn automatic approval.
    """

    email = models.EmailField(_("email"), unique=True)
    sent_at = models.DateTimeField(_("link inviato il"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confermato il"), null=True, blank=True)
    # Part of what the commenter cookie signs (comments/trust.py): a new key
    # disowns every browser the address was proven in.
    browser_key = models.CharField(max_length=32, default=new_browser_key, editable=False)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("indirizzo email")
        verbose_name_plural = _("indirizzi email")

    def __str__(self):
        return self.email

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def link_expired(self, now=None) -> bool:
        age = (now or timezone.now()) - self.sent_at
        return age > timedelta(days=settings.COMMENTS_CONFIRMATION_DAYS)

    def revoke_browsers(self) -> None:
        """Stop trusting every browser this address was proven in."""
        self.browser_key = new_browser_key()
        self.save(update_fields=["browser_key"])


class ModerationWord(models.Model):
    """A word, address or IP that holds or blocks the comments containing it."""

    class Action(models.TextChoices):
        HOLD = "hold", _("Trattieni per la moderazione")
        SPAM = "spam", _("Blocca come spam")

    word = models.CharField(
        _("parola"),
        max_length=200,
        unique=True,
        help_text=_(
            "Cercata senza distinguere maiuscole e minuscole in nome, email, sito web e "
            "testo (le parole bloccate anche in indirizzo IP e browser). Trova anche le "
            "parole che la contengono: “press” trova “WordPress”."
        ),
    )
    action = models.CharField(
        _("azione"), max_length=8, choices=Action.choices, default=Action.HOLD
    )
    note = models.CharField(_("nota"), max_length=200, blank=True)

    class Meta:
        ordering = ["word"]
        verbose_name = _("parola di moderazione")
        verbose_name_plural = _("parole di moderazione")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["hold", "spam"]), name="moderation_word_action_valid"
            ),
        ]

    def __str__(self):
        return self.word
