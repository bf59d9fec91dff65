"""The home page: the latest news, then a block of the newest articles of each section."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from articles.models import Article, Section

pytestmark = pytest.mark.django_db


def blocks(client):
    """{section heading: [article titles]} of the home page's section blocks."""
    html = client.get(reverse("home")).content.decode()
    found = {}
    for block in re.findall(r'<section class="section-block".*?</section>', html, re.S):
        heading = re.search(r"<h2 [^>]*><a [^>]*>([^<]+)</a>", block)[1]
        found[heading] = re.findall(r'<h3 class="teaser__title"><a [^>]*>([^<]+)</a>', block)
    return found


def test_each_section_shows_its_newest_public_articles(
    client, make_article, section, now, settings
):
    settings.HOME_SECTION_COUNT = 2
    sport = Section.objects.create(name="Sport", slug="sport", order=2)
    Section.objects.create(name="Vuota", slug="vuota", order=3)
    for hours, title in [(5, "Tec vecchia"), (3, "Tec media"), (1, "Tec nuova")]:
        make_article(title, published_at=now - timedelta(hours=hours))
    make_article("Sport unico", section=sport, published_at=now - timedelta(hours=2))
    make_article("Tec bozza", status=Article.Status.DRAFT)
    make_article("Tec programmata", published_at=now + timedelta(hours=1))
    make_article(
        "Sport ritirato",
        section=sport,
        status=Article.Status.UNPUBLISHED,
        published_at=now - timedelta(minutes=5),
    )

    assert blocks(client) == {
        "Tecnologia": ["Tec nuova", "Tec media"],
        "Sport": ["Sport unico"],
    }


def test_articles_published_in_the_same_minute_come_newest_id_first(
    client, make_article, section, now, settings
):
    settings.HOME_SECTION_COUNT = 2
    moment = now - timedelta(hours=1)
    for title in ["Primo", "Secondo", "Terzo"]:
        make_article(title, published_at=moment)
    assert blocks(client) == {"Tecnologia": ["Terzo", "Secondo"]}


def test_the_bylines_of_both_lists_come_in_one_query(
    client, make_article, make_author, section, now, django_assert_max_num_queries
):
    sport = Section.objects.create(name="Sport", slug="sport", order=2)
    for n in range(3):
        make_article(f"Tec {n}", authors=[make_author(f"Autrice {n}")])
        make_article(f"Sport {n}", section=sport, authors=[make_author(f"Autore {n}")])
    with django_assert_max_num_queries(8) as captured:
        html = client.get(reverse("home")).content.decode()
    bylines = [q for q in captured.captured_queries if '"articles_byline"' in q["sql"]]
    assert len(bylines) == 1
    # Each article's byline, in the latest news and again in its section's block.
    assert html.count("Autrice 2") == 2 and html.count("Autore 0") == 2
