"""The Redis cache keeps one client per connection pool (newsroom/cache_backends.py)."""

import threading

import pytest
from django.core.cache.backends.redis import RedisCacheClient

from newsroom.cache_backends import FailSoftRedisCache
from tests.newsroom.test_cache_multiprocess import redis_answers

pytestmark = pytest.mark.skipif(not redis_answers(), reason="Redis does not answer on :6379.")


@pytest.fixture
def redis_cache():
    cache = FailSoftRedisCache("redis://127.0.0.1:6379/13", {"KEY_PREFIX": "test-backends"})
    yield cache
    cache.clear()


def test_every_call_and_every_thread_share_one_client(redis_cache):
    clients = []

    def use():
        redis_cache.set("key", "value")
        assert redis_cache.get("key") == "value"
        clients.append(redis_cache._cache.get_client())

    threads = [threading.Thread(target=use) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    use()
    assert len(clients) == 5
    assert len({id(client) for client in clients}) == 1


def test_django_own_client_makes_a_new_one_per_call():
    # What the subclass is for: if Django ever reuses its clients, it can go.
    client = RedisCacheClient(["redis://127.0.0.1:6379/13"])
    assert client.get_client() is not client.get_client()
