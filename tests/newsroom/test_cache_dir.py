"""
One machine without Redis: with CACHE_DIR its processes (gunicorn workers)
share one page cache, so an edit saved through one reaches the pages any other stored.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsroom import cache as page_cache

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]

ANOTHER_PROCESS = """
import django
django.setup()
from newsroom.cache import bump, content_version
print(content_version())
bump()
print(content_version())
"""


@pytest.fixture
def shared_cache(settings, tmp_path):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    return tmp_path


def another_process(cache_dir) -> list[int]:
    """Run a bump in a separate Python process sharing ``cache_dir``: the versions it saw."""
    env = {**os.environ, "CACHE_DIR": str(cache_dir), "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    env.pop("REDIS_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", ANOTHER_PROCESS],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [int(line) for line in out.split()]


def test_a_write_in_another_process_reaches_the_pages_stored_here(
    client, make_article, shared_cache, django_assert_num_queries, django_assert_max_num_queries
):
    url = make_article("Il porto cambia volto").get_absolute_url()
    client.get(url)
    with django_assert_num_queries(0):
        client.get(url)  # stored in the shared directory

    ours = page_cache.content_version()
    before, after = another_process(shared_cache)

    assert before == ours  # one version for both processes
    assert page_cache.content_version() == after != before
    with django_assert_max_num_queries(10) as captured:
        assert client.get(url).status_code == 200
    assert len(captured) > 0  # rendered again, not served stale


def test_the_settings_choose_the_shared_file_cache_from_cache_dir(tmp_path):
    env = {**os.environ, "CACHE_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    env.pop("REDIS_URL", None)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'])",
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["django.core.cache.backends.filebased.FileBasedCache", str(tmp_path)]
