"""
The search engine behind /cerca/: what matches, in which order, and how the
stored vector follows every change on PostgreSQL. The page is tested in
tests/newsroom/test_search.py.
"""

from datetime import timedelta
from importlib import import_module

import pytest
from django.contrib.postgres.search import SearchVector
from django.core.management import call_command
from django.db import connection
from taggit.models import Tag

from articles.models import Article, Byline
from articles.search import (
    clean_query,
    fallback_snippet,
    fallback_terms,
    search_query,
    with_snippets,
)

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Italian stemming and the stored, indexed vector exist only on PostgreSQL; "
    "other databases use the whole-word fallback.",
)
off_postgres = pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="The whole-word fallback runs only where PostgreSQL full-text search does not.",
)


def found(text):
    return [article.title for article in Article.objects.published().search(text)]


# On every database ----------------------------------------------------------


def test_a_word_is_found_in_the_title_the_summary_or_the_body(make_article):
    make_article("Lanciato il razzo")
    make_article("Nel sommario", summary="Un razzo è partito.")
    make_article("Nel testo", body="<p>Il <strong>razzo</strong> è partito.</p>")
    make_article("Altro", body="<p>Niente da vedere.</p>")
    assert sorted(found("razzo")) == ["Lanciato il razzo", "Nel sommario", "Nel testo"]


def test_every_word_must_be_found(make_article):
    make_article("Razzo in orbita", body="<p>Sulla luna.</p>")
    make_article("Razzo a terra")
    assert found("razzo luna") == ["Razzo in orbita"]


def test_case_does_not_matter_but_a_fragment_of_a_word_is_not_a_word(make_article):
    make_article("Satellite in orbita")
    assert found("SATELLITE") == ["Satellite in orbita"]
    assert found("sat") == []


def test_a_title_match_ranks_above_a_body_match(make_article, now):
    # The body match is newer, so only the rank can put the title match first.
    make_article("Titolo qualsiasi", body="<p>Parla di Marte.</p>", published_at=now)
    make_article("Marte visto da vicino", published_at=now - timedelta(days=3))
    assert found("marte") == ["Marte visto da vicino", "Titolo qualsiasi"]


def test_equal_matches_come_newest_first(make_article, now):
    for days in (3, 1, 2):
        make_article(f"Marte, giorno {days}", published_at=now - timedelta(days=days))
    assert found("marte") == ["Marte, giorno 1", "Marte, giorno 2", "Marte, giorno 3"]


def test_only_what_readers_may_see_is_searched(make_article, now):
    make_article("Marte pubblico")
    make_article("Marte bozza", status=Article.Status.DRAFT)
    make_article("Marte in revisione", status=Article.Status.REVIEW)
    make_article("Marte programmato", published_at=now + timedelta(hours=1))
    make_article(
        "Marte ritirato", status=Article.Status.UNPUBLISHED, published_at=now - timedelta(days=1)
    )
    assert found("marte") == ["Marte pubblico"]


@pytest.mark.parametrize("text", ["", "!!!", "🚀🚀", '"', "&", "-", "* & | !"])
def test_text_without_a_word_matches_nothing(make_article, text):
    make_article("Marte")
    assert found(text) == []


def test_raw_text_is_cleaned_before_it_reaches_the_database(make_article):
    make_article("Marte")
    assert found("\x00marte\x00") == ["Marte"]


def test_the_query_is_cleaned_of_control_characters_and_cut_at_200():
    assert clean_query("  marte\x00\n\t  luna\u200b ") == "marte luna"
    assert len(clean_query("parola " * 100)) == 200
    assert clean_query(None) == ""


def test_snippets_mark_the_matches_and_escape_the_rest(make_article):
    make_article(
        "Titolo",
        summary="Sommario <senza> tag & altro.",
        body="<p>Prima frase.</p><p>Il razzo &lt;script&gt; parte.</p>",
    )
    [article] = with_snippets(Article.objects.published().search("razzo"), "razzo")
    assert "<mark>razzo</mark>" in article.snippet
    assert "&lt;script&gt;" in article.snippet
    assert "<script>" not in article.snippet
    assert "frase. Il" in article.snippet  # paragraphs do not glue words together


# The fallback (SQLite) ---------------------------------------------------------


@off_postgres
def test_the_fallback_does_not_stem(make_article):
    make_article("Un satellite in orbita")
    assert found("satelliti") == []


def test_the_fallback_snippet_shows_the_text_around_a_late_match(make_article):
    words = " ".join(f"parola{n}" for n in range(200))
    article = make_article("Lungo", body=f"<p>{words} marte {words}</p>")
    snippet = fallback_snippet(article, fallback_terms("Marte"))
    assert snippet.startswith("… ")
    assert snippet.endswith(" …")
    assert "<mark>marte</mark>" in snippet
    assert len(snippet) < 400


# PostgreSQL ------------------------------------------------------------------


@on_postgres
@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("inviti", "Putin accetta l'invito"),
        ("invito", "Putin accetta l'invito"),
        ("satelliti", "Un satellite in orbita"),
        ("satellite", "Un satellite in orbita"),
    ],
)
def test_italian_stemming_finds_other_forms_of_a_word(make_article, query, title):
    make_article("Putin accetta l'invito")
    make_article("Un satellite in orbita")
    assert found(query) == [title]


@on_postgres
def test_stop_words_alone_match_nothing(make_article):
    make_article("Il gatto della vicina")
    assert found("il della") == []


@on_postgres
def test_quoted_phrases_and_excluded_words_work_as_in_a_search_engine(make_article):
    make_article("Razzo riutilizzabile verso la Luna")
    make_article("Razzo verso Marte, riutilizzabile")
    assert found('"razzo riutilizzabile"') == ["Razzo riutilizzabile verso la Luna"]
    assert found("razzo -luna") == ["Razzo verso Marte, riutilizzabile"]


@on_postgres
def test_snippets_mark_the_stemmed_forms_too(make_article):
    make_article("Titolo", body="<p>Due satelliti sono in orbita.</p>")
    [article] = with_snippets(Article.objects.published().search("satellite"), "satellite")
    assert "<mark>satelliti</mark>" in article.snippet


@on_postgres
def test_an_english_article_is_stemmed_as_english(make_article):
    make_article("Genoa votes", body="<p>The elections were running late.</p>", language="en")
    make_article("Genova vota", body="<p>Le elezioni sono in ritardo.</p>")
    assert found("election") == ["Genoa votes"]
    assert found("run") == ["Genoa votes"]
    assert found("elezione") == ["Genova vota"]
    [article] = with_snippets(Article.objects.published().search("election"), "election")
    assert "<mark>elections</mark>" in article.snippet


@on_postgres
def test_a_migration_rereads_english_articles_stemmed_as_italian(make_article):
    article = make_article("Genoa votes", body="<p>The elections.</p>", language="en")
    before = SearchVector("title", "body", config="italian")
    Article.objects.filter(pk=article.pk).update(search_vector=before)
    assert found("election") == []
    migration = import_module("articles.migrations.0007_search_by_language")
    with connection.schema_editor() as editor:
        migration.refill(None, editor)
    assert found("election") == ["Genoa votes"]


@on_postgres
def test_words_close_together_rank_above_words_far_apart(make_article, now):
    filler = " ".join(["parole"] * 60)
    make_article(
        "Vicini",
        body="<p>Il sindaco del porto ha parlato.</p>",
        published_at=now - timedelta(days=2),
    )
    make_article(
        "Lontani",
        body=f"<p>Il sindaco. {filler} Il porto.</p>",
        published_at=now - timedelta(days=1),
    )
    assert found("sindaco porto") == ["Vicini", "Lontani"]


@on_postgres
def test_an_article_changing_language_is_stemmed_anew(make_article):
    article = make_article("Genoa votes", body="<p>The elections.</p>")
    assert found("election") == []
    article.language = "en"
    article.save()
    assert found("election") == ["Genoa votes"]


@on_postgres
def test_tags_and_author_names_are_searched(make_article, make_author):
    make_article("Primo", tags=["Astronautica"])
    make_article("Secondo", authors=[make_author("Samantha Cristoforetti")])
    assert found("astronautica") == ["Primo"]
    assert found("cristoforetti") == ["Secondo"]


@on_postgres
def test_the_vector_follows_edits_of_the_text(make_article):
    article = make_article("Vecchio titolo")
    article.title = "Nuovo titolo sul razzo"
    article.save()
    assert found("razzo") == ["Nuovo titolo sul razzo"]
    assert found("vecchio") == []


@on_postgres
def test_the_vector_follows_tags_added_removed_renamed_and_deleted(make_article):
    article = make_article("Notizia")
    article.tags.add("Astronautica")
    assert found("astronautica") == ["Notizia"]
    article.tags.remove("Astronautica")
    assert found("astronautica") == []

    article.tags.add("Astronautica")
    tag = Tag.objects.get(name="Astronautica")
    tag.name = "Esplorazione"
    tag.save()
    assert found("esplorazione") == ["Notizia"]
    assert found("astronautica") == []
    tag.delete()
    assert found("esplorazione") == []


@on_postgres
def test_the_vector_follows_bylines_and_author_renames(make_article, make_author):
    article = make_article("Notizia")
    person = make_author("Anna Rossi")
    byline = Byline.objects.create(article=article, author=person)
    assert found("rossi") == ["Notizia"]
    person.name = "Anna Bianchi"
    person.save()
    assert found("bianchi") == ["Notizia"]
    assert found("rossi") == []
    byline.delete()
    assert found("bianchi") == []


@on_postgres
def test_the_vector_stays_out_of_loaded_articles(make_article):
    article = make_article("Notizia")
    assert "search_vector" in Article.objects.get(pk=article.pk).get_deferred_fields()
    assert Article.objects.filter(search_vector__isnull=False).count() == 1


@on_postgres
def test_bulk_writes_are_caught_up_by_the_management_command(section, now):
    Article.objects.bulk_create(
        [
            Article(
                title="Arrivato in blocco",
                slug="in-blocco",
                section=section,
                status=Article.Status.PUBLISHED,
                published_at=now - timedelta(hours=1),
            )
        ]
    )
    assert found("blocco") == []
    call_command("update_search_vectors", stdout=None)
    assert found("blocco") == ["Arrivato in blocco"]


@on_postgres
def test_the_vector_has_a_gin_index_that_matching_can_use(make_article):
    make_article("Marte")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'article_search_idx'")
        [(definition,)] = cursor.fetchall()
        assert "USING gin (search_vector)" in definition
        # Too few rows for the planner to prefer an index by itself; the bench
        # (tests/bench) shows it choosing this one for the full search on
        # 100,000 articles.
        # Without sequential or plain index scans, only the GIN index can answer.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = Article.objects.filter(search_vector=search_query("marte")).explain()
    assert "article_search_idx" in plan
