"""
Page-cache hits answered before Django: the answer Django gave to the same
request, replayed while the page it came from is still the current one.

A hit costs Django's handler more than it costs the page cache: the request
and response objects, the request signals, every middleware in front of the
cache and back. Through gunicorn, a hit on the reference article took 0.53 to
0.60 ms of the server's CPU through Django, 0.23 ms replayed. A reader's request
that carries no cookie, no query and nothing else a page varies on is the same
request as the last one for that page, byte for byte in everything the page
cache reads, so it deserves the same answer. This WSGI middleware, around
Django's application (``newsroom/wsgi.py``), keeps the answer Django gave to
such a request when the page cache answered it (``PageCacheMiddleware`` marks
those, with the page's key and stamp), and gives it again without calling
Django, as long as:

- the content version and the page's validators are still those the answer
  was given under, known without asking Redis (``newsroom/tracking.py``): so
  only with Redis, where every change to them is named to each process;
- for a 200, the page is still kept in this process's memory;
- no scheduled article goes public before the answer's ``max-age`` ends
  (its ``Cache-Control`` would then say less).

Each answer still gets its own comment-form token and length. Anything else
goes to Django, whose answer may in turn be kept: nothing is decided here that
the page cache did not decide first.
"""

import math
import time
from typing import NamedTuple

from django.conf import settings
from django.core.signals import setting_changed

from newsroom import cache as page_cache

# Request headers a stored page's answer may depend on (the language, the
# host, the scheme behind a proxy, the browser's copy): each is part of the
# request's identity. Requests with anything else the page cache or the
# middleware in front of it reads (a cookie, a query, a precondition Django
# checks, a HEAD) always go to Django.
IDENTITY = (
    "PATH_INFO",
    "SCRIPT_NAME",
    "SERVER_NAME",
    "SERVER_PORT",
    "wsgi.url_scheme",
    "HTTP_HOST",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
)
NEVER_REPLAYED = ("HTTP_COOKIE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE", "HTTP_RANGE")

# Answers kept at most (about 2 KB of headers each); past it they are all
# dropped, and kept again as asked.
MAX_ANSWERS = 2_000


class Answer(NamedTuple):
    key: str  # the stored page's
    stamp: tuple  # its validators: version, next publication, ETag, Last-Modified
    status: str
    headers: list  # as Django gave them, without Content-Length


class Replay:
    """WSGI middleware: page-cache hits answered again without Django."""

    def __init__(self, application):
        self.application = application
        self.answers: dict[tuple, Answer] = {}
        setting_changed.connect(self.forget)

    def __call__(self, environ, start_response):
        identity = self.identity(environ)
        if identity is not None:
            answer = self.answers.get(identity)
            if answer is not None:
                body = self.body(answer)
                if body is not None:
                    headers = answer.headers
                    if answer.status.startswith("200"):  # a 304 tells no length (RFC 9110, 8.6)
                        headers = [*headers, ("Content-Length", str(len(body)))]
                    start_response(answer.status, headers)
                    return [body]

        given = {}

        def keeping_start_response(status, headers, exc_info=None):
            given["status"], given["headers"] = status, headers
            return start_response(status, headers, exc_info)

        response = self.application(environ, keeping_start_response)
        answered_from = environ.get(page_cache.ANSWERED_FROM)
        if identity is not None and answered_from is not None and "status" in given:
            self.keep(identity, answered_from, given["status"], given["headers"])
        return response

    @staticmethod
    def identity(environ) -> tuple | None:
        """What Django's answer to this request depends on; None for a request never replayed."""
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("QUERY_STRING"):
            return None
        if any(name in environ for name in NEVER_REPLAYED):
            return None
        identity = tuple(environ.get(name) for name in IDENTITY)
        if settings.SECURE_PROXY_SSL_HEADER:  # the scheme, from a header of the proxy's choice
            identity += (environ.get(settings.SECURE_PROXY_SSL_HEADER[0]),)
        return identity

    def keep(self, identity, answered_from, status, headers) -> None:
        if not status.startswith(("200", "304")) or page_cache.tracking() is None:
            return
        key, stamp = answered_from
        # A cookie is one reader's, never another's; an encoded body (a
        # compressing middleware in front) is not the stored page's bytes.
        if any(name.lower() in {"set-cookie", "content-encoding"} for name, _value in headers):
            return
        headers = [(name, value) for name, value in headers if name.lower() != "content-length"]
        if len(self.answers) >= MAX_ANSWERS:
            self.answers = {}
        self.answers[identity] = Answer(key, stamp, status, headers)

    @staticmethod
    def body(answer) -> bytes | None:
        """The answer's body, if the answer is still the one Django would give; else None."""
        if not settings.PAGE_CACHE_ENABLED:
            return None
        key, stamp = answer.key, answer.stamp
        # The version too: it moves before the page is rendered again.
        if page_cache.known_validators(key) != (stamp[0], stamp):
            return None
        next_at = stamp[1]
        if next_at and math.floor(next_at - time.time()) < settings.PAGE_CACHE_MAX_AGE:
            return None
        if answer.status.startswith("304"):
            return b""
        entry = page_cache.recent_pages.get(key)
        if entry is None or page_cache.validators_of(entry) != stamp:
            return None
        return page_cache.Page(*entry[2:]).body()

    def forget(self, **kwargs) -> None:
        """Tests change settings an answer may depend on."""
        self.answers = {}
