"""The theme unit test export imports whole: what the file declares is what we have."""

from collections import Counter

import pytest

from articles.models import Article
from authors.models import Author
from comments.models import Comment

from .conftest import declared_items

pytestmark = pytest.mark.django_db


def posts():
    return [item for item in declared_items() if item["type"] == "post"]


def test_every_post_not_in_the_trash_becomes_an_article(theme_unit_test):
    expected = Counter()
    for item in posts():
        if item["status"] == "trash":
            continue
        if item["password"]:
            expected["draft"] += 1
        else:
            expected[
                {"publish": "published", "future": "published", "private": "unpublished"}.get(
                    item["status"], "draft"
                )
            ] += 1
    assert Counter(Article.objects.values_list("status", flat=True)) == expected
    assert Article.objects.count() == len(posts()) == 58


def test_comments_on_posts_are_imported_and_pingbacks_and_trackbacks_are_not(theme_unit_test):
    declared = [c for item in posts() for c in item["comments"]]
    readers = [c for c in declared if c["type"] not in ("pingback", "trackback")]
    assert Comment.objects.count() == len(readers)
    expected = Counter({"1": "approved", "0": "pending"}[c["approved"]] for c in readers)
    assert Counter(Comment.objects.values_list("status", flat=True)) == expected
    skipped = len(declared) - len(readers)
    assert skipped == 4
    assert "2 skipped: pingback, 2 skipped: trackback" in theme_unit_test


def test_every_declared_author_becomes_an_author_with_a_private_email(theme_unit_test):
    assert set(Author.objects.values_list("name", "email")) == {
        ("Theme Buster", "themeshaperwp+demos@gmail.com"),
        ("Theme Reviewer", "themereviewteam@gmail.com"),
    }


def test_pages_and_attachments_are_counted_in_the_report_not_imported(theme_unit_test):
    kinds = Counter(item["type"] for item in declared_items())
    assert f"{kinds['attachment']} attachment" in theme_unit_test
    assert f"{kinds['page']} page" in theme_unit_test
    assert f"{len(posts())} created" in theme_unit_test


def test_featured_images_without_a_media_dir_are_listed_in_the_report(theme_unit_test):
    assert theme_unit_test.count("featured image not imported (no --media-dir)") == 6


def test_the_password_protected_post_is_a_draft_with_a_warning(theme_unit_test):
    article = Article.objects.get(slug="template-password-protected")
    assert article.status == Article.Status.DRAFT
    assert "password-protected: imported as a draft" in theme_unit_test
