"""The database down or restarting: readers get a short Italian 503 page, not a 500."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from unittest import mock

import pytest
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.test import Client

from articles.models import Article
from tests.newsroom.test_cache_multiprocess import free_port, wait_until_up

pytestmark = pytest.mark.django_db


def assert_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert "no-store" in response["Cache-Control"]
    assert "Torniamo tra un attimo" in response.content.decode()


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_view_that_cannot_reach_the_database_answers_503(client, error):
    with mock.patch.object(
        Article.objects.__class__, "published", side_effect=error("server closed the connection")
    ):
        assert_unavailable(client.get("/"))


def test_the_503_page_itself_needs_no_database(client, settings, django_assert_num_queries):
    settings.PAGE_CACHE_ENABLED = False  # its own lookup runs before the view
    failing = mock.patch.object(
        Article.objects.__class__, "published", side_effect=OperationalError("gone")
    )
    with failing, django_assert_num_queries(0):
        assert_unavailable(client.get("/"))


def test_a_middleware_that_cannot_reach_the_database_answers_503_too(make_article):
    # The page cache looks up the next scheduled article before any view runs.
    client = Client(raise_request_exception=False)
    with mock.patch(
        "newsroom.cache.next_publication", side_effect=OperationalError("connection refused")
    ):
        assert_unavailable(client.get("/"))


def test_other_errors_stay_500(make_article):
    client = Client(raise_request_exception=False)
    with mock.patch("newsroom.cache.next_publication", side_effect=RuntimeError("bug")):
        response = client.get("/")
    assert response.status_code == 500
    assert "Qualcosa non ha funzionato" in response.content.decode()


def test_a_real_server_without_its_database_answers_503_at_once(tmp_path):
    """gunicorn pointed at a PostgreSQL that is not there: 503s, fast, no 500."""
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/notizie",
        "STATIC_ROOT": str(tmp_path / "static"),
        "LOG_LEVEL": "CRITICAL",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until_up(process, f"http://127.0.0.1:{port}")  # robots.txt needs no database
        started = time.monotonic()
        for path in ["/", "/cronaca/", "/feed/"]:
            with pytest.raises(urllib.error.HTTPError) as answer:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10)
            assert answer.value.code == 503, path
            assert answer.value.headers["Retry-After"]
            assert "Torniamo tra un attimo" in answer.value.read().decode()
        assert time.monotonic() - started < 5
    finally:
        process.terminate()
        process.wait(timeout=10)
