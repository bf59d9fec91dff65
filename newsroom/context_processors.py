from django.conf import settings
from django.utils.functional import SimpleLazyObject


def site(request):
    """Site identity and the section menu, queried only if a template asks for it."""
    from articles.models import Section

    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
        "menu_sections": SimpleLazyObject(lambda: list(Section.objects.all())),
    }
