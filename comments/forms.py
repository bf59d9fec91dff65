from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import MaxLengthValidator, URLValidator
from django.forms.renderers import Jinja2
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import moderation
from .models import Comment, comments_are_open, normalize_email

STARTED_SALT = "comments.form-started"
LARGEST_ID = 2**63 - 1  # the largest primary key any supported database stores
EMAIL_LENGTH = 254
WEBSITE_LENGTH = 200
USER_AGENT_LENGTH = 300


def started_token(now=None) -> str:
    """When the form was shown, signed so that a bot cannot backdate it."""
    return signing.dumps((now or timezone.now()).timestamp(), salt=STARTED_SALT)


def limit_validator(limit) -> MaxLengthValidator:
    """
    At most ``limit`` characters: a number, or a function that reads the
    setting when a form is checked (tests and deployments change them).
    """
    return MaxLengthValidator(
        limit,
        message=_("Al massimo %(limit_value)d caratteri: ne hai scritti %(show_value)d."),
    )


def name_limit() -> int:
    return settings.COMMENTS_NAME_MAX_LENGTH


def body_limit() -> int:
    return settings.COMMENTS_BODY_MAX_LENGTH


class PlainTextField(forms.CharField):
    """Text typed in a textarea, with one kind of line break whatever the browser sent."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class CommentForm(forms.ModelForm):
    """
    A reader's comment on ``article``. Limits are checked here and only here:
    the inputs carry no ``maxlength``, because a browser would cut a pasted text
    silently, and this form says what the limit is instead.
    """

    name = forms.CharField(
        label=_("Nome"),
        validators=[limit_validator(name_limit)],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        # Not Django's 320, which would also print a maxlength: ours, as an error.
        max_length=None,
        validators=[limit_validator(EMAIL_LENGTH)],
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = forms.URLField(
        label=_("Sito web"),
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"]), limit_validator(WEBSITE_LENGTH)],
        # Not type="url": browsers refuse "example.org", which we accept.
        widget=forms.TextInput(attrs={"autocomplete": "url", "inputmode": "url"}),
    )
    body = PlainTextField(
        label=_("Commento"),
        validators=[limit_validator(body_limit)],
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    remember = forms.BooleanField(
        label=_(
            "Salva il mio nome, email e sito web in questo browser per la prossima volta "
            "che commento."
        ),
        required=False,
    )
    parent = forms.IntegerField(
        required=False, min_value=1, max_value=LARGEST_ID, widget=forms.HiddenInput
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    # The honeypot: hidden from people (and from screen readers), filled by bots.
    url = forms.CharField(
        label=_("Lascia vuoto questo campo"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    # The inputs are drawn by Django's own widget templates, with Jinja2 as the
    # reader pages are (django/forms/jinja2/django/forms/widgets/).
    default_renderer = Jinja2()

    class Meta:
        model = Comment
        fields = ["name", "email", "website", "body"]

    def __init__(
        self, data=None, *, article, ip=None, user_agent="", browser=None, now=None, **kwargs
    ):
        self.now = now or timezone.now()
        self.browser = browser  # the commenter cookie's claim (comments/trust.py)
        kwargs.setdefault("initial", {}).setdefault("started", started_token(self.now))
        super().__init__(data, **kwargs)
        self.article = article
        self.instance.article = article
        self.instance.ip = ip or None
        self.instance.user_agent = (user_agent or "")[:USER_AGENT_LENGTH]
        self.instance.created_at = self.now
        self.fields["body"].help_text = _("Al massimo %(limit)s caratteri.") % {
            "limit": f"{settings.COMMENTS_BODY_MAX_LENGTH:,}".replace(",", ".")
        }

    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])

    def clean_parent(self):
        """The approved comment of this article being answered (one query), or None."""
        pk = self.cleaned_data.get("parent")
        if not pk:
            return None
        parent = (
            Comment.objects.approved()
            .on(self.article)
            .only("pk", "parent_id", "depth")
            .filter(pk=pk)
            .first()
        )
        if parent is None:
            raise forms.ValidationError(
                _(
                    "Il commento a cui rispondi non è più visibile: invia di nuovo e il tuo "
                    "sarà pubblicato come commento a sé."
                ),
                code="parent",
            )
        return parent

    def clean(self):
        cleaned_data = super().clean()
        if not comments_are_open(self.article, self.now):
            raise forms.ValidationError(_("I commenti sono chiusi."), code="closed")
        if self.errors:
            return cleaned_data
        self._place_reply(cleaned_data.get("parent"))
        candidate = Comment(
            article=self.article,
            email=cleaned_data["email"],
            body=cleaned_data["body"],
            ip=self.instance.ip,
        )
        message = moderation.refusal(candidate, self.moderation_context)
        if message:
            raise forms.ValidationError(message, code="refused")
        return cleaned_data

    def _place_reply(self, parent) -> None:
        """Reply to ``parent``, or beside it when it already sits at the deepest level."""
        if parent is None:
            self.instance.parent_id, self.instance.depth = None, 1
        elif parent.depth >= settings.COMMENTS_MAX_DEPTH:
            self.instance.parent_id, self.instance.depth = parent.parent_id, parent.depth
        else:
            self.instance.parent_id, self.instance.depth = parent.pk, parent.depth + 1

    @property
    def seconds_to_post(self) -> float | None:
        """Seconds between showing the form and receiving it; None if unknown or forged."""
        try:
            started = signing.loads(self.data.get("started", ""), salt=STARTED_SALT)
        except signing.BadSignature:
            return None
        if not isinstance(started, int | float):
            return None
        return self.now.timestamp() - started

    @property
    def moderation_context(self) -> moderation.Context:
        if not hasattr(self, "_moderation_context"):
            self._moderation_context = moderation.Context(
                honeypot=self.data.get("url", ""),
                seconds_to_post=self.seconds_to_post,
                now=self.now,
                browser=self.browser,
            )
        return self._moderation_context

    @property
    def reader_fields(self):
        """The fields a reader fills in, in the order of the form."""
        return [self[name] for name in ("name", "email", "website", "body")]
