"""Threads built in memory from the outline of an article's approved comments."""

import pytest

from comments.threads import Threads


def comments(*parents):
    """The outline of comments 1..n, oldest first; ``parents[i]`` is the parent of comment i+1."""
    return list(enumerate(parents, start=1))


def shape(nodes):
    return [(node.pk, node.depth, shape(node.replies)) for node in nodes]


def test_replies_hang_from_their_parents_in_time_order():
    threads = Threads(comments(None, 1, None, 2, 1), max_depth=3)
    assert shape(threads.roots) == [(1, 1, [(2, 2, [(4, 3, [])]), (5, 2, [])]), (3, 1, [])]
    assert threads.count == 5


def test_replies_deeper_than_the_setting_join_the_deepest_level():
    threads = Threads(comments(None, 1, 2, 3, 4), max_depth=2)
    assert shape(threads.roots) == [(1, 1, [(2, 2, []), (3, 2, []), (4, 2, []), (5, 2, [])])]


def test_with_depth_one_every_comment_stands_alone():
    threads = Threads(comments(None, 1, 2), max_depth=1)
    assert shape(threads.roots) == [(1, 1, []), (2, 1, []), (3, 1, [])]


def test_a_reply_to_a_hidden_comment_stands_on_its_own():
    threads = Threads(comments(None, 99), max_depth=3)
    assert shape(threads.roots) == [(1, 1, []), (2, 1, [])]


@pytest.mark.parametrize(("pk", "page"), [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3)])
def test_page_of_finds_the_page_of_the_thread(settings, pk, page):
    settings.COMMENTS_PER_PAGE = 1
    threads = Threads(comments(None, 1, None, 3, None), max_depth=3)
    assert threads.page_of(pk) == page
