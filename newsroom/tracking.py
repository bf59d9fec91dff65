"""
What this process may know of the shared cache without asking it, because
Redis tells it of every change: server-assisted client-side caching (Redis's
``CLIENT TRACKING``, broadcast mode), for the few bytes every page-cache hit
reads, the content version and the page's validators.

Without it, every hit asks Redis for them: one round trip, about half of what
a hit costs the server. With it, each server process keeps one connection of
its own on which Redis sends the names of the keys under the tracked prefixes
as they change (set, deleted, expired, evicted, flushed), and reads what has
arrived there, without waiting, before it trusts a value it knows. Redis queues
those names in the same pass of its event loop as its answer to the write that
changed them, before it writes any answer out (``beforeSleep()`` in Redis's
``server.c``): on one machine, a reader who asks after an edit was saved finds
its key named there.
Across a network, a lost packet on that connection could delay it: no value is
trusted longer than ``PAGE_CACHE_TRUST_SECONDS`` after it was last read from
Redis, and a value read there that differs from the one known, with no change
named, restarts the connection (``Tracking.confirm``).

When the connection is lost, nothing is trusted until a new one is set up, and
each value is read again; every hit then asks Redis, as without tracking.
"""

import logging
import os
import threading
from collections import OrderedDict
from time import monotonic

logger = logging.getLogger(__name__)

CHANNEL = "__redis__:invalidate"

# At most this many keys known at once: the version and the validators of the
# pages each process keeps in memory (``RecentPages``) are far fewer.
MAX_KNOWN = 10_000

# After a lost connection, the next attempt waits this long (seconds), so that a
# Redis that is down does not cost every request a connection timeout.
RETRY_EVERY = 1.0

# At most one warning of a lost or refused connection per this many seconds:
# while Redis is down, every attempt fails.
WARN_EVERY = 10.0
_last_warning = -WARN_EVERY


def _warn_of_connection(message: str, error: Exception) -> None:
    global _last_warning
    now = monotonic()
    if now - _last_warning >= WARN_EVERY:
        _last_warning = now
        logger.warning(message, error)


class Tracking:
    """
    Keys of the shared cache whose values this process knows, for as long as
    Redis has named no change to them.

    ``connect``: makes a new redis-py connection to the cache's server.
    ``prefixes``: the beginnings of the keys to be told of.
    ``trust_seconds``: how long a value read from Redis is trusted at most.
    ``make_key``: the cache's, from the keys callers use to the keys stored.
    """

    def __init__(self, connect, prefixes, trust_seconds: float, make_key=str):
        self._connect = connect
        self._make_key = make_key
        self._prefixes = [make_key(prefix) for prefix in prefixes]
        self._trust_seconds = trust_seconds
        self._lock = threading.Lock()  # gunicorn's threads share one process
        self._connection = None
        self._pid = None
        self._retry_at = 0.0
        # Key: (value, when it was read from Redis).
        self._known: OrderedDict[str, tuple[object, float]] = OrderedDict()
        # Moves on every change named, so that a value read while one arrived
        # is not trusted (``confirm``).
        self._changes = 0

    def changes(self) -> int | None:
        """
        A mark to give ``confirm()`` for values about to be read from Redis;
        None while changes cannot be told (no connection).
        """
        with self._lock:
            if not self._poll():
                return None
            return self._changes

    def get_many(self, keys) -> dict:
        """The values of ``keys`` known here and still trusted: no round trip."""
        with self._lock:
            if not self._poll():
                return {}
            oldest = monotonic() - self._trust_seconds
            known = {}
            for key in keys:
                entry = self._known.get(self._make_key(key))
                if entry is not None and entry[1] >= oldest:
                    known[key] = entry[0]
            return known

    def confirm(self, values: dict, mark: int | None) -> None:
        """
        ``values`` were just read from Redis, after ``changes()`` gave ``mark``:
        known from now on, unless a change was named in the meantime.
        """
        if mark is None:
            return
        with self._lock:
            if not self._poll() or self._changes != mark:
                return  # a change named since: these values may be older than it
            if self._contradicted(values):
                # Redis names a change before it answers the write that made
                # it: a value known here that is no longer Redis's, with no
                # change named, means the names are not arriving. Unless they
                # are only late (a network), the connection is no good.
                if self._poll(wait=0.05) and self._changes == mark:
                    logger.warning("Cache tracking missed a change: reconnecting.")
                    self._drop()
                return
            now = monotonic()
            for key, value in values.items():
                stored = self._make_key(key)
                self._known[stored] = (value, now)
                self._known.move_to_end(stored)
            while len(self._known) > MAX_KNOWN:
                self._known.popitem(last=False)

    def forget(self, key) -> None:
        """This process changed ``key``: not to be trusted before Redis is read again."""
        with self._lock:
            self._known.pop(self._make_key(key), None)
            self._changes += 1

    def close(self) -> None:
        with self._lock:
            self._drop()

    # With the lock held ------------------------------------------------------

    def _contradicted(self, values: dict) -> bool:
        """Whether any of ``values`` differs from the value known for its key."""
        for key, value in values.items():
            entry = self._known.get(self._make_key(key))
            if entry is not None and entry[0] != value:
                return True
        return False

    def _poll(self, wait: float = 0) -> bool:
        """Apply the changes named so far; whether changes can be told at all."""
        if self._pid != os.getpid():
            # A forked worker: the parent's connection is not this process's.
            self._connection = None
            self._known.clear()
            self._pid = os.getpid()
        if self._connection is None and not self._start():
            return False
        connection = self._connection
        try:
            while connection.can_read(timeout=wait):
                wait = 0
                self._apply(connection.read_response())
        except Exception as error:  # redis-py's ConnectionError, OSError, a reply it cannot parse
            _warn_of_connection("Cache tracking lost its connection (%r): reading Redis.", error)
            self._drop()
            return False
        return True

    def _apply(self, message) -> None:
        kind, _channel, keys = message
        if kind != b"message":
            return
        self._changes += 1
        if keys is None:  # FLUSHDB, FLUSHALL: every key
            self._known.clear()
            return
        for key in keys:
            self._known.pop(key.decode(), None)

    def _start(self) -> bool:
        now = monotonic()
        if now < self._retry_at:
            return False
        self._retry_at = now + RETRY_EVERY
        connection = None
        try:
            connection = self._connect()
            connection.connect()
            # The names are sent to this very connection, as to a subscriber of
            # the invalidation channel: one connection that, when it goes, takes
            # its tracking with it, and says so.
            connection.send_command("CLIENT", "ID")
            client_id = connection.read_response()
            prefixes = [word for prefix in self._prefixes for word in ("PREFIX", prefix)]
            connection.send_command(
                "CLIENT", "TRACKING", "ON", "REDIRECT", client_id, "BCAST", *prefixes
            )
            connection.read_response()
            connection.send_command("SUBSCRIBE", CHANNEL)
            connection.read_response()
        except Exception as error:
            _warn_of_connection("Cache tracking unavailable (%r): reading Redis.", error)
            if connection is not None:
                connection.disconnect()
            return False
        # Whatever changed while there was no connection was not named.
        self._known.clear()
        self._changes += 1
        self._connection = connection
        return True

    def _drop(self) -> None:
        if self._connection is not None:
            self._connection.disconnect()
            self._connection = None
        self._known.clear()
        self._changes += 1
