"""
A real varnishd with deploy/varnish.vcl for the whole session, in front of a
canned backend; each test serves its pages under paths and tags of its own,
so that what one test leaves in the cache never answers another.
"""

import itertools
import os
import shutil

import pytest

from .servers import Backend, Varnish

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def backend():
    backend = Backend()
    yield backend
    backend.stop()


def need_varnishd():
    """Skip without varnishd here; in CI (``CI`` set), fail: it must run there."""
    if shutil.which("varnishd") is None:
        message = "varnishd is not installed (make edge-deps installs it)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def varnish(backend, tmp_path_factory):
    need_varnishd()
    varnish = Varnish(tmp_path_factory.mktemp("varnish"), backend.port)
    yield varnish
    varnish.stop()


@pytest.fixture(scope="session")
def second_varnish(varnish, backend, tmp_path_factory):
    """Another server of the same site, as with several Varnish in front."""
    second = Varnish(tmp_path_factory.mktemp("varnish"), backend.port, token=varnish.token)
    yield second
    second.stop()


@pytest.fixture
def number():
    """A number no other test of the session has: for paths and tags of its own."""
    return next(_numbers)


@pytest.fixture
def page(backend, number):
    """Serve a page at a path of this test's own: ``page(tags=…, headers=…)``, its path."""
    names = itertools.count(1)

    def serve(name=None, **options):
        path = f"/t{number}/{name or next(names)}/"
        backend.serve(path, **options)
        return path

    return serve
