"""`make demo` comments: a realistic spread, a thread on the reference article, no duplicates."""

from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article
from comments import demo as comments_demo
from comments.models import Comment, EmailConfirmation, ModerationWord
from newsroom import demo

pytestmark = pytest.mark.django_db


def load_demo():
    call_command("load_demo", "--articles", "20", "--no-images", stdout=StringIO())


def reference():
    return Article.objects.get(title=demo.reference_seed()["article"]["title"])


def test_the_demo_has_approved_pending_and_spam_comments():
    load_demo()
    statuses = set(Comment.objects.values_list("status", flat=True))
    assert {"approved", "pending", "spam"} <= statuses
    assert Comment.objects.approved().count() > Comment.objects.exclude(status="approved").count()
    assert ModerationWord.objects.filter(action="spam").exists()
    assert EmailConfirmation.objects.exclude(confirmed_at=None).exists()


def test_the_reference_article_has_a_thread_three_deep(client):
    load_demo()
    article = reference()
    comments = Comment.objects.filter(article=article)
    assert {"approved", "pending", "spam"} <= set(comments.values_list("status", flat=True))
    assert comments.approved().filter(depth=3).exists()
    page = client.get(article.get_absolute_url()).content.decode()
    assert f"{comments.approved().count()} commenti" in page
    assert "comment--depth-3" in page


def test_only_public_articles_get_comments_and_every_comment_follows_its_article():
    load_demo()
    for comment in Comment.objects.select_related("article", "parent"):
        assert comment.article.is_published
        assert comment.created_at > comment.article.published_at
        if comment.parent:
            assert comment.parent.article_id == comment.article_id
            assert comment.parent.created_at < comment.created_at


def test_running_twice_creates_no_duplicates_and_keeps_the_same_rows():
    load_demo()
    first = sorted(Comment.objects.values_list("pk", "article_id", "email", "body", "parent_id"))
    load_demo()
    assert (
        sorted(Comment.objects.values_list("pk", "article_id", "email", "body", "parent_id"))
        == first
    )
    assert ModerationWord.objects.count() == len(comments_demo.WORDS)


def test_the_demo_is_the_same_for_the_same_seed():
    load_demo()
    first = sorted(Comment.objects.values_list("article__slug", "name", "body", "status"))
    Comment.objects.all().delete()
    load_demo()
    assert sorted(Comment.objects.values_list("article__slug", "name", "body", "status")) == first
