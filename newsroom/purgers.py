"""
Purging the edge: once a write commits, the pages it touched leave the caches
in front of Notizie, found by the tags each page carries (``cachetags``).

``get_purger()`` is the purger ``PAGE_CACHE_PURGER`` names:

- ``none`` (``NoPurger``): nothing in front purges by tag; a page there lives
  its max-age (nginx alone, ``deploy/nginx.conf``);
- ``varnish`` (``VarnishPurger``): a PURGE request to each of
  ``VARNISH_URLS``, as ``deploy/varnish.vcl`` takes it;
- ``fastly`` (``FastlyPurger``): Fastly's purge by surrogate key.

``purge()`` never raises: an editor's save must never fail because of the
edge. A purge that fails is logged and sent again by a background thread
(``Retry``) until it is delivered.
"""

import http.client
import json
import logging
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)


class PurgeFailed(Exception):
    """A cache answered a purge request with something other than success."""


class Purger:
    """Removes the pages that carry any of some tags from the caches in front."""

    # The response header the cache reads a page's tags from.
    tag_header = "xkey"

    def purge(self, tags: Collection[str]) -> None:
        """Purge the pages tagged with any of ``tags``. Never raises."""
        raise NotImplementedError

    def close(self) -> None:
        """Stop what runs in the background; purges still waiting are dropped."""


class NoPurger(Purger):
    def purge(self, tags: Collection[str]) -> None:
        pass


class HTTPPurger(Purger):
    """
    A purger that sends its requests to one or several destinations, each
    tried at once, in the caller's thread (an editor who saves then finds the
    pages purged); what fails there is left to ``Retry``. A destination
    already waiting for a retry is not tried again by the caller: its purge
    joins the others, so that a cache that is down holds one save at most,
    for ``timeout`` seconds at most.
    """

    def __init__(
        self,
        destinations: Iterable[str],
        *,
        timeout: float = 2.0,
        retry_delay: float = 1.0,
        max_retry_delay: float = 60.0,
        max_waiting_tags: int = 10_000,
    ):
        self.destinations = list(destinations)
        self.timeout = timeout
        self.retry = Retry(
            self.send,
            first_delay=retry_delay,
            max_delay=max_retry_delay,
            max_tags=max_waiting_tags,
        )

    def purge(self, tags: Collection[str]) -> None:
        if isinstance(tags, str):
            tags = [tags]
        try:
            tags = sorted({str(tag).strip() for tag in tags} - {""})
            if not tags:
                return
            for destination in self.destinations:
                if self.retry.waiting(destination):
                    self.retry.add(destination, tags)
                    continue
                try:
                    self.send(destination, tags)
                except Exception as error:
                    self.retry.add(destination, tags, error)
        except Exception:
            logger.exception("Purging %s failed.", tags)

    def send(self, destination: str, tags: list[str]) -> None:
        """Deliver one purge of ``tags`` to ``destination``, or raise."""
        raise NotImplementedError

    def close(self) -> None:
        self.retry.close()


class VarnishPurger(HTTPPurger):
    """PURGE requests to each Varnish of ``urls``, running deploy/varnish.vcl."""

    # Bytes of tags per request: Varnish refuses a request header line longer
    # than http_req_hdr_len (8 KB by default).
    max_header = 4000

    def __init__(self, urls: Iterable[str], token: str, **options):
        super().__init__(urls, **options)
        self.token = token

    def send(self, url: str, tags: list[str]) -> None:
        headers = {"X-Purge-Token": self.token}
        for batch in batches(tags, max_chars=self.max_header):
            status, response_headers, _ = request(
                "PURGE", url, {**headers, "xkey-purge": " ".join(batch)}, timeout=self.timeout
            )
            if status != 200:
                raise PurgeFailed(f"HTTP {status}")
            logger.debug(
                "Purged %s objects at %s (%d tags).",
                response_headers.get("xkey-purged", "?"),
                url,
                len(batch),
            )


class FastlyPurger(HTTPPurger):
    """Fastly's purge of many surrogate keys at once, for one service."""

    api_url = "https://api.fastly.com"
    # Fastly reads a page's keys from this header, and hides it from readers.
    tag_header = "Surrogate-Key"
    # The most keys one request may purge.
    max_keys = 256

    def __init__(self, service_id: str, api_token: str, *, api_url: str | None = None, **options):
        options.setdefault("timeout", 5.0)
        base = (api_url or self.api_url).rstrip("/")
        super().__init__([f"{base}/service/{quote(service_id, safe='')}/purge"], **options)
        self.api_token = api_token

    def send(self, url: str, tags: list[str]) -> None:
        headers = {
            "Fastly-Key": self.api_token,
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        for batch in batches(tags, max_count=self.max_keys):
            body = json.dumps({"surrogate_keys": batch}).encode()
            status, _, _ = request("POST", url, headers, body, timeout=self.timeout)
            if status != 200:
                raise PurgeFailed(f"HTTP {status}")


def batches(tags: list[str], *, max_count=None, max_chars=None) -> Iterator[list[str]]:
    """``tags`` in runs of at most ``max_count`` tags, or ``max_chars`` once space-joined."""
    batch, size = [], 0
    for tag in tags:
        full = max_count is not None and len(batch) >= max_count
        too_long = max_chars is not None and size + len(tag) > max_chars
        if batch and (full or too_long):
            yield batch
            batch, size = [], 0
        batch.append(tag)
        size += len(tag) + 1
    if batch:
        yield batch


def request(method, url, headers, body=None, *, timeout):
    """One request on a connection of its own: (status, headers, body)."""
    parts = urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, parts.path or "/", body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.msg, response.read(64 * 1024)
    finally:
        connection.close()


@dataclass
class Waiting:
    """The purges waiting for one destination, merged."""

    tags: set[str] = field(default_factory=set)
    delay: float = 0.0
    due: float = 0.0
    sending: bool = False
    failures: int = 0
    failures_unreported: int = 0
    warned_at: float = float("-inf")


class Retry:
    """
    Purges that failed, sent again by one daemon thread, started at the first
    failure. Per destination, the tags of every failed purge are merged into
    one set and sent together, after a delay that doubles at each failure, up
    to ``max_delay``; a delivery ends it. At most ``max_tags`` tags wait per
    destination: more are dropped, and their pages live out their s-maxage.
    Warnings come at most once a minute per destination, with the count of
    failures since the last one.
    """

    warn_every = 60.0

    def __init__(
        self,
        send: Callable[[str, list[str]], None],
        *,
        first_delay: float,
        max_delay: float,
        max_tags: int,
    ):
        self.send = send
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.max_tags = max_tags
        self._waiting: dict[str, Waiting] = {}
        self._condition = threading.Condition()
        self._thread = None
        self._closed = False

    def waiting(self, destination: str) -> bool:
        with self._condition:
            return destination in self._waiting

    def add(self, destination: str, tags: Iterable[str], error: Exception | None = None) -> None:
        """Send ``tags`` to ``destination`` later; ``error``: why they failed now."""
        with self._condition:
            if self._closed:
                return
            waiting = self._waiting.get(destination)
            if waiting is None:
                waiting = self._waiting[destination] = Waiting(delay=self.first_delay)
                waiting.due = time.monotonic() + waiting.delay
            self._merge(destination, waiting, tags)
            if error is not None:
                self._failed(destination, waiting, error)
            if self._thread is None or not self._thread.is_alive():
                # Started here, not at import: a forked worker starts its own.
                self._thread = threading.Thread(
                    target=self._run, name="notizie-purge-retry", daemon=True
                )
                self._thread.start()
            self._condition.notify()

    def close(self) -> None:
        with self._condition:
            self._closed = True
            self._waiting.clear()
            self._condition.notify()
        if self._thread is not None:
            self._thread.join(5)

    def _merge(self, destination, waiting, tags):
        new = set(tags) - waiting.tags
        room = self.max_tags - len(waiting.tags)
        if len(new) > room:
            logger.error(
                "%d tags to purge at %s dropped: %d wait already. Their pages stay "
                "there until their s-maxage.",
                len(new) - room,
                destination,
                len(waiting.tags),
            )
            new = set(sorted(new)[:room])
        waiting.tags |= new

    def _failed(self, destination, waiting, error):
        waiting.failures += 1
        waiting.failures_unreported += 1
        now = time.monotonic()
        if now - waiting.warned_at >= self.warn_every:
            logger.warning(
                "Purge at %s failed (%s): %d tags will be sent again in %.1f s "
                "(%d failures since the last warning).",
                destination,
                str(error) or type(error).__name__,
                len(waiting.tags),
                max(0.0, waiting.due - now),
                waiting.failures_unreported,
            )
            waiting.warned_at = now
            waiting.failures_unreported = 0

    def _next(self) -> tuple[str | None, float | None]:
        """The destination due now, else how long until the next one is."""
        now = time.monotonic()
        pending = [
            (waiting.due, destination)
            for destination, waiting in self._waiting.items()
            if waiting.tags and not waiting.sending
        ]
        if not pending:
            return None, None
        due, destination = min(pending)
        if due <= now:
            return destination, None
        return None, due - now

    def _run(self) -> None:
        while True:
            with self._condition:
                destination, wait = self._next()
                while destination is None and not self._closed:
                    self._condition.wait(wait)
                    destination, wait = self._next()
                if self._closed:
                    return
                waiting = self._waiting[destination]
                tags = sorted(waiting.tags)
                waiting.tags.clear()
                waiting.sending = True
            try:
                self.send(destination, tags)
            except Exception as error:
                with self._condition:
                    waiting.sending = False
                    waiting.delay = min(waiting.delay * 2, self.max_delay)
                    waiting.due = time.monotonic() + waiting.delay
                    self._merge(destination, waiting, tags)
                    self._failed(destination, waiting, error)
            else:
                with self._condition:
                    waiting.sending = False
                    if waiting.tags:
                        # Purges that came while this one went: the cache is back.
                        waiting.due = time.monotonic()
                    elif self._waiting.get(destination) is waiting:
                        del self._waiting[destination]
                logger.info(
                    "Purge at %s delivered after %d failures (%d tags).",
                    destination,
                    waiting.failures,
                    len(tags),
                )


@cache
def get_purger() -> Purger:
    """The purger the settings name, built once per process."""
    kind = settings.PAGE_CACHE_PURGER
    if kind == "none":
        return NoPurger()
    if kind == "varnish":
        return VarnishPurger(settings.VARNISH_URLS, settings.PURGE_TOKEN)
    if kind == "fastly":
        return FastlyPurger(settings.FASTLY_SERVICE_ID, settings.FASTLY_API_TOKEN)
    raise ImproperlyConfigured(f"PAGE_CACHE_PURGER={kind!r}: use none, varnish or fastly.")
