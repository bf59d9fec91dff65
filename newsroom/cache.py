"""
The page cache: readers' pages stored whole, invalidated exactly by every write.

Every public page is a function of the published content, the URL and the
language. The content is summed up by one integer kept in the cache, the
*content version*; a page is stored under (language, absolute URL) stamped
with the version it was rendered under, and answers only while that is still
the version. So a write that bumps the version makes every stored page stale
at once, in every server process that shares the cache (Redis), without
listing or deleting keys; the next render of each page replaces its entry.

One version for the whole site, not one per article, on purpose: a teaser on
the home, section, tag and author pages shows an article's title, byline and
"N commenti", so almost any change to an article or its comments changes list
pages too. Correct first; a comment held for moderation bumps nothing.

The version moves:

- on the saves and deletions of the apps' models (receivers below, connected by
  ``NewsroomConfig.ready()``, so that the apps never import the project), once
  at the write and again when its transaction commits, so that a reader who
  rendered the old rows in between cannot leave them cached under the new version;
- when the clock passes the next scheduled publication: the first request
  after it bumps the version, and no stored page or ``max-age`` outlives it.

Query parameters that no page reads (tracking tags on shared links) are
dropped before the lookup, so a story shared a thousand times stays one entry.

Not covered, because Django sends no signal for them: ``bulk_create``,
``QuerySet.update`` and raw SQL on public content. Call ``content_changed()``
after those.

A hit costs one cache round trip (the version and the page together) and no
SQL; a conditional GET reads the version and the page's validators, a few
bytes, and answers 304 without reading the page or calling the view. The pages
a process served lately are also kept in its own memory (``RecentPages``): a
hit on one of those reads only the version and the validators, a few bytes,
not the page. With Redis, not even those: Redis tells each process of every
change to them (``tracking()``, ``newsroom/tracking.py``), and until it does,
the values read last are still the current ones. And a request the same as
one a hit answered gets that answer again without Django (``newsroom/replay.py``).

A miss is rendered once however many readers ask at once (the story everyone
is reading, just after an approved comment moved the version): the first takes
a lock in the shared cache (``cache.add``) and renders; the others wait for its
copy, up to ``PAGE_CACHE_RENDER_WAIT`` seconds, reading its validators every few
milliseconds, then answer with it. A render that stores nothing, or takes
longer, and they render the page themselves. (Django's file cache has no atomic
``add``: two processes may then both render, as without the lock.)

A stored page is the same for every reader but for one thing: the comment
form's token, which tells the too-fast rule when the form was shown. It is
stored as a placeholder and made anew for each answer (``comments.forms``), so
that a bot posting at once from a page stored minutes ago is still caught; such
pages carry a weak ETag, as their bytes differ from answer to answer.

Every answer says what the cache did in a ``Cache-Status`` header (RFC 9211):
``hit``, ``fwd=miss; stored``, ``fwd=miss; collapsed`` (waited for another's
render), ``fwd=miss`` (rendered, not stored).

In front, a CDN or reverse proxy may keep pages for ``PAGE_CACHE_MAX_AGE``
seconds (``Cache-Control: public, max-age, stale-while-revalidate``, ``Vary:
Accept-Language``): edits then reach its readers within that time, not at once.
Pages are not marked ``Vary: Cookie`` (readers' own cookies would split its
cache); a reader who chose a language with the switcher (the
``django_language`` cookie) gets ``private`` pages, which it must not store,
and it should pass such requests through (or add the cookie to its key).
"""

import hashlib
import math
import threading
import time
from collections import OrderedDict
from functools import lru_cache

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.test.signals import setting_changed
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe
from taggit.models import Tag, TaggedItem

from articles.models import Article, Byline, Section
from authors.models import Author
from comments.forms import STARTED_PLACEHOLDER, with_started_token, without_started_token
from comments.models import Comment
from comments.views import HELD_NOTICE, NOTICE_PARAM, PAGE_PARAM, REPLY_PARAM
from newsroom.tracking import Tracking
from wordpress import signals as wordpress_signals

VERSION_KEY = "pages:version"
# Every key of a stored page begins so (its entry, validators and render lock).
PAGE_KEY_PREFIX = "pages:page:"

# The reader pages stored whole, by URL name. Everything else is never stored:
# the admin, preview links, comment posting, reporting and confirmation pages,
# pages that query nothing (robots.txt, the privacy notice) and search, whose
# every query would be a new entry.
CACHED_VIEWS = {
    "home",
    "sitemap",
    "news_sitemap",
    "sitemap_section",
    "articles:feed",
    "articles:feed_atom",
    "articles:section_feed",
    "articles:section_feed_atom",
    "articles:tag_feed",
    "articles:tag_feed_atom",
    "articles:author_feed",
    "articles:author_feed_atom",
    "articles:author",
    "articles:tag",
    "articles:section",
    "articles:detail",
}

# The query parameters stored pages read: list pages and sitemaps are paged
# (``page``, ``p``), an article's comments too, and "Rispondi" names a comment.
# Any other (utm_source, fbclid: each share of a story carries its own) is
# dropped before the key is made and the view runs, so that it neither
# multiplies the entries nor shows in the stored page.
PAGE_PARAMETERS = ("page", "p", PAGE_PARAM, REPLY_PARAM)

# Headers that belong to one response, not to the stored page (its length too:
# the comment form's token, new in each answer, need not keep it).
UNSTORED_HEADERS = {
    "cache-control",
    "cache-status",
    "content-length",
    "date",
    "expires",
    "set-cookie",
    "vary",
}

# What the page cache did for a response (RFC 9211), for whoever runs the site
# (logs, curl -I): served a stored page; rendered the page and stored it; waited
# for another request's render of it; rendered a page it may not store.
HIT = "Notizie; hit"
STORED = "Notizie; fwd=miss; stored"
COLLAPSED = "Notizie; fwd=miss; collapsed"
NOT_STORED = "Notizie; fwd=miss"


# Where a hit says which stored page answered it, in the request's WSGI environ
# (``answered_from()``).
ANSWERED_FROM = "notizie.page_cache.answered_from"


def pause(seconds: float) -> None:
    """While waiting for another request's render (a seam for the tests)."""
    time.sleep(seconds)


# The content version -----------------------------------------------------------


def content_version() -> int | None:
    """
    The current content version (one cache read; one more the first time);
    None while the cache is unreachable (``cache_backends.py``).
    """
    version = cache.get(VERSION_KEY)
    if version is None:
        # A start value no earlier version used, so that pages stored before the
        # key was evicted (or before a restart of a local-memory cache) can
        # never be mistaken for current ones.
        cache.add(VERSION_KEY, new_version(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


_last_version = 0


def new_version() -> int:
    """A value no version had before: the clock in nanoseconds, always moving on."""
    global _last_version
    _last_version = max(time.time_ns(), _last_version + 1)
    return _last_version


def bump() -> None:
    """
    Make every stored page out of date, in every process sharing the cache.

    A new value, not an increment: a stored page answers only while the
    version is the one it was stamped with, so any value never used before
    will do, and no backend needs an atomic increment for it (Django's file
    cache, which the processes of one machine can share, has none).
    """
    cache.set(VERSION_KEY, new_version(), timeout=None)
    tracked = tracking()
    if tracked is not None:
        # Redis names the change on this process's own connection too, but
        # this process's next request must not even race it.
        tracked.forget(VERSION_KEY)


_tracking: list[Tracking | None] = []
_tracking_lock = threading.Lock()


def tracking() -> Tracking | None:
    """
    What this process knows of the version and the validators without asking
    the shared cache, told of their changes by Redis (``newsroom/tracking.py``);
    None for other caches, or with ``PAGE_CACHE_TRUST_SECONDS = 0``.
    """
    if not _tracking:
        with _tracking_lock:
            if not _tracking:
                tracked = None
                connect = getattr(cache, "new_connection", None)
                if connect is not None and settings.PAGE_CACHE_TRUST_SECONDS > 0:
                    prefixes = [VERSION_KEY, PAGE_KEY_PREFIX]
                    tracked = Tracking(
                        connect, prefixes, settings.PAGE_CACHE_TRUST_SECONDS, cache.make_key
                    )
                _tracking.append(tracked)
    return _tracking[0]


def known_validators(key: str) -> tuple[int, tuple] | None:
    """
    The content version and the validators of the page stored under ``key``,
    as this process knows them without asking the shared cache (``tracking()``);
    None unless it knows both.
    """
    tracked = tracking()
    if tracked is None:
        return None
    validators = validators_key(key)
    known = tracked.get_many([VERSION_KEY, validators])
    if VERSION_KEY in known and validators in known:
        return known[VERSION_KEY], known[validators]
    return None


def stop_tracking() -> None:
    """Forget the tracking set up, for a cache set up anew (tests)."""
    with _tracking_lock:
        if _tracking and _tracking[0] is not None:
            _tracking[0].close()
        _tracking.clear()


def _bump_after_commit() -> None:
    bump()


def content_changed(using=DEFAULT_DB_ALIAS) -> None:
    """
    Public content changed: bump now, so that this process's next read is
    fresh, and again when the transaction commits, so that a page rendered
    from the old rows meanwhile (another request, another server) goes too.
    """
    bump()
    connection = connections[using]
    if connection.in_atomic_block:
        pending = connection.run_on_commit
        if not any(func is _bump_after_commit for _sids, func, _robust in pending):
            transaction.on_commit(_bump_after_commit, using=using)


_remembered: dict[str, tuple[int, object]] = {}


def remembered(name: str, compute, version: int | None = None):
    """
    What ``compute()`` returns, computed once per content version in each
    process: for what nearly every page prints and only a write to public
    content changes (the menu's sections), a cache read instead of a query.
    Like ``Site.objects.get_current()``, but the version, shared by every
    process, tells when to read again. Every request of the process shares
    the value: never modify it.

    ``version``: the one a page being rendered for the cache is stamped with
    (``request.content_version``), already read; else it is read here.
    """
    # Read before computing, as a page is stamped before its view runs: rows
    # read during a write are kept under a version its commit replaces.
    if version is None:
        version = content_version()
    if version is None:  # the cache unreachable: nothing would tell when to read again
        return compute()
    entry = _remembered.get(name)
    if entry is None or entry[0] != version:
        entry = _remembered[name] = (version, compute())
    return entry[1]


# What readers see changed: the receivers -------------------------------------


def public_content_saved(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """Articles, bylines, tags, sections, authors, the site's domain: any change."""
    content_changed(using)


def tags_changed(sender, action, using=DEFAULT_DB_ALIAS, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        content_changed(using)


def comment_saved(sender, instance, created, using=DEFAULT_DB_ALIAS, **kwargs):
    """
    A new comment shows only if approved; any later save may be a moderation
    (approved, or taken back) and is rare enough to always count.
    """
    if not created or instance.status == Comment.Status.APPROVED:
        content_changed(using)


def comment_deleted(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    if instance.status == Comment.Status.APPROVED:
        content_changed(using)


def import_finished(sender, **kwargs):
    """An import wrote in bulk, which sends no post_save: every page may be stale."""
    bump()


def settings_changed(setting, **kwargs):
    """Tests override settings that pages print (site name, accounts, limits)."""
    if setting in {"CACHES", "PAGE_CACHE_TRUST_SECONDS"}:
        stop_tracking()
    bump()
    if setting == "ROOT_URLCONF":
        shows_stored_page.cache_clear()


def connect() -> None:
    """Called once, from ``NewsroomConfig.ready()``."""
    uid = "newsroom.cache."
    for model in (Article, Byline, Section, Author, Tag, TaggedItem, Site):
        name = model._meta.label_lower
        post_save.connect(public_content_saved, sender=model, dispatch_uid=f"{uid}{name}.save")
        post_delete.connect(public_content_saved, sender=model, dispatch_uid=f"{uid}{name}.del")
    m2m_changed.connect(tags_changed, sender=Article.tags.through, dispatch_uid=uid + "tags")
    post_save.connect(comment_saved, sender=Comment, dispatch_uid=uid + "comment.save")
    post_delete.connect(comment_deleted, sender=Comment, dispatch_uid=uid + "comment.del")
    setting_changed.connect(settings_changed, dispatch_uid=uid + "settings")
    wordpress_signals.import_finished.connect(import_finished, dispatch_uid=uid + "import")


# Scheduled publications ------------------------------------------------------


def next_publication(version: int) -> float | None:
    """
    When the next scheduled article goes public (a timestamp), or None: one
    query per content version, then kept in the cache and in each stored page.
    """
    key = f"pages:next:{version}"
    stored = cache.get(key)
    if stored is None:
        first = (
            Article.objects.scheduled()
            .order_by("published_at")
            .values_list("published_at", flat=True)[:1]
        )
        stored = first[0].timestamp() if first else 0
        cache.set(key, stored, timeout=settings.PAGE_CACHE_TIMEOUT)
    return stored or None


# The middleware ----------------------------------------------------------------


@lru_cache(maxsize=4096)
def shows_stored_page(path: str) -> bool:
    """Whether ``path`` is a page that is stored: resolved once per path and process."""
    try:
        return resolve(path).view_name in CACHED_VIEWS
    except Resolver404:
        return False


class PageCacheMiddleware:
    """
    Serve anonymous readers' pages from the cache, and store them there.

    Sits right after WhiteNoise and the database guard, before everything a hit
    does not need: the response it stores has been through every other
    middleware (security headers, language, CSP), so a hit is answered here,
    by a few cache reads and no other code. It also sees every cookie the
    inner ones set: a response that sets a cookie, touches the session or
    carries a CSRF token is never stored.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.may_serve(request):
            return self.get_response(request)

        self.keep_read_parameters(request)
        now = time.time()
        # The language LocaleMiddleware, further in, will choose: part of the key.
        language = translation.get_language_from_request(request)
        key = self.key(request, language)
        # A browser asking whether its copy is still good needs only the
        # validators, a few bytes, not the page: read them instead of it.
        conditional = self.is_conditional(request)
        version, entry = self.lookup(key, conditional)
        response = self.answer(request, key, entry, version, conditional, now, HIT)
        if response is not None:
            return response

        next_at = next_publication(version)
        if next_at is not None and next_at <= now:
            # A scheduled article has just gone public: a write like any other.
            bump()
            version = content_version()
            next_at = next_publication(version)

        # Readers who miss the same page at once (the story everyone is
        # reading, just after a comment moved the version) would each render
        # it: one does, under a lock, and the others wait for its copy.
        if version is None or settings.PAGE_CACHE_RENDER_WAIT <= 0:
            return self.render(request, key, language, version, next_at, now)
        lock = f"{key}:rendering:{version}"
        if cache.add(lock, 1, timeout=settings.PAGE_CACHE_RENDER_WAIT):
            try:
                # Stored by another request between the lookup and the lock?
                if self.stored_under(key, version):
                    response = self.answer_again(request, key, version, conditional, HIT)
                    if response is not None:
                        return response
                return self.render(request, key, language, version, next_at, now)
            finally:
                # Stored or not (an error, a page not to store): the others may go on.
                cache.delete(lock)
        if self.wait_for_render(key, lock, version):
            response = self.answer_again(request, key, version, conditional, COLLAPSED)
            if response is not None:
                return response
        return self.render(request, key, language, version, next_at, now)

    def render(self, request, key, language, version, next_at, now):
        """
        The view's response, stored if it may be, stamped with ``version``
        (read before the view ran).
        """
        # What the page is stamped with, for what the view remembers per version.
        request.content_version = version
        response = self.get_response(request)
        timeout = self.timeout_for(request, language)
        if next_at is not None:
            timeout = min(timeout, math.floor(next_at - now))
        if timeout < 1 or not self.storable(request, response):
            response.headers["Cache-Status"] = NOT_STORED
            return response
        page = Page.of(response, now)
        # Each entry carries the content version it was rendered under (read
        # before the view ran) and the next publication it knew of.
        stamp = (version, next_at or 0)
        entry = (*stamp, *page.as_tuple())
        cache.set_many({key: entry, validators_key(key): validators_of(entry)}, timeout=timeout)
        recent_pages.put(key, entry)
        return self.respond(request, page, next_at, now, STORED)

    def answer(self, request, key, entry, version, conditional, now, status):
        """
        The response from ``entry`` (the page, or for a conditional request its
        validators) if it is current under ``version``: the page, or a 304.
        None if it is not current, and the page must be rendered.
        """
        stored = self.current(entry, version, now)
        if stored is not None and conditional:
            next_at, etag, last_modified = stored
            response = self.not_modified(request, etag, last_modified)
            if response is not None:
                self.answered_from(request, key, entry, status)
                response.headers["Cache-Status"] = status
                return self.with_caching_headers(request, response, next_at, now)
            # Not the browser's copy: the page, after all.
            entry = cache.get(key)
            stored = self.current(entry, version, now)
        if stored is None:
            return None
        self.answered_from(request, key, entry, status)
        next_at, *page = stored
        return self.respond(request, Page(*page), next_at, now, status)

    @staticmethod
    def answered_from(request, key, entry, status) -> None:
        """
        A hit: which stored page answered, for ``newsroom/replay.py`` to give
        the same answer to the same request while that page is current.
        """
        if status == HIT:
            request.META[ANSWERED_FROM] = (key, validators_of(entry))

    def answer_again(self, request, key, version, conditional, status):
        """``answer()`` from what is stored now, if it is still current under ``version``."""
        _version, entry = self.lookup(key, conditional)
        return self.answer(request, key, entry, version, conditional, time.time(), status)

    @staticmethod
    def stored_under(key, version) -> bool:
        """Whether the page stored under ``key`` was rendered under ``version`` (a few bytes)."""
        validators = cache.get(validators_key(key))
        return validators is not None and validators[0] == version

    @classmethod
    def wait_for_render(cls, key, lock, version) -> bool:
        """
        Whether the page another request is rendering under ``version`` was
        stored before its lock went: False when that request stored nothing
        (an error, a page not to store) or did not finish within
        ``PAGE_CACHE_RENDER_WAIT`` seconds (the lock's lifetime: a worker
        killed mid-render). Each look reads the validators, a few bytes.
        """
        validators = validators_key(key)
        deadline = time.monotonic() + settings.PAGE_CACHE_RENDER_WAIT
        interval = 0.005
        while time.monotonic() < deadline:
            pause(interval)
            interval = min(interval * 1.5, 0.01)
            # The lock first: the page is stored before the lock goes.
            found = cache.get_many([lock, validators])
            stamp = found.get(validators)
            if stamp is not None and stamp[0] == version:
                return True
            if lock not in found:
                return False
        return False

    @staticmethod
    def lookup(key, conditional) -> tuple[int | None, tuple | None]:
        """
        The content version, and what is stored under ``key`` (only its
        validators, for a conditional request), current or not.

        For a page this process kept, or a conditional request, no round trip
        while Redis has named no change to the version or the page's
        validators since they were read (``tracking()``); else one, of a few
        bytes; a second when the copy kept here is no longer the shared one.
        For another page, one round trip, of the page.
        """
        recent = recent_pages.get(key)
        wanted = validators_key(key) if conditional or recent is not None else key
        if wanted != key and (known := known_validators(key)) is not None:
            version, validators = known
            if conditional:
                return version, validators
            if validators == validators_of(recent):
                return version, recent
        tracked = tracking()
        mark = tracked.changes() if tracked is not None else None
        found = cache.get_many([VERSION_KEY, wanted])
        version = found.get(VERSION_KEY) or content_version()
        entry = found.get(wanted)
        if tracked is not None:
            # Known from now on: the version and validators, never a whole page.
            small = [VERSION_KEY] if wanted == key else [VERSION_KEY, wanted]
            tracked.confirm({name: found[name] for name in small if name in found}, mark)
        if conditional:
            return version, entry
        if recent is not None:
            # The copy kept here only if it is the shared one: two servers that
            # rendered the page at once may have stored copies that differ (a
            # row written between the renders, so the ETag), and the last one
            # stored is the one every server must answer with, 200 or 304 alike.
            if entry is not None and entry == validators_of(recent):
                return version, recent
            entry = cache.get(key)  # a new version, or another server's copy
        if entry is not None and entry[0] == version:
            recent_pages.put(key, entry)
        return version, entry

    @staticmethod
    def current(entry, version, now) -> tuple | None:
        """
        What ``entry`` holds after its stamp, with its next publication first,
        if it is current: stored under ``version`` and no scheduled article
        has gone public since. Else None.
        """
        if entry is None or entry[0] != version:
            return None
        next_at = entry[1] or None
        if next_at is not None and next_at <= now:
            return None
        return (next_at, *entry[2:])

    @staticmethod
    def keep_read_parameters(request) -> None:
        """Drop the query parameters no stored page reads; keep the others in one order."""
        if not request.GET:
            return
        kept = QueryDict(mutable=True)
        for name in PAGE_PARAMETERS:
            if name in request.GET:
                kept.setlist(name, request.GET.getlist(name))
        query = kept.urlencode()
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)

    @staticmethod
    def is_conditional(request) -> bool:
        return "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META

    @staticmethod
    def not_modified(request, etag, last_modified):
        """A 304 if the browser's copy matches these validators, else None."""
        # Without a response to copy headers from, Django answers a bare 304,
        # or None where the request's conditions hold.
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None or response.status_code != 304:
            return None
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(last_modified)
        return response

    @staticmethod
    def may_serve(request) -> bool:
        """Whether a stored page may answer this request: readers' GETs only."""
        if not settings.PAGE_CACHE_ENABLED or request.method not in ("GET", "HEAD"):
            return False
        # Staff: the session cookie is only ever set by logging in.
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return False
        # A reader back from a held comment sees a notice meant for them alone.
        if request.GET.get(NOTICE_PARAM) == HELD_NOTICE:
            return False
        return shows_stored_page(request.path_info)

    @staticmethod
    def timeout_for(request, language) -> int:
        """How long the page just rendered may be stored (seconds), 0 for not at all."""
        # The language the page was rendered in must be the one in its key.
        if getattr(request, "LANGUAGE_CODE", None) != language:
            return 0
        return settings.PAGE_CACHE_TIMEOUT

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
    def respond(cls, request, page, next_at, now, status):
        """The stored page as a response: 304 when the browser's copy matches."""
        response = page.response()
        response.headers["Cache-Status"] = status
        response = cls.with_caching_headers(request, response, next_at, now)
        return get_conditional_response(
            request, etag=page.etag, last_modified=page.last_modified, response=response
        )

    @staticmethod
    def with_caching_headers(request, response, next_at, now):
        """What browsers and a CDN in front may do with the page: ``Cache-Control``, ``Vary``."""
        max_age = settings.PAGE_CACHE_MAX_AGE
        if next_at is not None:
            max_age = max(0, min(max_age, math.floor(next_at - now)))
        if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
            # The language was chosen by a cookie, which the page does not
            # Vary on (so that a CDN keeps one copy per language, whatever
            # other cookies readers carry): it must not store this copy.
            patch_cache_control(response, private=True, max_age=max_age)
        else:
            patch_cache_control(
                response,
                public=True,
                max_age=max_age,
                stale_while_revalidate=settings.PAGE_CACHE_STALE_WHILE_REVALIDATE,
            )
        patch_vary_headers(response, ("Accept-Language",))
        return response


class Page:
    """One stored page: what is needed to answer, or to answer 304, without the view."""

    def __init__(self, status, headers, content, etag, last_modified):
        self.status = status
        self.headers = headers
        self.content = content
        self.etag = etag
        self.last_modified = last_modified

    @classmethod
    def of(cls, response, now) -> "Page":
        content = without_started_token(response.content)
        etag = response.get("ETag") or f'"{hashlib.sha256(content).hexdigest()[:32]}"'
        if STARTED_PLACEHOLDER in content:
            # Each answer differs by the comment form's token: the same page,
            # not the same bytes (RFC 9110, 8.8.1).
            etag = etag if etag.startswith("W/") else f"W/{etag}"
        last_modified = parse_http_date_safe(response.get("Last-Modified", "")) or int(now)
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in UNSTORED_HEADERS | {"etag", "last-modified"}
        ]
        return cls(response.status_code, headers, content, etag, last_modified)

    def as_tuple(self) -> tuple:
        return (self.status, self.headers, self.content, self.etag, self.last_modified)

    def body(self) -> bytes:
        """The content as sent: with a comment form's token of now, if it has one."""
        if self.etag.startswith("W/"):  # the form's placeholder in it (``of()``)
            return with_started_token(self.content)
        return self.content

    def response(self) -> HttpResponse:
        content = self.body()
        response = HttpResponse(content, status=self.status, headers=dict(self.headers))
        response.headers["Content-Length"] = str(len(content))
        response.headers["ETag"] = self.etag
        response.headers["Last-Modified"] = http_date(self.last_modified)
        return response


# What a stored entry holds: its stamp (version, next publication), then the
# page (status, headers, content, ETag, Last-Modified); the validators' entry
# holds the stamp and the last two.
CONTENT = 4


def validators_key(key: str) -> str:
    """Where the validators' entry of the page stored under ``key`` is kept."""
    return f"{key}:validators"


def validators_of(entry: tuple) -> tuple:
    """The validators' entry of a page's entry."""
    return (*entry[:2], *entry[-2:])


class RecentPages:
    """
    The pages this process stored or served lately, kept in its memory as well
    as in the shared cache: up to ``PAGE_CACHE_LOCAL_BYTES`` of content, the
    least recently read dropped first, so a story read by thousands is sent
    from here, not copied out of Redis at every request. Exactness does not
    change: at every request the content version and the page's validators
    are still read from the shared cache, and a kept page answers only while
    it is the copy stored there, under the current version.
    """

    def __init__(self):
        self._entries: OrderedDict[str, tuple] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()  # gunicorn's threads share one process

    def get(self, key) -> tuple | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key, entry) -> None:
        if entry[0] is None:
            # Rendered while the shared cache was unreachable: no version to
            # tell when it goes stale, so never answered from here.
            return
        limit = settings.PAGE_CACHE_LOCAL_BYTES
        size = len(entry[CONTENT])
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old[CONTENT])
            if size > limit:
                return
            self._entries[key] = entry
            self._size += size
            while self._size > limit:
                _key, dropped = self._entries.popitem(last=False)
                self._size -= len(dropped[CONTENT])

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size(self) -> int:
        """Bytes of content kept."""
        return self._size


recent_pages = RecentPages()
