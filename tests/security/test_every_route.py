"""
Every public route, and the query parameters reader pages read, answer hostile
values with a page or a 4xx, never a 500, on either database: NUL bytes (which
PostgreSQL refuses in any text), lone surrogates, broken UTF-8, over-long
values. The routes are read from the URL configuration, so a new one is
covered the day it is added.
"""

import re

import pytest
from django.urls import get_resolver

from comments.models import Comment

pytestmark = pytest.mark.django_db

# Percent-encoded as a crafted link carries them.
HOSTILE = [
    "%00",
    "a%00b",
    "%ED%A0%80",  # a lone surrogate, encoded
    "%C0%AF",  # an over-long encoding of "/"
    "%FF%FE",
    "x" * 3000,
    "..%2F..%2Fetc",
    "-1",
    "99999999999999999999999",
]
PARAMETERS = ["page", "p", "q", "pagina_commenti", "rispondi", "commento", "sezione", "dal", "al"]
CONVERTER = re.compile(r"<(?:\w+:)?\w+>")


def public_routes() -> list[str]:
    """Every route of the URLconf outside the admin, as written (converters and all)."""
    routes, patterns = [], [("", pattern) for pattern in get_resolver().url_patterns]
    while patterns:
        prefix, pattern = patterns.pop()
        route = prefix + str(pattern.pattern)
        if route.startswith("admin/"):
            continue
        if hasattr(pattern, "url_patterns"):
            patterns.extend((route, inner) for inner in pattern.url_patterns)
        else:
            routes.append(route)
    return sorted(routes)


@pytest.fixture
def site(make_article, author):
    article = make_article("Il porto di Genova", authors=[author], tags=["Genova"])
    Comment.objects.create(
        article=article, name="Anna", email="anna@example.org", body="Ciao.", status="approved"
    )
    return article


def test_the_routes_are_read_from_the_url_configuration():
    routes = public_routes()
    assert "tag/<tag:slug>/" in routes
    assert "commenti/conferma/<str:token>/" in routes
    assert "cerca/" in routes


@pytest.mark.parametrize("value", HOSTILE)
def test_no_route_answers_a_hostile_value_with_a_500(client, site, value):
    for route in public_routes():
        path = "/" + CONVERTER.sub(value, route)
        response = client.get(path)
        assert response.status_code < 500, (path, response.status_code)


@pytest.mark.parametrize("value", HOSTILE)
def test_no_reader_page_answers_a_hostile_parameter_with_a_500(client, site, value):
    query = "&".join(f"{name}={value}" for name in PARAMETERS)
    for path in ["/", site.get_absolute_url(), site.section.get_absolute_url(), "/tag/genova/"]:
        for url in [f"{path}?{query}", *(f"{path}?{name}={value}" for name in PARAMETERS)]:
            response = client.get(url)
            assert response.status_code < 500, (url, response.status_code)
    for url in ["/cerca/?" + query, f"/feed/?{query}", f"/sitemap-articoli.xml?p={value}"]:
        assert client.get(url).status_code < 500, url
