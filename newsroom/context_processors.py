from django.conf import settings
from django.utils.functional import SimpleLazyObject


def menu_sections(request) -> list:
    """
    The sections, in menu order, for the menu, the home page's blocks and the
    search form's filter: read once per content version (a section saved or
    deleted moves it), not once per page.
    """
    if not hasattr(request, "_menu_sections"):
        from articles.models import Section

        from .cache import remembered

        request._menu_sections = remembered(
            "menu_sections",
            lambda: list(Section.objects.all()),
            getattr(request, "content_version", None),
        )
    return request._menu_sections


def site(request):
    """Site identity and the section menu, queried only if a page prints it."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
        "menu_sections": SimpleLazyObject(lambda: menu_sections(request)),
    }
