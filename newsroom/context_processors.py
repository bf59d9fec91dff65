from django.conf import settings
from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

import cachetags

# The menu's sections, kept in the cache until a section is saved or deleted
# (newsroom/invalidation.py).
MENU_KEY = "pages:menu"


def menu_sections(request) -> list:
    """
    The sections, in menu order, for the menu, the home page's blocks and the
    search form's filter: read from the cache, queried once after each change
    of a section, not once per page.
    """
    if not hasattr(request, "_menu_sections"):
        from articles.models import Section

        cachetags.add(cachetags.SITE)
        sections = cache.get(MENU_KEY)
        if sections is None:
            with cachetags.uncollected():
                sections = list(Section.objects.all())
            cache.set(MENU_KEY, sections, timeout=settings.PAGE_CACHE_TIMEOUT)
        request._menu_sections = sections
    return request._menu_sections


def site(request):
    """Site identity and the section menu, queried only if a page prints it."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
        "menu_sections": SimpleLazyObject(lambda: menu_sections(request)),
    }
