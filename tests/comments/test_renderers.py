"""
The comment form's inputs are drawn by Django's widget templates, with
Jinja2: what a reader typed comes back escaped, and the time token keeps the
markup the page cache looks for (comments/forms.py, STARTED_PLACEHOLDER).
"""

import pytest
from django.forms.renderers import Jinja2

from comments.forms import CommentForm
from tests.comments.post_data import comment_post_data

pytestmark = pytest.mark.django_db


def test_the_comment_form_is_drawn_by_djangos_jinja2_renderer():
    assert isinstance(CommentForm.default_renderer, Jinja2)


def test_what_the_reader_typed_comes_back_escaped(article):
    data = comment_post_data(
        name='Anna "la Rossa" <b>',
        email="non-un-indirizzo",
        website="javascript:alert('x')",
        body="Tre & due < cinque\r\n</textarea><script>alert(1)</script>",
        url="https://spam.example/?a=1&b=2",
    )
    form = CommentForm(data, article=article)
    form.is_valid()

    assert 'value="Anna &#34;la Rossa&#34; &lt;b&gt;"' in str(form["name"])
    assert 'value="javascript:alert(&#39;x&#39;)"' in str(form["website"])
    assert "&lt;/textarea&gt;&lt;script&gt;" in str(form["body"])
    assert 'value="https://spam.example/?a=1&amp;b=2"' in str(form["url"])


def test_the_time_token_is_the_hidden_input_the_page_cache_looks_for(article):
    html = str(CommentForm(article=article)["started"])
    assert html.startswith('<input type="hidden" name="started" value="')
