"""Commenters' emails and IP addresses never reach a public page."""

import pytest

from articles.models import Article
from comments.models import Comment

from .conftest import declared_items

pytestmark = pytest.mark.django_db


def test_no_comment_email_or_ip_appears_on_any_public_article_page(client, theme_unit_test):
    emails = {
        c["email"]
        for item in declared_items()
        for c in item["comments"]
        if c["email"] and "@" in c["email"]
    }
    ips = set(Comment.objects.exclude(ip=None).values_list("ip", flat=True))
    assert emails
    for article in Article.objects.published().filter(comments__isnull=False).distinct():
        page = client.get(article.get_absolute_url()).content.decode()
        assert article.comments.filter(status="approved").exists() <= ("comment" in page.lower())
        for secret in emails | ips:
            assert secret not in page, f"{secret} on {article.get_absolute_url()}"
