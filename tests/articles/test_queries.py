"""Reader pages run a fixed number of queries, however many tags, authors or articles."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


@pytest.fixture
def people(make_author):
    return [make_author(f"Autore {n}", bio=f"Biografia {n}") for n in range(5)]


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
