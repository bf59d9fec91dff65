"""The moderators' queue in the admin."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import formats, timezone

from comments.models import Comment, EmailConfirmation, ModerationWord

pytestmark = pytest.mark.django_db

QUEUE = "/admin/comments/comment/"


def rows(html):
    return [int(pk) for pk in re.findall(r'name="_selected_action" value="(\d+)"', html)]


def test_the_moderator_group_has_comment_permissions_only(moderator):
    group = Group.objects.get(name="Moderator")
    labels = set(group.permissions.values_list("content_type__app_label", flat=True))
    assert labels == {"comments"}
    assert moderator.has_perm("comments.change_comment")
    assert moderator.has_perm("comments.delete_comment")
    assert moderator.has_perm("comments.add_moderationword")
    assert not moderator.has_perm("comments.add_comment")
    assert not moderator.has_perm("articles.change_article")


def test_a_moderator_sees_the_queue_but_not_the_articles(moderator_client):
    assert moderator_client.get(QUEUE).status_code == 200
    assert moderator_client.get("/admin/articles/article/").status_code == 403


def test_pending_comments_come_first_then_the_newest(moderator_client, make_comment, now):
    old_pending = make_comment("a", status="pending", created_at=now - timedelta(days=2))
    new_approved = make_comment("b", status="approved", created_at=now)
    new_pending = make_comment("c", status="pending", created_at=now - timedelta(hours=1))
    spam = make_comment("d", status="spam", created_at=now - timedelta(days=1))
    html = moderator_client.get(QUEUE).content.decode()
    assert rows(html) == [new_pending.pk, old_pending.pk, new_approved.pk, spam.pk]


def test_the_status_filter_counts_each_status(moderator_client, make_comment):
    for status, count in [("pending", 5), ("approved", 2), ("spam", 1)]:
        for n in range(count):
            make_comment(f"{status} {n}", status=status)
    html = moderator_client.get(QUEUE).content.decode()
    for label in ("In attesa (5)", "Approvato (2)", "Spam (1)", "Rifiutato (0)"):
        assert label in html
    assert len(rows(moderator_client.get(QUEUE + "?status=pending").content.decode())) == 5


def test_the_queue_shows_article_excerpt_reason_date_and_ip(moderator_client, make_comment):
    make_comment(
        "Un testo da moderare.",
        status="pending",
        moderation_reason="in attesa: 3 link",
        ip="198.51.100.23",
    )
    html = moderator_client.get(QUEUE).content.decode()
    for text in (
        "Elon Munk ha invitato Putin su Clubhouse",
        "Un testo da moderare.",
        "in attesa: 3 link",
        "198.51.100.23",
    ):
        assert text in html


def test_the_decision_sits_next_to_the_comment_and_the_date_is_short(
    moderator_client, make_comment, now
):
    make_comment("Un testo da moderare.", status="pending", created_at=now)
    html = moderator_client.get(QUEUE).content.decode()
    headers = re.findall(r'<th scope="col" class="(?:sortable )?column-(\w+)', html)
    # The buttons come before the columns that push them out of a laptop's screen.
    assert headers[:3] == ["excerpt_column", "row_actions", "article_column"]
    local = timezone.localtime(now)
    assert f"{local.day} {formats.date_format(local, 'b')} {local.year}, " in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Bellini", "name"), ("marco@", "email"), ("Starlink", "body"), ("198.51.100", "ip")],
)
def test_search_covers_name_email_body_and_ip(moderator_client, make_comment, query, expected):
    target = make_comment(
        "Parliamo di Starlink.", name="Marco Bellini", email="marco@example.org", ip="198.51.100.9"
    )
    make_comment("Altro.", name="Anna", email="anna@example.org", ip="192.0.2.1")
    html = moderator_client.get(QUEUE, {"q": query}).content.decode()
    assert rows(html) == [target.pk], expected


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("approve_selected", "approved"),
        ("reject_selected", "rejected"),
        ("mark_selected_as_spam", "spam"),
    ],
)
def test_bulk_actions_decide_for_many_comments(
    moderator_client, moderator, make_comment, action, status
):
    chosen = [make_comment(f"c{n}", status="pending") for n in range(3)]
    untouched = make_comment("x", status="pending")
    moderator_client.post(QUEUE, {"action": action, "_selected_action": [c.pk for c in chosen]})
    for comment in chosen:
        comment.refresh_from_db()
        assert comment.status == status
        assert comment.moderated_by == moderator
    untouched.refresh_from_db()
    assert untouched.status == "pending"


def test_bulk_delete_is_there(moderator_client, make_comment):
    comment = make_comment(status="spam")
    moderator_client.post(
        QUEUE, {"action": "delete_selected", "_selected_action": [comment.pk], "post": "yes"}
    )
    assert not Comment.objects.exists()


def test_approve_and_reject_are_one_click_per_row(moderator_client, moderator, make_comment):
    pending = make_comment(status="pending")
    html = moderator_client.get(QUEUE).content.decode()
    approve = f"/admin/comments/comment/{pending.pk}/approva/"
    reject = f"/admin/comments/comment/{pending.pk}/rifiuta/"
    assert f'formaction="{approve}"' in html
    assert f'formaction="{reject}"' in html
    response = moderator_client.post(
        approve, HTTP_REFERER=f"http://testserver{QUEUE}?status=pending"
    )
    assert response["Location"] == f"http://testserver{QUEUE}?status=pending"
    pending.refresh_from_db()
    assert (pending.status, pending.moderated_by) == ("approved", moderator)
    moderator_client.post(reject)
    pending.refresh_from_db()
    assert pending.status == "rejected"


def test_one_click_buttons_need_a_post_and_the_right_permission(
    client, make_comment, django_user_model
):
    pending = make_comment(status="pending")
    viewer = django_user_model.objects.create_user("lettore", is_staff=True)
    client.force_login(viewer)
    assert client.post(f"/admin/comments/comment/{pending.pk}/approva/").status_code == 403
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_changing_the_status_in_the_form_records_who_decided(
    moderator_client, moderator, make_comment
):
    comment = make_comment(status="pending")
    moderator_client.post(
        f"/admin/comments/comment/{comment.pk}/change/",
        {"name": comment.name, "website": "", "body": comment.body, "status": "approved"},
    )
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == ("approved", moderator)


def test_nobody_adds_comments_in_the_admin(client, django_user_model):
    boss = django_user_model.objects.create_superuser("capo", "capo@example.org", "x")
    client.force_login(boss)
    assert client.get("/admin/comments/comment/add/").status_code == 403


def test_moderation_words_are_edited_in_the_admin(moderator_client):
    response = moderator_client.post(
        "/admin/comments/moderationword/add/", {"word": "truffa", "action": "hold", "note": ""}
    )
    assert response.status_code == 302
    assert ModerationWord.objects.get().word == "truffa"


def test_confirmed_addresses_can_be_seen_and_revoked_but_not_edited(moderator_client, db):
    record = EmailConfirmation.objects.create(email="giulia@example.org")
    assert moderator_client.get("/admin/comments/emailconfirmation/").status_code == 200
    response = moderator_client.post(
        f"/admin/comments/emailconfirmation/{record.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not EmailConfirmation.objects.exists()


def test_the_queue_runs_a_fixed_number_of_queries(
    moderator_client, make_comment, django_assert_max_num_queries
):
    for n in range(30):
        make_comment(f"Commento {n}", status="pending" if n % 2 else "approved")
    # 13: the queue's own, and the session's end moved by the request (one UPDATE).
    with django_assert_max_num_queries(13):
        assert moderator_client.get(QUEUE).status_code == 200


def test_the_queue_can_be_filtered_by_article_as_the_article_admin_links_to_it(
    moderator_client, make_comment, make_article
):
    mine = make_comment("Mio.", status="pending")
    make_comment("Approvato.", status="approved")
    make_comment("Altrove.", status="pending", article=make_article("Altro"))
    response = moderator_client.get(
        QUEUE, {"article__id__exact": mine.article_id, "status": "pending"}
    )
    assert response.status_code == 200
    assert rows(response.content.decode()) == [mine.pk]
