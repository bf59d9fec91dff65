"""What readers see under an article: approved comments, oldest first, in threads, paged."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment
from comments.threads import Threads

pytestmark = pytest.mark.django_db

PAGE_QUERY_BUDGET = 10


def page_of(client, article, query=""):
    return client.get(article.get_absolute_url() + query).content.decode()


def comment_ids(html):
    return [int(pk) for pk in re.findall(r'<li class="comment[^"]*" id="commento-(\d+)"', html)]


def test_only_approved_comments_are_shown_oldest_first(client, article, make_comment, now):
    newer = make_comment("Più recente.", created_at=now - timedelta(minutes=1))
    older = make_comment("Più vecchio.", created_at=now - timedelta(hours=1))
    for status in ("pending", "spam", "rejected"):
        make_comment(f"Stato {status}.", status=status)
    html = page_of(client, article)
    assert comment_ids(html) == [older.pk, newer.pk]
    assert "Stato" not in html
    assert "2 commenti" in html


def test_the_count_reads_naturally(client, article, make_comment):
    assert 'id="commenti-titolo"' not in page_of(client, article)
    make_comment("Uno.")
    assert ">1 commento<" in page_of(client, article)


def test_the_name_links_to_the_website_with_nofollow_ugc_noopener(client, article, make_comment):
    make_comment(name="Marco Bellini", website="https://marco.example/")
    make_comment("Senza sito.", name="Anna Conti")
    html = page_of(client, article)
    assert '<a href="https://marco.example/" rel="nofollow ugc noopener">Marco Bellini</a>' in html
    assert re.search(r'id="commento-\d+-autore">Anna Conti</p>', html)


def test_the_body_keeps_paragraphs_and_makes_bare_urls_into_nofollow_links(
    client, article, make_comment
):
    make_comment("Primo paragrafo\ncon un a capo.\n\nSecondo: https://example.org/pagina")
    html = page_of(client, article)
    assert "<p>Primo paragrafo<br>con un a capo.</p>" in html
    assert (
        '<p>Secondo: <a href="https://example.org/pagina" rel="nofollow ugc noopener">'
        "https://example.org/pagina</a></p>"
    ) in html


def test_each_comment_shows_its_date(client, article, make_comment):
    moment = timezone.make_aware(timezone.datetime(2026, 2, 3, 10, 5))
    make_comment(created_at=moment)
    assert '<time datetime="2026-02-03T10:05:00+01:00">' in page_of(client, article)


def test_replies_nest_under_their_parent(client, article, make_comment):
    top = make_comment("Sopra.")
    reply = make_comment("Risposta.", parent=top)
    answer = make_comment("Risposta alla risposta.", parent=reply)
    html = page_of(client, article)
    top_start = html.index(f'id="commento-{top.pk}"')
    reply_start = html.index(f'id="commento-{reply.pk}"')
    answer_start = html.index(f'id="commento-{answer.pk}"')
    assert top_start < reply_start < answer_start
    assert html.count('class="comment-list comment-list--replies"') == 2
    assert 'class="comment comment--depth-3"' in html


def test_every_comment_has_a_reply_link_that_works_without_javascript(
    client, article, make_comment
):
    top = make_comment("Sopra.", name="Marco Bellini")
    html = page_of(client, article)
    assert f'href="?rispondi={top.pk}#lascia-un-commento"' in html
    assert 'aria-label="Rispondi a Marco Bellini"' in html
    replying = page_of(client, article, f"?rispondi={top.pk}")
    assert "In risposta a Marco Bellini." in replying
    assert f'<input type="hidden" name="parent" value="{top.pk}" id="id_parent">' in replying


def test_a_reply_link_to_a_comment_that_is_not_public_is_ignored(client, article, make_comment):
    held = make_comment("Nascosto.", status=Comment.Status.PENDING, name="Segreto")
    html = page_of(client, article, f"?rispondi={held.pk}")
    assert "In risposta a" not in html
    assert "Segreto" not in html
    assert 'name="parent" id="id_parent"' in html
    assert page_of(client, article, "?rispondi=xyz").count("In risposta a") == 0


def test_comments_are_paged_by_thread_fifty_threads_a_page(client, article, make_comment, now):
    threads = [
        make_comment(f"Thread {n}.", created_at=now - timedelta(minutes=100 - n)) for n in range(52)
    ]
    make_comment("Risposta al primo.", parent=threads[0], created_at=now)
    first = page_of(client, article)
    assert len(comment_ids(first)) == 51  # 50 threads, one reply
    assert "53 commenti" in first
    assert 'href="?pagina_commenti=2#commenti"' in first
    second = page_of(client, article, "?pagina_commenti=2")
    assert comment_ids(second) == [threads[50].pk, threads[51].pk]
    assert f'href="?pagina_commenti=2&amp;rispondi={threads[50].pk}#lascia-un-commento"' in second
    assert comment_ids(page_of(client, article, "?pagina_commenti=999"))[-1] == threads[51].pk
    assert comment_ids(page_of(client, article, "?pagina_commenti=zero"))[0] == threads[0].pk


def test_the_page_size_is_a_setting(client, article, make_comment, settings):
    settings.COMMENTS_PER_PAGE = 2
    for n in range(3):
        make_comment(f"Thread {n}.")
    assert len(comment_ids(page_of(client, article))) == 2


def comment_queries(captured):
    return [q["sql"] for q in captured.captured_queries if "comments_comment" in q["sql"]]


def bulk_comments(article, count, now, parent=None):
    """``count`` approved comments, oldest first; every third answers ``parent`` when given."""
    Comment.objects.bulk_create(
        Comment(
            article=article,
            parent=parent if parent and n % 3 == 0 else None,
            depth=2 if parent and n % 3 == 0 else 1,
            name=f"Lettore {n}",
            email=f"lettore{n}@example.org",
            body=f"Commento numero {n}.",
            status=Comment.Status.APPROVED,
            created_at=now - timedelta(minutes=count - n),
        )
        for n in range(count)
    )


def test_a_discussion_that_fits_on_a_page_is_read_in_one_query(
    client, article, make_comment, django_assert_max_num_queries, now, settings
):
    settings.COMMENTS_PER_PAGE = 50
    top = make_comment("Il primo.", created_at=now - timedelta(days=1))
    bulk_comments(article, 49, now, parent=top)
    with django_assert_max_num_queries(PAGE_QUERY_BUDGET) as captured:
        html = page_of(client, article)
    assert "50 commenti" in html and len(comment_ids(html)) == 50
    [query] = comment_queries(captured)
    assert '"body_html"' in query and "LIMIT 51" in query


@pytest.mark.parametrize("count", [51, 500])
def test_a_long_discussion_costs_the_same_few_queries_whatever_its_length(
    client, article, make_comment, count, django_assert_max_num_queries, now
):
    top = make_comment("Il primo.", created_at=now - timedelta(days=1))
    bulk_comments(article, count - 1, now, parent=top)
    with django_assert_max_num_queries(PAGE_QUERY_BUDGET) as captured:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{count} commenti" in html
    assert "Commento numero 0." in html and f"Commento numero {count - 2}." in html
    # The oldest comments with their text, where every comment sits (ids
    # only), then the text of the replies on page one that came later.
    capped, outline, *rest = comment_queries(captured)
    assert "LIMIT 51" in capped
    assert '"body' not in outline and '"name"' not in outline
    assert len(rest) <= 1


def test_page_one_of_a_long_flat_discussion_reads_no_text_twice(
    client, article, django_assert_max_num_queries, now, settings
):
    settings.COMMENTS_PER_PAGE = 50
    bulk_comments(article, 2_000, now)
    with django_assert_max_num_queries(PAGE_QUERY_BUDGET) as captured:
        html = page_of(client, article)
    assert "2000 commenti" in html and len(comment_ids(html)) == 50
    capped, outline = comment_queries(captured)
    assert "LIMIT 51" in capped and '"body' not in outline


def test_a_long_discussion_reads_the_text_of_one_page_only(
    client, article, django_assert_max_num_queries, now, settings
):
    settings.COMMENTS_PER_PAGE = 50
    Comment.objects.bulk_create(
        Comment(
            article=article,
            name=f"Lettore {n}",
            email=f"lettore{n}@example.org",
            body=f"Commento numero {n}.",
            status=Comment.Status.APPROVED,
            created_at=now - timedelta(minutes=2_000 - n),
        )
        for n in range(2_000)
    )
    with django_assert_max_num_queries(PAGE_QUERY_BUDGET) as captured:
        html = page_of(client, article, "?pagina_commenti=3")
    assert "2000 commenti" in html
    assert len(comment_ids(html)) == 50
    assert "Commento numero 100." in html and "Commento numero 150." not in html
    [texts] = [q for q in comment_queries(captured) if '"body_html"' in q and " IN (" in q]
    # The text of the 50 comments shown, not of the other 1,950.
    assert len(re.search(r"IN \(([^)]*)\)", texts)[1].split(",")) == 50


def test_a_comment_rejected_between_the_two_queries_is_not_shown(client, article, make_comment):
    shown = make_comment("Resta.")
    gone = make_comment("Rifiutato adesso.")
    threads = Threads.for_article(article)
    Comment.objects.filter(pk=gone.pk).update(status=Comment.Status.REJECTED)
    threads.load(threads.page(1))
    assert [node.pk for node in threads.roots if node.loaded] == [shown.pk]


def test_a_comment_rejected_while_a_long_discussion_is_read_is_not_shown(
    client, article, make_comment, monkeypatch, settings
):
    settings.COMMENTS_PER_PAGE = 2
    first, gone, last = (make_comment(f"Commento {n}.") for n in range(3))
    outline = Threads.for_article.__func__

    def reject_then_outline(cls, article):
        Comment.objects.filter(pk=gone.pk).update(status=Comment.Status.REJECTED)
        return outline(cls, article)

    monkeypatch.setattr(Threads, "for_article", classmethod(reject_then_outline))
    threads = Threads.for_reading(article)
    threads.load(threads.page(1))
    assert threads.count == 2
    assert [node.pk for node in threads.roots if node.loaded] == [first.pk, last.pk]


@pytest.mark.parametrize("count", [1, 60])
def test_the_comment_queries_never_read_email_ip_or_user_agent(
    client, article, count, django_assert_max_num_queries, now
):
    bulk_comments(article, count, now)
    with django_assert_max_num_queries(PAGE_QUERY_BUDGET) as captured:
        client.get(article.get_absolute_url())
    queries = comment_queries(captured)
    assert queries
    for sql in queries:
        for column in ('"email"', '"ip"', '"user_agent"'):
            assert column not in sql


def test_the_form_matches_the_reference_page(client, article):
    html = page_of(client, article)
    form = html[html.index('id="lascia-un-commento"') :]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", form))
    assert "Lascia un commento" in text
    assert (
        "Il tuo indirizzo email non sarà pubblicato. I campi obbligatori sono contrassegnati *"
        in text
    )
    positions = [text.index(label) for label in ("Nome *", "Email *", "Sito web", "Commento *")]
    assert positions == sorted(positions)
    assert 'href="/privacy/"' in form
    for field in ("name", "email", "website", "body"):
        assert f'<label for="id_{field}">' in form
    assert 'type="checkbox" name="remember" id="id_remember">' in form  # not ticked


def test_the_privacy_notice_page_exists(client, db):
    page = client.get("/privacy/").content.decode()
    assert "Informativa sulla privacy" in page
    assert "Gravatar" in page
