"""
Full-text search over articles, with one entry point for every database.

``search(queryset, text)`` narrows a queryset (the caller passes
``Article.objects.published()``) to the articles matching what a reader typed,
best match first, and ``with_snippets()`` gives each result a highlighted
excerpt. Behind them:

* **PostgreSQL**: a stored ``tsvector`` (``Article.search_vector``, GIN-indexed)
  made with the configuration of the article's language (``SEARCH_CONFIGS``,
  else ``SEARCH_CONFIG``), so that "satelliti" finds "satellite" and
  "elections" finds "election"; what a reader types is read in each of those
  languages at once, as they may look for an article in either;
  ``websearch_to_tsquery`` accepts anything a reader types ("quoted phrases",
  ``or``, ``-word``) without a syntax error; ``ts_rank`` orders the results
  (title weight A, summary and tags B, body and author names C), then recency;
  ``ts_headline`` makes the excerpts.
* **Anything else** (SQLite, in development and tests): every word must appear,
  as a whole word, in the title, summary or body; title matches first. No
  stemming, no index: fine for a laptop, not for production.

The vector mixes the article's row with rows saved after it (tags, bylines and
author names), so it is rebuilt by ``update_search_vector()``: one UPDATE whose
subqueries read those tables. ``signals.py`` calls it whenever any of them
changes; bulk writes (``bulk_create``, ``QuerySet.update``, raw SQL) send no
signals and need ``manage.py update_search_vectors`` afterwards.
"""

import re
from html import unescape

from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchQueryField,
    SearchRank,
    SearchVector,
)
from django.db import connections
from django.db.models import (
    Case,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_LENGTH = 200
# The fallback runs one regular expression per word and field: keep it bounded.
MAX_FALLBACK_TERMS = 10
SNIPPET_CHARACTERS = 240

# ts_headline marks matches with these; private-use characters cannot come from
# a query (clean_query drops them) and are vanishingly rare in articles.
START, STOP = "\ue000", "\ue001"
MARKED = re.compile(f"{START}(.*?){STOP}", re.S)
BLOCK_TAG = re.compile(r"<(?=/?(?:p|h[1-6]|li|ul|ol|blockquote|br)\b)", re.IGNORECASE)


def clean_query(text) -> str:
    """
    What is searched for: printable characters, single spaces, at most
    ``MAX_QUERY_LENGTH`` characters. NUL and other control characters become
    spaces (PostgreSQL refuses NUL in any string).
    """
    text = "".join(char if char.isprintable() else " " for char in str(text or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def uses_full_text(queryset) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def stores_vectors() -> bool:
    """Whether the database keeps search vectors (PostgreSQL) or searches without them."""
    from .models import Article

    return uses_full_text(Article.objects.all())


def search(queryset, text: str):
    """
    ``queryset`` narrowed to the articles matching ``text``, annotated with
    ``rank`` and ordered best first, then newest first. Matches nothing when
    ``text`` has no word to look for. Lazy: no query until used.
    """
    text = clean_query(text)
    if not text:
        return queryset.none()
    if uses_full_text(queryset):
        return _full_text_search(queryset, text)
    return _fallback_search(queryset, text)


def with_snippets(articles, text: str) -> list:
    """
    Give each article of a page of results a ``snippet``: safe HTML, the
    excerpt around the matches with each match in ``<mark>``. No query.
    """
    articles = list(articles)
    terms = fallback_terms(text)
    for article in articles:
        if hasattr(article, "headline"):
            article.snippet = marked_snippet(article.headline)
        else:
            article.snippet = fallback_snippet(article, terms)
    return articles


# PostgreSQL ------------------------------------------------------------------


def search_configs() -> list[str]:
    """Every configuration an article's vector may be made with, the site's first."""
    others = set(settings.SEARCH_CONFIGS.values()) - {settings.SEARCH_CONFIG}
    return [settings.SEARCH_CONFIG, *sorted(others)]


def by_language(value, output_field):
    """
    An expression: ``value(config)`` for the text search configuration of each
    article's language (``SEARCH_CONFIGS``, else ``SEARCH_CONFIG``).
    """
    return Case(
        *(
            When(language=language, then=value(config))
            for language, config in settings.SEARCH_CONFIGS.items()
        ),
        default=value(settings.SEARCH_CONFIG),
        output_field=output_field,
    )


def article_config():
    """The text search configuration of each article's language."""
    return by_language(Value, TextField())


def _query(text: str, config: str) -> SearchQuery:
    return SearchQuery(text, config=config, search_type="websearch")


def search_query(text: str) -> SearchQuery:
    """What a reader typed, read in every article language: matches either's forms."""
    queries = [_query(text, config) for config in search_configs()]
    query = queries[0]
    for other in queries[1:]:
        query |= other
    return query


def ranking_query(text: str):
    """
    What a reader typed, read in each article's own language. Ranking with the
    query above would rank every article as for "this or that": ts_rank then
    counts words and forgets how close together they stand.
    """
    return by_language(lambda config: _query(text, config), SearchQueryField())


def _full_text_search(queryset, text):
    query = search_query(text)
    return (
        queryset.filter(search_vector=query)
        .annotate(
            rank=SearchRank(F("search_vector"), ranking_query(text)),
            # Computed for the rows of the page only: PostgreSQL evaluates
            # costly output columns after the sort and the LIMIT.
            headline=SearchHeadline(
                Concat("summary", Value(" "), "body", output_field=TextField()),
                query,
                config=article_config(),
                start_sel=START,
                stop_sel=STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        # The headline replaces the body, the heaviest column.
        .defer("body")
        .order_by("-rank", "-published_at", "-pk")
    )


def document_vector():
    """
    The weighted vector of an article, as an expression over its row, in its
    language's configuration: title A, summary B, body C (the parser skips HTML
    tags), tag names B, author names C.
    """
    from taggit.models import Tag

    from .models import Byline

    tags = (
        Tag.objects.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(names=StringAgg("name", " "))
        .values("names")
    )
    authors = (
        Byline.objects.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(names=StringAgg("author__name", " "))
        .values("names")
    )
    return (
        SearchVector("title", weight="A", config=article_config())
        + SearchVector("summary", weight="B", config=article_config())
        + SearchVector("body", weight="C", config=article_config())
        + SearchVector(Subquery(tags), weight="B", config=article_config())
        + SearchVector(Subquery(authors), weight="C", config=article_config())
    )


def update_search_vector(articles) -> int:
    """
    Rebuild the stored vector of ``articles`` (a queryset, or article ids) in
    one UPDATE; the number of rows touched. Nothing to do, and no query, on a
    database without full-text search.
    """
    from .models import Article

    if not stores_vectors():
        return 0
    if not hasattr(articles, "values"):
        articles = [pk for pk in articles if pk is not None]
        if not articles:
            return 0
    return Article.objects.filter(pk__in=articles).update(search_vector=document_vector())


def marked_snippet(headline: str) -> SafeString:
    """A ``ts_headline`` excerpt of HTML, as escaped text with ``<mark>``s."""
    return _highlight_pieces(MARKED.split(plain_text(headline)))


# Fallback --------------------------------------------------------------------


def fallback_terms(text: str) -> list[str]:
    """The words of ``text``, lowercased, without repeats; punctuation and emoji dropped."""
    return list(dict.fromkeys(word.lower() for word in re.findall(r"\w+", text)))[
        :MAX_FALLBACK_TERMS
    ]


def _whole_word(term: str) -> str:
    # Django runs REGEXP through Python's re on SQLite: \b and \w know Unicode.
    return rf"\b{re.escape(term)}\b"


def _fallback_search(queryset, text):
    terms = fallback_terms(text)
    if not terms:
        return queryset.none()
    in_title = Q()
    for term in terms:
        pattern = _whole_word(term)
        queryset = queryset.filter(
            Q(title__iregex=pattern) | Q(summary__iregex=pattern) | Q(body__iregex=pattern)
        )
        in_title |= Q(title__iregex=pattern)
    return queryset.annotate(
        rank=Case(When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField())
    ).order_by("-rank", "-published_at", "-pk")


def fallback_snippet(article, terms: list[str]) -> SafeString:
    """About ``SNIPPET_CHARACTERS`` of summary and body around the first match."""
    text = " ".join(part for part in (article.summary, plain_text(article.body)) if part)
    if not terms:
        return escape(text[:SNIPPET_CHARACTERS])
    pattern = re.compile("|".join(_whole_word(term) for term in terms), re.IGNORECASE)
    match = pattern.search(text)
    start = 0
    if match and match.start() > SNIPPET_CHARACTERS // 3:
        # Start at a word boundary a little before the match.
        start = text.rfind(" ", 0, match.start() - SNIPPET_CHARACTERS // 3) + 1
    end = start + SNIPPET_CHARACTERS
    if end < len(text):
        end = text.rfind(" ", start, end) if " " in text[start:end] else end
    window = text[start:end]
    pieces = []
    last = 0
    for found in pattern.finditer(window):
        pieces += [window[last : found.start()], found.group()]
        last = found.end()
    pieces.append(window[last:])
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + _highlight_pieces(pieces) + suffix)


# Both ------------------------------------------------------------------------


def plain_text(html: str) -> str:
    """The text of sanitized HTML, words kept apart where tags separated them."""
    # A space before each block tag keeps "</p><p>" from gluing two paragraphs'
    # words together; inline tags (<a>, <strong>) may sit inside a word.
    spaced = BLOCK_TAG.sub(" <", html or "")
    return " ".join(unescape(strip_tags(spaced)).split())


def _highlight_pieces(pieces: list[str]) -> SafeString:
    """Alternate plain and matched text, escaped, matches wrapped in ``<mark>``."""
    html = []
    for index, piece in enumerate(pieces):
        piece = escape(piece.replace(START, "").replace(STOP, ""))
        html.append(f"<mark>{piece}</mark>" if index % 2 and piece else piece)
    return mark_safe("".join(html))
