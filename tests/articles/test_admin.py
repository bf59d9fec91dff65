from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from articles.admin import ArticleAdmin
from articles.models import Article, Section, reserved_section_slugs

from .admin_data import ADD_URL, CHANGELIST_URL, article_post_data


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def listed(response):
    return list(response.context["cl"].result_list)


@pytest.fixture
def three_states(make_article, now):
    return {
        "live": make_article("In edicola"),
        "scheduled": make_article("Domani in edicola", published_at=now + timedelta(days=1)),
        "draft": make_article("Ancora da scrivere", status=Article.Status.DRAFT),
    }


def test_changelist_shows_scheduled_articles_as_programmato(editor_client, three_states):
    response = editor_client.get(CHANGELIST_URL)

    assert response.status_code == 200
    rows = {article.title: ArticleAdmin.status_label(None, article) for article in listed(response)}
    assert rows == {"In edicola": "Pubblicato", "Domani in edicola": "Programmato",
                    "Ancora da scrivere": "Bozza"}  # fmt: skip
    assert "Programmato" in response.text


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("scheduled", {"scheduled"}),
        ("published", {"live"}),
        ("draft", {"draft"}),
        ("review", set()),
    ],
)
def test_status_filter_tells_scheduled_from_live_articles(
    editor_client, three_states, choice, expected
):
    response = editor_client.get(CHANGELIST_URL, {"stato": choice})

    assert response.status_code == 200
    assert set(listed(response)) == {three_states[name] for name in expected}


def test_status_filter_offers_the_scheduled_choice(editor_client, three_states):
    response = editor_client.get(CHANGELIST_URL)

    assert "?stato=scheduled" in response.text


def test_changelist_filters_by_section_and_by_author(
    editor_client, make_article, section, author, make_author
):
    from articles.models import Section

    sport = Section.objects.create(name="Sport", slug="sport", order=2)
    other = make_author("Paolo Neri")
    by_milena = make_article("Di Milena", authors=[author])
    in_sport = make_article("Derby", section=sport, authors=[other])

    by_section = editor_client.get(CHANGELIST_URL, {"section__id__exact": sport.pk})
    by_author = editor_client.get(CHANGELIST_URL, {"authors__id__exact": author.pk})

    assert listed(by_section) == [in_sport]
    assert listed(by_author) == [by_milena]


def test_changelist_lists_authors_in_byline_order(editor_client, make_article, author, make_author):
    first = make_author("Anna Verdi")
    make_article("A quattro mani", authors=[first, author])

    response = editor_client.get(CHANGELIST_URL)

    assert "Anna Verdi, Milena Sala" in response.text


def test_search_finds_articles_by_title_and_by_summary(editor_client, make_article):
    by_title = make_article("Maltempo in Liguria")
    by_summary = make_article("Allerta rossa", summary="Piogge forti sulla Liguria di ponente.")
    make_article("Elezioni comunali")

    response = editor_client.get(CHANGELIST_URL, {"q": "Liguria"})

    assert set(listed(response)) == {by_title, by_summary}


def test_changelist_drills_down_by_publication_date(editor_client, make_article, now):
    this_year = make_article("Quest'anno")
    make_article("Anni fa", published_at=now - timedelta(days=3 * 366))

    response = editor_client.get(CHANGELIST_URL, {"published_at__year": now.year})

    assert listed(response) == [this_year]


def test_changelist_query_count_does_not_grow_with_the_number_of_articles(
    editor_client, make_article, author, make_author, django_assert_max_num_queries
):
    colleague = make_author("Paolo Neri")
    make_article("Prima", authors=[author, colleague], tags=["Roma"])
    with CaptureQueriesContext(connection) as few:
        editor_client.get(CHANGELIST_URL)
    for number in range(15):
        make_article(f"Articolo {number}", authors=[colleague, author], tags=["Roma", "Milano"])

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = editor_client.get(CHANGELIST_URL)

    assert len(listed(response)) == 16


def test_add_form_renders_the_prose_editor_for_the_body(editor_client):
    response = editor_client.get(ADD_URL)

    assert response.status_code == 200
    assert 'name="body"' in response.text
    assert "data-django-prose-editor-configurable" in response.text
    assert "django_prose_editor/editor.js" in response.text
    assert "django_prose_editor/editor.css" in response.text
    assert '<script type="importmap">' in response.text


def test_slug_is_prepopulated_from_the_title(editor_client):
    response = editor_client.get(ADD_URL)

    assert ArticleAdmin.prepopulated_fields == {"slug": ["title"]}
    assert "data-prepopulated-fields" in response.text
    assert "&quot;dependency_list&quot;: [&quot;title&quot;]" in response.text


def test_add_form_groups_fields_in_italian_fieldsets(editor_client):
    response = editor_client.get(ADD_URL)

    names = [fieldset.name for fieldset in response.context["adminform"]]
    assert names == ["Testo", "Immagine", "Argomenti", "Pubblicazione", "Motori di ricerca"]


def test_saving_with_two_authors_keeps_the_byline_order(
    editor_client, section, author, make_author
):
    first = make_author("Anna Verdi")

    response = editor_client.post(ADD_URL, article_post_data(section, authors=[first, author]))

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.byline_authors == [first, author]


def test_the_position_column_decides_the_byline_order(editor_client, section, author, make_author):
    second = make_author("Anna Verdi")
    data = article_post_data(section, authors=[author, second])
    data["bylines-0-position"], data["bylines-1-position"] = 2, 1

    editor_client.post(ADD_URL, data)

    assert Article.objects.get().byline_authors == [second, author]


def test_crediting_the_same_author_twice_is_a_form_error(editor_client, section, author):
    response = editor_client.post(ADD_URL, article_post_data(section, authors=[author, author]))

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert not Article.objects.exists()


def test_tags_autocomplete_answers_with_matching_tags(editor_client):
    Tag.objects.create(name="Economia")
    Tag.objects.create(name="Sport")

    response = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "article", "field_name": "tags", "term": "econ"},
    )

    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Economia"]


def test_tags_field_uses_the_admin_autocomplete(editor_client):
    response = editor_client.get(ADD_URL)

    assert 'data-field-name="tags"' in response.text
    assert "admin/js/autocomplete.js" in response.text


def test_article_gets_chosen_tags_and_new_tags_together(editor_client, section):
    economy = Tag.objects.create(name="Economia")
    Tag.objects.create(name="Sport")

    response = editor_client.post(
        ADD_URL,
        article_post_data(
            section, tags=[economy.pk], new_tags="Intelligenza artificiale, Bologna, Economia"
        ),
    )

    assert response.status_code == 302
    article = Article.objects.get()
    assert sorted(article.tags.names()) == ["Bologna", "Economia", "Intelligenza artificiale"]
    # A new tag spelled like an existing one reuses it.
    assert Tag.objects.filter(name="Economia").count() == 1


def test_removing_a_tag_in_the_admin_removes_it_from_the_article(editor_client, make_article):
    article = make_article(tags=["Roma", "Milano"])
    keep = Tag.objects.get(name="Roma")

    response = editor_client.post(
        change_url(article), article_post_data(article=article, tags=[keep.pk])
    )

    assert response.status_code == 302
    assert list(article.tags.names()) == ["Roma"]


def test_a_too_long_new_tag_is_a_form_error(editor_client, section):
    response = editor_client.post(ADD_URL, article_post_data(section, new_tags="x" * 101))

    assert response.status_code == 200
    assert "new_tags" in response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_editing_the_body_of_a_published_article_stamps_updated_at(editor_client, make_article):
    article = make_article(body="<p>Prima versione.</p>")
    assert article.updated_at is None

    response = editor_client.post(
        change_url(article), article_post_data(article=article, body="<p>Seconda versione.</p>")
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.updated_at is not None
    assert article.was_updated


def test_editing_only_the_seo_title_does_not_stamp_updated_at(editor_client, make_article):
    article = make_article()

    editor_client.post(
        change_url(article), article_post_data(article=article, seo_title="Per Google")
    )

    article.refresh_from_db()
    assert article.seo_title == "Per Google"
    assert article.updated_at is None


def test_publishing_a_draft_with_last_edits_does_not_stamp_updated_at(editor_client, make_article):
    article = make_article(status=Article.Status.DRAFT)

    response = editor_client.post(
        change_url(article),
        article_post_data(article=article, transition="publish", body="<p>Ultime correzioni.</p>"),
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_published
    assert article.updated_at is None


def test_close_comments_action_closes_only_the_selected_articles(editor_client, make_article):
    closing = make_article("Polemica")
    staying = make_article("Tranquillo")

    response = editor_client.post(
        CHANGELIST_URL, {"action": "close_comments", "_selected_action": [closing.pk]}
    )

    assert response.status_code == 302
    closing.refresh_from_db()
    staying.refresh_from_db()
    assert not closing.comments_enabled
    assert staying.comments_enabled


def test_view_on_site_is_offered_only_for_public_articles(editor_client, three_states):
    live = editor_client.get(change_url(three_states["live"]))
    draft = editor_client.get(change_url(three_states["draft"]))

    assert live.context["has_absolute_url"]
    assert not draft.context["has_absolute_url"]


def test_section_order_is_editable_in_the_section_list(editor_client, section):
    response = editor_client.get("/admin/articles/section/")

    assert response.status_code == 200
    assert 'name="form-0-order"' in response.text


def test_section_slug_is_prepopulated_from_the_name(editor_client):
    response = editor_client.get("/admin/articles/section/add/")

    assert "&quot;dependency_list&quot;: [&quot;name&quot;]" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["lingua", "cerca", "commenti", "privacy", "admin", "feed", "tag"])
def test_a_section_cannot_take_an_address_the_site_already_uses(slug):
    with pytest.raises(ValidationError, match="riservato"):
        Section(name=f"Sezione {slug}", slug=slug).full_clean()


def test_the_reserved_addresses_come_from_the_url_configuration():
    reserved = reserved_section_slugs()
    assert {"lingua", "cerca", "commenti", "anteprima", "autori", "static", "media"} <= reserved
    assert "tecnologia" not in reserved
