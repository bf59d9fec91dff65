"""
With Redis, a hit on a page this process kept asks Redis nothing, and an edit
made anywhere still shows at the next request (newsroom/tracking.py).

"Another server" here is another Redis connection writing the keys, as a
server process elsewhere would: nothing in this process is told but by Redis.
"""

import logging

import pytest
from django.core.cache import caches

from articles.models import Article
from newsroom import cache as page_cache
from newsroom import tracking
from tests.newsroom.conftest import moves_the_version

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("redis_cache")]


def kept_and_known(client, url):
    """Read until this process keeps the page and knows it is the shared one."""
    client.get(url)  # rendered, stored, kept
    client.get(url)  # the version and validators read from Redis, then known
    return client.get(url)


def test_a_hit_on_a_kept_page_asks_redis_nothing(
    client, article, cache_reads, django_assert_num_queries
):
    url = article.get_absolute_url()
    first = kept_and_known(client, url)
    cache_reads.clear()
    with django_assert_num_queries(0):
        response = client.get(url)
        conditional = client.get(url, headers={"if-none-match": first["ETag"]})
    assert response["Cache-Status"] == "Notizie; hit"
    assert "Il porto cambia volto" in response.content.decode()
    assert conditional.status_code == 304
    assert cache_reads == []


def test_a_browser_revalidating_a_page_this_process_never_kept_asks_redis_once(
    client, article, cache_reads
):
    url = article.get_absolute_url()
    etag = client.get(url)["ETag"]
    page_cache.recent_pages.clear()  # as in another server process
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    cache_reads.clear()
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    assert cache_reads == []


def test_an_edit_through_another_server_shows_at_the_next_request(client, article, elsewhere):
    url = article.get_absolute_url()
    kept_and_known(client, url)
    # Saved elsewhere: this process gets no signal, only Redis's word.
    Article.objects.filter(pk=article.pk).update(title="Il porto ha un nuovo volto")
    moves_the_version(elsewhere)
    response = client.get(url)
    assert "Il porto ha un nuovo volto" in response.content.decode()
    assert response["Cache-Status"] == "Notizie; fwd=miss; stored"


def test_a_copy_another_server_stored_last_is_the_one_answered(client, rf, article, elsewhere):
    url = article.get_absolute_url()
    first = kept_and_known(client, url)["ETag"]
    key = page_cache.PageCacheMiddleware.key(rf.get(url), "it")
    cache = caches["default"]
    # Another server rendered the page under the same version and stored its copy last.
    version, next_at, status, headers, content, _etag, modified = cache.get(key)
    other = (
        version,
        next_at,
        status,
        headers,
        content.replace(b"cambia", b"muta"),
        'W/"x"',
        modified,
    )
    elsewhere_cache = caches.create_connection("default")  # a client of its own
    elsewhere_cache.set_many(
        {key: other, page_cache.validators_key(key): page_cache.validators_of(other)}
    )
    response = client.get(url)
    assert response["ETag"] == 'W/"x"' != first
    assert "Il porto muta volto" in response.content.decode()


def test_a_kept_copy_that_is_not_the_shared_one_is_never_answered(client, rf, article):
    url = article.get_absolute_url()
    shared = kept_and_known(client, url)["ETag"]
    # A thread kept its own render just after another learnt of a newer shared
    # copy: what Redis last gave is known, and differs from the copy kept.
    key = page_cache.PageCacheMiddleware.key(rf.get(url), "it")
    *entry, _etag, modified = page_cache.recent_pages.get(key)
    page_cache.recent_pages.put(key, (*entry, 'W/"own"', modified))
    assert client.get(url)["ETag"] == shared


def test_with_the_tracking_connection_lost_every_hit_asks_redis(
    client, article, elsewhere, cache_reads, monkeypatch
):
    monkeypatch.setattr(tracking, "RETRY_EVERY", 3600)  # no new connection within the test
    url = article.get_absolute_url()
    kept_and_known(client, url)
    elsewhere.client_kill_filter(_type="pubsub")
    Article.objects.filter(pk=article.pk).update(title="Il porto ha un nuovo volto")
    moves_the_version(elsewhere)
    assert "Il porto ha un nuovo volto" in client.get(url).content.decode()
    cache_reads.clear()
    assert client.get(url)["Cache-Status"] == "Notizie; hit"
    assert page_cache.VERSION_KEY in {key for key, _size in cache_reads}


def test_tracking_comes_back_after_a_lost_connection(
    client, article, elsewhere, cache_reads, monkeypatch
):
    monkeypatch.setattr(tracking, "RETRY_EVERY", 0)
    url = article.get_absolute_url()
    kept_and_known(client, url)
    elsewhere.client_kill_filter(_type="pubsub")
    kept_and_known(client, url)  # a new connection, then the values read again
    cache_reads.clear()
    assert client.get(url)["Cache-Status"] == "Notizie; hit"
    assert cache_reads == []
    Article.objects.filter(pk=article.pk).update(title="Il porto ha un nuovo volto")
    moves_the_version(elsewhere)
    assert "Il porto ha un nuovo volto" in client.get(url).content.decode()


def test_a_flushed_redis_is_read_again(client, article, elsewhere):
    url = article.get_absolute_url()
    kept_and_known(client, url)
    Article.objects.filter(pk=article.pk).update(title="Il porto ha un nuovo volto")
    elsewhere.flushdb()
    assert "Il porto ha un nuovo volto" in client.get(url).content.decode()


def test_changes_that_stop_arriving_are_noticed(client, article, elsewhere, monkeypatch, caplog):
    url = article.get_absolute_url()
    kept_and_known(client, url)
    # The connection stays up but the names of changed keys no longer arrive.
    monkeypatch.setattr(tracking.Tracking, "_apply", lambda self, message: None)
    Article.objects.filter(pk=article.pk).update(title="Il porto ha un nuovo volto")
    moves_the_version(elsewhere)
    # Until PAGE_CACHE_TRUST_SECONDS have passed since the version was read...
    assert "Il porto cambia volto" in client.get(url).content.decode()
    later = tracking.monotonic() + 2
    monkeypatch.setattr(tracking, "monotonic", lambda: later)
    # ... then it is read from Redis, found changed, and the connection replaced.
    with caplog.at_level(logging.WARNING, logger="newsroom.tracking"):
        assert "Il porto ha un nuovo volto" in client.get(url).content.decode()
    assert "missed a change" in caplog.text


def test_tracking_can_be_switched_off(client, article, settings, cache_reads):
    settings.PAGE_CACHE_TRUST_SECONDS = 0
    url = article.get_absolute_url()
    kept_and_known(client, url)
    cache_reads.clear()
    assert client.get(url)["Cache-Status"] == "Notizie; hit"
    assert page_cache.VERSION_KEY in {key for key, _size in cache_reads}
