"""
The page cache's tests' common ground: the article they read, what they read
from the cache, the page cache on Redis in this process, and another server's
view of that Redis.
"""

import pytest
import redis
from django.core.cache import caches

from newsroom import cache as page_cache
from tests.newsroom.test_cache_multiprocess import redis_answers

REDIS_URL = "redis://127.0.0.1:6379/12"  # a database of its own


@pytest.fixture
def article(make_article, author):
    return make_article("Il porto cambia volto", authors=[author], tags=["Porti"])


@pytest.fixture
def cache_reads(monkeypatch):
    """The keys read from the shared cache, and the size of what each read returned."""
    reads = []
    # The cache set up now (Redis, after ``redis_cache``), not the settings' proxy,
    # which may point elsewhere when the patch is undone.
    cache = caches["default"]
    get, get_many = cache.get, cache.get_many

    def recording_get(key, *args, **kwargs):
        value = get(key, *args, **kwargs)
        reads.append((key, len(repr(value))))
        return value

    def recording_get_many(keys, **kwargs):
        found = get_many(keys, **kwargs)
        reads.extend((key, len(repr(found.get(key)))) for key in keys)
        return found

    monkeypatch.setattr(cache, "get", recording_get)
    monkeypatch.setattr(cache, "get_many", recording_get_many)
    return reads


@pytest.fixture
def redis_cache(settings):
    """The page cache on Redis, as in production, with what it knows of Redis forgotten after."""
    if not redis_answers():
        pytest.skip("Redis does not answer on 127.0.0.1:6379.")
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache_backends.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "test-tracking",
        }
    }
    caches["default"].clear()
    page_cache.recent_pages.clear()
    yield caches["default"]
    page_cache.stop_tracking()
    page_cache.recent_pages.clear()
    caches["default"].clear()


@pytest.fixture
def elsewhere(redis_cache):
    """Another server's connection to the same Redis: nothing in this process hears of it."""
    client = redis.Redis.from_url(REDIS_URL)
    yield client
    client.close()


def moves_the_version(elsewhere):
    """What another server's write does to the shared cache."""
    elsewhere.set(caches["default"].make_key(page_cache.VERSION_KEY), b"1")
