import logging
from contextlib import nullcontext

from django.conf import settings
from django.core.paginator import Paginator
from django.db import DataError, InternalError, connection, transaction
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

import cachetags
from articles.models import Article, prefetch_bylines
from articles.search import with_snippets

from .context_processors import menu_sections
from .forms import SearchForm

logger = logging.getLogger(__name__)


def home(request):
    """The latest news, then a block of the newest articles of each section."""
    cachetags.add(cachetags.HOME)
    # The bylines of both lists come in one query, below.
    published = Article.objects.published().latest_first().for_listing().prefetch_related(None)
    latest = list(published[: settings.HOME_LATEST_COUNT])
    sections = menu_sections(request)
    per_section = list(published.latest_per_section(settings.HOME_SECTION_COUNT))
    prefetch_bylines([*latest, *per_section])
    blocks = [
        (section, [a for a in per_section if a.section_id == section.pk]) for section in sections
    ]
    return render(
        request,
        "home.html",
        {
            "latest": latest,
            "blocks": [(section, articles) for section, articles in blocks if articles],
        },
    )


def search(request):
    """
    ``/cerca/?q=…&sezione=…&dal=…&al=…&page=…``: any input answers a page, in
    four queries at most (the sections, unless read since the last write; the
    count; the page of results; their bylines).
    """
    sections = menu_sections(request)
    form = SearchForm(request.GET, sections=sections)
    results = form.results()
    notices = form.notices()
    page = None
    if results is not None:
        # Inside a transaction (ATOMIC_REQUESTS, a test), a query PostgreSQL
        # refuses would spoil the rest of it: a savepoint there. Not outside
        # one, where each query commits on its own: on SQLite a transaction
        # takes the write lock (IMMEDIATE) for the whole search, and would hold
        # up every comment and edit meanwhile.
        guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
        try:
            with guard:
                page = Paginator(results, settings.SEARCH_RESULTS_PER_PAGE).get_page(
                    request.GET.get("page")
                )
                page.object_list = with_snippets(page.object_list, form.query)
        except (DataError, InternalError):
            # Some pathological text makes websearch_to_tsquery give up
            # ("tsquery stack too small"): a page that says so, not a 500.
            logger.warning("Search query refused by the database: %r", form.query)
            page = None
            notices.append(_("La ricerca è troppo complessa: prova con meno parole."))
    return render(
        request,
        "search.html",
        {
            "form": form,
            "query": form.query,
            "notices": notices,
            "page_obj": page,
        },
    )


def robots(request):
    """Crawlers may read every public page, not the newsroom's tools; where the sitemaps are."""
    sitemaps = [request.build_absolute_uri(reverse(name)) for name in ("sitemap", "news_sitemap")]
    return render(
        request, "robots.txt", {"sitemaps": sitemaps}, content_type="text/plain; charset=utf-8"
    )
