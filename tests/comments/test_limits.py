"""Rules 6, 7 and 8 as a reader meets them: a clear error next to the text they typed."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from comments.models import Comment

pytestmark = pytest.mark.django_db


def errors_and_kept_text(response, *texts):
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page
    for text in texts:
        assert text in page, text
    return page


def test_a_name_over_100_characters_is_an_error_that_says_the_limit(article, post_comment):
    name = "N" * 101
    response = post_comment(article, name=name)
    page = errors_and_kept_text(response, f'value="{name}"', "Clubhouse mi sembra")
    assert "Al massimo 100 caratteri: ne hai scritti 101." in page
    assert 'aria-invalid="true" aria-describedby="id_name_error"' in page
    assert 'id="id_name_error"' in page
    assert not Comment.objects.exists()


def test_a_name_of_exactly_100_characters_is_fine(article, post_comment):
    assert post_comment(article, name="N" * 100).status_code == 302


def test_a_body_over_5000_characters_is_an_error_and_nothing_is_cut(article, post_comment):
    body = "parola " * 800  # 5,600 characters
    response = post_comment(article, body=body)
    page = errors_and_kept_text(response, "Al massimo 5000 caratteri: ne hai scritti 5599.")
    assert body.strip() in page
    form = page[page.index('<form class="comment-form"') :]
    form = form[: form.index("</form>")]
    assert "maxlength" not in form  # a browser would cut a pasted text without a word
    assert not Comment.objects.exists()


def test_windows_line_breaks_count_as_one_character(article, post_comment):
    body = "a\r\n" * 2500  # 7,500 bytes sent, 5,000 characters once normalized
    assert post_comment(article, body=body).status_code == 302
    assert Comment.objects.get().body == ("a\n" * 2500).strip()


def test_the_limits_are_settings(article, post_comment, settings):
    settings.COMMENTS_NAME_MAX_LENGTH = 10
    settings.COMMENTS_BODY_MAX_LENGTH = 20
    page = post_comment(article, name="N" * 11, body="b" * 21).content.decode()
    assert "Al massimo 10 caratteri: ne hai scritti 11." in page
    assert "Al massimo 20 caratteri: ne hai scritti 21." in page


def test_too_long_email_and_website_are_errors_not_database_failures(article, post_comment):
    email = "a" * 250 + "@example.org"
    website = "https://example.org/" + "p" * 200
    page = post_comment(article, email=email, website=website).content.decode()
    assert page.count("Al massimo") >= 2
    assert not Comment.objects.exists()


def test_missing_fields_are_named_and_linked_to(article, post_comment):
    page = errors_and_kept_text(post_comment(article, name="", email="", body=""))
    for field, label in [("name", "Nome"), ("email", "Email"), ("body", "Commento")]:
        assert f'<a href="#id_{field}">{label}</a>' in page
        assert f'id="id_{field}_error"' in page


def test_an_invalid_website_keeps_everything_typed(article, post_comment):
    response = post_comment(article, website="javascript:alert(1)", body="Il mio testo.")
    page = errors_and_kept_text(response, "Il mio testo.", 'value="javascript:alert(1)"')
    assert 'id="id_website_error"' in page


def test_a_duplicate_is_refused_with_a_message_and_the_text_kept(article, post_comment):
    assert post_comment(article, ip="192.0.2.1", body="Lo stesso testo.").status_code == 302
    response = post_comment(article, ip="192.0.2.2", body="Lo stesso testo.")
    errors_and_kept_text(
        response, "Hai già inviato questo commento a questo articolo.", "Lo stesso testo."
    )
    assert Comment.objects.count() == 1


def test_a_flood_is_refused_kindly_and_the_text_kept(article, post_comment):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert post_comment(article, body="Primo.").status_code == 302
    with time_machine.travel(start + timedelta(seconds=10), tick=False):
        response = post_comment(article, body="Secondo, subito dopo.")
        errors_and_kept_text(
            response,
            "Hai appena inviato un commento: aspetta 15 secondi e invia di nuovo.",
            "Secondo, subito dopo.",
        )
    with time_machine.travel(start + timedelta(seconds=16), tick=False):
        assert post_comment(article, body="Secondo, subito dopo.").status_code == 302
    assert Comment.objects.count() == 2
