"""Rule 2's confirmation link: signed, expiring, sent once, confirmed only by a person."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from comments import confirmation
from comments.models import Comment, EmailConfirmation

pytestmark = pytest.mark.django_db


def link_in(message):
    return re.search(r"http://testserver(/commenti/conferma/\S+/)", message.body).group(1)


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_the_first_comment_from_an_address_brings_a_confirmation_link(article, post_comment):
    post_comment(article)
    [message] = sent_to("giulia@example.org")
    assert message.subject == "[Notizie] Conferma il tuo indirizzo email"
    assert "Elon Munk ha invitato Putin su Clubhouse" in message.body
    assert "giulia" not in link_in(message)  # the address never travels in a URL
    assert not EmailConfirmation.objects.get().is_confirmed


def test_later_comments_bring_no_more_links(article, post_comment):
    post_comment(article, ip="192.0.2.1", body="Uno.")
    post_comment(article, ip="192.0.2.2", body="Due.")
    assert len(sent_to("giulia@example.org")) == 1


def test_an_expired_unused_link_is_sent_again_once(article, post_comment):
    post_comment(article, ip="192.0.2.1", body="Uno.")
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        post_comment(article, ip="192.0.2.2", body="Due.")
        post_comment(article, ip="192.0.2.3", body="Tre.")
    assert len(sent_to("giulia@example.org")) == 2


def test_spam_earns_no_email(article, post_comment):
    post_comment(article, url="http://bot.example")
    assert sent_to("giulia@example.org") == []
    assert not EmailConfirmation.objects.exists()


def test_opening_the_link_only_asks_and_the_button_confirms(client, article, post_comment):
    post_comment(article)
    link = link_in(sent_to("giulia@example.org")[0])
    page = client.get(link).content.decode()
    assert "Conferma il tuo indirizzo email" in page
    assert "giulia@example.org" not in page
    assert not EmailConfirmation.objects.get().is_confirmed  # a mail scanner opened it
    response = client.post(link)
    assert "Indirizzo confermato" in response.content.decode()
    assert EmailConfirmation.objects.get().is_confirmed


def test_a_link_older_than_the_validity_period_is_refused(client, article, post_comment):
    post_comment(article)
    link = link_in(sent_to("giulia@example.org")[0])
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = client.post(link)
    assert response.status_code == 400
    assert "non è valido o è scaduto" in response.content.decode()
    assert not EmailConfirmation.objects.get().is_confirmed


def test_a_forged_or_altered_token_is_refused(client, db):
    record = EmailConfirmation.objects.create(email="giulia@example.org")
    other = EmailConfirmation.objects.create(email="marco@example.org")
    token = confirmation.make_token(record)
    assert confirmation.read_token(token) == record
    assert confirmation.read_token(token[:-2] + "xx") is None
    # A token for a record whose address changed (erased and reused id) is refused.
    EmailConfirmation.objects.filter(pk=other.pk).update(email="altro@example.org")
    assert confirmation.read_token(confirmation.make_token(other)) is None
    assert client.post(f"/commenti/conferma/{token[:-2]}xx/").status_code == 400


def test_confirming_twice_keeps_the_first_time(db):
    record = EmailConfirmation.objects.create(email="giulia@example.org")
    confirmation.confirm(record)
    first = record.confirmed_at
    confirmation.confirm(record)
    assert EmailConfirmation.objects.get().confirmed_at == first


def test_the_address_is_matched_whatever_the_case_it_was_typed_in(article, post_comment):
    post_comment(article, email="Giulia@Example.ORG")
    assert Comment.objects.get().email == "giulia@example.org"
    assert EmailConfirmation.objects.get().email == "giulia@example.org"
