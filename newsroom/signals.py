from django.conf import settings


def sync_site(**kwargs):
    """
    Keep the Site record (which feeds, sitemaps and redirects read) equal to
    SITE_DOMAIN and SITE_NAME, so the domain is configured in one place.
    Leaves Django's example.com alone while SITE_DOMAIN is unset.
    """
    from django.contrib.sites.models import Site

    if not settings.SITE_DOMAIN:
        return
    Site.objects.using(kwargs.get("using", "default")).update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": settings.SITE_DOMAIN, "name": settings.SITE_NAME},
    )
    Site.objects.clear_cache()
