"""The purger the settings name: built once per process, refused loudly when misconfigured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsroom.purgers import FastlyPurger, NoPurger, VarnishPurger, get_purger

PROJECT = Path(__file__).resolve().parents[2]
TOKEN = "Zq3-vT_8kP2mN5xR7wL0"


def test_no_purger_by_default(use_purger):
    assert isinstance(use_purger(), NoPurger)


def test_varnish_purger_from_the_settings(use_purger):
    urls = ["http://10.0.0.5:6081", "http://10.0.0.6:6081"]
    purger = use_purger(PAGE_CACHE_PURGER="varnish", VARNISH_URLS=urls, PURGE_TOKEN=TOKEN)
    assert isinstance(purger, VarnishPurger)
    assert purger.destinations == urls
    assert purger.token == TOKEN
    assert get_purger() is purger  # one per process


def test_fastly_purger_from_the_settings(use_purger):
    purger = use_purger(
        PAGE_CACHE_PURGER="fastly", FASTLY_SERVICE_ID="SU1Z0isx", FASTLY_API_TOKEN="secret"
    )
    assert isinstance(purger, FastlyPurger)
    assert purger.destinations == ["https://api.fastly.com/service/SU1Z0isx/purge"]
    assert purger.api_token == "secret"


def load_settings(**env):
    """Import the settings in a fresh interpreter with this environment added."""
    ours = ("PAGE_CACHE_PURGER", "VARNISH_URLS", "PURGE_TOKEN", "FASTLY_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    return subprocess.run(
        [sys.executable, "-c", "import newsroom.settings as s; print(s.PAGE_CACHE_PURGER)"],
        cwd=PROJECT,
        env={**clean, "SECRET_KEY": "x", **env},
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("env", "error"),
    [
        ({"PAGE_CACHE_PURGER": "squid"}, "use none, varnish or fastly"),
        ({"PAGE_CACHE_PURGER": "varnish", "PURGE_TOKEN": TOKEN}, "VARNISH_URLS"),
        (
            {"PAGE_CACHE_PURGER": "varnish", "VARNISH_URLS": "10.0.0.5", "PURGE_TOKEN": TOKEN},
            "VARNISH_URLS",
        ),
        (
            {"PAGE_CACHE_PURGER": "varnish", "VARNISH_URLS": "http://v:6081", "PURGE_TOKEN": "x"},
            "PURGE_TOKEN",
        ),
        ({"PAGE_CACHE_PURGER": "fastly", "FASTLY_SERVICE_ID": "s"}, "FASTLY_API_TOKEN"),
    ],
    ids=["unknown", "no-urls", "url-without-scheme", "weak-token", "fastly-without-token"],
)
def test_a_purger_set_up_wrong_stops_the_start(env, error):
    result = load_settings(**env)
    assert result.returncode != 0
    assert error in result.stderr


def test_varnish_set_up_right_starts():
    env = {"VARNISH_URLS": "http://10.0.0.5:6081, http://10.0.0.6:6081", "PURGE_TOKEN": TOKEN}
    result = load_settings(PAGE_CACHE_PURGER="Varnish", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "varnish"
