"""
The database is down or restarting: answer a short 503 page that asks the
reader to come back in a few seconds, instead of a 500.

The page is a plain template rendered without a request context, so that
showing it touches neither the database nor the session. Connections recover
by themselves: ``CONN_HEALTH_CHECKS`` (settings.py) drops a broken persistent
connection before the next request uses it.

Two ways in: the middleware for errors raised by a view (the common case), and
``server_error``, Django's ``handler500``, for errors raised by a middleware
before or after the view (the session, the page cache's scheduled-publication
query).
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# Seconds a client (or a proxy in front) should wait before asking again.
RETRY_AFTER = 10

DATABASE_ERRORS = (OperationalError, InterfaceError)


def unavailable_response() -> HttpResponse:
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view that could not reach the database answers the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.warning("Database unavailable for %s: %r", request.path, exception)
            return unavailable_response()
        return None


def server_error(request):
    """Django's 500 view, except for a database that cannot be reached: 503."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return unavailable_response()
    return HttpResponseServerError(render_to_string("500.html"))
