"""
"Anteprima": a signed link shows an unpublished article exactly as readers
will see it, to anyone holding it, until it expires or is revoked.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from articles import previews
from articles.models import Article

from .admin_data import change_url

NOON = timezone.make_aware(timezone.datetime(2026, 3, 10, 12, 0))


@pytest.fixture
def draft(make_article, author):
    return make_article(
        "Il nuovo stadio",
        status=Article.Status.DRAFT,
        summary="Il progetto presentato in Comune.",
        body="<p>Sessantamila posti.</p>",
        authors=[author],
        tags=["Sport"],
    )


def revoke_url(article):
    return reverse("admin:articles_article_revoke_previews", args=[article.pk])


def test_a_preview_link_shows_a_draft_without_logging_in(client, draft):
    response = client.get(previews.url_for(draft))

    assert response.status_code == 200
    assert response.templates[0].name == "articles/article_preview.html"
    for text in ("Il nuovo stadio", "Il progetto presentato in Comune.", "Sessantamila posti.",
                 "Milena Sala", "Sport"):  # fmt: skip
        assert text in response.text
    assert "non è ancora pubblicato" in response.text


def test_the_draft_itself_stays_hidden_from_readers(client, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_preview_is_never_indexed_nor_cached(client, draft):
    response = client.get(previews.url_for(draft))

    assert '<meta name="robots" content="noindex, nofollow">' in response.text
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"


def test_a_preview_link_expires_after_48_hours(client, draft):
    with time_machine.travel(NOON, tick=False) as clock:
        url = previews.url_for(draft)
        clock.shift(timedelta(hours=47, minutes=59))
        still = client.get(url)
        clock.shift(timedelta(minutes=2))
        expired = client.get(url)

    assert still.status_code == 200
    assert expired.status_code == 410
    assert "scaduto o è stato revocato" in expired.text
    assert expired["X-Robots-Tag"] == "noindex, nofollow"
    assert "Il nuovo stadio" not in expired.text


def test_the_lifetime_of_a_link_is_a_setting(client, draft, settings):
    settings.ARTICLE_PREVIEW_HOURS = 1
    with time_machine.travel(NOON, tick=False) as clock:
        url = previews.url_for(draft)
        clock.shift(timedelta(minutes=61))
        response = client.get(url)

    assert response.status_code == 410


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature
        lambda token: "x" + token,  # the payload
        lambda token: token.split(":")[0],  # cut short
        lambda token: "non-un-link",
    ],
    ids=["signature", "payload", "cut short", "garbage"],
)
def test_a_tampered_link_answers_a_friendly_404(client, draft, tamper):
    url = reverse("articles:preview", kwargs={"token": tamper(previews.token_for(draft))})

    response = client.get(url)

    assert response.status_code == 404
    assert "non è valido" in response.text
    assert "Il nuovo stadio" not in response.text


def test_a_link_signed_for_something_else_is_refused(client, draft):
    # Validly signed by this site, but with another salt (another purpose).
    token = signing.TimestampSigner(salt="altro").sign_object(
        {"id": draft.pk, "key": draft.preview_key}
    )

    response = client.get(reverse("articles:preview", kwargs={"token": token}))

    assert response.status_code == 404


def test_a_link_to_a_deleted_article_answers_410(client, draft):
    url = previews.url_for(draft)
    draft.delete()

    assert client.get(url).status_code == 410


def test_revoking_stops_every_link_given_so_far(client, editor_client, draft):
    old_url = previews.url_for(draft)

    response = editor_client.post(revoke_url(draft))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert client.get(old_url).status_code == 410
    assert client.get(previews.url_for(draft)).status_code == 200


def test_revoking_does_not_count_as_an_edit(editor_client, draft):
    version = draft.version

    editor_client.post(revoke_url(draft))

    draft.refresh_from_db()
    assert draft.version == version


def test_revoking_is_a_post(editor_client, draft):
    assert editor_client.get(revoke_url(draft)).status_code == 403


def test_a_reporter_cannot_revoke_the_links_of_someone_elses_article(client_for, reporter, draft):
    key = draft.preview_key

    response = client_for(reporter).post(revoke_url(draft))

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.preview_key == key


def test_a_reporter_revokes_the_links_of_an_own_draft(client_for, reporter, make_article):
    own = make_article(status="draft", created_by=reporter)

    response = client_for(reporter).post(revoke_url(own))

    assert response.status_code == 302


def test_the_change_page_offers_the_preview_and_its_shareable_link(editor_client, draft):
    response = editor_client.get(change_url(draft))

    link = response.context["preview_url"]
    assert link.startswith("http://testserver/anteprima/")
    assert link in response.text
    assert "Anteprima" in response.text
    assert "Revoca tutti i link di anteprima" in response.text
    assert editor_client.get(link).status_code == 200


def test_a_scheduled_preview_says_when_it_will_be_published(client, make_article, now):
    article = make_article("Domani", published_at=now + timedelta(days=1))

    response = client.get(previews.url_for(article))

    assert "uscirà il" in response.text


def test_another_reporter_reading_a_draft_gets_no_preview_link(
    client_for, reporter, other_reporter, make_article
):
    draft = make_article("Lo scoop di Luca", status="draft", created_by=reporter)

    page = client_for(other_reporter).get(change_url(draft))

    assert page.status_code == 200  # she may read it in the admin...
    assert "preview_url" not in page.context  # ...but gets no link that opens it to anyone
    assert "/anteprima/" not in page.text
    own = client_for(reporter).get(change_url(draft))
    assert own.context["preview_url"] in own.text
