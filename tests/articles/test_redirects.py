"""
Old URLs keep working: moving a public article (slug or section) leaves a 301
from every address it had straight to the new one, and editors can prune them.

The date is not part of an article's URL (/<section>/<slug>/, slugs unique
site-wide), so changing the publication date needs no redirect.
"""

from datetime import timedelta

import pytest
from django.contrib.redirects.models import Redirect

from articles.models import Section

from .admin_data import article_post_data, change_url


@pytest.fixture
def article(make_article):
    return make_article("Tevere in piena", slug="tevere")


def move(client, article, **fields):
    response = client.post(change_url(article), article_post_data(article=article, **fields))
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    return article


def test_changing_the_slug_in_the_admin_redirects_the_old_url(editor_client, client, article):
    move(editor_client, article, slug="tevere-in-piena")

    response = client.get("/tecnologia/tevere/")

    assert response.status_code == 301
    assert response["Location"] == "/tecnologia/tevere-in-piena/"


def test_changing_the_section_in_the_admin_redirects_the_old_url(editor_client, client, article):
    cronaca = Section.objects.create(name="Cronaca", slug="cronaca")

    move(editor_client, article, section=cronaca)

    response = client.get("/tecnologia/tevere/")
    assert response.status_code == 301
    assert response["Location"] == "/cronaca/tevere/"


def test_two_moves_make_no_chain(editor_client, client, article):
    cronaca = Section.objects.create(name="Cronaca", slug="cronaca")
    move(editor_client, article, slug="tevere-b")
    move(editor_client, article, slug="tevere-c", section=cronaca)

    first = client.get("/tecnologia/tevere/")
    second = client.get("/tecnologia/tevere-b/")

    assert (first.status_code, first["Location"]) == (301, "/cronaca/tevere-c/")
    assert (second.status_code, second["Location"]) == (301, "/cronaca/tevere-c/")
    assert set(Redirect.objects.values_list("new_path", flat=True)) == {"/cronaca/tevere-c/"}


def test_moving_back_to_an_old_url_leaves_no_loop(editor_client, client, article):
    move(editor_client, article, slug="tevere-b")
    move(editor_client, article, slug="tevere")

    assert client.get("/tecnologia/tevere/").status_code == 200
    assert client.get("/tecnologia/tevere-b/")["Location"] == "/tecnologia/tevere/"
    assert not Redirect.objects.filter(old_path="/tecnologia/tevere/").exists()


def test_a_draft_that_never_went_public_leaves_no_redirect(editor_client, make_article):
    draft = make_article("Bozza", slug="bozza", status="draft")

    move(editor_client, draft, slug="bozza-2")

    assert not Redirect.objects.exists()


def test_changing_the_date_keeps_the_same_url(editor_client, client, article):
    url = article.get_absolute_url()

    move(editor_client, article, published_at=article.published_at - timedelta(days=2))

    assert article.get_absolute_url() == url
    assert client.get(url).status_code == 200
    assert not Redirect.objects.exists()


def test_editors_see_and_prune_the_redirects_in_the_admin(editor_client, article):
    move(editor_client, article, slug="tevere-b")
    redirect = Redirect.objects.get()

    listing = editor_client.get("/admin/redirects/redirect/")
    deleted = editor_client.post(
        f"/admin/redirects/redirect/{redirect.pk}/delete/", {"post": "yes"}
    )

    assert "/tecnologia/tevere/" in listing.text
    assert deleted.status_code == 302
    assert not Redirect.objects.exists()
