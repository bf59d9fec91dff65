"""
A Redis restarted from an older snapshot never makes a stale page current
again: a real redis-server of the test's own, saved, written past, restarted.
"""

import os
import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.core.cache import caches

from tests.newsroom.test_cache_multiprocess import free_port

pytestmark = pytest.mark.django_db


def wait_for(port, *, up: bool) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                if up:
                    return
        except OSError:
            if not up:
                return
        time.sleep(0.05)
    raise RuntimeError(f"redis-server on {port} did not {'start' if up else 'stop'}")


class RedisServer:
    """A redis-server that keeps its snapshot in ``directory`` and loads it at start."""

    def __init__(self, directory):
        self.directory = directory
        self.port = free_port()
        self.process = None

    def start(self):
        options = {"port": self.port, "bind": "127.0.0.1", "dir": self.directory}
        options |= {"save": "", "appendonly": "no"}
        arguments = [part for name, value in options.items() for part in (f"--{name}", str(value))]
        self.process = subprocess.Popen(["redis-server", *arguments], stdout=subprocess.DEVNULL)
        wait_for(self.port, up=True)

    def stop_without_saving(self):
        self.process.kill()  # as a crash: nothing written since the snapshot is kept
        self.process.wait(timeout=10)
        wait_for(self.port, up=False)


@pytest.fixture
def private_redis(tmp_path, settings):
    if shutil.which("redis-server") is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed.")
        pytest.skip("redis-server is not installed.")
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache_backends.FailSoftRedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
        }
    }
    yield server
    caches["default"].close()
    if server.process.poll() is None:
        server.process.terminate()
        server.process.wait(timeout=10)


def test_an_unpublished_article_stays_gone_after_redis_comes_back_from_a_snapshot(
    client, make_article, private_redis
):
    article = make_article("Il porto cambia volto")
    pages = [article.get_absolute_url(), "/", article.section.get_absolute_url()]
    for url in pages:
        client.get(url)
        assert client.get(url)["Cache-Status"] == "Notizie; hit", url
    redis.Redis(port=private_redis.port).save()  # the snapshot

    article.unpublish()
    assert client.get(article.get_absolute_url()).status_code == 404

    # Redis restarts from the snapshot, taken before the unpublishing.
    private_redis.stop_without_saving()
    private_redis.start()
    caches["default"].close()

    assert client.get(article.get_absolute_url()).status_code == 404
    for url in pages[1:]:
        assert "Il porto cambia volto" not in client.get(url).content.decode(), url
