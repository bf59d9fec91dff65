"""Titles with markup, entities and unicode survive as plain text, escaped on the page."""

import html
import re

import pytest

from articles.models import Article

from .conftest import post

pytestmark = pytest.mark.django_db


def test_markup_in_a_title_becomes_its_text(client, theme_unit_test):
    article = Article.objects.get(slug="markup-title-with-markup")
    assert article.title == "Markup: Title With Markup"
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Markup: Title With Markup" in page
    assert "<sup>up</sup>" not in page


def test_special_characters_in_a_title_are_kept_and_escaped(client, theme_unit_test):
    article = Article.objects.get(slug="title-with-special-characters")
    assert article.title == "Markup: Title With Special Characters ~`!@#$%^&*()-_=+{}[]/\\;:'\"?,.>"
    page = client.get(article.get_absolute_url()).content.decode()
    heading = re.search(r'<h1 class="article__title">([^<]*)</h1>', page)[1]
    assert ">" not in heading and '"' not in heading and "'" not in heading
    assert html.unescape(heading) == article.title


def test_a_unicode_title_survives_and_gets_an_ascii_slug(client, make_export, run_import):
    title = "Perché è così — Ελληνικά ✓"
    run_import(make_export(post(7, title, name="%ce%b5%ce%bb%ce%bb%ce%b7%ce%bd%ce%b9%ce%ba%ce%ac")))
    article = Article.objects.get()
    assert article.title == title
    assert article.slug == "perche-e-cosi"
    assert title in client.get(article.get_absolute_url()).content.decode()


def test_a_title_written_as_html_source_shows_as_text(client, make_export, run_import):
    run_import(make_export(post(8, "Il tag &lt;script&gt; spiegato <script>alert(1)</script>")))
    article = Article.objects.get()
    assert article.title == "Il tag <script> spiegato alert(1)"
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "Il tag &lt;script&gt; spiegato alert(1)" in page
