"""Running the import again updates what changed in WordPress and creates nothing twice."""

import pytest
from django.apps import apps

from articles.models import Article
from comments.models import Comment

from .conftest import THEME_UNIT_TEST, comment, post

pytestmark = pytest.mark.django_db


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_a_second_run_of_the_same_export_changes_nothing(run_import, theme_unit_test):
    before = row_counts()
    bodies = dict(Article.objects.values_list("pk", "body"))
    report = run_import(THEME_UNIT_TEST)
    assert row_counts() == before
    assert dict(Article.objects.values_list("pk", "body")) == bodies
    assert "58 unchanged" in report
    assert " created" not in report


def test_a_post_edited_in_wordpress_is_updated_in_place(make_export, run_import):
    run_import(make_export(post(1, "Prima versione", comments=comment(5))))
    article = Article.objects.get()
    report = run_import(make_export(post(1, "Seconda versione", comments=comment(5))))
    article.refresh_from_db()
    assert (Article.objects.count(), article.title) == (1, "Seconda versione")
    assert "1 updated" in report
    assert Comment.objects.count() == 1


def test_a_new_comment_on_an_unchanged_post_is_added(make_export, run_import):
    run_import(make_export(post(1, comments=comment(5))))
    report = run_import(make_export(post(1, comments=comment(5) + comment(6, parent=5))))
    assert Comment.objects.count() == 2
    assert "1 created, 1 unchanged" in report


def test_a_moderators_decision_in_notizie_survives_a_rerun(make_export, run_import):
    export = make_export(post(1, comments=comment(5, approved="0")))
    run_import(export)
    Comment.objects.get().approve()
    run_import(export)
    assert Comment.objects.get().status == Comment.Status.APPROVED


def test_an_article_deleted_since_is_made_again(make_export, run_import):
    export = make_export(post(1))
    run_import(export)
    Article.objects.all().delete()
    run_import(export)
    assert Article.objects.count() == 1
