"""Every reader page carries the cache tags of what it printed, collected while it rendered."""

import pytest
from django.urls import reverse

from comments.models import Comment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("any_cache")]


@pytest.fixture
def newsroom(make_article, make_author, author, section):
    """Two stories in one section: the first by two authors, with two tags and a comment."""
    second_author = make_author("Bruno Verdi")
    first = make_article(
        "Il porto cambia volto", authors=[author, second_author], tags=["Porti", "Genova"]
    )
    second = make_article("Nuove gru in banchina", authors=[author], tags=["Porti"])
    Comment.objects.create(
        article=first, name="Anna", email="anna@example.org", body="Era ora.", status="approved"
    )
    return first, second, second_author


def tags_of(response) -> set[str]:
    assert response.status_code == 200
    return set(response["xkey"].split())


def test_each_page_kind_carries_the_tags_of_the_objects_it_printed(
    client, newsroom, author, section
):
    first, second, second_author = newsroom
    porti, genova = first.tags.order_by("name").reverse()  # Porti, Genova
    stories = {f"article:{first.pk}", f"article:{second.pk}"}
    bylines = {f"author:{author.pk}", f"author:{second_author.pk}"}
    kicker = {f"section:{section.pk}"}
    pages = {
        "/": stories | bylines | kicker | {"home", "site"},
        first.get_absolute_url(): {
            f"article:{first.pk}",
            f"tag:{porti.pk}",
            f"tag:{genova.pk}",
            "site",
        }
        | bylines
        | kicker,
        section.get_absolute_url(): stories
        | bylines
        | kicker
        | {f"section-list:{section.pk}", "site"},
        reverse("articles:tag", kwargs={"slug": "porti"}): stories
        | bylines
        | kicker
        | {f"tag:{porti.pk}", f"tag-list:{porti.pk}", "site"},
        author.get_absolute_url(): stories
        | bylines
        | kicker
        | {f"author-list:{author.pk}", "site"},
        second_author.get_absolute_url(): {
            f"article:{first.pk}",
            f"author-list:{second_author.pk}",
            "site",
        }
        | bylines
        | kicker,
        # Feeds print every story's tags as categories.
        reverse("articles:feed"): stories
        | bylines
        | kicker
        | {f"tag:{porti.pk}", f"tag:{genova.pk}", "home", "site"},
        # Sitemaps list everything: one tag stands for it all.
        reverse("sitemap"): {"sitemap", "site"},
        reverse("sitemap_section", kwargs={"section": "articoli"}): {"sitemap", "site"},
        reverse("news_sitemap"): {"sitemap", "site"},
    }
    for url, expected in pages.items():
        response = client.get(url)
        assert tags_of(response) == expected, url
        if "sitemap" in expected:
            continue
        # Printed: each story tagged is on the page, and each on the page tagged.
        page = response.content.decode()
        for story in (first, second):
            assert (f"article:{story.pk}" in expected) == (story.title in page), (url, story)


def test_a_stored_page_keeps_its_tags_in_every_answer(client, newsroom):
    first, _second, _author = newsroom
    url = first.get_absolute_url()
    stored = client.get(url)
    hit = client.get(url)
    assert hit["Cache-Status"] == "Notizie; hit"
    assert hit["xkey"] == stored["xkey"]


@pytest.mark.usefixtures("newsroom")
def test_search_and_the_comment_endpoints_carry_no_tags(client):
    for url in [reverse("search") + "?q=porto", "/commenti/modulo/", "/privacy/", "/robots.txt"]:
        assert "xkey" not in client.get(url), url


def test_the_tag_standing_for_the_sitemaps_goes_with_every_article_edit(client, newsroom):
    first, _second, _author = newsroom
    url = reverse("news_sitemap")
    client.get(url)
    assert client.get(url)["Cache-Status"] == "Notizie; hit"
    first.title = "Il porto cambia nome"
    first.save()
    assert "Il porto cambia nome" in client.get(url).content.decode()
