"""
No lost edits: a save from an outdated version is refused with what changed
meanwhile and the refused text kept; the edit page warns who else has it open.
"""

import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from articles import editing
from articles.models import Article

from .admin_data import article_post_data, change_url

NOON = timezone.make_aware(timezone.datetime(2026, 3, 10, 12, 0))


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def article(make_article):
    return make_article(
        "Nevicata in Appennino", status="draft", body="<p>Strade chiuse al passo.</p>"
    )


def test_each_save_raises_the_version_by_one(editor_client, article):
    assert article.version == 1

    editor_client.post(change_url(article), article_post_data(article=article, title="Neve"))

    article.refresh_from_db()
    assert article.version == 2


def test_the_second_save_from_the_same_version_is_refused_and_both_texts_survive(
    client_for, editor, other_editor, article
):
    franca, marco = client_for(editor), client_for(other_editor)
    # Both open the page at version 1.
    franca.get(change_url(article))
    marco.get(change_url(article))
    opened = article_post_data(article=article)
    franca_text = "<p>Strade chiuse al passo della Futa.</p>"
    marco_text = "<p>Riaperta la statale 65.</p>"

    first = franca.post(change_url(article), {**opened, "body": franca_text})
    second = marco.post(change_url(article), {**opened, "body": marco_text})

    assert first.status_code == 302
    assert second.status_code == 200
    article.refresh_from_db()
    assert article.body == franca_text  # Franca's text is saved...
    form = second.context["adminform"].form
    assert form["body"].value() == marco_text  # ...and Marco's is still in his form.
    assert "Riaperta la statale 65." in second.text
    [message] = form.non_field_errors()
    assert "Franca Rossi ha salvato questo articolo mentre lo modificavi" in message
    assert "Il tuo testo non è andato perso" in message
    assert "Cambiato nel frattempo: testo." in message


def test_the_refusal_shows_what_changed_meanwhile_side_by_side(
    client_for, editor, other_editor, article
):
    franca, marco = client_for(editor), client_for(other_editor)
    marco.get(change_url(article))
    opened = article_post_data(article=article)
    franca.post(change_url(article), {**opened, "title": "Nevicata sull'Appennino emiliano"})

    refused = marco.post(change_url(article), {**opened, "summary": "Freddo."})

    [change] = refused.context["conflict"].changes
    assert change.name == "title"
    assert change.old == "Nevicata <del>in </del>Appennino"
    assert change.new == "Nevicata <ins>sull&#x27;</ins>Appennino<ins> emiliano</ins>"
    assert 'id="conflict"' in refused.text


def test_saving_again_after_the_refusal_replaces_their_version_on_purpose(
    client_for, editor, other_editor, article
):
    marco = client_for(other_editor)
    opened = article_post_data(article=article)
    client_for(editor).post(change_url(article), {**opened, "body": "<p>Prima.</p>"})
    refused = marco.post(change_url(article), {**opened, "body": "<p>Seconda.</p>"})
    resubmitted = {**opened, "body": "<p>Seconda.</p>"}
    resubmitted["version"] = refused.context["adminform"].form["version"].value()

    again = marco.post(change_url(article), resubmitted)

    assert again.status_code == 302
    article.refresh_from_db()
    assert article.body == "<p>Seconda.</p>"
    # Nothing is lost even then: Franca's text is in the revisions.
    assert "<p>Prima.</p>" in [revision.data["body"] for revision in article.revisions.all()]


def test_a_workflow_button_from_an_outdated_version_is_refused_too(
    client_for, editor, other_editor, article
):
    opened = article_post_data(article=article)
    client_for(editor).post(change_url(article), {**opened, "title": "Cambiato"})

    response = client_for(other_editor).post(
        change_url(article), {**opened, "_transition": "publish"}
    )

    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_a_form_without_its_version_is_refused(editor_client, article):
    data = article_post_data(article=article, title="Senza versione")
    del data["version"]

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 200
    article.refresh_from_db()
    assert article.title == "Nevicata in Appennino"


def test_a_change_made_outside_the_admin_also_outdates_the_form(editor_client, article, editor):
    opened = article_post_data(article=article)
    article.submit(by=editor)

    response = editor_client.post(change_url(article), {**opened, "title": "Da una pagina vecchia"})

    assert response.status_code == 200
    assert "ha salvato questo articolo" in response.context["adminform"].form.non_field_errors()[0]


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_instant_cannot_both_pass(client_for, editor, make_article):
    """On PostgreSQL the version check locks the row until the save commits."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks: it serializes whole transactions instead.")
    article = make_article("Nevicata", status="draft")
    opened = article_post_data(article=article)
    locked = threading.Event()

    def a_save_in_progress():
        try:
            with transaction.atomic():
                mine = Article.objects.select_for_update().get(pk=article.pk)
                locked.set()
                time.sleep(0.5)  # the other save arrives meanwhile, and waits
                mine.title = "Salvato per primo"
                mine.save()
        finally:
            connection.close()

    first = threading.Thread(target=a_save_in_progress)
    first.start()
    locked.wait()
    second = client_for(editor).post(change_url(article), {**opened, "title": "Arrivato dopo"})
    first.join()

    assert second.status_code == 200
    article.refresh_from_db()
    assert article.title == "Salvato per primo"
    assert second.context["adminform"].form["title"].value() == "Arrivato dopo"


# The soft lock


def test_the_edit_page_warns_that_someone_else_has_it_open(
    client_for, editor, other_editor, article
):
    client_for(editor).get(change_url(article))

    response = client_for(other_editor).get(change_url(article))

    assert response.context["editing_now"] == ["Franca Rossi"]
    assert "Franca Rossi sta modificando questo articolo." in response.text


def test_nobody_is_warned_about_themselves(editor_client, article):
    editor_client.get(change_url(article))

    response = editor_client.get(change_url(article))

    assert "sta modificando" not in response.text


def test_the_warning_lapses_after_a_few_minutes(client_for, editor, other_editor, article):
    with time_machine.travel(NOON, tick=False) as clock:
        client_for(editor).get(change_url(article))
        clock.shift(timedelta(minutes=4))
        soon = client_for(other_editor).get(change_url(article))
        clock.shift(timedelta(minutes=2))
        # Marco's own visit is four minutes younger: only Franca has lapsed.
        later = client_for(other_editor).get(change_url(article))

    assert soon.context["editing_now"] == ["Franca Rossi"]
    assert later.context["editing_now"] == []


def test_saving_and_leaving_the_page_ends_the_warning(client_for, editor, other_editor, article):
    franca = client_for(editor)
    franca.get(change_url(article))
    franca.post(change_url(article), article_post_data(article=article))

    response = client_for(other_editor).get(change_url(article))

    assert response.context["editing_now"] == []


def test_someone_who_may_only_read_the_article_does_not_count_as_editing(
    client_for, reporter, editor, make_article
):
    article = make_article("Online")
    client_for(reporter).get(change_url(article))

    response = client_for(editor).get(change_url(article))

    assert response.context["editing_now"] == []


def test_who_is_editing_is_kept_in_the_shared_cache(
    settings, tmp_path, editor, other_editor, article
):
    # A file-based cache stands in for Redis: what one process writes, the
    # others read; nothing is kept in the process's own memory.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    editing.note_editing(article, editor)

    assert any((tmp_path / "cache").iterdir())
    assert editing.others_editing(article, other_editor) == ["Franca Rossi"]


def test_closing_comments_from_the_list_outdates_an_open_form(client_for, editor, make_article):
    article = make_article("Polemica")
    franca = client_for(editor)
    franca.get(change_url(article))
    opened = article_post_data(article=article)
    franca.post(
        "/admin/articles/article/", {"action": "close_comments", "_selected_action": [article.pk]}
    )

    response = franca.post(change_url(article), {**opened, "title": "Polemica sul ponte"})

    assert response.status_code == 200
    [change] = response.context["conflict"].changes
    assert change.name == "comments_enabled"
    article.refresh_from_db()
    assert not article.comments_enabled
