"""RSS and Atom feeds, read back with feedparser the way a feed reader would."""

from datetime import timedelta
from html.parser import HTMLParser

import feedparser
import pytest
from django.urls import reverse

from articles.models import Article, Section

pytestmark = pytest.mark.django_db

DOMAIN = "http://example.com"  # the Site the feeds' links are built on


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


@pytest.fixture
def story(make_article, make_author, make_upload, now):
    return make_article(
        "Satelliti & razzi: <il> lancio",
        summary="Il sommario del lancio.",
        body='<p>Il <strong>testo</strong> completo.</p><p><a href="https://example.org/">Fonte</a></p>',
        authors=[make_author("Anna Rossi"), make_author("Bruno Verdi")],
        tags=["Spazio", "Razzi"],
        hero_image=make_upload(),
        hero_alt="Un razzo",
        published_at=now - timedelta(hours=2),
        updated_at=now - timedelta(hours=1),
    )


@pytest.fixture
def hidden(make_article, now):
    """One article in each state a reader must never see, all with the story's tag and author."""
    return [
        make_article("Bozza segreta", status=Article.Status.DRAFT, tags=["Spazio"]),
        make_article("In revisione segreta", status=Article.Status.REVIEW, tags=["Spazio"]),
        make_article("Programmata segreta", published_at=now + timedelta(hours=1), tags=["Spazio"]),
        make_article(
            "Ritirata segreta",
            status=Article.Status.UNPUBLISHED,
            published_at=now - timedelta(days=1),
            tags=["Spazio"],
        ),
    ]


def test_the_rss_feed_carries_everything_a_reader_needs(client, story):
    feed = parse(client, reverse("articles:feed"))
    assert feed.version == "rss20"
    assert feed.feed.title == "Notizie"
    assert feed.feed.link == f"{DOMAIN}/"
    assert feed.feed.language == "it"
    [entry] = feed.entries
    assert entry.title == "Satelliti & razzi: <il> lancio"
    assert entry.link == f"{DOMAIN}{story.get_absolute_url()}"
    assert entry.summary == "Il sommario del lancio."
    assert entry.content[0].value == story.body
    assert entry.published_parsed[:5] == story.published_at.utctimetuple()[:5]
    assert [author.name for author in entry.authors] == ["Anna Rossi", "Bruno Verdi"]
    assert [tag.term for tag in entry.tags] == ["Tecnologia", "Razzi", "Spazio"]
    [enclosure] = entry.enclosures
    assert enclosure.type == "image/webp"
    largest = story.hero_renditions["sizes"][-1]["name"]
    assert enclosure.href == f"{DOMAIN}/media/{largest}"
    # A stable id: a new slug must not make readers show the article again.
    assert entry.id.startswith("tag:example.com,")
    assert entry.id.endswith(f":article:{story.pk}")


def test_the_atom_feed_carries_the_same_with_dates_and_author_pages(client, story):
    feed = parse(client, reverse("articles:feed_atom"))
    assert feed.version == "atom10"
    assert feed.feed.subtitle == "Il quotidiano online"
    [entry] = feed.entries
    assert entry.title == "Satelliti & razzi: <il> lancio"
    assert entry.summary == "Il sommario del lancio."
    assert entry.content[0].type == "text/html"
    assert entry.content[0].value == story.body
    assert entry.published_parsed[:5] == story.published_at.utctimetuple()[:5]
    assert entry.updated_parsed[:5] == story.updated_at.utctimetuple()[:5]
    assert [(a.name, a.href) for a in entry.authors] == [
        ("Anna Rossi", f"{DOMAIN}/autori/anna-rossi/"),
        ("Bruno Verdi", f"{DOMAIN}/autori/bruno-verdi/"),
    ]
    assert {tag.term for tag in entry.tags} == {"Tecnologia", "Spazio", "Razzi"}
    assert [link.type for link in entry.links if link.rel == "enclosure"] == ["image/webp"]


def test_an_article_without_byline_image_or_summary_is_still_a_full_entry(client, make_article):
    make_article("Senza firma", summary="", body="<p>Il testo &amp; il resto.</p>")
    for name in ("articles:feed", "articles:feed_atom"):
        [entry] = parse(client, reverse(name)).entries
        assert entry.title == "Senza firma"
        assert entry.summary == "Il testo &amp; il resto."  # HTML, as readers take it
        assert not entry.get("enclosures")


def test_feeds_list_the_newest_articles_first_up_to_the_configured_count(
    client, make_article, now, settings
):
    settings.FEED_ITEM_COUNT = 3
    for hours in range(5):
        make_article(f"Notizia di {hours} ore fa", published_at=now - timedelta(hours=hours))
    titles = [entry.title for entry in parse(client, reverse("articles:feed")).entries]
    assert titles == ["Notizia di 0 ore fa", "Notizia di 1 ore fa", "Notizia di 2 ore fa"]


FEEDS = [
    ("articles:feed", {}),
    ("articles:feed_atom", {}),
    ("articles:section_feed", {"slug": "tecnologia"}),
    ("articles:section_feed_atom", {"slug": "tecnologia"}),
    ("articles:tag_feed", {"slug": "spazio"}),
    ("articles:tag_feed_atom", {"slug": "spazio"}),
    ("articles:author_feed", {"slug": "anna-rossi"}),
    ("articles:author_feed_atom", {"slug": "anna-rossi"}),
]


@pytest.mark.parametrize(("name", "kwargs"), FEEDS)
def test_drafts_reviews_scheduled_and_withdrawn_articles_never_reach_a_feed(
    client, story, hidden, make_author, name, kwargs
):
    for article in hidden:
        article.bylines.create(author=story.byline_authors[0])
    titles = [entry.title for entry in parse(client, reverse(name, kwargs=kwargs)).entries]
    assert titles == [story.title]


def test_section_tag_and_author_feeds_hold_only_their_articles(
    client, make_article, make_author, author
):
    sport = Section.objects.create(name="Sport", slug="sport")
    make_article("Tecnologia e spazio", tags=["Spazio"], authors=[author])
    make_article("Solo sport", section=sport, authors=[make_author("Altra Firma")])

    def titles(name, slug):
        feed = parse(client, reverse(name, kwargs={"slug": slug}))
        return feed.feed.title, [entry.title for entry in feed.entries]

    assert titles("articles:section_feed", "sport") == ("Sport · Notizie", ["Solo sport"])
    assert titles("articles:tag_feed", "spazio") == ("Spazio · Notizie", ["Tecnologia e spazio"])
    assert titles("articles:author_feed_atom", "milena-sala") == (
        "Milena Sala · Notizie",
        ["Tecnologia e spazio"],
    )


@pytest.mark.parametrize("name", ["section_feed", "tag_feed", "author_feed_atom"])
def test_a_feed_of_something_unknown_is_not_found(client, db, name):
    assert client.get(reverse(f"articles:{name}", kwargs={"slug": "nessuno"})).status_code == 404


def test_a_feed_costs_a_fixed_number_of_queries(
    client, make_article, make_author, django_assert_max_num_queries
):
    people = [make_author(f"Autore {n}") for n in range(3)]
    for n in range(10):
        make_article(f"Notizia {n}", authors=people, tags=[f"Tag {n}", "Spazio"])
    client.get(reverse("articles:feed"))  # the Site is cached from here on
    url = reverse("articles:tag_feed", kwargs={"slug": "spazio"})
    with django_assert_max_num_queries(4):  # tag, articles, bylines, tags
        assert client.get(url).status_code == 200


class AlternateLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "alternate":
            self.links.append((attrs["type"], attrs["href"]))


def alternates(client, url):
    parser = AlternateLinks()
    parser.feed(client.get(url).content.decode())
    return parser.links


def test_pages_advertise_their_feeds_in_the_head(client, story):
    site = [
        ("application/rss+xml", "/feed/"),
        ("application/atom+xml", "/feed/atom/"),
    ]
    assert alternates(client, reverse("home")) == site
    assert alternates(client, story.get_absolute_url()) == site
    assert alternates(client, "/tecnologia/") == [
        ("application/rss+xml", "/feed/sezioni/tecnologia/"),
        ("application/atom+xml", "/feed/sezioni/tecnologia/atom/"),
        *site,
    ]
    assert alternates(client, "/tag/spazio/")[:2] == [
        ("application/rss+xml", "/feed/tag/spazio/"),
        ("application/atom+xml", "/feed/tag/spazio/atom/"),
    ]
    assert alternates(client, "/autori/anna-rossi/")[:2] == [
        ("application/rss+xml", "/feed/autori/anna-rossi/"),
        ("application/atom+xml", "/feed/autori/anna-rossi/atom/"),
    ]
    for _type, href in alternates(client, "/autori/anna-rossi/"):
        assert client.get(href).status_code == 200, href


def test_an_article_slugged_feed_keeps_its_own_address(client, make_article):
    article = make_article("Feed", slug="feed")
    assert article.get_absolute_url() == "/tecnologia/feed/"
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_the_bodys_own_links_and_photos_carry_the_sites_address(client, make_article, make_upload):
    # A reader shows the body away from the site, where "/media/…" leads nowhere.
    from xml.etree import ElementTree

    from images.models import Image

    photo = Image.objects.create(file=make_upload(width=1600, height=900), alt="Il molo")
    make_article(
        "Il molo nuovo",
        body=(
            '<p>Vedi <a href="/tag/porti/">i porti</a>.</p>'
            f'<figure><img src="" alt="" data-file="{photo.pk}"></figure>'
        ),
    )

    channel = ElementTree.fromstring(client.get(reverse("articles:feed")).content)
    content = channel.find(".//{http://purl.org/rss/1.0/modules/content/}encoded").text

    assert f'href="{DOMAIN}/tag/porti/"' in content
    assert f'src="{DOMAIN}/media/renditions/' in content
    srcset = content.split('srcset="')[1].split('"')[0].split(", ")
    assert len(srcset) == 3
    assert all(candidate.startswith(f"{DOMAIN}/media/renditions/") for candidate in srcset)
    assert srcset[-1].endswith(" 1600w")
