"""Moderators hear of every held comment by email; a broken mail server breaks nothing."""

import logging

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from comments.models import Comment

pytestmark = pytest.mark.django_db


def to_moderators():
    return [message for message in mail.outbox if "Commento da moderare" in message.subject]


def test_a_held_comment_emails_the_moderators(article, post_comment):
    post_comment(article, body="Un commento da leggere.")
    [message] = to_moderators()
    comment = Comment.objects.get()
    assert message.to == ["moderatori@example.org"]
    assert (
        message.subject
        == "[Notizie] Commento da moderare: Elon Munk ha invitato Putin su Clubhouse"
    )
    assert "Un commento da leggere." in message.body
    assert "in attesa: ogni commento nuovo passa dai moderatori" in message.body
    assert f"http://testserver/admin/comments/comment/{comment.pk}/change/" in message.body


def test_published_comments_and_spam_email_nobody(article, post_comment, settings):
    post_comment(article, ip="192.0.2.1", url="http://bot.example")
    settings.COMMENTS_HOLD_BY_DEFAULT = False
    post_comment(article, ip="192.0.2.2", body="Pubblicato subito.")
    assert to_moderators() == []


def test_without_addresses_in_the_settings_the_moderator_group_is_emailed(
    article, post_comment, settings, moderator, django_user_model
):
    settings.COMMENTS_MODERATOR_EMAILS = []
    away = django_user_model.objects.create_user("via", "via@example.org", is_active=False)
    away.groups.add(Group.objects.get(name="Moderator"))
    post_comment(article)
    [message] = to_moderators()
    assert message.to == ["moderatrice@example.org"]


def test_a_failing_mail_server_never_breaks_the_readers_post(
    article, post_comment, settings, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    with caplog.at_level(logging.ERROR, logger="comments.notifications"):
        response = post_comment(article)
    assert response.status_code == 302
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert "Could not send comments/email/comment_held" in caplog.text


def test_the_email_is_written_in_the_site_language_whatever_the_reader_speaks(
    article, client, form_data
):
    client.post(
        f"/commenti/articolo/{article.pk}/",
        form_data(),
        REMOTE_ADDR="192.0.2.1",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert to_moderators()[0].subject.startswith("[Notizie] Commento da moderare")


def test_with_no_moderators_at_all_the_superusers_are_emailed(
    article, post_comment, settings, django_user_model
):
    settings.COMMENTS_MODERATOR_EMAILS = []
    django_user_model.objects.create_superuser("capo", "capo@example.org", "x")
    post_comment(article)
    [message] = to_moderators()
    assert message.to == ["capo@example.org"]
