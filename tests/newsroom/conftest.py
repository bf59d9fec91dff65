"""
The page cache's tests' common ground: the article they read, and the page
cache on each of its backends in this process.
"""

import os

import pytest
from django.core.cache import caches

from tests.newsroom.test_cache_multiprocess import redis_answers

REDIS_URL = "redis://127.0.0.1:6379/12"  # a database of its own


@pytest.fixture
def article(make_article, author):
    return make_article("Il porto cambia volto", authors=[author], tags=["Porti"])


@pytest.fixture
def redis_cache(settings):
    """The page cache on Redis, as in production, emptied before and after."""
    require_redis()
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache_backends.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "test-page-cache",
        }
    }
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


def require_redis() -> None:
    """Skipped without Redis on a developer's machine; in CI, where it must run, failed."""
    if not redis_answers():
        message = "Redis does not answer on 127.0.0.1:6379."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(params=["locmem", "file", "redis"])
def any_cache(request, settings, tmp_path):
    """Each backend the page cache runs on: local memory, a shared directory, Redis."""
    if request.param == "redis":
        yield request.getfixturevalue("redis_cache")
        return
    if request.param == "file":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path / "cache"),
            }
        }
    caches["default"].clear()
    yield caches["default"]
