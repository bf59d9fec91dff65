"""
The Jinja2 environment of the reader pages (``jinja2/``).

Readers' pages are drawn by Jinja2, which compiles a template to Python
functions instead of walking a tree of nodes (only the entity for a quote
differs from Django's: &#39; for &#x27;). The admin, the emails, the feeds and
the sitemaps keep Django's templates (``templates/``).

The pages call the functions the Django templates' tags called. Translations
go through Django's own ``gettext``, ``ngettext`` and ``pgettext`` with the
msgids the ``{% translate %}`` tags had; ``makemessages`` does not read these
templates, so tests/newsroom/test_reader_templates.py names any string without
English.
"""

from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.template.defaultfilters import linebreaksbr, truncatewords
from django.templatetags.static import static
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.timezone import get_current_timezone, is_naive, localtime, template_localtime
from django.utils.translation import get_language, get_language_info, gettext, ngettext, pgettext
from jinja2 import ChainableUndefined, Environment
from markupsafe import escape

from articles.links import url
from articles.seo import iso
from comments.section import comments_section
from images.html import picture

DATE_FORMAT = "j F Y, H:i"


def format_date(moment, format_string=DATE_FORMAT, zone=None, language=None) -> str:
    """
    The ``date`` filter, as Django's: in the site's zone, nothing for no date.
    A template printing many dates may look ``zone`` and ``language`` up once
    (``current_zone()``, ``get_language()``) and pass them.
    """
    if moment in (None, ""):
        return ""
    if not isinstance(moment, datetime) or is_naive(moment):
        return escape(date_format(template_localtime(moment), format_string))
    zone = zone or get_current_timezone()
    return _format_date(moment, format_string, zone, language or get_language())


@lru_cache(maxsize=8192)
def _format_date(moment, format_string, zone, language) -> str:
    # Keyed by the zone and language the date filter would use, with the
    # moment (aware, as USE_TZ is on): the same articles appear on every page.
    return escape(date_format(localtime(moment, zone), format_string))


def querystring(request, **changes) -> str:
    """The current query string with ``changes`` (None removes a key), as ``{% querystring %}``."""
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return f"?{params.urlencode()}"


def languages() -> list[dict]:
    """The interface languages, each as ``get_language_info()`` describes it."""
    return [get_language_info(code) for code, _name in settings.LANGUAGES]


def current_year() -> int:
    return timezone.localdate().year


class ReaderEnvironment(Environment):
    def make_globals(self, d):
        # A dict rather than Jinja2's ChainMap: each include copies its
        # template's globals into a new context, and a ChainMap is copied key
        # by key in Python. Jinja2 asks that globals not change once templates
        # are loaded, so a copy reads the same.
        return {**self.globals, **(d or {})}


def environment(**options) -> Environment:
    # Lenient like Django's templates, DEBUG or not: a page without ``section``
    # or ``article`` reads them as empty rather than failing.
    options["undefined"] = ChainableUndefined
    env = ReaderEnvironment(extensions=["jinja2.ext.i18n"], **options)
    # Newstyle: {{ _("Pagina %(number)s di %(total)s", number=n, total=t) }}
    # escapes the values it fills in, as {% blocktranslate %} did.
    env.install_gettext_callables(gettext, ngettext, newstyle=True, pgettext=pgettext)
    env.globals.update(
        comments_section=comments_section,
        current_year=current_year,
        current_zone=get_current_timezone,
        get_language=get_language,
        languages=languages,
        picture=picture,
        querystring=querystring,
        static=static,
        url=url,
    )
    env.filters.update(
        capfirst=capfirst,
        date=format_date,
        iso=iso,
        linebreaksbr=linebreaksbr,
        truncatewords=truncatewords,
    )
    return env
