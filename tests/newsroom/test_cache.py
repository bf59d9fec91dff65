"""Readers' pages come from the cache, and every write that readers would see replaces them."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Section
from comments.forms import without_started_token
from comments.models import Comment
from newsroom import cache as page_cache
from tests.comments.post_data import comment_post_data

pytestmark = pytest.mark.django_db


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


def test_a_held_comment_leaves_the_cache_alone(article):
    version = page_cache.content_version()
    comment_on(article, "Compro oro", status=Comment.Status.SPAM)
    comment_on(article, "Forse.", status=Comment.Status.PENDING)
    assert page_cache.content_version() == version


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


def test_the_menu_is_read_once_per_content_version(client, article, section, settings):
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

    # A write no signal tells of, then the version moved as another server's
    # write would move it in the shared cache: read again.
    Section.objects.bulk_create([Section(name="Cultura", slug="cultura", order=3)])
    assert ">Cultura</a>" not in client.get(url).content.decode()
    page_cache.bump()
    assert ">Cultura</a>" in client.get(url).content.decode()


def test_a_page_rendered_for_the_cache_reads_the_version_once(client, article, monkeypatch):
    """The menu is remembered under the version the page is stamped with: no second read."""
    client.get("/")  # the version exists, the menu is remembered
    reads = []
    version = page_cache.content_version
    monkeypatch.setattr(page_cache, "content_version", lambda: reads.append(1) or version())
    assert "Il porto cambia volto" in client.get(article.get_absolute_url()).content.decode()
    assert reads == []


def test_a_transaction_bumps_again_when_it_commits(article):
    before = page_cache.content_version()
    article.title = "Nuovo titolo"
    article.save()
    article.tags.add("Genova")
    assert page_cache.content_version() > before
    # Once more after the commit, however many writes the transaction made.
    pending = [func for _sids, func, _robust in connection.run_on_commit]
    assert pending.count(page_cache._bump_after_commit) == 1


def test_a_lost_version_key_starts_past_every_earlier_version(client, article):
    version = page_cache.content_version()
    page_cache.cache.delete(page_cache.VERSION_KEY)
    assert page_cache.content_version() > version


def test_tracking_parameters_share_the_page_of_the_clean_address(
    client, article, django_assert_num_queries
):
    url = article.get_absolute_url()
    clean = client.get(url)
    with django_assert_num_queries(0):
        shared = client.get(url + "?utm_source=facebook&fbclid=IwAR0abc")
    assert shared.status_code == 200
    assert shared["ETag"] == clean["ETag"]
    assert without_started_token(shared.content) == without_started_token(clean.content)
    assert "fbclid" not in shared.content.decode()


def test_parameters_a_page_reads_still_make_their_own_page(client, make_article, section):
    for n in range(25):
        make_article(f"Notizia {n}")
    first = client.get(section.get_absolute_url()).content.decode()
    second = client.get(section.get_absolute_url() + "?page=2&utm_medium=social")
    html = second.content.decode()
    assert "Notizia 0" in html and "Notizia 0" not in first
    assert "utm_medium" not in html


def test_a_page_this_process_kept_costs_a_few_bytes_from_the_cache(
    client, rf, article, cache_reads, django_assert_num_queries
):
    url = article.get_absolute_url()
    size = len(client.get(url).content)
    cache_reads.clear()
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200
    # The version and the page's validators: not the page.
    assert {key for key, _size in cache_reads} == {
        page_cache.VERSION_KEY,
        page_cache.PageCacheMiddleware.key(rf.get(url), "it") + ":validators",
    }
    assert all(read < size / 10 for _key, read in cache_reads)


def test_a_kept_page_goes_as_soon_as_another_server_moves_the_version(client, article):
    url = article.get_absolute_url()
    assert "Il porto cambia volto" in client.get(url).content.decode()
    # Written through another server: no signal here, only the shared version moves.
    Article.objects.filter(pk=article.pk).update(title="Il porto ha un nuovo volto")
    assert "Il porto cambia volto" in client.get(url).content.decode()
    page_cache.bump()
    assert "Il porto ha un nuovo volto" in client.get(url).content.decode()


def test_a_page_another_server_stored_is_kept_here_after_one_read(client, article, cache_reads):
    url = article.get_absolute_url()
    client.get(url)
    page_cache.recent_pages.clear()  # as in a server process that never rendered it
    assert client.get(url).status_code == 200  # read from the shared cache, then kept
    size = len(client.get(url).content)
    cache_reads.clear()
    assert client.get(url).status_code == 200
    assert all(read < size / 10 for _key, read in cache_reads)


def test_servers_that_rendered_a_page_at_once_answer_with_the_copy_stored_last(client, rf, article):
    url = article.get_absolute_url()
    key = page_cache.PageCacheMiddleware.key(rf.get(url), "it")
    first = client.get(url)["ETag"]  # this server renders the page and keeps its copy
    kept = page_cache.recent_pages.get(key)
    assert kept is not None
    # Another server renders it under the same version, from rows written
    # meanwhile (the write's commit will move the version), and stores its copy last.
    Article.objects.filter(pk=article.pk).update(title="Il porto cambia nome")
    page_cache.recent_pages.clear()
    page_cache.cache.delete_many([key, f"{key}:validators"])
    last = client.get(url)["ETag"]
    assert last != first
    # This server, still keeping its own copy, answers with the shared one.
    page_cache.recent_pages.clear()
    page_cache.recent_pages.put(key, kept)
    assert "Il porto cambia nome" in client.get(url).content.decode()
    assert client.get(url)["ETag"] == last
    assert client.get(url, headers={"if-none-match": last}).status_code == 304
    assert client.get(url)["ETag"] == last


def post_comment(client, article, ip="192.0.2.1", **fields):
    return client.post(
        f"/commenti/articolo/{article.pk}/", comment_post_data(**fields), REMOTE_ADDR=ip
    )


def test_a_form_from_a_stored_page_says_when_this_reader_got_it(client, article):
    """
    The too-fast rule reads when the comment form was shown: from a page stored
    five minutes ago, a bot posting at once must not pass for a slow reader.
    """
    url = article.get_absolute_url()
    started = re.compile(r'name="started" value="([^"]+)"')
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.get(url)  # rendered and stored
        clock.shift(timedelta(minutes=5))
        page = client.get(url)
        assert page["Cache-Status"] == "Notizie; hit"
        post_comment(client, article, started=started.search(page.content.decode())[1])
        bot = Comment.objects.get()
        assert bot.status == Comment.Status.SPAM
        assert "secondi dopo l'apertura della pagina" in bot.moderation_reason

        # A reader who takes their time is no bot, from the same stored page.
        page = client.get(url)
        clock.shift(timedelta(seconds=40))
        post_comment(
            client,
            article,
            ip="192.0.2.7",
            email="lettrice@example.org",
            body="Ho letto con calma.",
            started=started.search(page.content.decode())[1],
        )
        reader = Comment.objects.exclude(pk=bot.pk).get()
        assert reader.status != Comment.Status.SPAM, reader.moderation_reason


def test_pages_kept_in_memory_stay_within_their_budget(client, rf, make_article, settings):
    urls = [make_article(f"Notizia numero {n}").get_absolute_url() for n in range(3)]
    keys = [page_cache.PageCacheMiddleware.key(rf.get(url), "it") for url in urls]
    size = len(client.get(urls[0]).content)
    settings.PAGE_CACHE_LOCAL_BYTES = size * 2 + size // 2
    recent = page_cache.recent_pages
    recent.clear()
    for url in urls:
        client.get(url)
        client.get(url)
    assert recent.size <= settings.PAGE_CACHE_LOCAL_BYTES
    # The least recently read went first.
    assert [recent.get(key) is not None for key in keys] == [False, True, True]
    # A page larger than the budget is never kept.
    settings.PAGE_CACHE_LOCAL_BYTES = size // 2
    client.get(urls[0])
    assert recent.get(keys[0]) is None and len(recent) == 2


# Readers who miss a page at once ---------------------------------------------


@pytest.fixture
def rendering_elsewhere(client, rf, article, monkeypatch, settings):
    """
    The article's page stored, then a comment moves the version and another
    server starts rendering the page first: it holds the lock. The readers'
    waits are recorded, and each runs ``step`` (the other server's progress).
    """
    url = article.get_absolute_url()
    assert client.get(url)["Cache-Status"] == "Notizie; fwd=miss; stored"
    key = page_cache.PageCacheMiddleware.key(rf.get(url), "it")
    stored = page_cache.cache.get(key)

    class Elsewhere:
        waits = []
        step = None

        @classmethod
        def begin(cls, lifetime=settings.PAGE_CACHE_RENDER_WAIT):
            page_cache.bump()
            version = page_cache.content_version()
            cls.lock = f"{key}:rendering:{version}"
            assert page_cache.cache.add(cls.lock, 1, timeout=lifetime)
            # Their copy, told apart from any this server would render.
            _version, next_at, status, headers, content, _etag, modified = stored
            content = content.replace(b"Il porto cambia volto", b"Il porto cambia volto (loro)")
            cls.theirs = (version, next_at, status, headers, content, 'W/"theirs"', modified)

        @classmethod
        def store(cls):
            validators = page_cache.validators_of(cls.theirs)
            page_cache.cache.set_many({key: cls.theirs, f"{key}:validators": validators})
            page_cache.cache.delete(cls.lock)

        @classmethod
        def fail(cls):
            page_cache.cache.delete(cls.lock)

    def pause(seconds):
        Elsewhere.waits.append(seconds)
        if Elsewhere.step is not None:
            Elsewhere.step(len(Elsewhere.waits))

    monkeypatch.setattr(page_cache, "pause", pause)
    Elsewhere.begin()
    return Elsewhere


def test_readers_who_miss_a_page_at_once_are_served_one_render(
    client, article, rendering_elsewhere
):
    elsewhere = rendering_elsewhere
    elsewhere.step = lambda waits: waits == 2 and elsewhere.store()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response["Cache-Status"] == "Notizie; fwd=miss; collapsed"
    assert response["ETag"] == 'W/"theirs"'
    assert "Il porto cambia volto (loro)" in response.content.decode()
    assert len(elsewhere.waits) == 2
    # A browser that waited with its own copy gets a 304 all the same.
    elsewhere.waits.clear()
    response = client.get(article.get_absolute_url(), headers={"if-none-match": 'W/"theirs"'})
    assert response.status_code == 304 and not elsewhere.waits


def test_a_reader_renders_the_page_when_the_render_it_waited_for_stored_nothing(
    client, article, rendering_elsewhere
):
    elsewhere = rendering_elsewhere
    elsewhere.step = lambda waits: elsewhere.fail()  # an error, say
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response["Cache-Status"] == "Notizie; fwd=miss; stored"
    assert "Il porto cambia volto (loro)" not in response.content.decode()
    assert len(elsewhere.waits) == 1


def test_a_reader_waits_no_longer_than_the_lock_lives(client, article, rendering_elsewhere):
    # The other server was killed mid-render: its lock is never let go, and
    # lapses after PAGE_CACHE_RENDER_WAIT seconds (3).
    elsewhere = rendering_elsewhere
    with time_machine.travel(timezone.now(), tick=False) as clock:
        elsewhere.step = lambda waits: clock.shift(timedelta(seconds=1))
        response = client.get(article.get_absolute_url())
    assert response["Cache-Status"] == "Notizie; fwd=miss; stored"
    assert len(elsewhere.waits) == 3


def test_readers_render_at_once_when_waiting_is_switched_off(
    client, article, rendering_elsewhere, settings
):
    settings.PAGE_CACHE_RENDER_WAIT = 0
    rendering_elsewhere.begin(lifetime=3)  # the setting's change moved the version
    response = client.get(article.get_absolute_url())
    assert response["Cache-Status"] == "Notizie; fwd=miss; stored"
    assert not rendering_elsewhere.waits
