"""What each write makes stale: the tags it purges once its transaction commits."""

import pytest
from taggit.models import Tag

from articles.models import Article, Byline, Section
from comments.models import Comment
from newsroom import invalidation

pytestmark = pytest.mark.django_db


@pytest.fixture
def purged(monkeypatch):
    """The tags purged at the edge, one set per purge, as the purger receives them."""
    purges = []

    class Recorder:
        def purge(self, tags):
            purges.append(set(tags))

    monkeypatch.setattr(invalidation, "get_purger", Recorder)
    return purges


@pytest.fixture
def story(make_article, author):
    return make_article("Il porto cambia volto", authors=[author], tags=["Porti"])


def everything(purges) -> set[str]:
    return set().union(*purges)


def test_an_edit_purges_the_article_and_every_list_it_is_in_once_committed(
    story, author, purged, django_capture_on_commit_callbacks
):
    porti = Tag.objects.get(name="Porti")
    with django_capture_on_commit_callbacks(execute=True):
        story.title = "Il porto cambia nome"
        story.save()
        assert purged == []  # nothing reaches the edge before the commit
    assert everything(purged) == {
        f"article:{story.pk}",
        "home",
        "sitemap",
        f"section-list:{story.section_id}",
        f"tag-list:{porti.pk}",
        f"author-list:{author.pk}",
    }


def test_moving_an_article_purges_the_section_it_left(
    story, purged, django_capture_on_commit_callbacks
):
    old = story.section
    sport = Section.objects.create(name="Sport", slug="sport", order=3)
    with django_capture_on_commit_callbacks(execute=True):
        story.section = sport
        story.save()
    assert {f"section-list:{old.pk}", f"section-list:{sport.pk}"} <= everything(purged)


def test_unpublishing_purges_the_lists_it_leaves(
    story, author, purged, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story.unpublish()
    assert {f"article:{story.pk}", "home", f"author-list:{author.pk}"} <= everything(purged)


def test_a_tag_or_a_byline_taken_off_purges_its_list(
    story, author, purged, django_capture_on_commit_callbacks
):
    porti = Tag.objects.get(name="Porti")
    with django_capture_on_commit_callbacks(execute=True):
        story.tags.remove(porti)
        Byline.objects.filter(article=story).delete()
    assert {f"tag-list:{porti.pk}", f"author-list:{author.pk}"} <= everything(purged)


def test_deleting_an_article_purges_its_page_and_lists(
    story, author, purged, django_capture_on_commit_callbacks
):
    pk, section_id = story.pk, story.section_id
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=pk).delete()
    assert {f"article:{pk}", "home", f"section-list:{section_id}"} <= everything(purged)
    assert f"author-list:{author.pk}" in everything(purged)


def test_an_approved_comment_purges_only_its_article(
    story, purged, django_capture_on_commit_callbacks
):
    comment = Comment.objects.create(
        article=story, name="Anna", email="anna@example.org", body="Ciao.", status="pending"
    )
    assert purged == []  # held: nothing
    with django_capture_on_commit_callbacks(execute=True):
        comment.approve()
    assert everything(purged) == {f"article:{story.pk}"}
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment.delete()
    assert everything(purged) == {f"article:{story.pk}"}


def test_renaming_a_section_purges_every_page(story, purged, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        story.section.name = "Economia"
        story.section.save()
    assert "site" in everything(purged)
