"""What the admin's article form posts, for tests that save through the real admin."""

from django.utils import timezone

from articles.models import Article

ADD_URL = "/admin/articles/article/add/"


def article_post_data(
    section=None, *, article=None, authors=(), transition=None, note=None, **fields
):
    """
    What the admin's article form posts: ``article``'s current values (or a
    new draft's, in ``section``) and the version it was opened at, its existing bylines, then
    ``authors`` as new byline rows in that order, with ``fields`` overriding
    any value. ``transition`` is the workflow button pressed ("publish",
    "submit"...), ``note`` what was typed in the note box.

    ``status`` is posted too, as a forged request would: the form ignores it.
    """
    if article is not None:
        section = section or article.section
        values = {
            "title": article.title,
            "slug": article.slug,
            "summary": article.summary,
            "body": article.body,
            "hero_alt": article.hero_alt,
            "hero_caption": article.hero_caption,
            "hero_credit": article.hero_credit,
            "hero_photo": article.hero_photo_id or "",
            "status": article.status,
            "published_at": article.published_at,
            "tags": [tag.pk for tag in article.tags.all()],
            "correction": article.correction,
            "version": article.version,
        }
        bylines = list(article.bylines.all())
    else:
        values = {
            "title": "Il Comune approva il bilancio",
            "slug": "il-comune-approva-il-bilancio",
            "summary": "",
            "body": "<p>Il consiglio ha votato ieri sera.</p>",
            "hero_alt": "",
            "status": Article.Status.DRAFT,
            "published_at": None,
            "tags": [],
            "correction": "",
        }
        bylines = []
    values.update(fields)
    published_at = values.pop("published_at")
    data = {
        "hero_caption": "",
        "hero_credit": "",
        "hero_photo": "",
        "new_tags": "",
        "section": section.pk,
        "published_at_0": "",
        "published_at_1": "",
        "comments_enabled": "on",
        "language": "it",
        "seo_title": "",
        "seo_description": "",
        **values,
        "bylines-TOTAL_FORMS": len(bylines) + len(authors),
        "bylines-INITIAL_FORMS": len(bylines),
        "bylines-MIN_NUM_FORMS": 0,
        "bylines-MAX_NUM_FORMS": 1000,
    }
    if published_at is not None:
        local = timezone.localtime(published_at)
        data["published_at_0"] = local.strftime("%Y-%m-%d")
        data["published_at_1"] = local.strftime("%H:%M:%S")
    if transition is not None:
        data["_transition"] = transition
    if note is not None:
        data["_transition_note"] = note
    for index, byline in enumerate(bylines):
        data[f"bylines-{index}-id"] = byline.pk
        data[f"bylines-{index}-article"] = article.pk
        data[f"bylines-{index}-author"] = byline.author_id
        data[f"bylines-{index}-position"] = byline.position
    for index, person in enumerate(authors, start=len(bylines)):
        data[f"bylines-{index}-author"] = person.pk
        data[f"bylines-{index}-position"] = index
    return data


CHANGELIST_URL = "/admin/articles/article/"


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"
