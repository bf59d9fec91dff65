"""The whole path: a new reader is held, a moderator approves, the confirmed reader is trusted."""

import re

import pytest
from django.core import mail
from django.test import Client

from comments.models import Comment
from tests.comments.post_data import comment_post_data

pytestmark = pytest.mark.django_db


def test_new_reader_held_then_approved_then_trusted_once_confirmed(
    article, post_comment, moderator_client
):
    reader = Client()

    # 1. A new reader posts: held, not on the page.
    response = post_comment(article, ip="192.0.2.1", body="Il mio primo commento.")
    assert "commento=in-attesa" in response["Location"]
    assert "Il mio primo commento." not in reader.get(article.get_absolute_url()).content.decode()

    # With the first comment comes the confirmation link; the reader follows it.
    confirmation = next(m for m in mail.outbox if m.to == ["giulia@example.org"])
    link = re.search(r"http://testserver(/commenti/conferma/\S+/)", confirmation.body).group(1)
    assert "Conferma il tuo indirizzo email" in reader.get(link).content.decode()
    assert reader.post(link).status_code == 200

    # 2. A moderator approves it with the admin action.
    first = Comment.objects.get()
    response = moderator_client.post(
        "/admin/comments/comment/",
        {"action": "approve_selected", "_selected_action": [first.pk]},
        follow=True,
    )
    assert "1 commento approvato." in response.content.decode()

    # 3. Now it is on the article page.
    assert "Il mio primo commento." in reader.get(article.get_absolute_url()).content.decode()

    # 4. The same, confirmed address posts again from the browser that
    # confirmed it: public at once.
    response = reader.post(
        f"/commenti/articolo/{article.pk}/",
        comment_post_data(body="E il secondo."),
        REMOTE_ADDR="192.0.2.2",
    )
    second = Comment.objects.get(body="E il secondo.")
    assert second.status == Comment.Status.APPROVED
    assert second.moderation_reason == "approvato: commentatore conosciuto, email confermata"
    assert response["Location"].endswith(f"#commento-{second.pk}")
    assert "E il secondo." in reader.get(article.get_absolute_url()).content.decode()


def test_typing_a_trusted_address_without_its_mailbox_earns_nothing(
    article, post_comment, make_comment
):
    make_comment("Commento approvato di Giulia.", email="giulia@example.org")
    post_comment(article, email="giulia@example.org", body="Sono un impostore.")
    assert Comment.objects.get(body="Sono un impostore.").status == Comment.Status.PENDING
