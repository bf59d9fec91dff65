"""
Behind nginx every comment reaches Django from 127.0.0.1. With TRUSTED_PROXIES
set, each reader is still counted as themselves (newsroom/proxies.py).
"""

import pytest

from comments.models import Comment

FLOOD_ERROR = "Hai appena inviato un commento"


def post_through_nginx(client, article, form_data, reader, **fields):
    return client.post(
        f"/commenti/articolo/{article.pk}/",
        form_data(**fields),
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=reader,
        HTTP_USER_AGENT="Mozilla/5.0 (test)",
    )


@pytest.mark.django_db
def test_behind_a_trusted_proxy_one_readers_post_does_not_make_the_others_wait(
    settings, client, article, form_data
):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    first = post_through_nginx(
        client, article, form_data, "198.51.100.1", name="Anna", email="anna@example.org"
    )
    second = post_through_nginx(
        client, article, form_data, "198.51.100.2", name="Bruno", email="bruno@example.org"
    )

    assert FLOOD_ERROR not in first.text
    assert FLOOD_ERROR not in second.text
    assert sorted(Comment.objects.values_list("ip", flat=True)) == ["198.51.100.1", "198.51.100.2"]


@pytest.mark.django_db
def test_without_trusted_proxies_a_forged_header_changes_nothing(
    settings, client, article, form_data
):
    settings.TRUSTED_PROXIES = []

    post_through_nginx(
        client, article, form_data, "198.51.100.1", name="Anna", email="anna@example.org"
    )
    second = post_through_nginx(
        client, article, form_data, "198.51.100.2", name="Bruno", email="bruno@example.org"
    )

    assert FLOOD_ERROR in second.text
    assert list(Comment.objects.values_list("ip", flat=True)) == ["127.0.0.1"]
