"""
Two server processes, one PostgreSQL, one Redis: an edit saved through one
server is what the other serves at once, though both cache pages.

Skipped unless the tests run on PostgreSQL (SQLite's test database lives in
memory) and Redis answers on 127.0.0.1:6379.
"""

import contextlib
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.articles.admin_data import article_post_data, change_url
from tests.comments.post_data import comment_post_data

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of its own
PASSWORD = "correct horse battery staple"


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or 'localhost'}{port}/{db['NAME']}"


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """What `collectstatic` makes for production, once for both servers."""
    root = tmp_path_factory.mktemp("static")
    env = {**os.environ, "DEBUG": "0", "STATIC_ROOT": str(root), "SECRET_KEY": "x" * 50}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
    )
    return root


@pytest.fixture
def servers(static_root, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("Several servers share one database only on PostgreSQL.")
    if not redis_answers():
        pytest.skip("Redis does not answer on 127.0.0.1:6379.")
    with running_servers(static_root, tmp_path / "media", REDIS_URL=REDIS_URL) as browsers:
        yield browsers


@contextlib.contextmanager
def running_servers(static_root, media_root, count=2, **environ):
    """
    ``count`` gunicorn servers of the project on free ports, on the tests'
    database, in production settings; ``environ`` adds to their environment
    (``REDIS_URL``: the cache they share). Yields a ``Browser`` on each.
    """
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(),
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(media_root),
        "COMMENTS_HOLD_BY_DEFAULT": "0",
        "COMMENTS_MODERATOR_EMAILS": "moderatori@example.org",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
        **environ,
    }
    started = []
    for _ in range(count):
        port = free_port()
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "newsroom.wsgi",
                "-w",
                "1",
                "-b",
                f"127.0.0.1:{port}",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        started.append((process, f"http://127.0.0.1:{port}"))
    try:
        for process, base in started:
            wait_until_up(process, base)
        yield [Browser(base) for _process, base in started]
    finally:
        for process, _base in started:
            process.terminate()
            process.wait(timeout=10)


def wait_until_up(process, base):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode())
        try:
            urllib.request.urlopen(base + "/robots.txt", timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{base} did not start")


class Browser:
    """A browser of its own on one server: cookies, no redirects followed."""

    def __init__(self, base):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect
        )

    def request(self, path, data=None, headers=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def get(self, path, **headers):
        return self.request(path, headers=headers)

    def csrf_token(self, path) -> str:
        _status, _headers, html = self.get(path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]

    def log_in(self, username):
        token = self.csrf_token("/admin/login/")
        status, _h, html = self.request(
            "/admin/login/?next=/admin/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        )
        assert status == 302, (
            re.findall(r'class="errornote[^>]*>(.*?)</p>', html, re.S) or html[:300]
        )


def test_an_edit_through_one_server_shows_at_once_through_the_other(
    servers, make_article, author, django_user_model
):
    first, second = servers
    reader_a, reader_b = Browser(first.base), Browser(second.base)
    editor = django_user_model.objects.create_superuser("direttore", "d@example.org")
    # Hashed as the servers check it (the tests' own hasher is a faster one).
    editor.password = PBKDF2PasswordHasher().encode(PASSWORD, "saltysaltsalt")
    editor.save()
    article = make_article("Il porto cambia volto", authors=[author], tags=["Porti"])
    url = article.get_absolute_url()

    # Both servers have stored the page, and serve it from their shared cache.
    for reader in (reader_a, reader_b):
        status, headers, html = reader.get(url)
        assert status == 200 and "Il porto cambia volto" in html
        assert "public" in headers["Cache-Control"]
    _s, before, _b = reader_b.get(url)
    status, _h, _b = reader_b.get(url, **{"If-None-Match": before["ETag"]})
    assert status == 304
    assert reader_b.get(url)[1]["Cache-Status"] == "Notizie; hit"

    # An editor corrects the title through the first server...
    first.log_in("direttore")
    token = first.csrf_token(change_url(article))
    data = article_post_data(article=article, title="Il porto cambia nome")
    status, _h, html = first.request(change_url(article), {**data, "csrfmiddlewaretoken": token})
    assert status == 302, re.findall(r'class="errorlist[^>]*>(.*?)</ul>', html, re.S)

    # ...and a reader of the second sees it at once, on the page and the home.
    status, _h, html = reader_b.get(url, **{"If-None-Match": before["ETag"]})
    assert status == 200 and "Il porto cambia nome" in html
    assert "Il porto cambia nome" in reader_b.get("/")[2]

    # A reader's comment published through the second shows through the first.
    reader_a.get(url)
    form = comment_post_data(name="Anna", email="anna@example.org", body="Finalmente.")
    status, headers, _b = reader_b.request(
        f"/commenti/articolo/{article.pk}/", form, {"Sec-Fetch-Site": "same-origin"}
    )
    assert status == 302 and "#commento-" in headers["Location"]
    assert "Finalmente." in reader_a.get(url)[2]

    # Unpublished through the first: gone from the second at once.
    token = first.csrf_token(change_url(article))
    article.refresh_from_db()
    data = article_post_data(article=article, transition="unpublish")
    status, _h, _b = first.request(change_url(article), {**data, "csrfmiddlewaretoken": token})
    assert status == 302
    assert reader_b.get(url)[0] == 404
    assert "Il porto cambia nome" not in reader_b.get("/")[2]
