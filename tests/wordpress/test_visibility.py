"""Scheduled, draft, private and password-protected posts stay invisible to readers."""

import pytest

from articles.models import Article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["scheduled", "template-password-protected"])
def test_a_post_readers_must_not_see_answers_404(client, theme_unit_test, slug):
    article = Article.objects.get(slug=slug)
    assert not article.is_published
    assert client.get(article.get_absolute_url()).status_code == 404


def test_the_scheduled_post_keeps_its_future_date_and_appears_on_time(theme_unit_test):
    article = Article.objects.get(slug="scheduled")
    assert article.is_scheduled
    assert article.published_at.isoformat() == "2030-01-01T19:00:18+00:00"


def test_the_draft_is_a_draft_without_a_publication_date(theme_unit_test):
    draft = Article.objects.get(title="Draft")
    assert (draft.status, draft.published_at) == (Article.Status.DRAFT, None)


def test_the_home_page_shows_published_posts_and_none_of_the_hidden_ones(client, theme_unit_test):
    page = client.get("/").content.decode()
    newest = Article.objects.published().latest_first().first()
    assert newest.title in page
    assert "Scheduled" not in page
    assert "Template: Password Protected" not in page
    assert "Draft" not in page


def test_a_published_post_is_public(client, theme_unit_test):
    article = Article.objects.get(slug="template-comments")
    assert client.get(article.get_absolute_url()).status_code == 200
