"""
"3 commenti" on every list of articles, without a query per article.

The count comes from ``approved_comment_count``, which the articles' listing
queryset annotates through the comments' reverse relation (see the report of
the comments issue for the code); until it does, these tests are skipped.
"""

import pytest
from django.template import engines
from django.urls import reverse

from articles.models import Article
from comments.models import Comment

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


def teaser(article):
    """The lists' ``teaser`` macro (jinja2/articles/teasers.html), called on its own."""
    return engines["jinja2"].env.get_template("articles/teasers.html").module.teaser(article)


def listing_counts_comments():
    return "approved_comment_count" in Article.objects.for_listing().query.annotations


@pytest.fixture
def counted():
    if not listing_counts_comments():
        pytest.skip("Article.objects.for_listing() does not annotate approved_comment_count yet")


def test_a_teaser_prints_the_count_it_is_given(article):
    article.approved_comment_count = 3
    html = teaser(article)
    assert f'href="{article.get_absolute_url()}#commenti">3 commenti</a>' in html
    article.approved_comment_count = 1
    assert ">1 commento</a>" in teaser(article)
    article.approved_comment_count = 0
    assert "comment" not in teaser(article)


def test_lists_count_only_approved_comments(counted, client, article, make_comment, section):
    for status in ("approved", "approved", "approved", "pending", "spam"):
        make_comment(f"Un commento {status}.", status=status)
    for url in (reverse("home"), section.get_absolute_url()):
        assert ">3 commenti</a>" in client.get(url).content.decode(), url


@pytest.mark.parametrize("count", [1, 20])
def test_lists_show_counts_in_a_fixed_number_of_queries(
    counted, client, make_article, section, django_assert_max_num_queries, count
):
    for n in range(count):
        article = make_article(f"Notizia {n}", tags=["Spazio"])
        Comment.objects.bulk_create(
            Comment(
                article=article, name="L", email="l@example.org", body=f"{k}", status="approved"
            )
            for k in range(n % 4 + 1)
        )
    for url in (reverse("home"), section.get_absolute_url(), "/tag/spazio/"):
        with django_assert_max_num_queries(MAX_QUERIES):
            html = client.get(url).content.decode()
        assert "commenti</a>" in html or "commento</a>" in html, url
