"""A malformed export stops with the line and column, and nothing is written."""

import pytest
from django.apps import apps
from django.core.management.base import CommandError

from .conftest import post

pytestmark = pytest.mark.django_db


def test_a_broken_file_names_the_line_and_column_and_writes_nothing(make_export, run_import):
    path = make_export(post(1), post(2))
    text = path.read_text()
    # Truncated in the middle of the second item, like an interrupted download.
    path.write_text(text[: text.index("<wp:post_id>2")] + "<wp:post_id>2</wp:po")
    before = {model._meta.label: model.objects.count() for model in apps.get_models()}
    with pytest.raises(CommandError, match=r"line \d+, column \d+"):
        run_import(path)
    assert before == {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_an_invalid_token_is_reported_where_it_is(make_export, run_import):
    path = make_export(post(1, content="ok"))
    lines = path.read_text().splitlines()
    lines[4] = "<a & b>"
    path.write_text("\n".join(lines))
    with pytest.raises(CommandError, match="line 5, column"):
        run_import(path)


def test_a_file_that_is_not_an_export_says_so(tmp_path, run_import):
    path = tmp_path / "note.xml"
    path.write_text("<note>ciao</note>")
    with pytest.raises(CommandError, match="WordPress export"):
        run_import(path)


def test_a_missing_file_is_a_command_error(tmp_path, run_import):
    with pytest.raises(CommandError, match="No such file"):
        run_import(tmp_path / "missing.xml")
