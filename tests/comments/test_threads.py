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


def test_a_page_makes_nodes_for_the_comments_it_shows_only():
    # 2,000 comments: the first of every ten starts a thread, the others answer it.
    outline = comments(*(None if n % 10 == 0 else n - n % 10 + 1 for n in range(2_000)))
    threads = Threads(outline, max_depth=3)
    page = threads.page(2, per_page=5)
    assert [root.pk for root in page.object_list] == [51, 61, 71, 81, 91]
    assert shape(page.object_list)[0] == (51, 1, [(n, 2, []) for n in range(52, 61)])
    assert len(threads.nodes) == 50
    assert threads.count == 2_000


def test_the_comment_answered_is_the_same_node_the_page_shows():
    threads = Threads(comments(None, 1, None), max_depth=3)
    answered = threads.node("2")
    page = threads.page(1)
    assert page.object_list[0].replies[0] is answered
    assert threads.node("99") is None and threads.node("due") is None


@pytest.mark.django_db
def test_a_long_discussion_s_outline_is_read_from_the_index_alone(make_article):
    """2,000 comments' places in their threads: no visit to the table's rows."""
    from django.db import connection, transaction

    article = make_article("Una lunga discussione")
    outline = Threads._approved(article).values_list("pk", "parent_id")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Too few rows for the planner to choose an index by itself.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_bitmapscan = off")
        plan = outline.explain()
    assert "comment_outline_idx" in plan
    assert ("COVERING INDEX" if connection.vendor == "sqlite" else "Index Only Scan") in plan
    # In the index's order: nothing left to sort.
    assert "ORDER BY" not in plan.upper() and "Sort" not in plan
