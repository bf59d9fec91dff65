"""
Addresses of the site's pages, remembered: ``url('articles:tag', slug)``.

Django's ``reverse()`` does real work (it looks the active language up three
times and checks the address it builds against the pattern), and a page
prints dozens of addresses, most of them the same on
every page: the menu's sections, the footer's, the teasers' articles. An
address depends only on the URLconf, the script prefix and the arguments, so
it is reversed once per process and remembered with them.

Here, in the app whose models build most addresses; the reader pages'
templates call it too (newsroom/jinja2.py).
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def url(name, *args, **kwargs) -> str:
    """``reverse(name, args=args, kwargs=kwargs)``, remembered."""
    # The urlconf of the request, else the settings' (which tests change).
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    key = (urlconf, get_script_prefix(), name, args, tuple(kwargs.items()))
    try:
        return _reverse(*key)
    except TypeError:  # an argument that cannot be a key: reverse it every time
        return reverse(name, args=args or None, kwargs=kwargs or None)


@lru_cache(maxsize=4096)
def _reverse(urlconf, prefix, name, args, kwargs) -> str:
    # reverse() reads the same urlconf and prefix from the thread; they are in
    # the key so that a request with its own urlconf gets its own addresses.
    return reverse(name, args=args or None, kwargs=dict(kwargs) or None)
