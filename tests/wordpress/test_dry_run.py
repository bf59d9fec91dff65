"""--dry-run says what an import would do and writes nothing."""

import pytest
from django.apps import apps

from .conftest import THEME_UNIT_TEST

pytestmark = pytest.mark.django_db


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_a_dry_run_reports_the_import_and_writes_nothing(run_import, media_root):
    before = row_counts()
    report = run_import(THEME_UNIT_TEST, "--dry-run")
    assert row_counts() == before
    assert "dry run: nothing was written" in report
    assert "58 created" in report
    assert not media_root.exists() or not any(media_root.rglob("*.*"))
