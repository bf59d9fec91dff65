"""Nested comments keep their threads, ten levels deep in the theme unit test."""

import pytest

from articles.models import Article
from comments.models import Comment
from wordpress.models import ImportedObject

from .conftest import comment, declared_items, post

pytestmark = pytest.mark.django_db


def test_every_reply_hangs_from_the_comment_it_answered_in_wordpress(theme_unit_test):
    by_wp_id = {
        record.wp_id: record.object_id for record in ImportedObject.objects.filter(kind="comment")
    }
    replies = 0
    for item in declared_items():
        for wp_comment in item["comments"]:
            if wp_comment["id"] not in by_wp_id:
                continue
            imported = Comment.objects.get(pk=by_wp_id[wp_comment["id"]])
            parent = wp_comment["parent"]
            if parent and parent != "0":
                replies += 1
                assert imported.parent_id == by_wp_id[parent]
                assert imported.depth == imported.parent.depth + 1
            else:
                assert imported.parent_id is None
                assert imported.depth == 1
    assert replies >= 9


def test_the_thread_of_template_comments_goes_ten_levels_deep(theme_unit_test):
    article = Article.objects.get(slug="template-comments")
    assert max(article.comments.values_list("depth", flat=True)) == 10


def test_a_reply_written_before_its_parent_in_the_file_still_finds_it(make_export, run_import):
    run_import(make_export(post(1, comments=comment(11, parent=10) + comment(10))))
    reply = Comment.objects.get(depth=2)
    assert reply.parent == Comment.objects.get(depth=1)


def test_a_reply_to_a_skipped_comment_stands_on_its_own(make_export, run_import):
    run_import(
        make_export(post(1, comments=comment(10, approved="trash") + comment(11, parent=10)))
    )
    only = Comment.objects.get()
    assert (only.parent, only.depth) == (None, 1)
