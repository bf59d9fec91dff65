"""`manage.py load_demo`: the reference article word for word, a newsroom around it, run twice."""

import json
import re
from datetime import timedelta
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles.models import Article, Byline, Section
from authors.models import Author
from images.models import Image
from newsroom import demo

pytestmark = pytest.mark.django_db

SEED = json.loads(demo.REFERENCE_FIXTURE.read_text(encoding="utf-8"))
REFERENCE_PAGE = (demo.FIXTURES / "reference-page.txt").read_text(encoding="utf-8")
MONTHS = [
    "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
    "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
]  # fmt: skip


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every run hashes a new admin password; PBKDF2 would dominate these tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_demo(*args):
    """Run the command as `make demo` does, small and without images unless told otherwise."""
    out = StringIO()
    call_command("load_demo", "--articles", "20", "--no-images", *args, stdout=out)
    return out.getvalue()


def reference_article():
    return Article.objects.get(title=SEED["article"]["title"])


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        self.skipping += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.skipping -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def squeeze(text):
    return " ".join(text.split())


def text_of(html):
    """What a reader sees: tags dropped, entities decoded, whitespace collapsed."""
    parser = _TextParser()
    parser.feed(html)
    return squeeze("".join(parser.parts))


def blocks_of(body_html):
    """The text of each paragraph and subheading of an article body."""
    return [text_of(block) for block in re.findall(r"<(?:p|h2)>.*?</(?:p|h2)>", body_html)]


def test_the_reference_article_is_stored_exactly_as_seeded():
    load_demo()
    article = reference_article()
    assert article.title == "Elon Munk ha invitato Putin su Clubhouse"
    assert article.slug == "elon-munk-ha-invitato-putin-su-clubhouse"
    assert article.body == SEED["article"]["body_html"]
    assert article.summary == ""
    assert article.section.name == "Tecnologia"
    assert sorted(article.tags.names()) == sorted(SEED["article"]["tags"])
    assert [author.slug for author in article.byline_authors] == ["milena-sala"]
    milena = Author.objects.get(slug="milena-sala")
    assert milena.name == "Milena Sala"
    assert milena.bio == SEED["authors"][0]["bio"]
    assert article.is_published


def test_the_reference_page_reads_like_the_seed_page(client):
    load_demo()
    response = client.get(reference_article().get_absolute_url())
    assert response.status_code == 200
    page = text_of(response.content.decode())
    # Everything down to the author's bio, in order; the comment form is another feature's.
    expected = [
        squeeze(line) for line in REFERENCE_PAGE.split("Lascia un commento")[0].splitlines()
    ]
    position = 0
    for line in filter(None, expected):
        found = page.find(line, position)
        assert found >= 0, f"missing or out of order: {line!r}"
        position = found + len(line)


def test_the_reference_page_shows_both_subheadings_and_every_paragraph(client):
    load_demo()
    content = client.get(reference_article().get_absolute_url()).content.decode()
    seeded = blocks_of(SEED["article"]["body_html"])
    assert len(seeded) == 6
    for block in seeded:
        assert block in text_of(content)
    headings = [text_of(h) for h in re.findall(r"<h2>.*?</h2>", content)]
    assert "Elon Musk ha invitato Putin su Clubhouse: perchè?" in headings
    assert "Il motivo dell\u2019invito?" in headings  # a typographic apostrophe, as seeded


def test_the_reference_page_credits_milena_sala_with_a_link_and_her_bio(client):
    load_demo()
    content = client.get(reference_article().get_absolute_url()).content.decode()
    assert re.search(r'Di\s*<a href="/autori/milena-sala/"', content)
    assert "Di Milena Sala" in text_of(content)
    assert SEED["authors"][0]["bio"] in text_of(content)


def test_the_reference_date_is_written_in_italian(client):
    load_demo()
    article = reference_article()
    local = timezone.localtime(article.published_at)
    page = text_of(client.get(article.get_absolute_url()).content.decode())
    assert f"{local.day} {MONTHS[local.month - 1]} {local.year}" in page


def test_the_reference_article_is_the_newest_on_the_home_page(client):
    load_demo()
    newest, runner_up = Article.objects.published().latest_first()[:2]
    assert newest == reference_article()
    home = text_of(client.get("/").content.decode())
    assert 0 <= home.find(newest.title) < home.find(runner_up.title)


def test_it_generates_sections_authors_and_articles_around_the_reference():
    load_demo()
    assert Section.objects.count() == 6
    assert Author.objects.count() == 12
    assert Article.objects.count() == 21
    assert Author.objects.exclude(role="").count() == 11
    generated = Article.objects.exclude(pk=reference_article().pk)
    for article in generated:
        assert 1 <= article.bylines.count() <= 3
        assert article.tags.count() <= 6
        assert article.summary
        assert "<h2>" in article.body
    assert set(generated.values_list("section__name", flat=True)) == set(
        Section.objects.values_list("name", flat=True)
    )


def test_public_articles_span_the_last_two_months_before_the_reference():
    load_demo()
    reference = reference_article()
    others = Article.objects.published().exclude(pk=reference.pk)
    assert others.exists()
    for article in others:
        assert reference.published_at - timedelta(days=62) < article.published_at
        assert article.published_at < reference.published_at


def test_every_state_is_present_and_none_but_published_is_public(client):
    load_demo()
    now = timezone.now()
    hidden = Article.objects.exclude(pk__in=Article.objects.published(now))
    states = {"scheduled" if article.is_scheduled else article.status for article in hidden}
    assert states == {"draft", "review", "scheduled", "unpublished"}
    for article in hidden:
        assert not article.is_published
        assert client.get(article.get_absolute_url()).status_code == 404


def test_running_twice_creates_no_duplicates():
    def counts():
        return {
            model.__name__: model.objects.count()
            for model in (Article, Section, Author, Byline, Tag, TaggedItem, get_user_model())
        }

    load_demo()
    first, slugs = counts(), set(Article.objects.values_list("slug", flat=True))
    load_demo()
    assert counts() == first
    assert set(Article.objects.values_list("slug", flat=True)) == slugs


def test_it_prints_the_admin_login_and_the_password_works():
    output = load_demo()
    assert "http://127.0.0.1:8000/" in output
    assert "http://127.0.0.1:8000/admin/" in output
    assert re.search(r"^Username: admin$", output, re.MULTILINE)
    password = re.search(r"^Password: (\S+)$", output, re.MULTILINE).group(1)
    user = authenticate(username="admin", password=password)
    assert user is not None and user.is_superuser and user.is_staff

    again = re.search(r"^Password: (\S+)$", load_demo(), re.MULTILINE).group(1)
    assert again != password
    assert authenticate(username="admin", password=password) is None
    assert authenticate(username="admin", password=again) is not None


def test_the_printed_links_follow_the_site_url():
    output = load_demo("--site-url", "http://127.0.0.1:8765/")
    assert re.search(r"^Site: +http://127.0.0.1:8765/$", output, re.MULTILINE)
    assert re.search(r"^Admin: +http://127.0.0.1:8765/admin/$", output, re.MULTILINE)


def test_placeholder_images_are_made_once_and_shared(client, media_root):
    call_command("load_demo", "--articles", "6", stdout=StringIO())
    article = reference_article()
    assert article.hero_image.name.endswith(".jpg")
    assert article.hero_alt and article.hero_caption and article.hero_credit
    assert [size["width"] for size in article.hero_renditions["sizes"]] == [400, 800, 1600]
    # In the library, for editors to choose again.
    assert article.hero_photo.file.name == article.hero_image.name
    assert Author.objects.with_photo().count() >= 8
    files = sorted(path.relative_to(media_root) for path in media_root.rglob("*") if path.is_file())

    call_command("load_demo", "--articles", "6", stdout=StringIO())
    again = sorted(path.relative_to(media_root) for path in media_root.rglob("*") if path.is_file())
    assert again == files
    assert Image.objects.filter(file=article.hero_image.name).count() == 1
    content = client.get(article.get_absolute_url()).content.decode()
    assert f'alt="{article.hero_alt}"' in content


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Only PostgreSQL stores search vectors."
)
def test_demo_articles_are_found_by_their_authors_names(db):
    call_command("load_demo", articles=5, images=False, stdout=StringIO())
    found = Article.objects.published().search("Milena Sala")
    assert "Elon Munk ha invitato Putin su Clubhouse" in {a.title for a in found}


def test_some_articles_show_a_photo_of_the_library_in_their_body(client, media_root):
    from images.models import Image

    call_command("load_demo", "--articles", "12", stdout=StringIO())
    with_photo = Article.objects.filter(body_images__isnull=False).distinct()
    assert with_photo.exists()
    article = with_photo.published().first()
    bodies = dict(Article.objects.values_list("pk", "body"))
    photos = Image.objects.count()

    call_command("load_demo", "--articles", "12", stdout=StringIO())
    assert Image.objects.count() == photos
    assert dict(Article.objects.values_list("pk", "body")) == bodies
    page = client.get(article.get_absolute_url()).text
    figure = re.search(r"<figure[^>]*><img ([^>]*)><figcaption>([^<]*)</figcaption>", page)
    assert figure, "no photo in the body"
    assert "srcset=" in figure.group(1) and 'alt="Immagine segnaposto' in figure.group(1)
    assert (
        figure.group(2) == "Immagine dimostrativa generata per la demo di Notizie. Grafica Notizie"
    )
