"""
The page cache: readers' pages stored whole, valid while nothing they show changed.

A page is stored with the cache tags of what it was built from (``cachetags``:
``article:12``, ``section:3``, ``home``…), collected while it renders, and
with the version that was current when its render began. Each tag has a
version in the cache too, moved by every write that touches it
(``newsroom/invalidation.py``). A stored page answers while none of its tags
moved since its render began (the page and its tags' versions are read in one
``get_many``): an approved comment on one story makes that
story's page and the teasers that show its count stale, and leaves the rest of
the site cached.

Versions come from one counter in the cache (``SEQ_KEY``) and only move
forward. A cache that goes back in time (Redis restored from an older
snapshot) would bring back versions under which stale pages look current; each
process remembers the highest version it has seen, and on finding the counter
below it moves the counter past it and declares every page older than that
stale (``FLOOR_KEY``).

No page outlives the next scheduled publication: an article goes public at its
time with no job running, so lists are stored only until then, and tell
browsers and the edge as much (``Cache-Control``).

The same tags go out in a header for the edge cache in front (``xkey`` for
Varnish, ``Surrogate-Key`` for Fastly), which a write purges by tag
(``newsroom/purgers.py``); with a
purger configured the edge may keep pages long (``s-maxage``), as purges are
exact. Browsers get a short ``max-age``.

Query parameters that the page does not read (tracking tags on shared links)
are dropped before the lookup, so a story shared a thousand times stays one
entry; a page the view declares not worth storing (``cachetags.do_not_store``:
an unknown comment to answer, a page of comments that does not exist) is
served and forgotten.

Every answer says what the cache did in a ``Cache-Status`` header (RFC 9211).
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date, parse_http_date_safe

import cachetags
from articles.models import Article
from comments.views import HELD_NOTICE, NOTICE_PARAM, PAGE_PARAM, REPLY_PARAM

from .purgers import get_purger

SEQ_KEY = "pages:seq"  # the last version handed out
FLOOR_KEY = "pages:floor"  # pages whose render began before it are stale
NEXT_KEY = "pages:next"  # when the next scheduled article goes public
TAG_KEY_PREFIX = "pages:tag:"
PAGE_KEY_PREFIX = "pages:page:"

# The reader pages that are stored, by URL name, and the query parameters each
# reads; any other parameter is dropped before the key is made and the view
# runs. Everything else is never stored: the admin, preview links, comment
# endpoints, pages that query nothing, and search, whose every query would be
# a new entry.
STORED_VIEWS = {
    "home": (),
    "sitemap": (),
    "news_sitemap": (),
    "sitemap_section": ("p",),
    "articles:feed": (),
    "articles:feed_atom": (),
    "articles:section_feed": (),
    "articles:section_feed_atom": (),
    "articles:tag_feed": (),
    "articles:tag_feed_atom": (),
    "articles:author_feed": (),
    "articles:author_feed_atom": (),
    "articles:author": ("page",),
    "articles:tag": ("page",),
    "articles:section": ("page",),
    "articles:detail": (PAGE_PARAM, REPLY_PARAM),
}

# Headers that belong to one answer, not to the stored page.
UNSTORED_HEADERS = {
    "cache-control",
    "cache-status",
    "content-length",
    "date",
    "etag",
    "expires",
    "last-modified",
    "set-cookie",
    "vary",
}

# What the page cache did for a response (RFC 9211): served a stored page;
# rendered the page and stored it; rendered a page it may not store.
HIT = "Notizie; hit"
STORED = "Notizie; fwd=miss; stored"
NOT_STORED = "Notizie; fwd=miss"

# Versions ----------------------------------------------------------------------

# The highest version this process has seen. Threads may race on it
# harmlessly: it only grows, and a lower value read only delays noticing a
# cache that went back in time.
_highest_seen = 0


def _saw(version: int) -> None:
    global _highest_seen
    _highest_seen = max(_highest_seen, version)


def tag_key(tag: str) -> str:
    return f"{TAG_KEY_PREFIX}{tag}"


def _start_value() -> int:
    """Where the counter starts when the cache lost it: past every version handed out."""
    return max(time.time_ns() // 1000, _highest_seen + 1)


def next_version() -> int:
    """A version no earlier write had (one round trip; two when the counter was lost)."""
    try:
        version = cache.incr(SEQ_KEY)
    except ValueError:
        cache.add(SEQ_KEY, _start_value(), timeout=None)
        try:
            version = cache.incr(SEQ_KEY)
        except ValueError:  # the cache is unreachable
            return _start_value()
    _saw(version)
    return version


def current_version(found: dict | None = None) -> int | None:
    """
    The counter's value, from ``found`` (a ``get_many`` that read it) or read
    here; None while the cache is unreachable or has gone back in time, when
    no stored page can be trusted.
    """
    version = cache.get(SEQ_KEY) if found is None else found.get(SEQ_KEY)
    if version is None:
        # Lost (evicted, flushed): started again past every version handed out.
        cache.add(SEQ_KEY, _start_value(), timeout=None)
        version = cache.get(SEQ_KEY)
        if version is None:
            return None
    if version < _highest_seen:
        # Restored from an older snapshot: versions below what this process
        # saw were handed out again, or will be. Move past them, and stop
        # trusting every page stored before.
        invalidate_everything(past=_highest_seen)
        return None
    _saw(version)
    return version


def invalidate(tags) -> None:
    """Make every stored page showing any of ``tags`` stale, in every process."""
    tags = list(tags)
    if tags:
        version = next_version()
        cache.set_many({tag_key(tag): version for tag in tags}, timeout=None)


def invalidate_everything(past: int = 0) -> None:
    """
    Make every stored page stale, here (not at the edge): the cache went back
    in time. ``past``: the version the counter moves past first.
    """
    if past:
        cache.set(SEQ_KEY, past, timeout=None)
    cache.set(FLOOR_KEY, next_version(), timeout=None)


def next_publication() -> float | None:
    """When the next scheduled article goes public (a timestamp), or None: one query per write."""
    stored = cache.get(NEXT_KEY)
    if stored is None or (stored and stored <= time.time()):
        first = (
            Article.objects.scheduled()
            .order_by("published_at")
            .values_list("published_at", flat=True)[:1]
        )
        stored = first[0].timestamp() if first else 0
        cache.set(NEXT_KEY, stored, timeout=settings.PAGE_CACHE_TIMEOUT)
    return stored or None


# Stored pages -------------------------------------------------------------------


@dataclass(frozen=True)
class StoredPage:
    """One stored page: what answers a reader, or a 304, without the view."""

    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes
    etag: str
    last_modified: int
    tags: tuple[str, ...]
    started: int  # the version current when its render began
    expires_at: float  # the next scheduled publication it knew of; 0: none

    @classmethod
    def of(cls, response, tags, started, expires_at, now) -> "StoredPage":
        content = response.content
        etag = response.get("ETag") or f'"{hashlib.sha256(content).hexdigest()[:32]}"'
        last_modified = parse_http_date_safe(response.get("Last-Modified", "")) or int(now)
        headers = tuple(
            (name, value)
            for name, value in response.items()
            if name.lower() not in UNSTORED_HEADERS
        )
        return cls(
            response.status_code,
            headers,
            content,
            etag,
            last_modified,
            tuple(sorted(tags)),
            started,
            expires_at or 0,
        )

    def version_keys(self) -> list[str]:
        """What ``is_current()`` reads: the counter, the floor, the page's tags."""
        return [SEQ_KEY, FLOOR_KEY, *map(tag_key, self.tags)]

    def is_current(self, now, found=None) -> bool:
        """
        Whether no tag of the page moved since its render began, nor did the
        floor, and no scheduled article went public since. ``found``: the
        ``version_keys()`` as a ``get_many`` read them; else they are read here.
        """
        if self.expires_at and self.expires_at <= now:
            return False
        if found is None:
            found = cache.get_many(self.version_keys())
        if current_version(found) is None:
            return False
        if found.get(FLOOR_KEY, 0) > self.started:
            return False
        for tag in self.tags:
            version = found.get(tag_key(tag))
            if version is None:
                # Evicted: when it last moved is unknown. From now on it is known.
                cache.add(tag_key(tag), self.started, timeout=None)
                return False
            if version > self.started:
                return False
        return True

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content, status=self.status, headers=dict(self.headers))
        response.headers["ETag"] = self.etag
        response.headers["Last-Modified"] = http_date(self.last_modified)
        return response


# The tags of the pages this process looked up or stored lately, by key: with
# them, a lookup reads the page and every version it needs at once.
_tags_of: dict[str, tuple[str, ...]] = {}
TAGS_REMEMBERED = 10_000


def lookup(key, now) -> StoredPage | None:
    """
    The page stored under ``key`` if it is current: one ``get_many`` for a
    page whose tags this process knows, a second for one it does not.
    """
    known = _tags_of.get(key, ())
    found = cache.get_many([key, SEQ_KEY, FLOOR_KEY, *map(tag_key, known)])
    page = found.get(key)
    if page is None:
        return None
    if page.tags != known:
        remember_tags(key, page)
        found |= cache.get_many(page.version_keys())
    return page if page.is_current(now, found) else None


def remember_tags(key, page: StoredPage) -> None:
    if len(_tags_of) >= TAGS_REMEMBERED:
        _tags_of.clear()  # rare, and only costs each page one more read
    _tags_of[key] = page.tags


def store(key, page: StoredPage, timeout: int) -> dict:
    """
    Keep ``page``, and a version for each of its tags that never had one.
    Returns its ``version_keys()`` as read once it was stored.
    """
    cache.set(key, page, timeout=timeout)
    remember_tags(key, page)
    found = cache.get_many(page.version_keys())
    for tag in page.tags:
        # Never moved: current since before the render began. add(), not
        # set(): a write that moved it meanwhile must win.
        if tag_key(tag) not in found and cache.add(tag_key(tag), page.started, timeout=None):
            found[tag_key(tag)] = page.started
    return found


# The middleware ----------------------------------------------------------------


def stored_view(path: str) -> str | None:
    """The URL name of ``path`` if it is a page that is stored, else None."""
    try:
        name = resolve(path).view_name
    except Resolver404:
        return None
    return name if name in STORED_VIEWS else None


def edge_is_purged() -> bool:
    """Whether writes purge an edge cache in front, which may then keep pages long."""
    return settings.PAGE_CACHE_PURGER != "none"


class PageCacheMiddleware:
    """
    Serve anonymous readers' pages from the cache, store them there, and tag
    them for the edge.

    Sits right after WhiteNoise and the database guard, before everything a hit
    does not need: the response it stores has been through every other
    middleware (security headers, language, CSP), so a hit is answered here. It
    also sees every cookie the inner ones set: a response that sets a cookie,
    touches the session or carries a CSRF token is never stored.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = self.reader_page(request)
        if view is None or not (settings.PAGE_CACHE_ENABLED or edge_is_purged()):
            return self.get_response(request)
        if not self.known_host(request):
            return self.not_stored(self.get_response(request))
        self.keep_read_parameters(request, STORED_VIEWS[view])
        now = time.time()
        # The language LocaleMiddleware, further in, will choose: part of the key.
        language = translation.get_language_from_request(request)
        key = self.key(request, language)

        if settings.PAGE_CACHE_ENABLED:
            page = lookup(key, now)
            if page is not None:
                return self.respond(request, page, HIT, now)

        started = current_version() if settings.PAGE_CACHE_ENABLED else None
        next_at = next_publication()
        with cachetags.collect() as collected:
            response = self.get_response(request)
        collected.tags.add(cachetags.SITE)  # the site's name and domain are on every page
        timeout = settings.PAGE_CACHE_TIMEOUT
        if next_at is not None:
            timeout = min(timeout, math.floor(next_at - now))
        if (
            not collected.storable
            or not self.storable(request, response)
            or timeout < 1
            # The language the page was rendered in must be the one in its key.
            or getattr(request, "LANGUAGE_CODE", None) != language
        ):
            return self.not_stored(response)
        response.headers[get_purger().tag_header] = " ".join(sorted(collected.tags))
        page = StoredPage.of(response, collected.tags, started or 0, next_at, now)
        if not settings.PAGE_CACHE_ENABLED or started is None:
            # Not kept here (no cache, or no version to tell when it goes
            # stale); the edge may still keep it.
            return self.respond(request, page, NOT_STORED, now)
        found = store(key, page, timeout)
        if not page.is_current(now, found):
            # A write moved one of its tags while it rendered (another request,
            # another server): it may show the rows of before, and the write's
            # purge may have reached the edge before it does. For this reader only.
            return self.not_stored(response)
        return self.respond(request, page, STORED, now)

    @staticmethod
    def not_stored(response):
        """A reader page kept nowhere, here or at the edge."""
        if "Cache-Control" not in response:
            add_never_cache_headers(response)
        response.headers["Cache-Status"] = NOT_STORED
        return response

    @staticmethod
    def reader_page(request) -> str | None:
        """The URL name of a stored page, if a stored copy may answer this request."""
        if request.method not in ("GET", "HEAD"):
            return None
        # Staff: the session cookie is only ever set by logging in.
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return None
        # A reader back from a held comment sees a notice meant for them alone.
        if request.GET.get(NOTICE_PARAM) == HELD_NOTICE:
            return None
        return stored_view(request.path_info)

    @staticmethod
    def known_host(request) -> bool:
        """
        Whether the Host names a port of the configuration (none, or the one
        ``SITE_DOMAIN`` or ``ALLOWED_HOSTS`` spells): any other would be a key
        of its own for the same page.
        """
        host = request.get_host()
        port = host.rpartition(":")[2]
        if not port.isdigit() or host.endswith("]"):
            return True
        return (
            port == request.META.get("SERVER_PORT")
            or host == settings.SITE_DOMAIN
            or host in settings.ALLOWED_HOSTS
        )

    @staticmethod
    def keep_read_parameters(request, names) -> None:
        """Drop the query parameters the page does not read; keep the others in one order."""
        if not request.GET:
            return
        kept = QueryDict(mutable=True)
        for name in names:
            if name in request.GET:
                kept.setlist(name, request.GET.getlist(name))
        query = kept.urlencode()
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)

    @staticmethod
    def key(request, language) -> str:
        # Scheme, host, path and query: pages print canonical and feed links with them.
        url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        return f"{PAGE_KEY_PREFIX}{language}:{url}"

    @staticmethod
    def storable(request, response) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        # A CSRF token or the session in the page would be someone else's.
        if "CSRF_COOKIE_NEEDS_UPDATE" in request.META:
            return False
        session = getattr(request, "session", None)
        if session is not None and session.accessed:
            return False
        cache_control = response.get("Cache-Control", "")
        return not any(word in cache_control for word in ("private", "no-cache", "no-store"))

    @classmethod
    def respond(cls, request, page: StoredPage, status, now):
        """The stored page as a response: 304 when the browser's copy matches."""
        response = page.response()
        response.headers["Cache-Status"] = status
        cls.add_caching_headers(request, response, page.expires_at or None, now)
        return get_conditional_response(
            request, etag=page.etag, last_modified=page.last_modified, response=response
        )

    @staticmethod
    def add_caching_headers(request, response, next_at, now) -> None:
        """What browsers and the edge may do with the page: ``Cache-Control``, ``Vary``."""
        patch_vary_headers(response, ("Accept-Language",))
        left = math.inf if next_at is None else max(0, math.floor(next_at - now))
        max_age = min(settings.PAGE_CACHE_MAX_AGE, left)
        if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
            # The language was chosen by a cookie, which the page does not
            # Vary on (so that the edge keeps one copy per language, whatever
            # other cookies readers carry): it must not store this copy.
            patch_cache_control(response, private=True, max_age=max_age)
            return
        patch_cache_control(
            response,
            public=True,
            max_age=max_age,
            stale_while_revalidate=settings.PAGE_CACHE_STALE_WHILE_REVALIDATE,
        )
        if edge_is_purged():
            # Writes purge the edge exactly: it may keep the page long.
            patch_cache_control(response, s_maxage=min(settings.PAGE_CACHE_EDGE_MAX_AGE, left))
