"""
Teasers and bylines, printed once per article in every listing: built in
Python rather than by a template included in a loop, and escaped with
markupsafe's ``escape`` (in C, as Jinja2's pages are) rather than Django's,
whose lazy-string check cost more than the escaping on a home page's 300 values.
"""

from datetime import datetime
from functools import lru_cache

from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone, is_naive, localtime, template_localtime
from django.utils.translation import get_language, gettext, ngettext, pgettext
from markupsafe import escape

from images.html import picture

from .seo import iso

DATE_FORMAT = "j F Y, H:i"
DEFAULT_IMAGE_SIZES = "(min-width: 64em) 18rem, (min-width: 40em) calc(50vw - 2.5rem), 7rem"


def format_date(moment, format_string=DATE_FORMAT, zone=None, language=None) -> str:
    """
    As the ``date`` filter: in the site's zone, nothing for no date. A caller
    printing many passes the current ``zone`` and ``language``, looked up once.
    """
    if moment in (None, ""):
        return ""
    if not isinstance(moment, datetime) or is_naive(moment):
        return escape(date_format(template_localtime(moment), format_string))
    return _format_date(
        moment, format_string, zone or get_current_timezone(), language or get_language()
    )


@lru_cache(maxsize=8192)
def _format_date(moment, format_string, zone, language) -> str:
    # Keyed by the zone and language the date filter would use, with the
    # moment (aware, as USE_TZ is on): the same articles appear on every page.
    return escape(date_format(localtime(moment, zone), format_string))


def byline(authors, link=False):
    """The names of ``authors``, "A, B e C", linked to their pages when ``link``."""
    esc = escape
    names = [
        f'<a href="{esc(author.get_absolute_url())}" rel="author">{esc(author.name)}</a>'
        if link
        else str(esc(author.name))
        for author in authors
    ]
    if len(names) > 1:
        last = f" {pgettext('elenco di nomi', 'e')} "
        text = ", ".join(names[:-1]) + last + names[-1]
    else:
        text = "".join(names)
    return mark_safe(text + "\n")


def teaser(article, featured=False, show_section=False, level=None, image_sizes=None):
    """An article in a listing: image, section, title, summary, byline, date, comments."""
    esc = escape
    url = esc(article.get_absolute_url())
    parts = [f'<article class="teaser{" teaser--featured" if featured else ""}">\n  ']
    if article.hero_renditions:
        image = picture(
            article.hero_renditions,
            "",
            sizes=image_sizes or DEFAULT_IMAGE_SIZES,
            loading="eager" if featured else "lazy",
        )
        parts.append(
            f'<a class="teaser__image" href="{url}" tabindex="-1" aria-hidden="true">{image}</a>'
        )
    parts.append('\n  <div class="teaser__text">\n    ')
    if show_section:
        section = article.section
        parts.append(
            f'<p class="kicker"><a href="{esc(section.get_absolute_url())}">'
            f"{esc(section.name)}</a></p>"
        )
    heading = esc(level or 3)
    parts.append(
        f'\n    <h{heading} class="teaser__title"><a href="{url}">{esc(article.title)}</a>'
        f"</h{heading}>\n    "
    )
    if article.summary:
        parts.append(f'<p class="teaser__summary">{esc(article.summary)}</p>')
    parts.append('\n    <p class="teaser__meta">')
    authors = article.byline_authors
    if authors:
        parts.append(f"<span>{gettext('Di')} {byline(authors)}</span> · ")
    published = article.published_at
    parts.append(f'<time datetime="{esc(iso(published))}">{format_date(published)}</time>')
    count = getattr(article, "approved_comment_count", None)
    if count:
        label = ngettext("%(counter)s commento", "%(counter)s commenti", count) % {
            "counter": esc(count)
        }
        parts.append(f' · <a class="teaser__comments" href="{url}#commenti">{label}</a>')
    parts.append("</p>\n  </div>\n</article>\n")
    return mark_safe("".join(parts))
