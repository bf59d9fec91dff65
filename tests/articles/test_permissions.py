"""
Who may do what: the groups, every role against every state and move, and
what a reporter's forged requests cannot do.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management.sql import emit_post_migrate_signal
from django.urls import reverse

from articles import workflow
from articles.models import Article, Byline, StatusChange

from .admin_data import ADD_URL, CHANGELIST_URL, article_post_data, change_url

# Groups and their permissions


def test_the_reporter_and_editor_groups_have_every_permission_their_role_lists(db):
    for name, labels in workflow.ROLES.items():
        group = Group.objects.get(name=name)
        granted = {
            f"{app_label}.{codename}"
            for app_label, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert granted == set(labels), name


def test_the_moderator_group_is_left_to_the_comments_app(db):
    assert "Moderator" not in workflow.ROLES


def test_migrate_puts_back_a_permission_removed_by_hand(db):
    editors = Group.objects.get(name="Editor")
    editors.permissions.remove(Permission.objects.get(codename="publish_article"))
    editors.permissions.add(Permission.objects.get(codename="add_user"))

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    codenames = set(editors.permissions.values_list("codename", flat=True))
    assert "publish_article" in codenames
    assert "add_user" not in codenames


def test_a_group_deleted_by_hand_comes_back_on_migrate(db):
    Group.objects.filter(name="Reporter").delete()

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert Group.objects.get(name="Reporter").permissions.exists()


# Every role, every state, every move


@pytest.fixture
def states(make_article, now, reporter):
    """One article of the reporter's in each state, signed by him."""
    made = {}
    for state, fields in {
        "draft": {"status": "draft"},
        "review": {"status": "review"},
        "scheduled": {"published_at": now + timedelta(days=1)},
        "live": {},
        "unpublished": {"status": "unpublished"},
    }.items():
        made[state] = make_article(f"Articolo {state}", authors=[reporter.author], **fields)
    return made


EDITOR_MOVES = {
    "draft": {"submit", "publish", "schedule"},
    "review": {"publish", "schedule", "send_back"},
    "scheduled": {"publish", "schedule", "unpublish"},
    "live": {"unpublish"},
    "unpublished": {"publish", "schedule", "send_back"},
}
OWN_REPORTER_MOVES = {"draft": {"submit"}}


@pytest.mark.parametrize("state", list(EDITOR_MOVES))
@pytest.mark.parametrize("role", ["reporter", "other_reporter", "editor", "superuser"])
def test_each_role_may_make_exactly_its_moves_in_each_state(request, states, role, state):
    user = request.getfixturevalue(role)
    expected = {
        "reporter": OWN_REPORTER_MOVES.get(state, set()),
        "other_reporter": set(),
        "editor": EDITOR_MOVES[state],
        "superuser": EDITOR_MOVES[state],
    }[role]

    allowed = {t.name for t in workflow.allowed_transitions(user, states[state])}

    assert allowed == expected


@pytest.mark.parametrize("state", list(EDITOR_MOVES))
@pytest.mark.parametrize("role", ["reporter", "other_reporter", "editor", "superuser"])
def test_each_role_may_edit_and_delete_exactly_what_it_should(request, states, role, state):
    user = request.getfixturevalue(role)
    article = states[state]
    may_edit = role in {"editor", "superuser"} or (role == "reporter" and state == "draft")

    assert workflow.can_edit(user, article) is may_edit
    assert workflow.can_delete(user, article) is may_edit


@pytest.mark.parametrize("name", sorted(workflow.TRANSITIONS))
def test_a_move_never_offered_is_refused_with_403(client_for, reporter, states, name):
    # Every move, forged by the reporter on his own draft (only "submit" is his).
    article = states["draft"]
    data = article_post_data(
        article=article, transition=name, note="Forzato.", published_at=article.published_at
    )

    response = client_for(reporter).post(change_url(article), data)

    if name == "submit":
        assert response.status_code == 302
    else:
        assert response.status_code == 403
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT
        assert not StatusChange.objects.filter(article=article).exists()


def test_an_unknown_move_is_refused_with_403(editor_client, make_article):
    article = make_article(status="draft")

    response = editor_client.post(
        change_url(article), article_post_data(article=article, transition="delete_everything")
    )

    assert response.status_code == 403


# Reporters' forged requests


def test_reporter_cannot_publish_by_forging_the_status_field(reporter_client, section, now):
    response = reporter_client.post(
        ADD_URL,
        article_post_data(section, status="published", published_at=now - timedelta(hours=1)),
    )

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert not Article.objects.published().exists()


def test_reporter_cannot_publish_a_new_article_with_the_publish_button(reporter_client, section):
    response = reporter_client.post(ADD_URL, article_post_data(section, transition="publish"))

    assert response.status_code == 403
    assert not Article.objects.exists()


def test_reporter_cannot_schedule_an_own_draft(reporter_client, states, now):
    article = states["draft"]

    response = reporter_client.post(
        change_url(article),
        article_post_data(
            article=article, published_at=now + timedelta(hours=3), transition="schedule"
        ),
    )

    assert response.status_code == 403
    article.refresh_from_db()
    assert (article.status, article.published_at) == ("draft", None)


def test_reporter_cannot_set_the_publication_time_of_an_own_draft(reporter_client, states, now):
    article = states["draft"]

    reporter_client.post(
        change_url(article),
        article_post_data(article=article, published_at=now - timedelta(days=3)),
    )

    article.refresh_from_db()
    assert article.published_at is None


@pytest.mark.parametrize("state", ["live", "scheduled"])
def test_reporter_cannot_unpublish_an_article_he_signs(reporter_client, states, state):
    article = states[state]

    response = reporter_client.post(
        change_url(article), article_post_data(article=article, transition="unpublish")
    )

    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_reporter_cannot_edit_someone_elses_draft(reporter_client, make_article, other_reporter):
    theirs = make_article("Di Sara", status="draft", authors=[other_reporter.author])

    response = reporter_client.post(
        change_url(theirs), article_post_data(article=theirs, title="Riscritto da Luca")
    )

    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.title == "Di Sara"


def test_reporter_cannot_edit_an_own_article_once_submitted(reporter_client, states):
    article = states["review"]

    response = reporter_client.post(
        change_url(article), article_post_data(article=article, title="Ripensamento")
    )

    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "Articolo review"


def test_reporter_reads_someone_elses_article_without_a_save_button(
    reporter_client, make_article, other_reporter
):
    theirs = make_article("Di Sara", status="draft", authors=[other_reporter.author])

    response = reporter_client.get(change_url(theirs))

    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert 'name="_save"' not in response.text
    assert response.context["transitions"] == []


def test_reporter_cannot_add_or_change_authors_by_forging_byline_rows(
    reporter_client, reporter, states, author
):
    article = states["draft"]
    data = article_post_data(article=article, authors=[author])
    data["bylines-0-author"] = author.pk  # and replace himself with someone else

    reporter_client.post(change_url(article), data)

    assert [b.author for b in Byline.objects.filter(article=article)] == [reporter.author]


def test_a_new_article_by_a_reporter_is_signed_by_him_whatever_is_posted(
    reporter_client, reporter, section, author
):
    reporter_client.post(ADD_URL, article_post_data(section, authors=[author]))

    assert Article.objects.get().byline_authors == [reporter.author]


def test_reporter_deletes_an_own_draft_never_published(reporter_client, states):
    article = states["draft"]

    response = reporter_client.post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


@pytest.mark.parametrize("state", ["live", "scheduled", "unpublished", "review"])
def test_reporter_cannot_delete_an_article_past_the_draft(reporter_client, states, state):
    article = states[state]

    response = reporter_client.post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_reporter_cannot_delete_a_published_article_with_the_bulk_action(reporter_client, states):
    article = states["live"]

    reporter_client.post(
        CHANGELIST_URL,
        {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"},
    )

    assert Article.objects.filter(pk=article.pk).exists()


def test_reporter_is_not_offered_the_comment_actions(reporter_client, states):
    article = states["live"]

    listing = reporter_client.get(CHANGELIST_URL)
    reporter_client.post(
        CHANGELIST_URL, {"action": "close_comments", "_selected_action": [article.pk]}
    )

    assert "close_comments" not in listing.text
    article.refresh_from_db()
    assert article.comments_enabled


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/section/add/",
        "/admin/authors/author/add/",
        "/admin/taggit/tag/add/",
        "/admin/redirects/redirect/",
        "/admin/auth/user/",
    ],
)
def test_reporter_cannot_manage_sections_authors_tags_redirects_or_users(reporter_client, url):
    assert reporter_client.get(url).status_code == 403


def test_reporter_can_search_tags_for_his_article(reporter_client):
    response = reporter_client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "article", "field_name": "tags", "term": "x"},
    )

    assert response.status_code == 200


# Editors


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/section/add/",
        "/admin/authors/author/add/",
        "/admin/taggit/tag/add/",
        "/admin/redirects/redirect/",
        "/admin/redirects/redirect/add/",
    ],
)
def test_editor_manages_sections_authors_tags_and_redirects(editor_client, url):
    assert editor_client.get(url).status_code == 200


def test_editor_does_not_manage_user_accounts(editor_client):
    assert editor_client.get("/admin/auth/user/add/").status_code == 403


def test_editor_edits_a_reporters_article_in_review(editor_client, states):
    article = states["review"]

    response = editor_client.post(
        change_url(article), article_post_data(article=article, title="Titolo dell'editor")
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Titolo dell'editor"


def test_editor_changes_the_byline(editor_client, states, author):
    article = states["review"]

    editor_client.post(change_url(article), article_post_data(article=article, authors=[author]))

    assert article.byline_authors[-1] == author


def test_superuser_may_publish(client_for, superuser, states):
    article = states["review"]

    response = client_for(superuser).post(
        change_url(article), article_post_data(article=article, transition="publish")
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_published
