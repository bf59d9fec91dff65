"""Readers report ("Segnala") a published comment; enough reports send it back to the queue."""

import pytest

from comments.models import Comment

pytestmark = pytest.mark.django_db


def report(client, comment, ip):
    return client.post(f"/commenti/{comment.pk}/segnala/", REMOTE_ADDR=ip)


def test_each_published_comment_has_a_report_link(client, article, make_comment):
    comment = make_comment()
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'href="/commenti/{comment.pk}/segnala/" rel="nofollow"' in html


def test_opening_the_link_asks_before_reporting(client, make_comment):
    comment = make_comment("Un commento discutibile.")
    page = client.get(f"/commenti/{comment.pk}/segnala/").content.decode()
    assert "Un commento discutibile." in page
    assert "Segnala ai moderatori" in page
    assert not comment.reports.exists()


def test_three_reports_from_different_readers_send_it_back_to_the_queue(client, make_comment):
    comment = make_comment()
    for ip in ("192.0.2.1", "192.0.2.2"):
        assert "Grazie della segnalazione" in report(client, comment, ip).content.decode()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    report(client, comment, "192.0.2.3")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reason == "in attesa: segnalato da 3 lettori"


def test_one_reader_reporting_many_times_counts_once(client, make_comment):
    comment = make_comment()
    for _ in range(5):
        report(client, comment, "192.0.2.1")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert comment.reports.count() == 1


def test_the_threshold_is_a_setting(client, make_comment, settings):
    settings.COMMENTS_REPORTS_TO_HOLD = 1
    comment = make_comment()
    report(client, comment, "192.0.2.1")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_approving_again_clears_the_old_reports(client, make_comment, moderator):
    comment = make_comment()
    for ip in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        report(client, comment, ip)
    comment.refresh_from_db()
    comment.approve(by=moderator)
    report(client, comment, "192.0.2.4")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_only_published_comments_can_be_reported(client, make_comment):
    held = make_comment(status=Comment.Status.PENDING)
    assert client.get(f"/commenti/{held.pk}/segnala/").status_code == 404
    assert report(client, held, "192.0.2.1").status_code == 404
