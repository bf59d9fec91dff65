"""A save that fails half-way stores nothing of itself: articles through the admin, comments."""

from unittest import mock

import pytest
from django.db import OperationalError
from taggit.models import Tag

from articles.models import Byline, Revision
from comments.models import Comment
from tests.articles.admin_data import article_post_data, change_url
from tests.comments.post_data import comment_post_data

pytestmark = pytest.mark.django_db


def test_an_article_whose_revision_fails_keeps_its_title_tags_and_bylines(
    editor_client, make_article, author, make_author
):
    article = make_article("Il porto cambia volto", authors=[author], tags=["Porti"])
    before = (article.version, Revision.objects.count(), list(article.bylines.all()))
    new_tag = Tag.objects.create(name="Ambiente", slug="ambiente")
    data = article_post_data(
        article=article,
        authors=[make_author("Anna Verdi")],
        title="Il porto cambia nome",
        tags=[*article.tags.values_list("pk", flat=True), new_tag.pk],
    )

    # The revision is the last write of the save: tags and bylines are already written.
    failing = mock.patch("articles.revisions.record", side_effect=RuntimeError("disk full"))
    with failing, pytest.raises(RuntimeError):
        editor_client.post(change_url(article), data)

    article.refresh_from_db()
    assert article.title == "Il porto cambia volto"
    assert sorted(article.tags.names()) == ["Porti"]
    assert (article.version, Revision.objects.count(), list(article.bylines.all())) == before
    assert Byline.objects.filter(article=article).count() == 1


def test_the_same_save_goes_through_when_nothing_fails(
    editor_client, make_article, author, make_author
):
    article = make_article("Il porto cambia volto", authors=[author], tags=["Porti"])
    new_tag = Tag.objects.create(name="Ambiente", slug="ambiente")
    data = article_post_data(
        article=article,
        authors=[make_author("Anna Verdi")],
        title="Il porto cambia nome",
        tags=[*article.tags.values_list("pk", flat=True), new_tag.pk],
    )
    assert editor_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.title == "Il porto cambia nome"
    assert sorted(article.tags.names()) == ["Ambiente", "Porti"]
    assert article.bylines.count() == 2


@pytest.fixture
def comment_form():
    return comment_post_data(name="Anna", email="anna@example.org", body="Finalmente.")


def test_a_failing_notification_does_not_break_a_stored_comment(
    client, settings, make_article, comment_form
):
    settings.COMMENTS_HOLD_BY_DEFAULT = True  # held: the moderators are told
    article = make_article("Il porto cambia volto")
    with mock.patch(
        "comments.notifications.comment_held", side_effect=RuntimeError("template broken")
    ):
        response = client.post(
            f"/commenti/articolo/{article.pk}/", comment_form, HTTP_SEC_FETCH_SITE="same-origin"
        )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING and comment.moderation_reason


def test_a_comment_that_cannot_be_stored_leaves_nothing_and_answers_503(
    client, make_article, comment_form
):
    article = make_article("Il porto cambia volto")
    with mock.patch.object(Comment, "save", side_effect=OperationalError("connection lost")):
        response = client.post(
            f"/commenti/articolo/{article.pk}/", comment_form, HTTP_SEC_FETCH_SITE="same-origin"
        )
    assert response.status_code == 503
    assert not Comment.objects.exists()
