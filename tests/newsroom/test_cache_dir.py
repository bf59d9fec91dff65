"""
One machine without Redis: with CACHE_DIR its processes (gunicorn workers)
share one page cache, so an edit saved through one reaches the pages any other stored.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]

ANOTHER_PROCESS = """
import sys
import django
django.setup()
from newsroom.cache import invalidate
invalidate(sys.argv[1:])
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


def another_process_invalidates(cache_dir, *tags) -> None:
    """What a write in another gunicorn worker sharing ``cache_dir`` does to the cache."""
    env = {**os.environ, "CACHE_DIR": str(cache_dir), "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "-c", ANOTHER_PROCESS, *tags],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


def test_a_write_in_another_process_reaches_the_pages_stored_here(
    client, make_article, shared_cache, django_assert_num_queries, django_assert_max_num_queries
):
    changed = make_article("Il porto cambia volto")
    other = make_article("Il mercato coperto riapre")
    for article in (changed, other):
        client.get(article.get_absolute_url())
        with django_assert_num_queries(0):
            client.get(article.get_absolute_url())  # stored in the shared directory

    another_process_invalidates(shared_cache, f"article:{changed.pk}")

    with django_assert_max_num_queries(10) as captured:
        assert client.get(changed.get_absolute_url()).status_code == 200
    assert len(captured) > 0  # rendered again, not served stale
    with django_assert_num_queries(0):
        assert client.get(other.get_absolute_url()).status_code == 200


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
