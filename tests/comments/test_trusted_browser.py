"""Rule 2's trust belongs to a browser proven from the mailbox, not to whoever types an address."""

import re

import pytest
from django.core import mail
from django.test import Client

from comments.confirmation import make_token
from comments.models import Comment, EmailConfirmation
from tests.comments.post_data import comment_post_data

pytestmark = pytest.mark.django_db

HELD_FOR_BROWSER = "in attesa: indirizzo confermato, ma non da questo browser"


@pytest.fixture
def chiara(make_comment):
    """A confirmed commenter with an approved comment, and the browser she confirmed from."""
    make_comment("Il primo commento di Chiara.", name="Chiara", email="chiara.fontana@example.org")
    record = EmailConfirmation.objects.create(email="chiara.fontana@example.org")
    browser = Client()
    link = f"/commenti/conferma/{make_token(record)}/"
    response = browser.post(link)
    assert "Indirizzo confermato" in response.content.decode()
    return browser


def post_from(browser, article, **fields):
    fields.setdefault("email", "chiara.fontana@example.org")
    return browser.post(
        f"/commenti/articolo/{article.pk}/",
        comment_post_data(**fields),
        REMOTE_ADDR=fields.pop("ip", "192.0.2.50"),
        HTTP_USER_AGENT="Mozilla/5.0 (test)",
    )


def publish_link_in(message):
    return re.search(r"http://testserver(/commenti/pubblica/\S+/)", message.body).group(1)


def test_confirming_gives_the_browser_an_httponly_cookie_only_for_comment_endpoints(article):
    record = EmailConfirmation.objects.create(email="chiara.fontana@example.org")
    response = Client().post(f"/commenti/conferma/{make_token(record)}/")
    cookie = response.cookies["commentatore"]
    assert cookie["httponly"] is True
    assert cookie["path"] == "/commenti/"
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 365 * 24 * 3600
    assert "chiara" not in cookie.value


def test_the_owners_browser_is_approved_at_once(chiara, article):
    post_from(chiara, article, name="Chiara", body="Di nuovo io.")
    comment = Comment.objects.get(body="Di nuovo io.")
    assert comment.status == Comment.Status.APPROVED


def test_a_borrowed_address_under_another_name_is_held_with_the_reason(chiara, article):
    stranger = Client()
    response = post_from(stranger, article, name="Non Chiara", body="Parlo a nome suo.")
    comment = Comment.objects.get(body="Parlo a nome suo.")
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reason == HELD_FOR_BROWSER
    assert "commento=in-attesa" in response["Location"]
    assert "Parlo a nome suo." not in Client().get(article.get_absolute_url()).content.decode()


def test_the_owner_is_emailed_a_link_that_publishes_it_with_one_click(chiara, article):
    mail.outbox.clear()
    laptop = Client()
    post_from(laptop, article, body="Dal portatile.")
    [message] = [m for m in mail.outbox if m.to == ["chiara.fontana@example.org"]]
    assert message.subject == "[Notizie] Pubblica il tuo commento"
    assert "Dal portatile." in message.body
    link = publish_link_in(message)
    assert "chiara" not in link

    # Opening the link only asks (mail scanners open links too); the button publishes.
    page = laptop.get(link).content.decode()
    assert "Dal portatile." in page
    assert Comment.objects.get(body="Dal portatile.").status == Comment.Status.PENDING
    response = laptop.post(link)
    assert "Commento pubblicato" in response.content.decode()
    comment = Comment.objects.get(body="Dal portatile.")
    assert comment.status == Comment.Status.APPROVED
    assert "Dal portatile." in Client().get(article.get_absolute_url()).content.decode()

    # And the laptop is trusted from now on.
    assert response.cookies["commentatore"]["path"] == "/commenti/"
    post_from(laptop, article, body="Ancora dal portatile.", ip="192.0.2.51")
    assert Comment.objects.get(body="Ancora dal portatile.").status == Comment.Status.APPROVED


def test_the_publish_link_does_not_overrule_a_moderator(chiara, article, moderator):
    mail.outbox.clear()
    post_from(Client(), article, body="Respinto prima.")
    link = publish_link_in(next(m for m in mail.outbox if m.to == ["chiara.fontana@example.org"]))
    Comment.objects.get(body="Respinto prima.").reject(by=moderator)
    response = Client().post(link)
    assert "Un moderatore ha già deciso" in response.content.decode()
    assert Comment.objects.get(body="Respinto prima.").status == Comment.Status.REJECTED


def test_no_publish_link_when_another_rule_holds_the_comment_too(chiara, article):
    mail.outbox.clear()
    body = "Fonti: https://a.example https://b.example https://c.example"
    post_from(Client(), article, body=body)
    assert Comment.objects.get(body=body).status == Comment.Status.PENDING
    assert [m for m in mail.outbox if m.to == ["chiara.fontana@example.org"]] == []


def test_a_tampered_publish_link_is_refused(chiara, article):
    mail.outbox.clear()
    post_from(Client(), article, body="Da un altro browser.")
    link = publish_link_in(next(m for m in mail.outbox if m.to == ["chiara.fontana@example.org"]))
    response = Client().post(link[:-3] + "xx/")
    assert response.status_code == 400
    assert Comment.objects.get(body="Da un altro browser.").status == Comment.Status.PENDING


def test_a_cookie_copied_to_another_address_earns_nothing(chiara, article, make_comment):
    make_comment("Approvato.", name="Marco", email="marco@example.org")
    EmailConfirmation.objects.create(email="marco@example.org", confirmed_at=article.published_at)
    post_from(chiara, article, email="marco@example.org", name="Marco", body="Sono Marco?")
    assert Comment.objects.get(body="Sono Marco?").status == Comment.Status.PENDING


def test_revoking_the_address_disowns_its_browsers(chiara, article):
    EmailConfirmation.objects.get(email="chiara.fontana@example.org").revoke_browsers()
    post_from(chiara, article, body="Dopo la revoca.")
    comment = Comment.objects.get(body="Dopo la revoca.")
    assert comment.moderation_reason == HELD_FOR_BROWSER


def test_article_pages_never_receive_the_cookie(chiara, article):
    # The browser keeps the cookie for /commenti/ only: the article page, cached
    # for everyone, is requested without it.
    cookie = chiara.cookies["commentatore"]
    assert not article.get_absolute_url().startswith(cookie["path"])


def test_a_moderator_revokes_the_browsers_of_an_address(chiara, article, moderator_client):
    record = EmailConfirmation.objects.get(email="chiara.fontana@example.org")
    response = moderator_client.post(
        "/admin/comments/emailconfirmation/",
        {"action": "revoke_browsers", "_selected_action": [record.pk]},
        follow=True,
    )
    assert "Browser revocati per 1 indirizzo." in response.content.decode()
    post_from(chiara, article, body="Dopo la revoca dei moderatori.")
    comment = Comment.objects.get(body="Dopo la revoca dei moderatori.")
    assert comment.moderation_reason == HELD_FOR_BROWSER
