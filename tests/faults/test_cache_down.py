"""
The cache server down while the site runs: pages are served uncached, comments
post, editors edit; nothing answers 500.
"""

import contextlib
import socket
import threading
import time

import pytest
from django.core.cache.backends.base import BaseCache

from comments.models import Comment
from newsroom.cache_backends import FailSoftMixin
from tests.articles.admin_data import change_url
from tests.comments.post_data import comment_post_data
from tests.newsroom.test_cache_multiprocess import free_port, redis_answers

pytestmark = pytest.mark.django_db


class UnreachableCache(BaseCache):
    """A cache whose server is gone: every call raises, as redis-py does."""

    def __init__(self, location, params):
        super().__init__(params)

    def _gone(self, *args, **kwargs):
        raise ConnectionError("Connection refused")

    get = get_many = has_key = add = set = set_many = touch = _gone
    incr = delete = delete_many = clear = _gone


class FailSoftUnreachableCache(FailSoftMixin, UnreachableCache):
    pass


@pytest.fixture(
    params=[
        {"BACKEND": "tests.faults.test_cache_down.FailSoftUnreachableCache"},
        # A real Redis client pointed at a port nobody listens on.
        {
            "BACKEND": "newsroom.cache_backends.FailSoftRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        },
    ],
    ids=["raising-backend", "redis-closed-port"],
)
def cache_down(request, settings):
    settings.CACHES = {"default": request.param}
    return request.param


@pytest.fixture
def article(make_article, author):
    return make_article("Il porto cambia volto", authors=[author], tags=["Porti"])


def test_the_unreachable_cache_really_raises_without_the_fail_soft_layer():
    with pytest.raises(ConnectionError):
        UnreachableCache("", {}).get("anything")


def test_reader_pages_are_served_uncached_when_the_cache_is_down(
    cache_down, client, article, section, author
):
    started = time.monotonic()
    for url in ["/", article.get_absolute_url(), section.get_absolute_url(), "/tag/porti/"]:
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "Il porto cambia volto" in response.content.decode()
    # A dead Redis answers at once (connection refused) or within the socket
    # timeouts: never a hanging request.
    assert time.monotonic() - started < 20


def test_comments_still_post_when_the_cache_is_down(cache_down, client, settings, article):
    settings.COMMENTS_HOLD_BY_DEFAULT = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(
        f"/commenti/articolo/{article.pk}/",
        comment_post_data(name="Anna", email="anna@example.org", body="Finalmente."),
        HTTP_SEC_FETCH_SITE="same-origin",
        REMOTE_ADDR="192.0.2.1",
    )
    assert response.status_code == 302
    assert Comment.objects.get().body == "Finalmente."
    assert "Finalmente." in client.get(article.get_absolute_url()).content.decode()


def test_edits_show_at_once_when_the_cache_is_down(cache_down, client, article, section):
    """Nothing is remembered without a content version to tell when it goes stale."""
    url = article.get_absolute_url()
    client.get(url)
    section.name = "Tecnologie"
    section.save()
    article.title = "Il porto ha un nuovo volto"
    article.save()
    page = client.get(url).content.decode()
    assert ">Tecnologie</a>" in page and "Il porto ha un nuovo volto" in page


def test_editors_still_edit_when_the_cache_is_down(cache_down, editor_client, article):
    # The edit page keeps its "someone else is editing" note in the cache.
    assert editor_client.get(change_url(article)).status_code == 200


class RedisLink:
    """A TCP relay to the local Redis that the test can cut and restore, as an outage would."""

    def __init__(self):
        self.port = free_port()
        self.sockets = []
        self.listener = None

    def up(self):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def down(self):
        for sock in [self.listener, *self.sockets]:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets = []

    def _accept(self, listener):
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", 6379))
            self.sockets += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, target), daemon=True).start()

    @staticmethod
    def _pipe(source, target):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                target.sendall(data)
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_RDWR)


def test_caching_resumes_by_itself_when_redis_is_back(
    settings, client, article, django_assert_num_queries
):
    if not redis_answers():
        pytest.skip("Redis does not answer on 127.0.0.1:6379.")
    link = RedisLink()
    link.up()
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache_backends.FailSoftRedisCache",
            "LOCATION": f"redis://127.0.0.1:{link.port}/13",
            "KEY_PREFIX": f"faults-{link.port}",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    url = article.get_absolute_url()
    try:
        client.get(url)
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200  # from Redis

        link.down()
        for _ in range(2):
            response = client.get(url)  # uncached: the view queries again
            assert response.status_code == 200
            assert "Il porto cambia volto" in response.content.decode()

        link.up()
        client.get(url)
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200  # from Redis again
    finally:
        link.down()
