"""Reader pages carry validators and caching rules; a browser's copy still good costs nothing."""

from datetime import timedelta

import pytest
from django.test.signals import template_rendered
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("any_cache")]


@pytest.fixture
def renders():
    """The templates rendered meanwhile: none when the view is not called."""
    seen = []

    def record(sender, template, **kwargs):
        seen.append(template.name)

    template_rendered.connect(record)
    yield seen
    template_rendered.disconnect(record)


def reader_pages(article, author):
    return [
        "/",
        article.get_absolute_url(),
        article.section.get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": "porti"}),
        author.get_absolute_url(),
        reverse("articles:feed"),
        reverse("articles:feed_atom"),
        reverse("sitemap"),
        reverse("news_sitemap"),
    ]


def test_reader_pages_carry_validators_and_caching_rules(client, article, author):
    for url in reader_pages(article, author):
        response = client.get(url)
        assert response.status_code == 200, url
        # Strong: every answer of a stored page is the same bytes.
        assert response["ETag"].startswith('"'), url
        assert response["Last-Modified"], url
        rules = {rule.strip() for rule in response["Cache-Control"].split(",")}
        assert rules == {"public", "max-age=60", "stale-while-revalidate=300"}, url
        assert "Accept-Language" in response["Vary"], url


def test_a_matching_etag_answers_304_without_rendering(
    client, article, author, renders, django_assert_num_queries
):
    for url in reader_pages(article, author):
        etag = client.get(url)["ETag"]
        renders.clear()
        with django_assert_num_queries(0):
            response = client.get(url, headers={"if-none-match": etag})
        assert response.status_code == 304, url
        assert response.content == b""
        assert response["ETag"] == etag
        assert "max-age=60" in response["Cache-Control"]
        assert renders == [], url


def test_a_recent_if_modified_since_answers_304(client, article, django_assert_num_queries):
    url = article.get_absolute_url()
    last_modified = client.get(url)["Last-Modified"]
    with django_assert_num_queries(0):
        response = client.get(url, headers={"if-modified-since": last_modified})
    assert response.status_code == 304


def test_after_an_edit_the_old_etag_gets_the_new_page(client, article):
    url = article.get_absolute_url()
    etag = client.get(url)["ETag"]
    article.title = "Il porto cambia nome"
    article.save()
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "Il porto cambia nome" in response.content.decode()


def test_with_a_purged_edge_in_front_the_edge_may_keep_pages_long(client, article, settings):
    settings.PAGE_CACHE_PURGER = "varnish"
    settings.PAGE_CACHE_EDGE_MAX_AGE = 86400
    response = client.get(article.get_absolute_url())
    rules = {rule.strip() for rule in response["Cache-Control"].split(",")}
    assert rules == {"public", "max-age=60", "s-maxage=86400", "stale-while-revalidate=300"}


def test_a_conditional_get_on_a_page_not_yet_stored_is_rendered_then_compared(
    client, article, renders
):
    from django.core.cache import cache

    url = reverse("articles:feed")
    etag = client.get(url)["ETag"]
    cache.clear()  # another server, or an evicted entry
    renders.clear()
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 304


def test_max_age_never_outlives_the_next_scheduled_publication(client, make_article, now):
    make_article("Visibile")
    make_article("Fra poco", published_at=now + timedelta(seconds=20))
    response = client.get("/")
    max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert 0 < max_age <= 20


def test_a_head_request_is_answered_from_the_same_entry(client, article, django_assert_num_queries):
    url = article.get_absolute_url()
    etag = client.get(url)["ETag"]
    with django_assert_num_queries(0):
        response = client.head(url)
    assert response.status_code == 200
    assert response["ETag"] == etag
