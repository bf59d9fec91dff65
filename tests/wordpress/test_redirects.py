"""Links to the WordPress site keep working: old paths answer 301 to the new article."""

import pytest
from django.contrib.redirects.models import Redirect

from articles.models import Article

from .conftest import THEME_UNIT_TEST, post

pytestmark = pytest.mark.django_db


def test_the_old_permalink_redirects_permanently_to_the_article(client, theme_unit_test):
    article = Article.objects.get(slug="template-comments")
    response = client.get("/2012/01/03/template-comments/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_the_bare_post_name_redirects_too(client, theme_unit_test):
    article = Article.objects.get(slug="template-comments")
    response = client.get("/template-comments/")
    assert (response.status_code, response["Location"]) == (301, article.get_absolute_url())


def test_drafts_get_no_redirect(theme_unit_test):
    assert not Redirect.objects.filter(new_path__contains="template-password-protected").exists()


def test_redirects_are_not_duplicated_by_a_second_run(run_import, theme_unit_test):
    count = Redirect.objects.count()
    run_import(THEME_UNIT_TEST)
    assert Redirect.objects.count() == count


def test_an_old_redirect_to_a_wordpress_path_is_not_left_as_a_chain(make_export, run_import):
    Redirect.objects.create(site_id=1, old_path="/vecchio/", new_path="/2024/03/01/notizia-1/")
    run_import(make_export(post(1)))
    article = Article.objects.get()
    assert Redirect.objects.get(old_path="/vecchio/").new_path == article.get_absolute_url()


def test_no_redirect_leads_away_from_an_article_address(make_export, run_import):
    Redirect.objects.create(site_id=1, old_path="/cronaca/notizia-1/", new_path="/altrove/")
    run_import(make_export(post(1)))
    assert not Redirect.objects.filter(old_path="/cronaca/notizia-1/").exists()
