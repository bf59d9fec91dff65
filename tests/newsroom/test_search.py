"""The search page, /cerca/: any input answers a page; filters, pages and highlights."""

import re
from datetime import datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Section

pytestmark = pytest.mark.django_db

ROME = ZoneInfo("Europe/Rome")


class Results(HTMLParser):
    """The titles, snippets and notices of a search page, and its form's values."""

    def __init__(self):
        super().__init__()
        self.titles, self.snippets, self.notices, self.inputs, self.links = [], [], [], {}, []
        self._capture = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        css = attrs.get("class") or ""
        if tag == "h2" and "search-result__title" in css:
            self._capture = self.titles
            self.titles.append("")
        elif tag == "p" and "search-result__snippet" in css:
            self._capture = self.snippets
            self.snippets.append("")
        elif tag == "ul" and "search-notices" in css:
            self._capture = self.notices
        elif tag == "li" and self._capture is self.notices:
            self.notices.append("")
        elif tag == "input" and attrs.get("id", "").startswith("id_"):
            self.inputs[attrs["name"]] = attrs.get("value", "")
        elif tag == "a" and attrs.get("rel") in {"prev", "next"}:
            self.links.append((attrs["rel"], attrs["href"]))
        elif tag == "mark" and self._capture is self.snippets:
            self.snippets[-1] += "["

    def handle_endtag(self, tag):
        if tag == "mark" and self._capture is self.snippets:
            self.snippets[-1] += "]"
        elif tag in {"h2", "p", "ul"}:
            self._capture = None

    def handle_data(self, data):
        if self._capture is not None and self._capture:
            self._capture[-1] += data.strip() if self._capture is self.titles else data


def search(client, **params) -> Results:
    response = client.get(reverse("search"), params)
    assert response.status_code == 200
    parser = Results()
    parser.feed(response.content.decode())
    return parser


def test_the_page_without_a_query_invites_one(client, db):
    response = client.get(reverse("search"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Scrivi una o più parole" in content
    assert '<meta name="robots" content="noindex, follow">' in content


def test_every_page_has_a_labelled_search_form_in_the_masthead(client, db):
    content = client.get(reverse("home")).content.decode()
    form = re.search(
        r'<form class="site-search" role="search" action="/cerca/".*?</form>', content, re.S
    )
    assert form
    assert '<label class="visually-hidden" for="site-search-q">' in form.group()
    assert 'id="site-search-q" type="search" name="q"' in form.group()


def test_results_show_their_title_and_a_highlighted_snippet(client, make_article):
    make_article(
        "Il razzo è partito",
        summary="Lancio riuscito.",
        body="<p>Il razzo ha raggiunto l'orbita &amp; poi la <strong>Luna</strong>.</p>",
    )
    make_article("Altro", body="<p>Niente da vedere.</p>")
    page = search(client, q="luna")
    assert page.titles == ["Il razzo è partito"]
    [snippet] = page.snippets
    assert "[Luna]" in snippet
    assert "l'orbita & poi" in snippet


def test_text_in_a_snippet_is_escaped(client, make_article):
    make_article("Titolo", body="<p>Scrivi &lt;script&gt;alert(1)&lt;/script&gt; e marte.</p>")
    content = client.get(reverse("search"), {"q": "marte"}).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


ODD_QUERIES = [
    "",
    "   ",
    '"',
    '"razzo',
    "'",
    "&",
    "!",
    "!!!",
    "a & b | !c",
    "razzo:*",
    "(((",
    "🚀 razzo 🌕",
    "'; DROP TABLE articles_article; --",
    "1' OR '1'='1",
    "%_\\",
    "\x00",
    "raz\x00zo",
    "<script>alert(1)</script>",
    "OR",
    "-",
    "parola " * 100,
    "ж" * 300,
]


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_any_query_answers_a_page(client, make_article, query):
    make_article("Il razzo")
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"q": "razzo", "sezione": "\x00"},
        {"q": "razzo", "dal": "\x00", "al": "2026-13-45"},
        {"q": "razzo", "page": "\x00"},
        {"q": "razzo", "page": "-1"},
        {"q": "razzo", "page": "999"},
        {"q": "razzo", "page": "1e9"},
        {"q": ["razzo", "luna"], "sezione": ["a", "b"]},
    ],
)
def test_any_parameter_answers_a_page(client, make_article, params):
    make_article("Il razzo")
    assert client.get(reverse("search"), params).status_code == 200


def test_a_long_query_is_cut_at_200_characters(client, make_article):
    make_article("Il razzo")
    page = search(client, q="razzo " + "x" * 500)
    assert len(page.inputs["q"]) == 200
    assert page.inputs["q"].startswith("razzo x")


def test_drafts_reviews_scheduled_and_withdrawn_articles_are_never_found(client, make_article, now):
    make_article("Razzo pubblico")
    make_article("Razzo in bozza", status=Article.Status.DRAFT)
    make_article("Razzo in revisione", status=Article.Status.REVIEW)
    make_article("Razzo programmato", published_at=now + timedelta(minutes=5))
    make_article(
        "Razzo ritirato", status=Article.Status.UNPUBLISHED, published_at=now - timedelta(days=1)
    )
    assert search(client, q="razzo").titles == ["Razzo pubblico"]


def test_results_come_in_pages_that_keep_the_query_and_filters(client, make_article, settings, now):
    settings.SEARCH_RESULTS_PER_PAGE = 2
    for n in range(5):
        make_article(f"Razzo {n}", published_at=now - timedelta(hours=n + 1))
    first = search(client, q="razzo", sezione="tecnologia")
    assert first.titles == ["Razzo 0", "Razzo 1"]
    [(rel, href)] = first.links
    assert rel == "next"
    assert "q=razzo" in href
    assert "sezione=tecnologia" in href
    assert "page=2" in href
    third = client.get(reverse("search") + href)
    parser = Results()
    parser.feed(third.content.decode())
    assert parser.titles == ["Razzo 2", "Razzo 3"]
    assert search(client, q="razzo", page="3").titles == ["Razzo 4"]
    assert search(client, q="razzo", page="99").titles == ["Razzo 4"]  # the last page
    assert search(client, q="razzo", page="zero").titles == ["Razzo 0", "Razzo 1"]


def test_the_section_filter_narrows_the_results(client, make_article):
    sport = Section.objects.create(name="Sport", slug="sport")
    make_article("Razzo in tecnologia")
    make_article("Razzo nello sport", section=sport)
    assert search(client, q="razzo", sezione="sport").titles == ["Razzo nello sport"]


def test_an_unknown_section_is_ignored_with_a_notice(client, make_article):
    make_article("Razzo")
    page = search(client, q="razzo", sezione="inesistente")
    assert page.titles == ["Razzo"]
    assert page.notices == ["La sezione indicata non esiste: cerco in tutte le sezioni."]


@pytest.fixture
def rockets(make_article):
    """Three articles on 1, 10 and 20 March 2026, in Rome's time."""
    for day in (1, 10, 20):
        make_article(
            f"Razzo del {day} marzo", published_at=datetime(2026, 3, day, 23, 30, tzinfo=ROME)
        )


def test_the_date_range_includes_both_days_in_the_site_time_zone(client, rockets):
    titles = search(client, q="razzo", dal="2026-03-10", al="2026-03-20").titles
    assert titles == ["Razzo del 20 marzo", "Razzo del 10 marzo"]
    assert search(client, q="razzo", dal="10/03/2026").titles == [
        "Razzo del 20 marzo",
        "Razzo del 10 marzo",
    ]
    assert search(client, q="razzo", al="2026-03-01").titles == ["Razzo del 1 marzo"]


def test_a_reversed_date_range_is_read_the_right_way_round(client, rockets):
    assert search(client, q="razzo", dal="2026-03-15", al="2026-03-05").titles == [
        "Razzo del 10 marzo"
    ]


@pytest.mark.parametrize("bad", ["ieri", "2026-02-30", "0001-01-01", "9999-12-31", "x" * 500])
def test_a_bad_date_is_ignored_with_a_notice(client, rockets, bad):
    page = search(client, q="razzo", dal=bad, al="2026-03-10")
    assert page.titles == ["Razzo del 10 marzo", "Razzo del 1 marzo"]
    assert page.notices == ["La data iniziale non è valida (usa GG/MM/AAAA): la ignoro."]


def test_nothing_found_says_so(client, make_article):
    make_article("Razzo")
    content = client.get(reverse("search"), {"q": "sottomarino"}).content.decode()
    assert "Nessun articolo trovato per «sottomarino»" in content


def test_the_search_page_costs_a_fixed_number_of_queries(
    client, make_article, make_author, django_assert_max_num_queries
):
    people = [make_author(f"Autore {n}") for n in range(3)]
    for n in range(15):
        make_article(f"Razzo {n}", authors=people, tags=[f"Tag {n}"])
    # Sections, count, the page of results, their bylines; and, because a test
    # runs inside a transaction, the SAVEPOINT and RELEASE around the search
    # (outside one, as in production, neither: see the test below).
    with django_assert_max_num_queries(6):
        page = search(client, q="razzo", sezione="tecnologia", dal="2020-01-01")
    assert len(page.titles) == 10


def test_a_query_the_database_cannot_run_answers_a_page_with_a_notice(
    client, make_article, monkeypatch
):
    from django.db import InternalError

    import newsroom.views

    make_article("Satelliti in orbita")

    def refuse(articles, text):
        raise InternalError("tsquery stack too small")

    monkeypatch.setattr(newsroom.views, "with_snippets", refuse)
    response = client.get("/cerca/", {"q": "satelliti"})
    assert response.status_code == 200
    assert "La ricerca è troppo complessa" in response.content.decode()
    # The request's transaction is still usable after the refused query.
    assert client.get("/cerca/", {"q": "orbita"}).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_search_holds_up_no_comment_or_edit(client, make_article):
    """
    Outside a test's transaction, as in production: a search opens none, which
    on SQLite would take the write lock (IMMEDIATE) for as long as it runs.
    """
    make_article("Satelliti in orbita")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/cerca/", {"q": "satelliti"})
    assert response.status_code == 200 and "Satelliti in orbita" in response.content.decode()
    statements = [query["sql"].split()[0].upper() for query in captured]
    assert not {"BEGIN", "SAVEPOINT"} & set(statements), statements


@pytest.mark.django_db(transaction=True)
def test_a_refused_query_outside_a_transaction_answers_a_page_with_a_notice(
    client, make_article, monkeypatch
):
    from django.db import InternalError

    import newsroom.views

    make_article("Satelliti in orbita")
    with_snippets = newsroom.views.with_snippets

    def refuse(articles, text):
        raise InternalError("tsquery stack too small")

    monkeypatch.setattr(newsroom.views, "with_snippets", refuse)
    response = client.get("/cerca/", {"q": "satelliti"})
    assert "La ricerca è troppo complessa" in response.content.decode()
    monkeypatch.setattr(newsroom.views, "with_snippets", with_snippets)
    assert "Satelliti in orbita" in client.get("/cerca/", {"q": "orbita"}).content.decode()
