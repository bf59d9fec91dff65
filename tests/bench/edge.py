"""
The reference article behind Varnish, in ``make bench``: deploy/varnish.vcl
filled for a cached gunicorn server that purges it on every write
(``PAGE_CACHE_PURGER=varnish``), in a real varnishd started as the edge tests
start it (tests/edge/servers.py).

- Throughput: the article through Varnish against nginx serving the same
  bytes as a static file, in alternating rounds (``alternating()``).
- Freshness: a superuser signed in to the admin saves the article with a new
  title, ``SAVES`` times; from the moment each save's response arrives, a
  reader asks Varnish for the page until it shows the new title. Notizie
  purges on commit, inside the save's request, so the first request after
  the save should already bring the new page.

The gunicorn server is one of this step's own, beside the bench's two: their
pages are measured as served with no purger (nginx alone), and a purger
changes what the edge is told (``s-maxage``). It shares their database and
page cache.

Imported after ``django.setup()``.
"""

import http.cookiejar
import re
import secrets
import shutil
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.contrib.auth import get_user_model

from articles.models import Article
from tests.articles.admin_data import article_post_data, change_url
from tests.bench.run import (
    BASE_DIR,
    Gunicorn,
    Nginx,
    alternating,
    free_port,
    load,
    static_copy,
    tree_cpu_seconds,
)
from tests.edge import servers

SAVES = 200
# How long a reader waits for a save to show before it is counted as not shown.
GIVE_UP_AFTER = 10.0
EDITOR = "bench-editor"


class Varnish(servers.Varnish):
    def cpu_seconds(self) -> float:
        """CPU time of the manager and the cache process so far."""
        return tree_cpu_seconds(self.process.pid)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Editor:
    """A browser on the admin through ``port``: cookies kept, redirects not followed."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect
        )
        self.token = None

    def request(self, path, data=None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:  # a redirect, not followed, lands here too
            return error.code, error.read().decode()

    def csrf_token(self, path) -> str:
        _status, html = self.request(path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]

    def log_in(self, username, password, article):
        token = self.csrf_token("/admin/login/")
        status, _html = self.request(
            "/admin/login/?next=/admin/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token},
        )
        if status != 302:
            raise RuntimeError(f"The bench's editor could not sign in (HTTP {status}).")
        # Signing in makes a new CSRF token: the change form's is good for every save.
        self.token = self.csrf_token(change_url(article))

    def save(self, article, **fields):
        """Post ``article``'s change form with ``fields`` changed, as the admin's Save does."""
        data = {**article_post_data(article=article, **fields), "csrfmiddlewaretoken": self.token}
        status, html = self.request(change_url(article), data)
        if status != 302:
            errors = re.findall(r'class="errorlist[^>]*>(.*?)</ul>', html, re.S)
            raise RuntimeError(f"The admin refused the save (HTTP {status}): {errors}")


def editor_password() -> str:
    """A superuser for this run, with a password of its own, hashed as the servers check it."""
    password = secrets.token_urlsafe(16)
    user, _ = get_user_model().objects.get_or_create(
        username=EDITOR, defaults={"email": "bench-editor@example.org"}
    )
    user.is_active = user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    return password


def milliseconds(values) -> dict:
    """The median, the 99th percentile and the maximum of ``values`` (seconds), in ms."""
    values = sorted(values)
    return {
        "p50_ms": round(values[len(values) // 2] * 1000, 2),
        "p99_ms": round(values[int(len(values) * 0.99)] * 1000, 2),
        "max_ms": round(values[-1] * 1000, 2),
    }


def hit(varnish, path):
    """The page as Varnish keeps it: asked for until Varnish answers it from its cache."""
    for _ in range(3):
        response = varnish.get(path)
        if response.status != 200:
            raise RuntimeError(
                f"{path} through Varnish: HTTP {response.status}, {response.body[:300]!r}"
            )
        if "Varnish; hit" in response.headers.get("Cache-Status", ""):
            return response
    raise RuntimeError(f"Varnish does not keep {path}: {response.headers.get('Cache-Status')}")


def against_static_file(varnish, upstream_port, path, static_root) -> dict:
    """Varnish's hits and nginx's static file of the same bytes, in alternating rounds."""
    hit(varnish, path)
    static_path = static_copy(varnish.port, path, static_root)
    nginx = Nginx(upstream_port, static_root, BASE_DIR / "media")
    try:
        return alternating(
            {
                "through Varnish": (varnish, path, None),
                "static file, nginx": (nginx, static_path, None),
            },
            {"Varnish / static file": ("through Varnish", "static file, nginx")},
            redis=None,  # neither asks the page cache
        )
    finally:
        nginx.stop()


def save_to_served(varnish, path, article_id, saves) -> dict:
    """
    ``saves`` admin saves of the article, each followed at once by a reader's
    requests through Varnish until the new title shows: the delays from the
    save's response to the response showing it. Each save finds the page in
    Varnish's cache, so that its purge is what the reader's request depends on.
    """
    article = Article.objects.get(pk=article_id)
    title, updated_at = article.title, article.updated_at
    editor = Editor(varnish.port)  # as production's editors: the admin passes through Varnish
    editor.log_in(EDITOR, editor_password(), article)
    delays, save_times, requests, not_shown = [], [], [], 0
    try:
        for number in range(1, saves + 1):
            hit(varnish, path)
            article.refresh_from_db()
            marker = f"(prova {number})"
            began = time.perf_counter()
            editor.save(article, title=f"{title} {marker}")
            saved = time.perf_counter()
            count = 0
            while True:
                count += 1
                response = varnish.get(path)
                shown = time.perf_counter()
                if response.status == 200 and marker.encode() in response.body:
                    break
                if shown - saved > GIVE_UP_AFTER:
                    not_shown += 1
                    break
            save_times.append(saved - began)
            delays.append(shown - saved)
            requests.append(count)
    finally:
        article.refresh_from_db()
        editor.save(article, title=title)
        # The saves stamped "Aggiornato il" on the page: back as built, so that
        # a run with --reuse measures the same page. No signal, so nothing is
        # purged, but no copy outlives the run: its servers stop next, and
        # each run empties the page cache before it starts.
        Article.objects.filter(pk=article_id).update(updated_at=updated_at)
    return {
        "saves": saves,
        "delay": milliseconds(delays),
        "not shown": not_shown,
        "given up after s": GIVE_UP_AFTER,
        "first request already fresh": sum(count == 1 for count in requests),
        "most requests until fresh": max(requests),
        "save round trip": milliseconds(save_times),
        "delays_ms": [round(delay * 1000, 2) for delay in delays],
    }


def behind_varnish(env, path, article_id, static_root, duration, saves=SAVES) -> dict | None:
    """
    The reference article through deploy/varnish.vcl: one load run, its
    throughput against nginx's static file (without nginx, not compared), and
    the time from a save to the new page. None without varnishd here.
    """
    if shutil.which("varnishd") is None:
        print("varnishd is not installed (make edge-deps): the Varnish step is skipped")
        return None
    workdir = Path(tempfile.mkdtemp(prefix="notizie-bench-varnish-"))
    # Varnish is filled with the server's address, the server with Varnish's.
    server_port = free_port()
    try:
        # As Debian's unit runs it (docs/edge-cache.md): its storage, Varnish's defaults.
        varnish = Varnish(workdir, server_port, storage="malloc,256m", parameters={})
    except RuntimeError as error:  # e.g. no xkey vmod (varnish-modules)
        print(f"varnishd did not start, the Varnish step is skipped: {error}")
        shutil.rmtree(workdir, ignore_errors=True)
        return None
    server = None
    try:
        server = Gunicorn(
            {
                **env,
                "PAGE_CACHE_ENABLED": "1",
                "PAGE_CACHE_PURGER": "varnish",
                "VARNISH_URLS": varnish.url,
                "PURGE_TOKEN": varnish.token,
                "TRUSTED_PROXIES": "127.0.0.1",
                # Readers reach the site at Varnish's address: the Host it
                # passes on, which the page cache keeps pages for.
                "SITE_DOMAIN": f"127.0.0.1:{varnish.port}",
            },
            port=server_port,
        )
        hit(varnish, path)
        result = {"load": {"through Varnish": load(varnish.port, path, duration)}}
        if shutil.which("nginx"):
            result["alternating_rounds"] = against_static_file(
                varnish, server_port, path, static_root
            )
        else:
            print("nginx is not installed: Varnish is not compared with a static file")
        result["save to served"] = save_to_served(varnish, path, article_id, saves)
        return result
    finally:
        if server is not None:
            server.stop()
        varnish.stop()
        shutil.rmtree(workdir, ignore_errors=True)
