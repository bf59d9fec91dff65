"""
Notizie as readers reach it in production: two gunicorn servers sharing one
PostgreSQL and one Redis, behind one real varnishd running deploy/varnish.vcl
with both as backends, which the servers purge once a write commits
(``PAGE_CACHE_PURGER=varnish``). Readers read through Varnish; editors save
through one server's admin. What Varnish kept of a page a write touched must
be gone on the very next request: the purge is sent on commit, inside the
save's request.

Skipped unless the tests run on PostgreSQL (SQLite's test database lives in
memory). Without Redis on 127.0.0.1:6379 or varnishd, skipped, or failed in
CI, where they must run.
"""

import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import redis
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.articles.admin_data import article_post_data, change_url
from tests.comments.post_data import comment_post_data
from tests.newsroom.conftest import require_redis
from tests.newsroom.test_cache_multiprocess import (
    PASSWORD,
    Browser,
    running_servers,
    static_root,  # noqa: F401 (fixture)
)

from .conftest import need_varnishd
from .servers import Varnish, free_port

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = "redis://127.0.0.1:6379/15"  # a database of its own

# Cache-Status (RFC 9211): what Notizie's page cache did, then what Varnish did.
RENDERED = "Notizie; fwd=miss; stored, Varnish; fwd=miss; stored"  # rendered, kept by both
HIT = "Varnish; hit"


@dataclass
class Site:
    varnish: Varnish
    servers: list[Browser]

    def reader(self) -> Browser:
        """A reader's browser, through Varnish: its Host is the site's domain."""
        return Browser(self.varnish.url)


@pytest.fixture(scope="module")
def what_the_site_runs_on():
    """PostgreSQL, Redis and varnishd, checked before the static files are built."""
    if connection.vendor != "postgresql":
        pytest.skip("Several servers share one database only on PostgreSQL.")
    require_redis()
    need_varnishd()


@pytest.fixture
def site(what_the_site_runs_on, static_root, tmp_path):  # noqa: F811
    """Two servers behind one Varnish, configured as docs/edge-cache.md says."""
    redis.Redis.from_url(REDIS_URL).flushdb()  # nothing stored by an earlier run
    port = free_port()
    token = secrets.token_urlsafe(24)  # 32 characters
    with running_servers(
        static_root,
        tmp_path / "media",
        REDIS_URL=REDIS_URL,
        PAGE_CACHE_PURGER="varnish",
        VARNISH_URLS=f"http://127.0.0.1:{port}",
        PURGE_TOKEN=token,
        # The host readers ask for, which Varnish passes on: pages kept under it.
        SITE_DOMAIN=f"127.0.0.1:{port}",
    ) as servers:
        ports = [urlsplit(server.base).port for server in servers]
        varnish = Varnish(tmp_path, *ports, port=port, token=token)
        try:
            yield Site(varnish, servers)
        finally:
            varnish.stop()


@pytest.fixture
def editor_browser(site, django_user_model):
    """The editor-in-chief, signed in to the admin of the first server."""
    user = django_user_model.objects.create_superuser("direttore", "d@example.org")
    # Hashed as the servers check it (the tests' own hasher is a faster one).
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "saltysaltsalt")
    user.save()
    browser = site.servers[0]
    browser.log_in("direttore")
    return browser


def save(editor, article, **changes) -> None:
    """Post the admin's change form of ``article`` with ``changes``: saved, answered 302."""
    token = editor.csrf_token(change_url(article))
    article.refresh_from_db()
    data = {**article_post_data(article=article, **changes), "csrfmiddlewaretoken": token}
    status, _headers, html = editor.request(change_url(article), data)
    assert status == 302, re.findall(r'class="errorlist[^>]*>(.*?)</ul>', html, re.S)


def kept(reader, path) -> str:
    """Read ``path`` twice: rendered and kept, then Varnish's copy. Its body."""
    assert reader.get(path)[1]["Cache-Status"] == RENDERED, path
    status, headers, html = reader.get(path)
    assert status == 200
    assert headers["Cache-Status"].endswith(HIT), path
    return html


def test_an_edit_saved_through_one_server_shows_through_varnish_at_once(
    site, editor_browser, make_article, author
):
    article = make_article("Il porto cambia volto", authors=[author], tags=["Porti"])
    url = article.get_absolute_url()
    reader = site.reader()
    for path in (url, "/"):
        assert "Il porto cambia volto" in kept(reader, path)

    save(editor_browser, article, title="Il porto cambia nome")

    for path in (url, "/"):
        _status, headers, html = reader.get(path)
        assert headers["Cache-Status"] == RENDERED
        assert "Il porto cambia nome" in html
        assert "Il porto cambia volto" not in html


def test_a_comment_shows_on_its_story_at_once_and_the_other_stories_stay_cached(
    site, make_article, author
):
    story = make_article("Il porto cambia volto", authors=[author])
    other = make_article("Nuovi orari per i treni regionali", authors=[author])
    reader = site.reader()
    kept(reader, story.get_absolute_url())
    kept(reader, other.get_absolute_url())

    # Posted through Varnish, which passes it to a server; published at once.
    commenter = site.reader()
    form = comment_post_data(name="Anna", email="anna@example.org", body="Finalmente.")
    status, headers, _body = commenter.request(
        f"/commenti/articolo/{story.pk}/", form, {"Sec-Fetch-Site": "same-origin"}
    )
    assert status == 302 and "#commento-" in headers["Location"]

    _status, headers, html = reader.get(story.get_absolute_url())
    assert headers["Cache-Status"] == RENDERED
    assert "Finalmente." in html
    _status, headers, html = reader.get(other.get_absolute_url())
    assert headers["Cache-Status"].endswith(HIT)


def test_an_unpublished_story_is_gone_at_once_from_every_page_varnish_kept(
    site, editor_browser, make_article, author, section
):
    story = make_article("Il porto cambia volto", authors=[author], tags=["Porti"])
    # Another story keeps its section's, tag's and author's pages alive.
    make_article("Nuovi orari per i treni regionali", authors=[author], tags=["Porti"])
    lists = [
        "/",
        section.get_absolute_url(),
        "/tag/porti/",
        author.get_absolute_url(),
        "/feed/",
    ]
    reader = site.reader()
    assert "Il porto cambia volto" in kept(reader, story.get_absolute_url())
    for path in lists:
        html = kept(reader, path)
        assert "Il porto cambia volto" in html and "Nuovi orari" in html

    save(editor_browser, story, transition="unpublish")

    assert reader.get(story.get_absolute_url())[0] == 404
    for path in lists:
        status, headers, html = reader.get(path)
        assert status == 200
        assert headers["Cache-Status"] == RENDERED, path
        assert "Il porto cambia volto" not in html, path
        assert "Nuovi orari" in html


def test_an_edit_saved_while_varnish_is_down_succeeds_and_shows_once_it_is_back(
    site, editor_browser, make_article, author
):
    article = make_article("Il porto cambia volto", authors=[author])
    url = article.get_absolute_url()
    reader = site.reader()
    kept(reader, url)

    # The purge fails, and is left to the purger's retries: the save does not.
    site.varnish.stop()
    try:
        save(editor_browser, article, title="Il porto cambia nome")
    finally:
        site.varnish.start()

    # Back empty, and Notizie's own page cache moved on with the save.
    assert "Il porto cambia nome" in reader.get(url)[2]
