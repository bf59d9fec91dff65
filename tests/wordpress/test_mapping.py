"""How each part of a WordPress post maps onto an article."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from articles.models import Article, Section
from authors.models import Author
from comments.models import Comment

from .conftest import comment, post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("wp_status", "status"),
    [
        ("publish", Article.Status.PUBLISHED),
        ("future", Article.Status.PUBLISHED),
        ("draft", Article.Status.DRAFT),
        ("pending", Article.Status.DRAFT),
        ("private", Article.Status.UNPUBLISHED),
    ],
)
def test_wordpress_statuses_map_to_the_workflow(make_export, run_import, wp_status, status):
    run_import(make_export(post(1, status=wp_status)))
    assert Article.objects.get().status == status


def test_a_post_in_the_trash_is_skipped_and_reported_with_its_id(make_export, run_import):
    report = run_import(make_export(post(1, status="trash"), post(2)))
    assert Article.objects.count() == 1
    assert "article 1: skipped: in the trash" in report


def test_an_unmappable_post_is_skipped_and_the_rest_imports(make_export, run_import):
    no_date = post(2, date_gmt="garbage", date="0000-00-00 00:00:00")
    report = run_import(make_export(post(1, status="wibble"), no_date, post(3)))
    assert list(Article.objects.values_list("slug", flat=True)) == ["notizia-3"]
    assert "article 1: skipped: status 'wibble'" in report
    assert "article 2: skipped: published without a valid date" in report


def test_without_a_gmt_date_the_local_date_is_read_in_the_sites_time_zone(make_export, run_import):
    run_import(make_export(post(1, date_gmt="0000-00-00 00:00:00", date="2024-03-01 09:00:00")))
    published = timezone.localtime(Article.objects.get().published_at)
    assert (published.hour, published.tzinfo.key) == (9, "Europe/Rome")


def test_a_draft_with_no_gmt_date_imports_without_a_publication_date(make_export, run_import):
    run_import(make_export(post(1, status="draft", date_gmt="0000-00-00 00:00:00")))
    assert Article.objects.get().published_at is None


def test_the_publication_date_is_the_gmt_one(make_export, run_import):
    run_import(make_export(post(1, date_gmt="2024-03-01 08:00:00")))
    published = Article.objects.get().published_at
    assert published == datetime(2024, 3, 1, 8, tzinfo=UTC)


def test_bare_text_gets_paragraphs_and_the_body_is_sanitized(make_export, run_import):
    content = 'Primo.\n\nSecondo <script>alert(1)</script><a href="javascript:x()">link</a>'
    run_import(make_export(post(1, content=content)))
    body = Article.objects.get().body
    assert body.startswith("<p>Primo.</p>")
    assert "<script" not in body and "javascript:" not in body


def test_the_first_category_is_the_section_and_the_others_are_tags(make_export, run_import):
    categories = (("cronaca", "Cronaca"), ("politica", "Politica"))
    run_import(make_export(post(1, categories=categories, tags=(("roma", "Roma"),))))
    article = Article.objects.get()
    assert article.section == Section.objects.get(slug="cronaca", name="Cronaca")
    assert sorted(article.tags.values_list("slug", "name")) == [
        ("politica", "Politica"),
        ("roma", "Roma"),
    ]


def test_a_post_without_category_goes_to_a_default_section(make_export, run_import):
    run_import(make_export(post(1, categories=())))
    assert Article.objects.get().section.slug == "senza-categoria"


def test_an_existing_section_with_the_same_slug_is_reused(make_export, run_import, section):
    run_import(make_export(post(1, categories=(("tecnologia", "Tech"),))))
    assert Article.objects.get().section == section
    assert Section.objects.count() == 1


def test_a_category_named_like_a_reserved_path_gets_another_slug(make_export, run_import):
    run_import(make_export(post(1, categories=(("feed", "Feed"),))))
    assert Article.objects.get().section.slug == "feed-wp"


def test_the_creator_is_the_byline_and_the_email_stays_private(make_export, run_import, client):
    run_import(make_export(post(1)))
    article = Article.objects.get()
    assert article.byline_authors == [Author.objects.get(name="Giulia Neri")]
    assert "giulia@gazzetta.example" not in client.get(article.get_absolute_url()).content.decode()


def test_a_slug_already_taken_gets_a_suffix_and_is_reported(make_export, run_import, make_article):
    make_article("Esistente", slug="notizia-1")
    report = run_import(make_export(post(1)))
    assert Article.objects.filter(slug="notizia-1-2").exists()
    assert "slug 'notizia-1' taken: now 'notizia-1-2'" in report


def test_closed_comments_stay_closed(make_export, run_import):
    run_import(make_export(post(1, comment_status="closed")))
    assert Article.objects.get().comments_enabled is False


def test_comment_statuses_map_and_trash_and_pings_are_skipped(make_export, run_import):
    comments = (
        comment(1)
        + comment(2, approved="0")
        + comment(3, approved="spam")
        + comment(4, approved="trash")
        + comment(5, type="pingback")
    )
    report = run_import(make_export(post(1, comments=comments)))
    assert sorted(Comment.objects.values_list("status", flat=True)) == [
        "approved",
        "pending",
        "spam",
    ]
    assert "1 skipped: in the trash" in report and "1 skipped: pingback" in report


def test_a_comment_keeps_its_date_its_html_as_text_and_its_private_details(make_export, run_import):
    run_import(make_export(post(1, comments=comment(9, body="<p>Bravi &amp; <b>grazie</b></p>"))))
    imported = Comment.objects.get()
    assert imported.body == "Bravi & grazie"
    assert imported.created_at == datetime(2024, 3, 2, 9, 0, 9, tzinfo=UTC)
    assert (imported.email, imported.ip) == ("lettore@example.org", "198.51.100.7")
    assert imported.website == "https://lettore.example/"


def test_the_older_export_format_reads_the_same(make_export, run_import):
    run_import(make_export(post(1, comments=comment(2)), version="1.1"))
    assert (Article.objects.count(), Comment.objects.count()) == (1, 1)
