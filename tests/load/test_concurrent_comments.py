"""
1,000 comments posted by 50 readers at once against real gunicorn servers
(several processes, several threads each): every accepted comment is stored
exactly once, and nothing answers 500. On SQLite (a file, WAL, IMMEDIATE
transactions) and, when the tests run on it, on PostgreSQL.

The counts (posted, accepted, stored, refused, errors) are printed (``-s``)
and written to test-artifacts/load-results.json. Run by ``make test-load``.
"""

import http.client
import json
import os
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from comments.models import Comment
from tests.comments.post_data import comment_post_data
from tests.newsroom.test_cache_multiprocess import (  # noqa: F401 (fixture)
    database_url,
    free_port,
    static_root,
    wait_until_up,
)

pytestmark = pytest.mark.django_db(transaction=True)

POSTS = 1000
CLIENTS = 50
WORKERS = 4
THREADS = 4
REQUEST_TIMEOUT = 30
GUNICORN = [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "-w", str(WORKERS)]
GUNICORN += ["-k", "gthread", "--threads", str(THREADS)]

CREATE_ARTICLE = """
from datetime import timedelta
from django.utils import timezone
from articles.models import Article, Section
section = Section.objects.create(name="Cronaca", slug="cronaca")
article = Article.objects.create(
    title="Il porto cambia volto", section=section, status=Article.Status.PUBLISHED,
    published_at=timezone.now() - timedelta(hours=1), body="<p>Testo.</p>",
)
print(article.pk)
"""

STORED_BODIES = """
import json
from comments.models import Comment
print(json.dumps(list(Comment.objects.values_list("body", flat=True))))
"""


def server_env(static_dir, tmp_path, database) -> dict:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database,
        "STATIC_ROOT": str(static_dir),
        "MEDIA_ROOT": str(tmp_path / "media"),
        # Every post must reach the database: no flood, too-fast or duplicate
        # refusal, and published at once (so that each one bumps the cache).
        "COMMENTS_FLOOD_SECONDS": "0",
        "COMMENTS_MIN_SECONDS_TO_POST": "0",
        "COMMENTS_HOLD_BY_DEFAULT": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


def manage(env, *args) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


@pytest.fixture(params=["sqlite", "postgresql"])
def site(request, static_root, tmp_path, section, make_article):  # noqa: F811
    """A running server and how to read what it stored: (base URL, article id, stored())."""
    if request.param == "sqlite":
        env = server_env(static_root, tmp_path, f"sqlite:///{tmp_path / 'load.sqlite3'}")
        manage(env, "migrate", "--noinput", "-v0")
        article_id = int(manage(env, "shell", "-c", CREATE_ARTICLE).split()[-1])

        def stored():
            return json.loads(manage(env, "shell", "-c", STORED_BODIES).splitlines()[-1])

    else:
        if connection.vendor != "postgresql":
            pytest.skip("The tests run on SQLite: DATABASE_URL=postgres://… for this one.")
        env = server_env(static_root, tmp_path, database_url())
        article_id = make_article("Il porto cambia volto").pk

        def stored():
            return list(Comment.objects.values_list("body", flat=True))

    port = free_port()
    process = subprocess.Popen(
        [*GUNICORN, "-b", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until_up(process, f"http://127.0.0.1:{port}")
        yield request.param, port, article_id, stored
    finally:
        process.terminate()
        process.wait(timeout=10)


def post(port, article_id, number) -> tuple[int, str]:
    """One reader's post: (status, body sent); status 0 when no answer came."""
    body = f"Commento numero {number}: il porto cambia davvero."
    reader = number % CLIENTS
    form = comment_post_data(
        name=f"Lettore {reader}", email=f"lettore{reader}@example.org", body=body
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request(
            "POST",
            f"/commenti/articolo/{article_id}/",
            urllib.parse.urlencode(form),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Sec-Fetch-Site": "same-origin",
                "Host": "127.0.0.1",
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status, body
    except OSError:
        return 0, body
    finally:
        conn.close()


def test_every_accepted_comment_is_stored_exactly_once(site):
    backend, port, article_id, stored = site
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(lambda n: post(port, article_id, n), range(POSTS)))
    elapsed = time.monotonic() - started

    statuses = Counter(status for status, _body in results)
    accepted = [body for status, body in results if status in (302, 303)]
    bodies = Counter(stored())
    counts = {
        "backend": backend,
        "posted": POSTS,
        "clients": CLIENTS,
        "accepted": len(accepted),
        "stored": sum(bodies.values()),
        "refused": sum(n for status, n in statuses.items() if 400 <= status < 500 or status == 200),
        "errors": sum(n for status, n in statuses.items() if status == 0 or status >= 500),
        "statuses": {str(status): n for status, n in sorted(statuses.items())},
        "seconds": round(elapsed, 1),
        "posts_per_second": round(POSTS / elapsed, 1),
    }
    print(f"\nload ({backend}): {json.dumps(counts)}")
    artifacts = Path(settings.BASE_DIR) / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    results_file = artifacts / "load-results.json"
    previous = json.loads(results_file.read_text()) if results_file.exists() else {}
    results_file.write_text(json.dumps({**previous, backend: counts}, indent=2) + "\n")

    assert counts["errors"] == 0, counts
    assert all(bodies[body] == 1 for body in accepted), "an accepted comment stored twice or lost"
    assert set(bodies) <= set(accepted), "a comment stored without being accepted"
    assert counts["accepted"] == POSTS, counts
