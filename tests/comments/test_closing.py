"""Comments closed on an article, by hand or after N days."""

from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment

pytestmark = pytest.mark.django_db


def test_a_closed_article_says_so_and_shows_no_form(client, make_article, make_comment):
    article = make_article("Chiuso", comments_enabled=False)
    make_comment("Scritto prima della chiusura.", article=article)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "I commenti sono chiusi." in page
    assert "Scritto prima della chiusura." in page
    assert '<form class="comment-form"' not in page
    assert "Rispondi" not in page


def test_a_closed_article_refuses_posts_with_a_clear_message_and_keeps_the_text(
    make_article, post_comment
):
    article = make_article("Chiuso", comments_enabled=False)
    response = post_comment(article, body="Il mio commento tardivo.")
    page = response.content.decode()
    assert response.status_code == 200
    assert "I commenti sono chiusi." in page
    assert "Il mio commento tardivo." in page
    assert not Comment.objects.exists()


def test_comments_close_by_themselves_after_the_set_number_of_days(
    client, make_article, post_comment, settings
):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    old = make_article("Vecchio", published_at=timezone.now() - timedelta(days=31))
    recent = make_article("Recente", published_at=timezone.now() - timedelta(days=29))
    assert "I commenti sono chiusi." in client.get(old.get_absolute_url()).content.decode()
    assert "I commenti sono chiusi." not in client.get(recent.get_absolute_url()).content.decode()
    assert post_comment(old, ip="192.0.2.1").status_code == 200
    assert post_comment(recent, ip="192.0.2.2").status_code == 302


def test_automatic_closing_is_off_by_default(client, make_article):
    ancient = make_article("Antico", published_at=timezone.now() - timedelta(days=3650))
    assert "Lascia un commento" in client.get(ancient.get_absolute_url()).content.decode()
