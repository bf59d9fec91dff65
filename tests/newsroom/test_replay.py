"""
A page-cache hit that Django answered once is answered again without Django,
the same answer, for as long as it is still the one Django would give
(newsroom/replay.py).
"""

import gzip
import io
from datetime import timedelta

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from articles.models import Article
from comments.forms import without_started_token
from newsroom.replay import Replay
from tests.newsroom.conftest import moves_the_version

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("redis_cache")]


@pytest.fixture
def django_calls():
    """
    The requests Django handled. The test's database connection stays open
    through them, as Django's test client keeps it.
    """
    calls = []

    def count(**kwargs):
        calls.append(kwargs)

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.connect(count, weak=False)
    yield calls
    request_started.disconnect(count)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def django():
    return WSGIHandler()


@pytest.fixture
def app(django):
    return Replay(django)


def get(application, path, query="", method="GET", **headers):
    """A request as gunicorn hands it over: (status, headers, body)."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
    }
    given = {}

    def start_response(status, response_headers, exc_info=None):
        given["status"], given["headers"] = status, dict(response_headers)

    response = application(environ, start_response)
    body = b"".join(response)
    if hasattr(response, "close"):
        response.close()
    return given["status"], given["headers"], body


def seen_by_django_until_kept(app, path, **headers):
    """Ask until Django has answered from the cache, with what it knows of Redis."""
    for _ in range(3):
        answer = get(app, path, **headers)
    return answer


def test_a_hit_django_answered_is_answered_again_without_it(app, django, article, django_calls):
    url = article.get_absolute_url()
    seen_by_django_until_kept(app, url)
    django_calls.clear()
    status, headers, body = get(app, url)
    assert django_calls == []
    assert status == "200 OK"
    assert headers["Cache-Status"] == "Notizie; hit"
    assert "Il porto cambia volto" in body.decode()
    # Django's answer to the same request, header for header.
    django_status, django_headers, django_body = get(django, url)
    assert (status, headers) == (django_status, django_headers)
    assert without_started_token(body) == without_started_token(django_body)
    # The comment form's token is this answer's own.
    assert b'name="started"' in body


@pytest.mark.parametrize(
    "headers",
    [
        {"ACCEPT_LANGUAGE": "en"},
        {"ACCEPT_LANGUAGE": "it-IT,it;q=0.9,en;q=0.5"},
        {"IF_NONE_MATCH": "browser-etag"},
        {"IF_MODIFIED_SINCE": "Thu, 01 Jan 2026 00:00:00 GMT"},
        {"X_FORWARDED_PROTO": "https"},
    ],
    ids=["english", "italian", "an old copy", "modified since", "behind a proxy"],
)
def test_each_kind_of_request_gets_django_own_answer(app, django, article, django_calls, headers):
    url = article.get_absolute_url()
    seen_by_django_until_kept(app, url, **headers)
    django_calls.clear()
    status, replayed, body = get(app, url, **headers)
    assert django_calls == []
    django_status, django_headers, django_body = get(django, url, **headers)
    assert (status, replayed) == (django_status, django_headers)
    assert without_started_token(body) == without_started_token(django_body)


def test_a_browser_copy_still_current_gets_a_304_without_django(app, django, article, django_calls):
    url = article.get_absolute_url()
    etag = get(app, url)[1]["ETag"]
    seen_by_django_until_kept(app, url, IF_NONE_MATCH=etag)
    django_calls.clear()
    answer = get(app, url, IF_NONE_MATCH=etag)
    assert django_calls == []
    assert answer[0] == "304 Not Modified"
    assert answer[1]["ETag"] == etag
    assert answer == get(django, url, IF_NONE_MATCH=etag)


def test_an_edit_through_another_server_is_answered_at_once(app, article, elsewhere, django_calls):
    url = article.get_absolute_url()
    etag = get(app, url)[1]["ETag"]
    seen_by_django_until_kept(app, url)
    seen_by_django_until_kept(app, url, IF_NONE_MATCH=etag)
    Article.objects.filter(pk=article.pk).update(title="Il porto ha un nuovo volto")
    moves_the_version(elsewhere)
    django_calls.clear()
    assert "Il porto ha un nuovo volto" in get(app, url)[2].decode()
    assert get(app, url, IF_NONE_MATCH=etag)[0] == "200 OK"
    assert django_calls


@pytest.mark.parametrize(
    ("query", "method", "headers"),
    [
        ("utm_source=newsletter", "GET", {}),
        ("", "HEAD", {}),
        ("", "GET", {"COOKIE": "django_language=en"}),
        ("", "GET", {"IF_MATCH": '"something else"'}),
    ],
    ids=["a query", "HEAD", "a cookie", "a precondition"],
)
def test_requests_a_page_may_vary_on_otherwise_always_go_to_django(
    app, django, article, django_calls, query, method, headers
):
    url = article.get_absolute_url()
    seen_by_django_until_kept(app, url)  # the plain request's answer is kept
    for _ in range(3):
        django_calls.clear()
        answer = get(app, url, query=query, method=method, **headers)
        assert len(django_calls) == 1
    assert answer[:2] == get(django, url, query=query, method=method, **headers)[:2]


def test_nothing_is_replayed_once_a_scheduled_article_is_near(
    app, article, make_article, now, django_calls, settings
):
    url = article.get_absolute_url()
    soon = now + timedelta(seconds=settings.PAGE_CACHE_MAX_AGE // 2)
    make_article("Tra poco", published_at=soon)  # published, from then on
    seen_by_django_until_kept(app, url)
    django_calls.clear()
    _status, headers, _body = get(app, url)
    # Django tells a shorter max-age, which a replayed answer would not.
    assert django_calls
    assert f"max-age={settings.PAGE_CACHE_MAX_AGE}," not in headers["Cache-Control"]


def test_without_redis_every_request_goes_to_django(app, article, django_calls, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    url = article.get_absolute_url()
    seen_by_django_until_kept(app, url)
    django_calls.clear()
    assert get(app, url)[1]["Cache-Status"] == "Notizie; hit"
    assert django_calls


def test_an_answer_is_given_again_only_to_the_same_request(app, article, django_calls):
    url = article.get_absolute_url()
    seen_by_django_until_kept(app, url, ACCEPT_LANGUAGE="it")
    django_calls.clear()
    _status, headers, _body = get(app, url, ACCEPT_LANGUAGE="en")
    assert django_calls
    assert headers["Content-Language"] == "en"


def test_a_compressed_answer_is_never_replayed(article, django_calls, settings):
    # A compressing middleware in front of the cache: its bytes are not the stored page's.
    settings.MIDDLEWARE = ["django.middleware.gzip.GZipMiddleware", *settings.MIDDLEWARE]
    app = Replay(WSGIHandler())
    url = article.get_absolute_url()
    for _ in range(4):
        django_calls.clear()
        _status, headers, body = get(app, url, ACCEPT_ENCODING="gzip")
        assert len(django_calls) == 1
    assert headers["Content-Encoding"] == "gzip"
    assert "Il porto cambia volto" in gzip.decompress(body).decode()
