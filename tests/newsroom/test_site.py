import pytest
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_migrate_copies_site_domain_into_the_site_record_that_feeds_use(
    settings, client, make_article
):
    settings.SITE_DOMAIN = "notizie.example"
    call_command("migrate", verbosity=0)
    make_article("Una notizia")

    assert Site.objects.get_current().domain == "notizie.example"
    assert (
        "http://notizie.example/tecnologia/una-notizia/"
        in client.get(reverse("articles:feed")).content.decode()
    )


def test_without_site_domain_migrate_leaves_the_site_record_alone(settings):
    settings.SITE_DOMAIN = ""
    call_command("migrate", verbosity=0)
    assert Site.objects.get_current().domain == "example.com"
