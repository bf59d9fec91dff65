"""
The comment form's renderer.

The form is printed under every article. Drawn by Django's widget templates,
each of its eight inputs is a template render with an include of its own: 1.4
of the 33 million instructions of an article page. This renderer writes the
markup of those same templates (django/forms/jinja2/django/forms/widgets/:
input.html, attrs.html, textarea.html) in Python, escaped by the same function,
and leaves any other widget to them. tests/comments/test_renderers.py holds the
two to the same output.
"""

from django.forms.renderers import Jinja2
from markupsafe import escape

WIDGETS = "django/forms/widgets/"
# Each of these templates is input.html included as it is.
INPUTS = {f"{WIDGETS}{name}.html" for name in ("text", "email", "hidden", "checkbox", "input")}
TEXTAREA = f"{WIDGETS}textarea.html"


def attributes(attrs: dict) -> str:
    """attrs.html: ``name="value"``, a bare ``name`` for True, nothing for False."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class CommentFormRenderer(Jinja2):
    def render(self, template_name, context, request=None):
        widget = context["widget"]
        if template_name in INPUTS:
            value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
            return (
                f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"'
                f"{value}{attributes(widget['attrs'])}>"
            )
        if template_name == TEXTAREA:
            text = escape(widget["value"]) if widget["value"] else ""
            return (
                f'<textarea name="{escape(widget["name"])}"{attributes(widget["attrs"])}>\n'
                f"{text}</textarea>"
            )
        return super().render(template_name, context, request)
