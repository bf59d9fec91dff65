"""newsroom/purgers.py: against a real varnishd, a stand-in Fastly, and caches that fail."""

import json
import logging
import socket
import time

import pytest

from newsroom.purgers import FastlyPurger, NoPurger, VarnishPurger

from .servers import Forwarder, Recorder, free_port


def wait_until(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.01)


@pytest.fixture
def close_after():
    """Close each purger built by the test (its retry thread) at the end."""
    purgers = []
    yield lambda purger: purgers.append(purger) or purger
    for purger in purgers:
        purger.close()


# Varnish -------------------------------------------------------------------------


def test_varnish_purger_purges_exactly_the_tagged_pages(varnish, page, number, close_after):
    story = page(tags=[f"article:{number}", "site"])
    other = page(tags=[f"article:{number}0", "site"])
    varnish.get(story), varnish.get(other)

    purger = close_after(VarnishPurger([varnish.url], varnish.token))
    purger.purge([f"article:{number}"])

    assert varnish.get(story).headers["Cache-Status"] == "Varnish; fwd=miss; stored"
    assert varnish.get(other).headers["Cache-Status"] == "Varnish; hit"
    assert not purger.retry.waiting(varnish.url)


def test_varnish_purger_purges_every_server(varnish, second_varnish, page, number, close_after):
    story = page(tags=[f"article:{number}"])
    for server in (varnish, second_varnish):
        server.get(story)
        assert server.get(story).headers["Cache-Status"] == "Varnish; hit"

    purger = close_after(VarnishPurger([varnish.url, second_varnish.url], varnish.token))
    purger.purge({f"article:{number}"})

    for server in (varnish, second_varnish):
        assert server.get(story).headers["Cache-Status"] == "Varnish; fwd=miss; stored"


def test_varnish_purger_sends_many_tags_in_requests_varnish_takes(
    varnish, page, number, close_after
):
    # About 16 KB of tags: more than Varnish takes in one request header.
    tags = [f"author-list:{number}{i:06}" for i in range(800)]
    story = page(tags=[tags[-1]])
    varnish.get(story)
    close_after(VarnishPurger([varnish.url], varnish.token)).purge(tags)
    assert varnish.get(story).headers["Cache-Status"] == "Varnish; fwd=miss; stored"


def test_a_varnish_that_is_down_delays_no_save_and_gets_the_purge_when_back(
    varnish, page, number, close_after, caplog
):
    story = page(tags=[f"article:{number}"])
    varnish.get(story)
    port = free_port()  # Varnish, as Notizie reaches it: nothing there yet
    url = f"http://127.0.0.1:{port}"
    purger = close_after(VarnishPurger([url], varnish.token, retry_delay=0.05, max_retry_delay=0.2))

    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="newsroom.purgers"):
        purger.purge([f"article:{number}"])
    assert time.monotonic() - started < 0.5
    assert f"Purge at {url} failed" in caplog.text
    time.sleep(0.3)  # a few retries, refused
    assert varnish.get(story).headers["Cache-Status"] == "Varnish; hit"

    way_back = Forwarder(port, varnish.port)
    try:
        wait_until(lambda: not purger.retry.waiting(url))
    finally:
        way_back.stop()
    assert varnish.get(story).headers["Cache-Status"] == "Varnish; fwd=miss; stored"


def test_a_cache_that_does_not_answer_holds_a_purge_no_longer_than_the_timeout(close_after, caplog):
    # Connections are accepted (by the kernel) and never answered.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        purger = close_after(VarnishPurger([url], "t" * 16, timeout=0.2, retry_delay=5))
        started = time.monotonic()
        purger.purge(["home"])
        assert time.monotonic() - started < 1
        assert "timed out" in caplog.text
        # Waiting for its retry: the next purge does not try it again meanwhile.
        started = time.monotonic()
        purger.purge(["site"])
        assert time.monotonic() - started < 0.1


# Retry -------------------------------------------------------------------------


@pytest.fixture
def stand_in():
    recorder = Recorder()
    yield recorder
    recorder.stop()


def sent_tags(recorder):
    return [request_headers["xkey-purge"] for _, _, request_headers, _ in recorder.requests]


def test_purges_that_failed_are_merged_and_sent_once_the_cache_is_back(stand_in, close_after):
    # Not retried before the cache is back: the three wait together.
    purger = close_after(
        VarnishPurger([f"http://127.0.0.1:{stand_in.port}"], "t" * 16, retry_delay=0.5)
    )
    purger.purge(["article:1", "home"])
    purger.purge(["article:2", "home"])
    purger.purge(["section:3"])
    stand_in.start()
    wait_until(lambda: stand_in.requests)
    time.sleep(0.1)
    assert sent_tags(stand_in) == ["article:1 article:2 home section:3"]


def test_an_error_answer_is_retried_with_a_warning(stand_in, close_after, caplog):
    stand_in.status = 403
    stand_in.start()
    url = f"http://127.0.0.1:{stand_in.port}"
    purger = close_after(VarnishPurger([url], "t" * 16, retry_delay=0.05, max_retry_delay=0.05))
    purger.purge(["home"])
    assert "HTTP 403" in caplog.text
    stand_in.status = 200
    wait_until(lambda: not purger.retry.waiting(url))
    assert sent_tags(stand_in)[-1] == "home"


def test_failures_are_warned_of_at_most_once_a_minute(close_after, caplog):
    url = f"http://127.0.0.1:{free_port()}"
    purger = close_after(VarnishPurger([url], "t" * 16, retry_delay=0.01, max_retry_delay=0.01))
    with caplog.at_level(logging.WARNING, logger="newsroom.purgers"):
        purger.purge(["home"])
        time.sleep(0.3)  # some twenty failures
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1


def test_the_tags_waiting_are_bounded(stand_in, close_after, caplog):
    purger = close_after(
        VarnishPurger(
            [f"http://127.0.0.1:{stand_in.port}"],
            "t" * 16,
            retry_delay=0.5,
            max_waiting_tags=3,
        )
    )
    purger.purge(["a", "b"])
    purger.purge(["b", "c", "d", "e"])
    assert "2 tags to purge" in caplog.text and "dropped" in caplog.text
    stand_in.start()
    wait_until(lambda: stand_in.requests)
    assert sent_tags(stand_in) == ["a b c"]


def test_purge_never_raises(close_after, caplog):
    class Broken(VarnishPurger):
        def send(self, url, tags):
            raise ValueError("a bug")

    purger = close_after(Broken(["http://127.0.0.1:9"], "t" * 16, retry_delay=60))
    purger.purge(["home"])
    assert "a bug" in caplog.text


def test_no_tags_send_nothing(stand_in, close_after):
    stand_in.start()
    purger = close_after(VarnishPurger([f"http://127.0.0.1:{stand_in.port}"], "t" * 16))
    purger.purge([])
    purger.purge(["", " "])
    assert stand_in.requests == []


def test_no_purger_does_nothing():
    NoPurger().purge(["home"])


# Fastly ----------------------------------------------------------------------------


def test_fastly_purger_sends_fastlys_bulk_purge_256_keys_at_most(stand_in, close_after):
    stand_in.start()
    purger = close_after(FastlyPurger("SU1Z0isxPaozGVKXdv0eY", "api-token", api_url=stand_in.url))
    tags = [f"article:{i}" for i in range(300)]
    purger.purge(tags)

    assert len(stand_in.requests) == 2
    bodies = []
    for method, path, headers, body in stand_in.requests:
        assert method == "POST"
        assert path == "/service/SU1Z0isxPaozGVKXdv0eY/purge"
        assert headers["Fastly-Key"] == "api-token"
        assert headers["Content-Type"] == "application/json"
        assert headers["Accept"] == "application/json"
        bodies.append(json.loads(body))
    assert [len(body["surrogate_keys"]) for body in bodies] == [256, 44]
    assert sorted(bodies[0]["surrogate_keys"] + bodies[1]["surrogate_keys"]) == sorted(tags)


def test_fastly_reads_the_tags_from_surrogate_key():
    assert FastlyPurger("service", "token").tag_header == "Surrogate-Key"
    assert VarnishPurger(["http://varnish"], "t" * 16).tag_header == "xkey"


def test_fastly_purger_speaks_to_fastlys_api_by_default():
    assert FastlyPurger("service", "token").destinations == [
        "https://api.fastly.com/service/service/purge"
    ]
