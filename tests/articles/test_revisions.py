"""
Revisions: every admin save keeps one, any two compare side by side, and
restoring one adds a new revision instead of rewriting the history.
"""

import pytest
from django.contrib.redirects.models import Redirect
from django.urls import reverse
from taggit.models import Tag

from articles import revisions
from articles.diff import readable_html, side_by_side
from articles.models import Article, Revision

from .admin_data import ADD_URL, article_post_data, change_url


def revisions_url(article):
    return reverse("admin:articles_article_revisions", args=[article.pk])


def compare_url(article):
    return reverse("admin:articles_article_compare_revisions", args=[article.pk])


def restore_url(revision):
    return reverse(
        "admin:articles_article_restore_revision", args=[revision.article_id, revision.pk]
    )


@pytest.fixture
def edited_twice(editor_client, section, author):
    """An article saved three times in the admin: created, retitled, re-tagged."""
    roma = Tag.objects.create(name="Roma")
    editor_client.post(
        ADD_URL,
        article_post_data(
            section,
            title="Il Tevere esonda",
            body="<p>Allagata la banchina.</p>",
            tags=[roma.pk],
            authors=[author],
        ),
    )
    article = Article.objects.get()
    editor_client.post(
        change_url(article),
        article_post_data(article=article, title="Il Tevere in piena"),
    )
    article.refresh_from_db()
    editor_client.post(
        change_url(article),
        article_post_data(
            article=article, body="<p>Allagata la banchina di Ripa Grande.</p>", new_tags="Meteo"
        ),
    )
    article.refresh_from_db()
    return article


def test_every_admin_save_stores_a_revision_with_its_author_and_version(edited_twice, editor):
    stored = list(edited_twice.revisions.order_by("created_at", "pk"))

    assert [r.version for r in stored] == [1, 2, 3]
    assert {r.created_by for r in stored} == {editor}
    assert [r.data["title"] for r in stored] == ["Il Tevere esonda", "Il Tevere in piena",
                                                 "Il Tevere in piena"]  # fmt: skip


def test_a_revision_holds_every_editorial_field_with_tags_and_authors_as_data(edited_twice, author):
    data = edited_twice.revisions.first().data

    assert set(revisions.FIELDS) <= set(data)
    assert data["tags"] == ["Meteo", "Roma"]
    assert data["authors"] == [{"id": author.pk, "name": "Milena Sala"}]
    assert data["section"]["name"] == "Tecnologia"
    assert data["body"] == "<p>Allagata la banchina di Ripa Grande.</p>"


def test_a_workflow_button_stores_the_revision_after_the_move(editor_client, make_article):
    article = make_article(status="review")

    editor_client.post(
        change_url(article), article_post_data(article=article, transition="publish")
    )

    article.refresh_from_db()
    latest = article.revisions.first()
    assert latest.version == article.version
    assert latest.data["status"] == "published"


def test_the_history_lists_revisions_newest_first(editor_client, edited_twice):
    response = editor_client.get(revisions_url(edited_twice))

    assert response.status_code == 200
    assert [r.version for r in response.context["revisions"]] == [3, 2, 1]
    assert "<td>Franca Rossi</td>" in response.text
    assert response.text.count('name="da"') == 3


def test_the_change_page_links_to_the_history(editor_client, edited_twice):
    response = editor_client.get(change_url(edited_twice))

    assert revisions_url(edited_twice) in response.text


def test_two_revisions_compare_side_by_side_with_the_changes_marked(editor_client, edited_twice):
    first, last = edited_twice.revisions.order_by("created_at", "pk")[::2]

    response = editor_client.get(compare_url(edited_twice), {"da": first.pk, "a": last.pk})

    assert response.status_code == 200
    rows = {row.name: row for row in response.context["changes"]}
    assert rows["title"].changed
    assert rows["title"].old == "Il Tevere <del>esonda</del>"
    assert rows["title"].new == "Il Tevere <ins>in piena</ins>"
    assert rows["tags"].new == "<ins>Meteo, </ins>Roma"
    assert not rows["section"].changed
    assert "<del>esonda</del>" in response.text


def test_the_comparison_escapes_what_editors_typed(editor_client, make_article):
    article = make_article(title="Titolo")
    editor_client.get(change_url(article))
    editor_client.post(
        change_url(article),
        article_post_data(article=article, title='<img src=x onerror="alert(1)"> Titolo'),
    )
    old, new = article.revisions.order_by("created_at", "pk")

    response = editor_client.get(compare_url(article), {"da": old.pk, "a": new.pk})

    assert '<img src=x onerror="alert(1)">' not in response.text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in response.text


def test_side_by_side_marks_only_the_words_that_changed():
    old, new = side_by_side("<p>Uno due tre.</p>", "<p>Uno tre, quattro.</p>")

    assert old == "&lt;p&gt;Uno <del>due </del>tre.&lt;/p&gt;"
    assert new == "&lt;p&gt;Uno tre<ins>, quattro</ins>.&lt;/p&gt;"


def test_a_photo_added_to_the_body_reads_as_a_block_of_its_own():
    body = '<p>Prima.</p><figure><img src="a.webp" alt="Il molo"></figure><p>Dopo.</p>'

    assert readable_html(body).splitlines() == [
        "<p>Prima.</p>",
        '<figure><img src="a.webp" alt="Il molo"></figure>',
        "<p>Dopo.</p>",
    ]


def test_comparing_a_revision_of_another_article_answers_404(
    editor_client, edited_twice, make_article
):
    other = make_article("Altro")
    stranger = revisions.record(other)
    own = edited_twice.revisions.first()

    response = editor_client.get(compare_url(edited_twice), {"da": stranger.pk, "a": own.pk})

    assert response.status_code == 404


def test_restoring_puts_the_old_content_back_as_a_new_revision(editor_client, edited_twice, editor):
    first = edited_twice.revisions.order_by("created_at", "pk").first()

    response = editor_client.post(restore_url(first))

    assert response.status_code == 302
    edited_twice.refresh_from_db()
    assert edited_twice.title == "Il Tevere esonda"
    assert edited_twice.body == "<p>Allagata la banchina.</p>"
    assert list(edited_twice.tags.names()) == ["Roma"]
    stored = list(edited_twice.revisions.order_by("created_at", "pk"))
    assert len(stored) == 4  # nothing rewritten, one added
    assert stored[-1].restored_from == first
    assert stored[-1].created_by == editor
    assert stored[-1].version == edited_twice.version


def test_restoring_keeps_the_status_and_publication_time(editor_client, make_article):
    article = make_article(status="draft", title="Prima stesura")
    editor_client.get(change_url(article))
    draft_revision = article.revisions.get()
    editor_client.post(
        change_url(article),
        article_post_data(article=article, title="Stesura finale", transition="publish"),
    )
    article.refresh_from_db()
    published_at = article.published_at

    editor_client.post(restore_url(draft_revision))

    article.refresh_from_db()
    assert (article.title, article.status, article.published_at) == (
        "Prima stesura", "published", published_at
    )  # fmt: skip
    assert article.was_updated  # readers see the text changed


def test_restoring_an_old_slug_of_a_published_article_redirects_the_newer_url(
    editor_client, make_article
):
    article = make_article("Tevere", slug="tevere")
    editor_client.get(change_url(article))
    original = article.revisions.get()
    editor_client.post(change_url(article), article_post_data(article=article, slug="tevere-piena"))

    editor_client.post(restore_url(original))

    article.refresh_from_db()
    assert article.slug == "tevere"
    assert Redirect.objects.filter(
        old_path="/tecnologia/tevere-piena/", new_path="/tecnologia/tevere/"
    ).exists()
    assert not Redirect.objects.filter(old_path="/tecnologia/tevere/").exists()


def test_restoring_is_a_post(editor_client, edited_twice):
    first = edited_twice.revisions.last()

    assert editor_client.get(restore_url(first)).status_code == 403


def test_a_reporter_cannot_restore_a_revision_of_an_article_he_may_not_edit(
    client_for, reporter, edited_twice
):
    first = edited_twice.revisions.order_by("created_at", "pk").first()

    response = client_for(reporter).post(restore_url(first))

    assert response.status_code == 403
    edited_twice.refresh_from_db()
    assert edited_twice.title == "Il Tevere in piena"
    assert Revision.objects.filter(article=edited_twice).count() == 3


def test_a_reporter_may_read_the_history_but_is_offered_no_restore(
    client_for, reporter, edited_twice
):
    response = client_for(reporter).get(revisions_url(edited_twice))

    assert response.status_code == 200
    assert not response.context["can_restore"]
