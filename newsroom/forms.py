"""The search page's parameters: whatever a reader sends, a valid part is used."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from articles.search import clean_query

# Outside these years a date is a typo, and near the ends of the calendar the
# conversion to UTC would overflow.
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


class QueryField(forms.CharField):
    """Text cleaned rather than refused: no NUL (PostgreSQL rejects it), at most 200 characters."""

    def to_python(self, value):
        return clean_query(value)


class DateFilterField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def validate(self, value):
        super().validate(value)
        if value and not EARLIEST <= value <= LATEST:
            raise ValidationError(_("Data fuori dall'intervallo ammesso."), code="out_of_range")


class SearchForm(forms.Form):
    q = QueryField(
        label=_("Cerca"), required=False, widget=forms.SearchInput(attrs={"maxlength": 200})
    )
    sezione = forms.ChoiceField(label=_("Sezione"), required=False)
    dal = DateFilterField(label=_("Dal"), required=False)
    al = DateFilterField(label=_("Al"), required=False)

    # What the page says when a filter is ignored.
    IGNORED = {
        "sezione": _("La sezione indicata non esiste: cerco in tutte le sezioni."),
        "dal": _("La data iniziale non è valida (usa GG/MM/AAAA): la ignoro."),
        "al": _("La data finale non è valida (usa GG/MM/AAAA): la ignoro."),
    }

    def __init__(self, data, *, sections):
        """``sections``: the list the page already loaded for its menu (no query here)."""
        super().__init__(data)
        self.sections = {section.slug: section for section in sections}
        self.fields["sezione"].choices = [("", _("Tutte le sezioni"))] + [
            (section.slug, section.name) for section in sections
        ]
        # Fills cleaned_data with the valid fields and errors with the others;
        # the search uses the first and names the second, never refuses.
        self.is_valid()
        # The box shows what was searched for: the text as cleaned and cut.
        self.data = self.data.copy()
        self.data["q"] = self.query

    @property
    def query(self) -> str:
        return self.cleaned_data.get("q", "")

    def notices(self) -> list[str]:
        return [str(message) for name, message in self.IGNORED.items() if name in self.errors]

    def results(self):
        """
        Published articles matching the query within the filters, best first;
        ``None`` when there is nothing to search for. Lazy.
        """
        if not self.query:
            return None
        articles = Article.objects.published()
        section = self.sections.get(self.cleaned_data.get("sezione") or "")
        if section:
            articles = articles.in_section(section)
        start, end = self.cleaned_data.get("dal"), self.cleaned_data.get("al")
        if start and end and start > end:
            start, end = end, start
        if start:
            articles = articles.filter(published_at__gte=_midnight(start))
        if end:
            articles = articles.filter(published_at__lt=_midnight(end + timedelta(days=1)))
        return articles.search(self.query).with_bylines()


def _midnight(day: date) -> datetime:
    """The start of ``day`` in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))
