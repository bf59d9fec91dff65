"""
The workflow through the admin: each button moves the article, records who,
when and why, and the article's page in the admin shows that history.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article, StatusChange

from .admin_data import CHANGELIST_URL, article_post_data, change_url

NOON = timezone.make_aware(timezone.datetime(2026, 3, 10, 12, 0))


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def own_draft(make_article, reporter):
    return make_article(
        "La sagra del tortellino",
        status=Article.Status.DRAFT,
        created_by=reporter,
        authors=[reporter.author],
    )


@pytest.fixture
def in_review(own_draft, reporter):
    own_draft.submit(by=reporter)
    return own_draft


def buttons(response):
    return [transition.name for transition in response.context["transitions"]]


def test_reporter_submits_an_own_draft_for_review(clock, reporter_client, reporter, own_draft):
    response = reporter_client.post(
        change_url(own_draft), article_post_data(article=own_draft, transition="submit")
    )

    assert response.status_code == 302
    assert response["Location"] == change_url(own_draft)
    own_draft.refresh_from_db()
    assert own_draft.status == Article.Status.REVIEW
    [move] = StatusChange.objects.filter(article=own_draft)
    assert (move.by, move.at, move.from_status, move.to_status) == (
        reporter, NOON, Article.Status.DRAFT, Article.Status.REVIEW
    )  # fmt: skip


def test_a_reporter_can_write_and_submit_a_new_article_in_one_go(
    reporter_client, reporter, section
):
    response = reporter_client.post(
        "/admin/articles/article/add/", article_post_data(section, transition="submit")
    )

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.REVIEW
    assert article.created_by == reporter
    assert article.byline_authors == [reporter.author]


def test_editor_publishes_now(clock, editor_client, editor, in_review):
    response = editor_client.post(
        change_url(in_review), article_post_data(article=in_review, transition="publish")
    )

    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.is_published
    assert in_review.published_at == NOON
    move = in_review.status_changes.first()
    assert (move.by, move.to_status, move.published_at) == (editor, "published", NOON)


def test_editor_schedules_for_the_time_written_in_the_form(clock, editor_client, in_review):
    tomorrow = NOON + timedelta(days=1)

    response = editor_client.post(
        change_url(in_review),
        article_post_data(article=in_review, published_at=tomorrow, transition="schedule"),
    )

    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.is_scheduled
    assert in_review.published_at == tomorrow
    assert in_review.status_changes.first().to_label == "Programmato"


def test_a_scheduled_article_goes_live_on_time_with_no_worker(make_article, client, clock):
    article = make_article("Uscirà domani", published_at=NOON + timedelta(hours=2))

    hidden = client.get(article.get_absolute_url())
    home_before = client.get("/")
    clock.shift(timedelta(hours=2))
    live = client.get(article.get_absolute_url())
    home_after = client.get("/")

    assert hidden.status_code == 404
    assert "Uscirà domani" not in home_before.text
    assert live.status_code == 200
    assert "Uscirà domani" in home_after.text


def test_scheduling_needs_a_time_in_the_future(clock, editor_client, in_review):
    response = editor_client.post(
        change_url(in_review),
        article_post_data(
            article=in_review, published_at=NOON - timedelta(hours=1), transition="schedule"
        ),
    )

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["published_at"]
    assert "data e un'ora future" in error
    in_review.refresh_from_db()
    assert in_review.status == Article.Status.REVIEW


def test_sending_back_needs_a_note(editor_client, in_review):
    response = editor_client.post(
        change_url(in_review), article_post_data(article=in_review, transition="send_back")
    )

    assert response.status_code == 200
    assert "Scrivi nella nota" in response.text
    in_review.refresh_from_db()
    assert in_review.status == Article.Status.REVIEW


def test_a_sent_back_article_is_the_reporters_to_edit_again(
    client_for, editor, reporter, in_review
):
    editor_client, reporter_client = client_for(editor), client_for(reporter)
    editor_client.post(
        change_url(in_review),
        article_post_data(article=in_review, transition="send_back", note="Manca la fonte."),
    )
    in_review.refresh_from_db()

    listed = reporter_client.get(CHANGELIST_URL)
    edited = reporter_client.post(
        change_url(in_review), article_post_data(article=in_review, summary="Con la fonte.")
    )

    assert in_review.status == Article.Status.DRAFT
    assert in_review.status_changes.first().note == "Manca la fonte."
    assert "Rimandato all&#x27;autore" in listed.text or "Rimandato all'autore" in listed.text
    assert edited.status_code == 302
    in_review.refresh_from_db()
    assert in_review.summary == "Con la fonte."


def test_unpublishing_takes_the_article_off_the_site(editor_client, make_article, client):
    article = make_article("Notizia sbagliata")
    url = article.get_absolute_url()

    response = editor_client.post(
        change_url(article),
        article_post_data(article=article, transition="unpublish", note="Fonte smentita."),
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.UNPUBLISHED
    assert client.get(url).status_code == 404


def test_the_buttons_save_the_edits_made_on_the_page_too(editor_client, in_review):
    editor_client.post(
        change_url(in_review),
        article_post_data(article=in_review, title="Titolo rivisto", transition="publish"),
    )

    in_review.refresh_from_db()
    assert (in_review.title, in_review.is_published) == ("Titolo rivisto", True)


def test_the_status_is_not_a_field_of_the_form(editor_client, own_draft):
    response = editor_client.get(change_url(own_draft))

    assert "status" not in response.context["adminform"].form.fields
    assert 'name="status"' not in response.text


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("draft", ["submit", "publish", "schedule"]),
        ("review", ["publish", "schedule", "send_back"]),
        ("scheduled", ["publish", "schedule", "unpublish"]),
        ("live", ["unpublish"]),
        ("unpublished", ["publish", "schedule", "send_back"]),
    ],
)
def test_the_editor_sees_a_button_for_each_allowed_move_only(
    editor_client, make_article, now, state, expected
):
    fields = {
        "draft": {"status": "draft"},
        "review": {"status": "review"},
        "scheduled": {"published_at": now + timedelta(days=1)},
        "live": {},
        "unpublished": {"status": "unpublished"},
    }[state]
    article = make_article(**fields)

    response = editor_client.get(change_url(article))

    assert buttons(response) == expected
    for name in expected:
        assert f'name="_transition" value="{name}"' in response.text


def test_the_reporter_sees_only_invia_in_revisione_on_an_own_draft(reporter_client, own_draft):
    response = reporter_client.get(change_url(own_draft))

    assert buttons(response) == ["submit"]
    assert "Invia in revisione" in response.text
    assert "Pubblica ora" not in response.text


def test_the_admin_page_shows_who_moved_the_article_when_and_why(editor_client, in_review, editor):
    in_review.send_back(by=editor, note="Accorcia il sommario.")

    response = editor_client.get(change_url(in_review))

    assert "Passaggi di stato" in response.text
    assert "Luca Bianchi" in response.text  # who submitted
    assert "Franca Rossi" in response.text  # who sent it back
    assert "In revisione → Bozza" in response.text
    assert "Accorcia il sommario." in response.text


def test_a_live_article_cannot_be_moved_into_the_future_by_editing_its_time(
    editor_client, make_article, now
):
    article = make_article()

    response = editor_client.post(
        change_url(article), article_post_data(article=article, published_at=now + timedelta(1))
    )

    assert response.status_code == 200
    assert "prima ritiralo" in response.text
    article.refresh_from_db()
    assert article.is_published


def test_the_changelist_marks_scheduled_articles_with_their_time_on_the_page(
    editor_client, make_article, clock
):
    article = make_article("Domani", published_at=NOON + timedelta(days=1))

    response = editor_client.get(change_url(article))

    assert "Programmato per il" in response.text


def test_the_mine_filter_lists_the_articles_a_reporter_started_or_signs(
    reporter_client, reporter, make_article, author
):
    started = make_article("Mio", status="draft", created_by=reporter)
    signed = make_article("Firmato", authors=[reporter.author, author])
    make_article("Di altri", authors=[author])

    response = reporter_client.get(CHANGELIST_URL, {"miei": "1"})

    assert set(response.context["cl"].result_list) == {started, signed}
    assert "I miei articoli" in response.text


# Rettifica


def test_a_correction_is_shown_at_the_end_of_the_article_with_its_date(
    editor_client, make_article, client, clock
):
    article = make_article("Il bilancio del Comune", published_at=NOON - timedelta(days=1))

    editor_client.post(
        change_url(article),
        article_post_data(
            article=article,
            correction="Il bilancio è di 12 milioni, non di 120 come scritto in un primo momento.",
        ),
    )

    article.refresh_from_db()
    assert article.correction_at == NOON
    assert article.was_updated
    page = client.get(article.get_absolute_url()).text
    body_end, correction = page.index("article__body"), page.index("article__correction")
    assert body_end < correction
    assert "Rettifica" in page
    assert "10 marzo 2026" in page[correction:]
    assert "non di 120" in page


def test_a_reporter_cannot_write_the_correction(reporter_client, own_draft):
    response = reporter_client.post(
        change_url(own_draft), article_post_data(article=own_draft, correction="Falso.")
    )

    assert response.status_code == 302
    own_draft.refresh_from_db()
    assert own_draft.correction == ""


def test_a_scheduled_article_does_not_go_online_by_editing_its_time(
    clock, editor_client, make_article
):
    article = make_article(published_at=NOON + timedelta(days=1))

    response = editor_client.post(
        change_url(article), article_post_data(article=article, published_at=NOON)
    )

    assert response.status_code == 200
    assert "usa «Pubblica ora»" in response.text
    article.refresh_from_db()
    assert article.is_scheduled


def test_a_scheduled_article_moves_to_another_future_time_with_a_plain_save(
    clock, editor_client, make_article
):
    article = make_article(published_at=NOON + timedelta(days=1))

    response = editor_client.post(
        change_url(article),
        article_post_data(article=article, published_at=NOON + timedelta(days=2)),
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.published_at == NOON + timedelta(days=2)


def test_pubblica_ora_on_a_scheduled_article_wins_over_a_time_typed_with_it(
    clock, editor_client, make_article
):
    article = make_article(published_at=NOON + timedelta(days=1))

    response = editor_client.post(
        change_url(article),
        article_post_data(
            article=article, published_at=NOON - timedelta(hours=1), transition="publish"
        ),
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.is_published, article.published_at) == (True, NOON)


def test_a_published_article_cannot_lose_its_date(editor_client, make_article):
    article = make_article()

    response = editor_client.post(
        change_url(article), article_post_data(article=article, published_at=None)
    )

    assert response.status_code == 200
    assert "ha bisogno di una data" in response.text
