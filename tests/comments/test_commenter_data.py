"""`manage.py commenter_data export|erase EMAIL`: see what is stored, and forget it."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from comments.models import Comment, EmailConfirmation

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("commenter_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def giulia(make_comment):
    EmailConfirmation.objects.create(email="giulia@example.org", confirmed_at=timezone.now())
    first = make_comment("Primo.", ip="192.0.2.7", user_agent="Firefox")
    reply = make_comment("Risposta di Marco.", parent=first, email="marco@example.org")
    make_comment("Secondo.", status="pending", website="https://giulia.example/")
    return first, reply


def test_export_prints_everything_stored_about_the_address(giulia):
    data = json.loads(run("export", "Giulia@Example.org"))
    assert data["email"] == "giulia@example.org"
    assert data["confirmation"]["confirmed_at"]
    assert [c["body"] for c in data["comments"]] == ["Primo.", "Secondo."]
    first = data["comments"][0]
    assert (first["ip"], first["user_agent"], first["name"]) == (
        "192.0.2.7",
        "Firefox",
        "Giulia Ferri",
    )
    assert first["article"] == "Elon Munk ha invitato Putin su Clubhouse"
    assert "Risposta di Marco." not in json.dumps(data)


def test_erase_deletes_the_comments_and_the_confirmation_but_not_others_replies(giulia):
    _, reply = giulia
    output = run("erase", "giulia@example.org")
    assert "2 comment(s) deleted" in output
    assert not Comment.objects.by_email("giulia@example.org").exists()
    assert not EmailConfirmation.objects.exists()
    reply.refresh_from_db()
    assert reply.parent is None  # Marco's reply stays, on its own


def test_erase_can_keep_the_text_anonymized_when_the_setting_says_so(giulia, settings):
    settings.COMMENTS_ERASE_KEEPS_TEXT = True
    assert "2 comment(s) anonymized" in run("erase", "giulia@example.org")
    kept = Comment.objects.exclude(email="marco@example.org")
    assert sorted(kept.values_list("body", flat=True)) == ["Primo.", "Secondo."]
    for comment in kept:
        assert (comment.name, comment.email, comment.website, comment.ip, comment.user_agent) == (
            "Anonimo",
            "",
            "",
            None,
            "",
        )
    assert json.loads(run("export", "giulia@example.org"))["comments"] == []


def test_an_unknown_address_exports_nothing(db):
    data = json.loads(run("export", "nessuno@example.org"))
    assert data == {"email": "nessuno@example.org", "confirmation": None, "comments": []}


def test_something_that_is_not_an_address_is_refused(db):
    with pytest.raises(CommandError, match="is not an email address"):
        run("export", "non-un-indirizzo")
