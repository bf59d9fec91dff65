"""
A cache that fails soft: when the cache server is down or slow, every read is
a miss and every write is dropped, with a warning in the log, instead of an
exception that would make every page a 500.

Everything Notizie keeps in the cache can be lost at any time anyway (pages,
the content version, who has an edit page open), so a cache that is gone is
only a slower site. When Redis is back, the client reconnects by itself on the
next call and caching resumes; pages stored before the outage are then only
as old as their timeout allows, and the versions' counter, if lost, restarts
past every value handed out (``newsroom.cache.current_version``).
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Builtin ConnectionError and TimeoutError are OSErrors.
FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)

# At most one warning per this many seconds: an outage under load would
# otherwise write one line per cache call.
WARN_EVERY = 10.0


class FailSoftMixin:
    """Put before a cache backend class: its failures become misses and no-ops."""

    _last_warning = 0.0

    def _failed(self, operation, error):
        now = time.monotonic()
        if now - FailSoftMixin._last_warning >= WARN_EVERY:
            FailSoftMixin._last_warning = now
            logger.warning("Cache unavailable (%s: %r): serving without it.", operation, error)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except FAILURES as error:
            self._failed("get", error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except FAILURES as error:
            self._failed("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except FAILURES as error:
            self._failed("has_key", error)
            return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except FAILURES as error:
            self._failed("add", error)
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout, version)
        except FAILURES as error:
            self._failed("set", error)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except FAILURES as error:
            self._failed("set_many", error)
            return list(data)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except FAILURES as error:
            self._failed("touch", error)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except FAILURES as error:
            self._failed("incr", error)
            # What a missing key answers: callers already handle it.
            raise ValueError(f"Key '{key}' not found (cache unavailable).") from error

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except FAILURES as error:
            self._failed("delete", error)
            return False

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except FAILURES as error:
            self._failed("delete_many", error)

    def clear(self):
        try:
            return super().clear()
        except FAILURES as error:
            self._failed("clear", error)
            return False


class FailSoftRedisCache(FailSoftMixin, RedisCache):
    """Django's RedisCache, failing soft (see the module docstring)."""
