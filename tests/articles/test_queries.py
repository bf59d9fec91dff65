"""
Reader pages run a fixed number of queries, however many tags, authors, comments
or articles; from the page cache, none at all.
"""

from datetime import timedelta

import pytest
from django.urls import reverse

from comments.models import Comment

pytestmark = pytest.mark.django_db

# Uncached: the page cache finds nothing and the page is rendered, the cache's
# own lookup of the next scheduled publication included.
MAX_QUERIES = 8


@pytest.fixture
def people(make_author):
    return [make_author(f"Autore {n}", bio=f"Biografia {n}") for n in range(5)]


def add_threads(article, count, now):
    """``count`` approved comments: every third a reply, every ninth a reply to a reply."""
    comments = []
    for n in range(count):
        parent = None
        if n % 3 and comments:
            parent = comments[-1] if n % 9 == 8 and comments[-1].parent_id else comments[n - n % 3]
        comment = Comment(
            article=article,
            parent=parent,
            depth=parent.depth + 1 if parent else 1,
            name=f"Lettore {n}",
            email=f"lettore{n}@example.org",
            body=f"Commento numero {n}.",
            status=Comment.Status.APPROVED,
            created_at=now - timedelta(minutes=count - n),
        )
        comment.save()  # one by one: replies need their parent's primary key
        comments.append(comment)
    return comments


@pytest.mark.parametrize(("tag_count", "author_count"), [(1, 1), (20, 5)])
def test_article_page_query_count_is_fixed(
    client, make_article, people, django_assert_max_num_queries, tag_count, author_count
):
    article = make_article(
        "Notizia", authors=people[:author_count], tags=[f"Tag {n}" for n in range(tag_count)]
    )
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('rel="tag"') == tag_count
    assert all(person.name in content for person in people[:author_count])


def test_an_article_with_500_comments_in_threads_20_tags_and_3_authors_costs_8_queries(
    client, make_article, people, django_assert_max_num_queries, now
):
    article = make_article("Notizia", authors=people[:3], tags=[f"Tag {n}" for n in range(20)])
    comments = add_threads(article, 500, now)
    assert any(comment.depth == 3 for comment in comments)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "500" in content  # the count of all comments, not of this page's
    assert f"commento-{comments[0].pk}" in content


@pytest.mark.parametrize("count", [1, 25])
def test_list_pages_query_count_is_fixed(
    client, make_article, section, people, django_assert_max_num_queries, count
):
    for n in range(count):
        make_article(f"Notizia {n}", authors=people[:3], tags=["Spazio", f"Tag {n}"])
    pages = [
        reverse("home"),
        section.get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": "spazio"}),
        people[0].get_absolute_url(),
    ]
    for url in pages:
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(url)
        assert response.status_code == 200, url
        assert f"Notizia {count - 1}" in response.content.decode(), url


def test_a_page_from_the_cache_costs_no_query(
    client, make_article, section, people, django_assert_num_queries, now
):
    article = make_article("Notizia", authors=people[:3], tags=["Spazio"])
    add_threads(article, 30, now)
    pages = [
        reverse("home"),
        article.get_absolute_url(),
        section.get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": "spazio"}),
        people[0].get_absolute_url(),
        reverse("articles:feed"),
        reverse("sitemap"),
    ]
    for url in pages:
        first = client.get(url)
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again.status_code == 200, url
        # The same page, byte for byte.
        assert again["ETag"] == first["ETag"], url
        assert again.content == first.content, url
