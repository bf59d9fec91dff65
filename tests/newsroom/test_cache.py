"""Readers' pages come from the cache, and every write replaces exactly the pages that show it."""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Section
from comments.forms import STARTED_SALT
from comments.models import Comment
from newsroom import cache as page_cache
from newsroom import invalidation
from tests.comments.post_data import comment_post_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("any_cache")]


def comment_on(article, body="Era ora.", status=Comment.Status.APPROVED):
    return Comment.objects.create(
        article=article, name="Anna", email="anna@example.org", body=body, status=status
    )


def cached(client, url, django_assert_num_queries, **headers):
    """Ask twice: the second answer must come from the cache (no query)."""
    client.get(url, headers=headers)
    with django_assert_num_queries(0):
        return client.get(url, headers=headers)


def test_a_second_reader_gets_the_page_from_the_cache(client, article, django_assert_num_queries):
    response = cached(client, article.get_absolute_url(), django_assert_num_queries)
    assert response.status_code == 200
    # What the cache did, for whoever runs the site (RFC 9211).
    assert response["Cache-Status"] == "Notizie; hit"
    assert "Il porto cambia volto" in response.content.decode()


def test_an_edit_shows_at_once_on_the_article_and_every_list(
    client, article, author, section, django_assert_num_queries
):
    pages = [article.get_absolute_url(), "/", section.get_absolute_url(), "/tag/porti/"]
    pages += [author.get_absolute_url(), reverse("articles:feed")]
    for url in pages:
        cached(client, url, django_assert_num_queries)
    article.title = "Il porto cambia volto, e nome"
    article.save()
    for url in pages:
        assert "cambia volto, e nome" in client.get(url).content.decode(), url


def test_publishing_and_unpublishing_show_at_once(client, make_article, django_assert_num_queries):
    draft = make_article("Bozza segreta", status=Article.Status.DRAFT)
    cached(client, "/", django_assert_num_queries)
    draft.publish()
    assert "Bozza segreta" in client.get("/").content.decode()
    cached(client, draft.get_absolute_url(), django_assert_num_queries)
    draft.unpublish()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Bozza segreta" not in client.get("/").content.decode()


def test_approving_a_comment_shows_it_and_its_count_at_once(
    client, article, django_assert_num_queries
):
    comment = comment_on(article, "Un commento in attesa.", status=Comment.Status.PENDING)
    cached(client, article.get_absolute_url(), django_assert_num_queries)
    cached(client, "/", django_assert_num_queries)
    comment.approve()
    assert "Un commento in attesa." in client.get(article.get_absolute_url()).content.decode()
    assert "1 commento" in client.get("/").content.decode()


def test_removing_a_comment_hides_it_at_once(client, article, django_assert_num_queries):
    comment = comment_on(article, "Da togliere.")
    cached(client, article.get_absolute_url(), django_assert_num_queries)
    comment.reject()
    assert "Da togliere." not in client.get(article.get_absolute_url()).content.decode()
    comment_on(article, "Anche questo.")
    cached(client, article.get_absolute_url(), django_assert_num_queries)
    Comment.objects.get(body="Anche questo.").delete()
    assert "Anche questo." not in client.get(article.get_absolute_url()).content.decode()


def test_a_held_comment_leaves_the_cache_alone(client, article, django_assert_num_queries):
    cached(client, article.get_absolute_url(), django_assert_num_queries)
    comment_on(article, "Compro oro", status=Comment.Status.SPAM)
    comment_on(article, "Forse.", status=Comment.Status.PENDING)
    with django_assert_num_queries(0):
        client.get(article.get_absolute_url())


def test_an_approved_comment_leaves_the_other_stories_cached(
    client, article, make_article, section, django_assert_num_queries
):
    other = make_article("Il mercato coperto riapre")
    other_section = Section.objects.create(name="Sport", slug="sport", order=5)
    elsewhere = make_article("Il derby", section=other_section)
    for url in (article.get_absolute_url(), other.get_absolute_url(), elsewhere.get_absolute_url()):
        cached(client, url, django_assert_num_queries)
    cached(client, other_section.get_absolute_url(), django_assert_num_queries)

    comment_on(article, "Finalmente.")

    assert "Finalmente." in client.get(article.get_absolute_url()).content.decode()
    for url in (other.get_absolute_url(), elsewhere.get_absolute_url()):
        with django_assert_num_queries(0):
            assert client.get(url)["Cache-Status"] == "Notizie; hit"
    # A list that does not show the story is not touched either.
    with django_assert_num_queries(0):
        client.get(other_section.get_absolute_url())


def test_renaming_a_tag_an_author_or_a_section_shows_at_once(
    client, article, author, section, django_assert_num_queries
):
    url = article.get_absolute_url()
    cached(client, url, django_assert_num_queries)
    tag = Tag.objects.get(name="Porti")
    tag.name = "Porti e moli"
    tag.save()
    assert "Porti e moli" in client.get(url).content.decode()
    author.name = "Milena Sala Rossi"
    author.save()
    assert "Milena Sala Rossi" in client.get(url).content.decode()
    section.name = "Tecnologie"
    section.save()
    assert "Tecnologie" in client.get(url).content.decode()
    article.tags.add("Genova")
    assert "Genova" in client.get(url).content.decode()


def test_a_scheduled_article_appears_on_time(client, make_article, now, django_assert_num_queries):
    make_article("Notizia programmata", published_at=now + timedelta(minutes=30))
    response = cached(client, "/", django_assert_num_queries)
    assert "Notizia programmata" not in response.content.decode()
    max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert max_age <= 30 * 60
    with time_machine.travel(now + timedelta(minutes=31)):
        assert "Notizia programmata" in client.get("/").content.decode()


def test_staff_are_never_served_from_the_cache(client, editor_client, article):
    url = article.get_absolute_url()
    from django.test import Client

    reader = Client()
    reader.get(url)
    # A change no signal reports: only a page rendered anew can show it.
    Article.objects.filter(pk=article.pk).update(summary="Scritto di nascosto")
    assert "Scritto di nascosto" not in reader.get(url).content.decode()
    assert "Scritto di nascosto" in editor_client.get(url).content.decode()


def test_the_held_comment_notice_is_never_stored(client, article):
    url = article.get_absolute_url()
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            held = client.get(url, {"commento": "in-attesa"})
        assert "in attesa di moderazione" in held.content.decode()
        assert queries.captured_queries  # rendered, both times
    assert "in attesa di moderazione" not in client.get(url).content.decode()


def test_the_remember_me_cookie_does_not_keep_readers_from_the_cache(
    client, article, django_assert_num_queries
):
    url = article.get_absolute_url()
    client.get(url)
    client.cookies["commenti_autore"] = "%7B%22name%22%3A%22Anna%22%7D"
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 200
    assert not response.cookies


def test_each_language_has_its_own_copy(client, article, django_assert_num_queries):
    italian = cached(client, "/", django_assert_num_queries, accept_language="it")
    english = cached(client, "/", django_assert_num_queries, accept_language="en-GB,en;q=0.9")
    assert 'lang="it"' in italian.content.decode()
    assert 'lang="en"' in english.content.decode()
    # Any spelling of a language shares its copy.
    with django_assert_num_queries(0):
        assert client.get("/", headers={"accept-language": "en-US"}).content == english.content


def test_a_language_chosen_by_cookie_is_kept_out_of_shared_caches(client, article):
    client.cookies["django_language"] = "en"
    response = client.get("/", headers={"accept-language": "it"})
    assert 'lang="en"' in response.content.decode()
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_tools_and_personal_pages_are_never_stored(client, article, settings):
    assert "Cache-Control" not in client.get("/robots.txt")
    for url in ["/admin/login/", reverse("search") + "?q=porto"]:
        client.get(url)
        assert "ETag" not in client.get(url), url


def test_a_response_that_sets_a_cookie_is_never_stored(rf, article):
    from django.http import HttpResponse

    def view(request):
        response = HttpResponse("ciao")
        response.set_cookie("something", "1")
        return response

    def stored(view):
        page_cache.cache.clear()
        request = rf.get(article.get_absolute_url())
        request.LANGUAGE_CODE = "it"  # as LocaleMiddleware, further in, would set it
        page_cache.PageCacheMiddleware(view)(request)
        key = page_cache.PageCacheMiddleware.key(request, "it")
        return page_cache.cache.get(key) is not None

    assert stored(lambda request: HttpResponse("ciao"))
    assert not stored(view)


def test_the_cache_can_be_switched_off(client, article, settings, django_assert_max_num_queries):
    settings.PAGE_CACHE_ENABLED = False
    client.get("/")
    response = client.get("/")
    assert "ETag" not in response


def menu_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    # The menu's query: every section, and nothing else.
    menu = re.compile(r'^SELECT "articles_section"\.[^()]* FROM "articles_section" ORDER BY')
    return [query["sql"] for query in captured if menu.match(query["sql"])]


def test_the_menu_is_read_once_per_change_of_the_sections(client, article, section, settings):
    """Even with pages not stored: the sections are read again only after a write."""
    settings.PAGE_CACHE_ENABLED = False
    url = article.get_absolute_url()
    assert len(menu_queries(client, url)) == 1
    assert menu_queries(client, url) == []
    assert menu_queries(client, "/") == []

    section.name = "Tecnologie"
    section.save()
    Section.objects.create(name="Sport", slug="sport", order=2)
    assert len(menu_queries(client, url)) == 1
    page = client.get(url).content.decode()
    assert ">Tecnologie</a>" in page and ">Sport</a>" in page

    # A write no signal tells of, then what its writer must call: read again.
    Section.objects.bulk_create([Section(name="Cultura", slug="cultura", order=3)])
    assert ">Cultura</a>" not in client.get(url).content.decode()
    invalidation.invalidate_everything()
    assert ">Cultura</a>" in client.get(url).content.decode()


def test_a_transaction_invalidates_again_when_it_commits(
    client, article, django_assert_num_queries, django_capture_on_commit_callbacks
):
    url = article.get_absolute_url()
    with django_capture_on_commit_callbacks() as callbacks:
        article.title = "Nuovo titolo"
        article.save()
        # A page rendered from the rows of before the commit (another reader,
        # another server) is stored while the transaction is still open...
        Article.objects.filter(pk=article.pk).update(title="Il porto cambia volto")
        cached(client, url, django_assert_num_queries)
        Article.objects.filter(pk=article.pk).update(title="Nuovo titolo")
    for callback in callbacks:
        callback()
    # ...and goes when it commits.
    assert "Nuovo titolo" in client.get(url).content.decode()


def test_a_page_rendered_while_a_write_commits_is_kept_nowhere(client, article, settings):
    settings.PAGE_CACHE_PURGER = "varnish"  # an edge in front, which keeps pages long
    url = article.get_absolute_url()

    def edit_committed(**kwargs):
        # Another server commits an edit of the article, and purges the edge,
        # while this page renders from the rows of before.
        template_rendered.disconnect(edit_committed)
        invalidation.invalidate({f"article:{article.pk}"})

    template_rendered.connect(edit_committed)
    response = client.get(url)
    # Served once: the edge must not keep it after the purge it missed.
    assert response.status_code == 200
    assert response["Cache-Status"] == "Notizie; fwd=miss"
    assert "no-store" in response["Cache-Control"]
    assert "s-maxage" not in response["Cache-Control"]
    # The next reader's page is rendered again, and kept.
    assert client.get(url)["Cache-Status"] == "Notizie; fwd=miss; stored"
    assert client.get(url)["Cache-Status"] == "Notizie; hit"


def test_a_lost_version_counter_starts_past_every_earlier_version(client, article):
    before = page_cache.next_version()
    page_cache.cache.delete(page_cache.SEQ_KEY)
    assert page_cache.next_version() > before


def test_a_page_whose_tag_version_was_evicted_is_rendered_again(
    client, article, django_assert_num_queries
):
    url = article.get_absolute_url()
    cached(client, url, django_assert_num_queries)
    page_cache.cache.delete(page_cache.tag_key(f"article:{article.pk}"))
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert queries.captured_queries
    cached(client, url, django_assert_num_queries)


def test_a_cache_restored_from_an_older_snapshot_never_brings_back_an_unpublished_article(
    client, article, django_assert_num_queries
):
    pages = ["/", article.get_absolute_url(), article.section.get_absolute_url()]
    for url in pages:
        cached(client, url, django_assert_num_queries)
    keys = [page_cache.SEQ_KEY, page_cache.FLOOR_KEY]
    keys += [page_cache.tag_key(tag) for tag in ("home", "site", f"article:{article.pk}")]
    keys += [page_cache.tag_key(f"section-list:{article.section_id}")]
    keys += [
        page_cache.PageCacheMiddleware.key(request, "it")
        for request in (client.get(url).wsgi_request for url in pages)
    ]
    snapshot = page_cache.cache.get_many(keys)

    article.unpublish()
    assert client.get(article.get_absolute_url()).status_code == 404

    # The cache server restarts from its last snapshot, taken before.
    page_cache.cache.clear()
    page_cache.cache.set_many(snapshot, timeout=None)

    assert client.get(article.get_absolute_url()).status_code == 404
    for url in ["/", article.section.get_absolute_url()]:
        assert "Il porto cambia volto" not in client.get(url).content.decode(), url


def test_tracking_parameters_share_the_page_of_the_clean_address(
    client, article, django_assert_num_queries
):
    url = article.get_absolute_url()
    clean = client.get(url)
    with django_assert_num_queries(0):
        shared = client.get(url + "?utm_source=facebook&fbclid=IwAR0abc")
    assert shared.status_code == 200
    assert shared["ETag"] == clean["ETag"]
    assert shared.content == clean.content
    assert "fbclid" not in shared.content.decode()


def test_parameters_a_page_reads_still_make_their_own_page(client, make_article, section):
    for n in range(25):
        make_article(f"Notizia {n}")
    first = client.get(section.get_absolute_url()).content.decode()
    second = client.get(section.get_absolute_url() + "?page=2&utm_medium=social")
    html = second.content.decode()
    assert "Notizia 0" in html and "Notizia 0" not in first
    assert "utm_medium" not in html


def test_pages_that_cannot_exist_are_not_stored(client, article, django_assert_num_queries):
    url = article.get_absolute_url()
    comment_on(article, "Il solo commento.")
    for junk in ("?pagina_commenti=999", "?pagina_commenti=abc", "?rispondi=123456"):
        for _ in range(2):
            response = client.get(url + junk)
            assert response.status_code == 200, junk
            assert response["Cache-Status"] == "Notizie; fwd=miss", junk
            assert "no-cache" in response["Cache-Control"], junk
    # A parameter the page does not read is not part of its address.
    cached(client, url, django_assert_num_queries)
    with django_assert_num_queries(0):
        assert client.get(url + "?p=5")["Cache-Status"] == "Notizie; hit"
    assert client.get(article.section.get_absolute_url() + "?page=999").status_code == 404


def test_a_host_port_not_in_the_configuration_is_not_stored(client, article):
    url = article.get_absolute_url()
    for _ in range(2):
        response = client.get(url, HTTP_HOST="testserver:4321")
        assert response.status_code == 200
        assert response["Cache-Status"] == "Notizie; fwd=miss"
    response = client.get(url, HTTP_HOST="testserver:80")  # the port it listens on
    assert client.get(url, HTTP_HOST="testserver:80")["Cache-Status"] == "Notizie; hit"


def test_a_crafted_link_cannot_poison_the_comment_form(client, article, post_form_token):
    """A link carrying what the form's token once looked like changes nothing in the form."""
    url = article.get_absolute_url()
    client.get(url)
    page = client.get(url + "?p=--comment-form-started--").content.decode()
    token = re.search(r'<input type="hidden" name="started" value="([^"]*)"', page).group(1)
    assert post_form_token(article, token).status == Comment.Status.PENDING


@pytest.fixture
def post_form_token(client):
    def post(article, token):
        with time_machine.travel(timezone.now() + timedelta(minutes=2)):
            client.post(
                f"/commenti/articolo/{article.pk}/",
                comment_post_data(started=token, body="Un commento vero."),
                REMOTE_ADDR="192.0.2.77",
            )
        return Comment.objects.get(body="Un commento vero.")

    return post


def test_the_comment_form_asks_for_a_time_token_of_now(client, article):
    response = client.get("/commenti/modulo/")
    assert "no-cache" in response["Cache-Control"]
    started = signing.loads(response.json()["started"], salt=STARTED_SALT)
    assert abs(started - timezone.now().timestamp()) < 5
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'data-started-url="/commenti/modulo/"' in page


def test_a_deploy_that_changes_what_pages_print_purges_them_all(
    client, article, settings, django_assert_num_queries
):
    for url in ("/", article.get_absolute_url(), reverse("sitemap")):
        cached(client, url, django_assert_num_queries)
    settings.SITE_NAME = "Il Notiziario"
    call_command("purge_pages", stdout=io.StringIO())
    for url in ("/", article.get_absolute_url(), reverse("sitemap")):
        assert client.get(url)["Cache-Status"] == "Notizie; fwd=miss; stored", url
    assert "Il Notiziario" in client.get("/").content.decode()


def test_a_hit_reads_the_page_and_its_tags_versions_in_one_round_trip(client, article, monkeypatch):
    url = article.get_absolute_url()
    client.get(url)
    backend = caches["default"]
    reads, inside = [], []

    def recorded(name, original):
        def read(*args, **kwargs):
            if not inside:  # the backend's own get_many may call its get
                reads.append(name)
            inside.append(name)
            try:
                return original(*args, **kwargs)
            finally:
                inside.pop()

        return read

    for name in ("get", "get_many"):
        monkeypatch.setattr(backend, name, recorded(name, getattr(backend, name)))
    assert client.get(url)["Cache-Status"] == "Notizie; hit"
    assert reads == ["get_many"]
