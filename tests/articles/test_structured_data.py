"""JSON-LD, OpenGraph and Twitter cards of an article page, read back as data."""

import json
from datetime import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from PIL import Image

from articles.models import Article

pytestmark = pytest.mark.django_db

ROME = ZoneInfo("Europe/Rome")
SITE = "http://testserver"


class Head(HTMLParser):
    """The JSON-LD blocks and the <meta> tags of a page."""

    def __init__(self):
        super().__init__()
        self.json_ld = []
        self.meta = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")
        elif tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta.append((attrs.get("property") or attrs["name"], attrs["content"]))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data

    def graph(self, kind):
        [found] = [data for data in map(json.loads, self.json_ld) if data["@type"] == kind]
        return found

    def values(self, key):
        return [value for name, value in self.meta if name == key]

    def value(self, key):
        [found] = self.values(key)
        return found


def head(client, article) -> Head:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    parser = Head()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def story(make_article, make_author, make_upload):
    return make_article(
        "Elon Munk ha invitato Putin su Clubhouse",
        summary="Il sommario.",
        seo_description="La descrizione per i motori di ricerca.",
        authors=[make_author("Anna Rossi"), make_author("Bruno Verdi")],
        tags=["Clubhouse", "Russia"],
        hero_image=make_upload(width=1800, height=1200),
        hero_alt="Un telefono con l'app Clubhouse",
        published_at=datetime(2026, 2, 3, 9, 15, tzinfo=ROME),
        updated_at=datetime(2026, 2, 3, 11, 0, tzinfo=ROME),
    )


def test_an_article_page_describes_itself_as_a_news_article(client, story):
    data = head(client, story).graph("NewsArticle")
    url = f"{SITE}/tecnologia/elon-munk-ha-invitato-putin-su-clubhouse/"
    assert data["@context"] == "https://schema.org"
    assert data["headline"] == "Elon Munk ha invitato Putin su Clubhouse"
    assert data["description"] == "La descrizione per i motori di ricerca."
    assert data["image"] == [
        f"{SITE}/media/{size['name']}" for size in reversed(story.hero_renditions["sizes"])
    ]
    assert data["datePublished"] == "2026-02-03T09:15:00+01:00"
    assert data["dateModified"] == "2026-02-03T11:00:00+01:00"
    assert data["author"] == [
        {"@type": "Person", "name": "Anna Rossi", "url": f"{SITE}/autori/anna-rossi/"},
        {"@type": "Person", "name": "Bruno Verdi", "url": f"{SITE}/autori/bruno-verdi/"},
    ]
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Notizie",
        "url": f"{SITE}/",
        "logo": {
            "@type": "ImageObject",
            "url": f"{SITE}/static/img/logo.png",
            "width": 512,
            "height": 512,
        },
    }
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["articleSection"] == "Tecnologia"
    assert sorted(data["keywords"]) == ["Clubhouse", "Russia"]
    assert data["inLanguage"] == "it"


def test_the_breadcrumbs_lead_home_then_to_the_section_then_to_the_article(client, story):
    data = head(client, story).graph("BreadcrumbList")
    trail = [(item["position"], item["name"], item["item"]) for item in data["itemListElement"]]
    assert trail == [
        (1, "Notizie", f"{SITE}/"),
        (2, "Tecnologia", f"{SITE}/tecnologia/"),
        (3, story.title, f"{SITE}{story.get_absolute_url()}"),
    ]


def test_a_long_headline_is_cut_to_110_characters(client, make_article):
    article = make_article(("Parola " * 25).strip())  # 174 characters
    headline = head(client, article).graph("NewsArticle")["headline"]
    assert len(headline) <= 110
    assert headline.endswith("…")


def test_an_article_without_byline_or_image_is_signed_by_the_publisher(client, make_article):
    data = head(client, make_article("Comunicato", summary="")).graph("NewsArticle")
    assert [author["@type"] for author in data["author"]] == ["Organization"]
    assert "image" not in data
    assert "description" not in data
    assert data["dateModified"] == data["datePublished"]


def test_a_title_cannot_close_the_script_element(client, make_article):
    title = "</script><script>alert(1)</script> & <!-- commento"
    article = make_article(title, slug="titolo-pericoloso")
    response = client.get(article.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in response
    assert head(client, article).graph("NewsArticle")["headline"] == title


def test_the_publisher_comes_from_settings(client, make_article, settings):
    settings.PUBLISHER_NAME = "Editrice Notizie S.p.A."
    publisher = head(client, make_article("Notizia")).graph("NewsArticle")["publisher"]
    assert publisher["name"] == "Editrice Notizie S.p.A."


def test_the_logo_settings_describe_the_real_file(settings):
    from django.contrib.staticfiles import finders

    with Image.open(finders.find(settings.SITE_LOGO)) as logo:
        assert logo.format == "PNG"  # Google takes no SVG publisher logo
        assert logo.size == (settings.SITE_LOGO_WIDTH, settings.SITE_LOGO_HEIGHT)


def test_opengraph_and_twitter_describe_the_article_for_sharing(client, story):
    page = head(client, story)
    largest = story.hero_renditions["sizes"][-1]
    url = f"{SITE}{story.get_absolute_url()}"
    assert page.value("og:type") == "article"
    assert page.value("og:site_name") == "Notizie"
    assert page.value("og:title") == story.title
    assert page.value("og:description") == "La descrizione per i motori di ricerca."
    assert page.value("og:url") == url
    assert page.value("og:image") == f"{SITE}/media/{largest['name']}"
    assert page.value("og:image:width") == str(largest["width"])
    assert page.value("og:image:height") == str(largest["height"])
    assert page.value("og:image:alt") == "Un telefono con l'app Clubhouse"
    assert page.value("article:published_time") == "2026-02-03T09:15:00+01:00"
    assert page.value("article:modified_time") == "2026-02-03T11:00:00+01:00"
    assert page.values("article:author") == [
        f"{SITE}/autori/anna-rossi/",
        f"{SITE}/autori/bruno-verdi/",
    ]
    assert page.value("article:section") == "Tecnologia"
    assert sorted(page.values("article:tag")) == ["Clubhouse", "Russia"]
    assert page.value("twitter:card") == "summary_large_image"
    assert page.value("twitter:title") == story.title
    assert page.value("twitter:image") == page.value("og:image")
    assert page.value("description") == "La descrizione per i motori di ricerca."


def test_without_a_hero_image_the_card_shows_the_logo(client, make_article):
    page = head(client, make_article("Senza immagine"))
    assert page.value("og:image") == f"{SITE}/static/img/logo.png"
    assert page.value("og:image:width") == "512"
    assert page.value("twitter:card") == "summary"


def test_a_twitter_account_is_named_when_configured(client, make_article, settings):
    article = make_article("Notizia")
    assert head(client, article).values("twitter:site") == []
    settings.TWITTER_SITE = "@notizie"
    cache.clear()  # as a deploy that changes what every page prints purges them
    assert head(client, article).value("twitter:site") == "@notizie"


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.REVIEW},
        {"status": Article.Status.UNPUBLISHED, "published_at": datetime(2026, 1, 1, tzinfo=ROME)},
        {"published_at": datetime(2999, 1, 1, tzinfo=ROME)},
    ],
    ids=["draft", "review", "unpublished", "scheduled"],
)
def test_an_article_readers_cannot_see_has_no_structured_data(client, make_article, fields):
    article = make_article("Segreta", **fields)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404
    assert b"application/ld+json" not in response.content
    assert b"Segreta" not in response.content


def test_pages_other_than_articles_carry_no_article_data(client, make_article, author):
    make_article("Notizia", authors=[author], tags=["Spazio"])
    for url in ["/", "/tecnologia/", "/tag/spazio/", "/autori/milena-sala/", "/cerca/?q=notizia"]:
        parser = Head()
        parser.feed(client.get(url).content.decode())
        assert parser.json_ld == [], url
        assert parser.values("og:type") == [], url


def test_structured_data_adds_no_query_to_the_article_page(
    client, story, django_assert_max_num_queries
):
    # The head reuses the section, bylines and tags loaded for the body: each
    # is still read once, and nothing else (the Site, the files) is asked for.
    with django_assert_max_num_queries(10) as captured:
        client.get(story.get_absolute_url())
    queries = [query["sql"] for query in captured.captured_queries]
    assert sum('FROM "taggit_tag"' in sql or "taggit_taggeditem" in sql for sql in queries) == 1
    assert sum('"articles_byline"' in sql for sql in queries) == 1
    assert not [sql for sql in queries if "django_site" in sql]
