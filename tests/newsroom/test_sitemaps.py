"""The sitemap index, its paginated sitemaps and the Google News sitemap, read as XML."""

from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
DOMAIN = "http://example.com"


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml"
    return ElementTree.fromstring(response.content)


def urlset(client, url) -> dict[str, str | None]:
    """Each <url>'s location and lastmod, after checking the document's shape."""
    root = xml(client, url)
    assert root.tag == f"{{{NS['sm']}}}urlset"
    entries = {}
    for node in root.findall("sm:url", NS):
        entries[node.findtext("sm:loc", namespaces=NS)] = node.findtext("sm:lastmod", namespaces=NS)
    assert len(entries) == len(root)
    return entries


def w3c(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


@pytest.fixture
def hidden(make_article, now, author):
    """Articles a reader must not see, tagged and signed like the public ones."""
    fields = {"tags": ["Segreto"], "authors": [author]}
    return [
        make_article("Bozza", slug="bozza", status=Article.Status.DRAFT, **fields),
        make_article("Revisione", slug="revisione", status=Article.Status.REVIEW, **fields),
        make_article(
            "Programmata", slug="programmata", published_at=now + timedelta(hours=1), **fields
        ),
        make_article(
            "Ritirata",
            slug="ritirata",
            status=Article.Status.UNPUBLISHED,
            published_at=now - timedelta(hours=3),
            **fields,
        ),
    ]


def test_the_index_lists_every_sitemap_with_its_last_change(client, make_article, now):
    newest = make_article("Nuova", published_at=now - timedelta(minutes=5))
    root = xml(client, reverse("sitemap"))
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    entries = {
        node.findtext("sm:loc", namespaces=NS): node.findtext("sm:lastmod", namespaces=NS)
        for node in root.findall("sm:sitemap", NS)
    }
    assert set(entries) == {
        f"{DOMAIN}/sitemap-{name}.xml"
        for name in ("pagine", "sezioni", "articoli", "tag", "autori")
    }
    assert entries[f"{DOMAIN}/sitemap-articoli.xml"] == w3c(newest.published_at)
    for location in entries:
        assert client.get(location.removeprefix(DOMAIN)).status_code == 200, location


def test_the_articles_sitemap_lists_public_articles_with_their_last_change(
    client, make_article, hidden, now
):
    plain = make_article("Semplice", published_at=now - timedelta(days=2))
    corrected = make_article(
        "Corretta", published_at=now - timedelta(days=1), updated_at=now - timedelta(hours=2)
    )
    assert urlset(client, "/sitemap-articoli.xml") == {
        f"{DOMAIN}{plain.get_absolute_url()}": w3c(plain.published_at),
        f"{DOMAIN}{corrected.get_absolute_url()}": w3c(corrected.updated_at),
    }


def test_sections_tags_and_authors_sitemaps_list_only_pages_with_public_articles(
    client, make_article, make_author, hidden, now
):
    sport = Section.objects.create(name="Sport", slug="sport", order=2)
    article = make_article(
        "Pubblica", tags=["Spazio"], authors=[make_author("Anna Rossi")], section=sport
    )
    sections = urlset(client, "/sitemap-sezioni.xml")
    # Every section is a page of the menu; its last change is its newest article.
    assert sections == {
        f"{DOMAIN}/tecnologia/": None,
        f"{DOMAIN}/sport/": w3c(article.published_at),
    }
    assert urlset(client, "/sitemap-tag.xml") == {
        f"{DOMAIN}/tag/spazio/": w3c(article.published_at)
    }
    assert urlset(client, "/sitemap-autori.xml") == {
        f"{DOMAIN}/autori/anna-rossi/": w3c(article.published_at)
    }


def test_the_home_page_is_in_the_sitemap(client, make_article):
    article = make_article("Pubblica")
    assert urlset(client, "/sitemap-pagine.xml") == {f"{DOMAIN}/": w3c(article.published_at)}


def test_long_sitemaps_are_split_into_pages_listed_in_the_index(
    client, make_article, settings, now
):
    settings.SITEMAP_PAGE_SIZE = 2
    articles = [
        make_article(f"Notizia {n}", published_at=now - timedelta(days=5 - n)) for n in range(5)
    ]
    locations = [
        node.findtext("sm:loc", namespaces=NS)
        for node in xml(client, reverse("sitemap")).findall("sm:sitemap", NS)
    ]
    pages = [loc for loc in locations if "sitemap-articoli" in loc]
    assert pages == [
        f"{DOMAIN}/sitemap-articoli.xml",
        f"{DOMAIN}/sitemap-articoli.xml?p=2",
        f"{DOMAIN}/sitemap-articoli.xml?p=3",
    ]
    # Oldest first: a new article only changes the last page.
    assert list(urlset(client, "/sitemap-articoli.xml")) == [
        f"{DOMAIN}{a.get_absolute_url()}" for a in articles[:2]
    ]
    assert list(urlset(client, "/sitemap-articoli.xml?p=3")) == [
        f"{DOMAIN}{articles[4].get_absolute_url()}"
    ]
    assert client.get("/sitemap-articoli.xml?p=4").status_code == 404
    assert client.get("/sitemap-articoli.xml?p=x").status_code == 404
    assert client.get("/sitemap-nessuna.xml").status_code == 404


def test_the_news_sitemap_lists_the_last_two_days_in_google_news_format(
    client, make_article, hidden, now
):
    fresh = make_article("Fresca & nuova", published_at=now - timedelta(hours=3))
    english = make_article("In English", language="en", published_at=now - timedelta(hours=47))
    make_article("Vecchia", published_at=now - timedelta(hours=49))
    root = xml(client, reverse("news_sitemap"))
    assert root.tag == f"{{{NS['sm']}}}urlset"
    entries = {}
    for node in root.findall("sm:url", NS):
        news = node.find("news:news", NS)
        publication = news.find("news:publication", NS)
        entries[node.findtext("sm:loc", namespaces=NS)] = (
            publication.findtext("news:name", namespaces=NS),
            publication.findtext("news:language", namespaces=NS),
            news.findtext("news:publication_date", namespaces=NS),
            news.findtext("news:title", namespaces=NS),
        )
    assert entries == {
        f"{DOMAIN}{fresh.get_absolute_url()}": (
            "Notizie",
            "it",
            w3c(fresh.published_at),
            "Fresca & nuova",
        ),
        f"{DOMAIN}{english.get_absolute_url()}": (
            "Notizie",
            "en",
            w3c(english.published_at),
            "In English",
        ),
    }


def test_the_news_sitemap_names_the_configured_publisher(client, make_article, settings):
    settings.PUBLISHER_NAME = "Editrice Notizie S.p.A."
    make_article("Fresca")
    root = xml(client, reverse("news_sitemap"))
    assert root.findtext("sm:url/news:news/news:publication/news:name", namespaces=NS) == (
        "Editrice Notizie S.p.A."
    )


def test_the_news_sitemap_stops_at_a_thousand_articles(client, section, now):
    # bulk_create: fast, and these rows need no search vector.
    Article.objects.bulk_create(
        Article(
            title=f"Notizia {n}",
            slug=f"notizia-{n}",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(minutes=n + 1),
        )
        for n in range(1001)
    )
    root = xml(client, reverse("news_sitemap"))
    titles = [node.text for node in root.iterfind("sm:url/news:news/news:title", NS)]
    assert len(titles) == 1000
    assert titles[0] == "Notizia 0"  # newest first; the oldest one is left out
    assert "Notizia 1000" not in titles


def test_sitemaps_cost_a_fixed_number_of_queries(
    client, make_article, make_author, django_assert_max_num_queries
):
    people = [make_author(f"Autore {n}") for n in range(3)]
    for n in range(10):
        make_article(f"Notizia {n}", authors=people, tags=[f"Tag {n}"])
    client.get(reverse("sitemap"))  # the Site is cached from here on
    for url, most in [
        (reverse("sitemap"), 10),  # a count and a latest date per sitemap
        ("/sitemap-articoli.xml", 2),
        ("/sitemap-tag.xml", 2),
        ("/sitemap-autori.xml", 2),
        ("/sitemap-sezioni.xml", 2),
        (reverse("news_sitemap"), 2),
    ]:
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200


def test_a_sitemap_date_is_in_the_site_time_zone(client, make_article):
    article = make_article(
        "Ora legale", published_at=timezone.make_aware(datetime(2026, 7, 1, 8, 30))
    )
    assert urlset(client, "/sitemap-articoli.xml") == {
        f"{DOMAIN}{article.get_absolute_url()}": "2026-07-01T08:30:00+02:00"
    }
