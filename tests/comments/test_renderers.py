"""
The comment form's renderer (comments/renderers.py) writes in Python what
Django's widget templates write: the same markup, for every field, empty or
sent back with what the reader typed.
"""

import pytest
from django.forms.renderers import Jinja2

from comments.forms import CommentForm
from comments.renderers import CommentFormRenderer
from tests.comments.post_data import comment_post_data

FIELDS = ["name", "email", "website", "body", "remember", "url", "parent", "started"]


def markup(form, renderer):
    form.renderer = renderer
    return {name: str(form[name]) for name in FIELDS}


@pytest.mark.parametrize(
    "data",
    [
        None,
        comment_post_data(),
        # Sent back with errors, and with everything that needs escaping.
        comment_post_data(
            name='Anna "la Rossa" <b>',
            email="non-un-indirizzo",
            website="javascript:alert('x')",
            body="Tre & due < cinque\r\n</textarea><script>alert(1)</script>",
            remember="on",
            parent="12",
            url="https://spam.example/?a=1&b=2",
        ),
        comment_post_data(name="", body="", started="", parent="zero"),
    ],
    ids=["empty", "valid", "to-escape", "missing"],
)
@pytest.mark.django_db
def test_the_comment_form_renderer_writes_what_djangos_templates_write(article, data):
    form = CommentForm(data, article=article, initial={"parent": 7})
    form.is_valid()
    ours = markup(form, CommentFormRenderer())
    djangos = markup(form, Jinja2())

    assert ours == djangos
    assert CommentForm.default_renderer.__class__ is CommentFormRenderer
    if data and "</textarea>" in data["body"]:
        assert "&lt;/textarea&gt;&lt;script&gt;" in ours["body"]
        assert 'value="Anna &#34;la Rossa&#34; &lt;b&gt;"' in ours["name"]
