"""The one public rule: status published and a publication time already past."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from articles.models import Article, published_q

pytestmark = pytest.mark.django_db

HIDDEN_STATES = [
    pytest.param({"status": Article.Status.DRAFT}, id="draft"),
    pytest.param({"status": Article.Status.REVIEW}, id="in-review"),
    pytest.param({"status": Article.Status.UNPUBLISHED}, id="unpublished"),
    pytest.param({"status": Article.Status.PUBLISHED, "future": True}, id="scheduled"),
]


def build(make_article, now, state, **extra):
    state = dict(state)
    if state.pop("future", False):
        state["published_at"] = now + timedelta(hours=2)
    elif state["status"] != Article.Status.PUBLISHED:
        state["published_at"] = now - timedelta(days=1)
    return make_article("Articolo nascosto", **state, **extra)


@pytest.mark.parametrize("status", list(Article.Status))
@pytest.mark.parametrize(
    "offset", [timedelta(hours=-1), timedelta(hours=1)], ids=["past", "future"]
)
def test_queryset_and_instance_always_agree(make_article, now, status, offset):
    article = make_article("Prova", status=status, published_at=now + offset)
    in_queryset = Article.objects.filter(published_q()).filter(pk=article.pk).exists()
    assert in_queryset is article.is_published


def test_a_published_article_without_a_date_is_refused_by_the_database(section):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(title="Senza data", section=section, status="published")


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_hidden_articles_answer_404(client, make_article, now, state):
    article = build(make_article, now, state)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_hidden_articles_are_missing_from_every_list(client, make_article, author, now, state):
    visible = make_article("Notizia visibile", authors=[author], tags=["Spazio"])
    hidden = build(make_article, now, state, authors=[author], tags=["Spazio"])
    pages = [
        reverse("home"),
        visible.section.get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": "spazio"}),
        author.get_absolute_url(),
    ]
    for url in pages:
        content = client.get(url).content.decode()
        assert visible.title in content, url
        assert hidden.title not in content, url


def test_a_scheduled_article_appears_when_its_time_comes_without_any_job(client, make_article, now):
    article = make_article("Notizia programmata", published_at=now + timedelta(hours=2))
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Notizia programmata" not in client.get("/").content.decode()

    with time_machine.travel(now + timedelta(hours=2, seconds=1)):
        assert client.get(article.get_absolute_url()).status_code == 200
        assert "Notizia programmata" in client.get("/").content.decode()
