"""
PostgreSQL restarted while readers keep reading: requests during the restart
fail fast with the friendly 503 page, never a 500, and the site recovers by
itself (health-checked persistent connections), with no one restarting it.

It restarts the machine's PostgreSQL cluster, so it runs only when asked:
``NOTIZIE_RESTART_POSTGRES=1`` (``.ci/run`` sets it, on CI's own machine).
"""

import http.client
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.load.test_concurrent_comments import server_env
from tests.newsroom.test_cache_multiprocess import (  # noqa: F401 (fixture)
    database_url,
    free_port,
    static_root,
    wait_until_up,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("NOTIZIE_RESTART_POSTGRES") != "1",
        reason="Restarts the machine's PostgreSQL: set NOTIZIE_RESTART_POSTGRES=1 to run.",
    ),
]

FRIENDLY = "Torniamo tra un attimo"


def restart_postgresql() -> None:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        timeout=120,
    )


def get(port, path) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        return response.status, response.read().decode(errors="replace")
    except OSError:
        return 0, ""
    finally:
        conn.close()


def test_a_postgresql_restart_answers_503_then_recovers_by_itself(
    static_root,  # noqa: F811 (the fixture imported above)
    tmp_path,
    make_article,
):
    if connection.vendor != "postgresql":
        pytest.skip("A PostgreSQL restart needs the tests to run on PostgreSQL.")
    url = make_article("Il porto cambia volto").get_absolute_url()
    env = server_env(static_root, tmp_path, database_url())
    # Every request reaches the database, through connections kept open
    # across requests: those are the ones a restart breaks.
    env.update({"PAGE_CACHE_ENABLED": "0", "CONN_MAX_AGE": "60"})
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    answers = []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            answers.append(get(port, url))
            time.sleep(0.02)

    try:
        wait_until_up(server, f"http://127.0.0.1:{port}")
        assert get(port, url)[0] == 200
        thread = threading.Thread(target=reader)
        thread.start()
        time.sleep(0.5)
        restart_postgresql()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and get(port, url)[0] != 200:
            time.sleep(0.2)
        time.sleep(0.5)
        stop.set()
        thread.join(timeout=15)
        recovered = [get(port, url)[0] for _ in range(5)]
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=10)
        # The test's own connection died with the restart too.
        connection.close()

    statuses = Counter(status for status, _ in answers)
    print(f"\nrestart: {dict(statuses)}")
    artifacts = Path(settings.BASE_DIR) / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "restart-results.txt").write_text(f"{dict(statuses)}\n")
    assert set(statuses) <= {200, 503}, statuses
    assert all(FRIENDLY in body for status, body in answers if status == 503)
    assert recovered == [200] * 5
