"""
``make bench``: build a large data set, serve it with gunicorn (production
settings, 2 workers), load it on loopback, print a table and write JSON to
bench-results/. Not part of ``make test``.

    python -m tests.bench.run [--small] [--duration 10]

On SQLite (no DATABASE_URL) the database is bench-results/bench.sqlite3, made
anew; with DATABASE_URL=postgres://…/name, that database is emptied (flush)
and filled. Everything is bounded: each load run lasts --duration seconds.

When nginx is installed, the cached site is also measured behind nginx with
deploy/nginx.conf, beside nginx serving the same page as a static file. When
varnishd is, the reference article is also measured behind Varnish with
deploy/varnish.vcl, with the time from an editor's save to the new page there
(tests/bench/edge.py).

The reference article's throughput ratios (cached ÷ uncached, 304 ÷ cached)
are taken in alternating rounds of a few seconds, with both servers up, and
each round's CPU time is split between the server, Redis and the load
generator: on a shared two-core machine a load's rate moves by a factor of two
from one minute to the next, whatever the code.
"""

import argparse
import http.client
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.bench.databases import create_database_if_missing
from tests.bench.render import callgrind, render_ratio, render_times

BASE_DIR = Path(__file__).resolve().parents[2]
RESULTS = BASE_DIR / "bench-results"
SECRET = "bench-only-not-a-secret-" + "x" * 30


def server_env(static_root, **extra):
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "60",
        **extra,
    }


def redis_url() -> str | None:
    """A Redis database of its own for the page cache, emptied; None when no Redis answers."""
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except Exception:  # no Redis here: the workers share a CACHE_DIR instead
        return None
    return url


def manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_python(port, path, duration, connections=16, headers=None, limit=200_000):
    """A bounded client: threads, one connection each, until ``duration`` or ``limit``."""
    latencies, errors, stop = [], [0], time.monotonic() + duration

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop and len(latencies) < limit:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers or {})
                response = conn.getresponse()
                response.read()
                if response.status not in (200, 304):
                    errors[0] += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                conn.close()
                continue
            latencies.append(time.perf_counter() - start)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 2) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 2) if latencies else None,
        "errors": errors[0],
        "client": "python",
    }


def load_wrk(port, path, duration, connections=16, headers=None):
    header_args = [
        arg for name, value in (headers or {}).items() for arg in ("-H", f"{name}: {value}")
    ]
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "--timeout",
            "30s",
            *header_args,
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(label):
        match = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)\b", out)
        if not match:
            return None
        value, unit = float(match[1]), match[2]
        return round(value / 1000 if unit == "us" else value * 1000 if unit == "s" else value, 2)

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests": int(re.search(r"(\d+) requests in", out)[1]),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "p50_ms": ms("50"),
        "p99_ms": ms("99"),
        "errors": int(errors[1]) if errors else 0,
        "client": "wrk",
    }


def load(port, path, duration, headers=None):
    if shutil.which("wrk"):
        return load_wrk(port, path, duration, headers=headers)
    return load_python(port, path, duration, headers=headers)


def alternating(loads: dict, ratios: dict, redis: str | None, rounds=5, duration=3) -> dict:
    """
    Each of ``loads`` (name: (server, path, headers)) in turn, for ``duration``
    seconds, ``rounds`` times over; each of ``ratios`` (name: (over, under),
    two names of ``loads``) the median of the rounds' own, between loads taken
    seconds apart, not minutes.

    Also where the two cores went, in CPU milliseconds per request (medians):
    the server's processes, Redis (at ``redis``) and the load generator,
    which share them here. The server's share tells what a machine of its
    own would serve.
    """
    rps = {name: [] for name in loads}
    cpu = {name: {"server": [], "redis": [], "load generator": []} for name in loads}
    for _ in range(rounds):
        for name, (server, path, headers) in loads.items():
            before = server.cpu_seconds(), redis_cpu_seconds(redis), children_cpu_seconds()
            result = load(server.port, path, duration, headers)
            after = server.cpu_seconds(), redis_cpu_seconds(redis), children_cpu_seconds()
            rps[name].append(result["rps"])
            for part, start, end in zip(cpu[name], before, after, strict=True):
                if start is not None and end is not None:
                    cpu[name][part].append((end - start) * 1000 / max(result["requests"], 1))

    def ratio(over, under):
        return round(
            statistics.median(a / b for a, b in zip(rps[over], rps[under], strict=True)), 2
        )

    cpu_ms = {
        name: {part: round(statistics.median(ms), 3) for part, ms in parts.items() if ms}
        for name, parts in cpu.items()
    }
    return {
        "rps": rps,
        "cpu_ms_per_request": cpu_ms,
        **{name: ratio(over, under) for name, (over, under) in ratios.items()},
    }


def process_cpu_seconds(pid) -> float:
    """User and system CPU time of one process (``/proc/PID/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def redis_cpu_seconds(url) -> float | None:
    if url is None:
        return None
    import redis

    info = redis.Redis.from_url(url).info("cpu")
    return info["used_cpu_user"] + info["used_cpu_sys"]


def children(pid) -> list[str]:
    """The processes ``pid`` started: a server's workers."""
    return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()


def tree_cpu_seconds(pid) -> float:
    """CPU time of a server so far: its first process and the workers it started."""
    return sum(process_cpu_seconds(child) for child in [pid, *children(pid)])


def children_cpu_seconds() -> float:
    """The load generator's: the processes this one has waited for (wrk; not the Python client)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Gunicorn:
    def __init__(self, env, port=None):
        self.port = port or free_port()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "newsroom.wsgi",
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{self.port}",
                "--keep-alive",
                "5",
            ],
            cwd=BASE_DIR,
            env=env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/robots.txt")
                conn.getresponse().read()
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start")

    def workers(self) -> list[str]:
        return children(self.process.pid)

    def cpu_seconds(self) -> float:
        """CPU time of the master and its workers so far."""
        return tree_cpu_seconds(self.process.pid)

    def worker_memory_mb(self):
        """Peak resident memory (VmHWM) of each worker."""
        peaks = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            peaks.append(round(int(re.search(r"VmHWM:\s+(\d+)", status)[1]) / 1024, 1))
        return peaks

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)


# A story with comments pouring in: the rate at which they are approved, each
# moving the content version, so that every stored page is out of date.
EDITS_PER_SECOND = 10


class Edits:
    """
    The measured page's tag moved ``EDITS_PER_SECOND`` times a second, as
    comments approved on it move it, by a process of its own sharing the
    servers' cache. Only the tag: the comments themselves would change the
    page measured.
    """

    def __init__(self, env, tag):
        code = (
            "import time\n"
            "from newsroom.cache import invalidate\n"
            "while True:\n"
            f"    invalidate([{tag!r}]); time.sleep({1 / EDITS_PER_SECOND})\n"
        )
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", code], cwd=BASE_DIR, env=env
        )

    def __enter__(self):
        time.sleep(2)  # Django set up, invalidating
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=10)


# Issue 7 gives Wagtail 8's render of a plainer article page on its author's
# machine, and sets ours just under it.
WAGTAIL_THERE_MS = {"sqlite": 4.5, "postgresql": 6.4}
TARGET_MS = {"sqlite": 4, "postgresql": 6}
WAGTAIL_PYTHON = RESULTS / "wagtail-venv" / "bin" / "python"


def wagtail_url(database_url: str) -> str:
    """Wagtail's database beside ours: a SQLite file, or notizie_wagtail on the same server."""
    if not database_url.startswith("postgres"):
        return f"sqlite:///{RESULTS / 'wagtail.sqlite3'}"
    return re.sub(r"^([a-z]+://[^/]*).*", r"\1/notizie_wagtail", database_url)


def instructions(path, requests=20) -> float | None:
    """
    Millions of instructions a request of ``path`` costs (tests/bench/render.py,
    under callgrind), or None where valgrind is not installed.
    """
    if not (shutil.which("valgrind") and shutil.which("callgrind_control")):
        return None
    command = [sys.executable, "-m", "tests.bench.render", path, "--instructions", str(requests)]
    return callgrind(command, requests)


def calibration(path, database_url, count, rounds=5, requests=20):
    """
    Our reference article and Wagtail's plainer one (``make bench-wagtail``),
    each rendered in a fresh process of its own, in alternating rounds so that
    both meet the same minutes of a noisy machine; and, where valgrind is
    installed, the instructions a request of each costs. The issue's targets in
    milliseconds belong to its author's machine; Wagtail measured here tells
    how this one compares. None when the comparator is not installed.
    """
    if not WAGTAIL_PYTHON.exists():
        print("Wagtail comparator missing (make bench-wagtail): targets not calibrated")
        return None
    ours_command = [sys.executable, "-m", "tests.bench.render", path]
    wagtail_command = [WAGTAIL_PYTHON, BASE_DIR / "tests/bench/wagtail/measure.py"]
    wagtail_env = {**os.environ, "DATABASE_URL": wagtail_url(database_url)}

    def measure(command, env=None):
        run = subprocess.run(
            [*command, "--renders", str(count)],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(run.stdout)

    ours, theirs = [], []
    for _ in range(rounds):
        ours.append(measure(ours_command)["median_ms"])
        wagtail = measure(wagtail_command, wagtail_env)
        theirs.append(wagtail["median_ms"])
    result = {
        "ours_ms": statistics.median(ours),
        "wagtail_ms": statistics.median(theirs),
        "ratio": round(statistics.median(ours) / statistics.median(theirs), 3),
        "rounds": {"ours_ms": ours, "wagtail_ms": theirs},
        "wagtail": {key: wagtail[key] for key in ("queries", "bytes", "wagtail", "template")},
    }
    ours_m = instructions(path, requests)
    if ours_m is not None:
        count_more = ["--instructions", str(requests)]
        theirs_m = callgrind([*wagtail_command, *count_more], requests, wagtail_env)
        result["instructions_m"] = {"ours": ours_m, "wagtail": theirs_m}
        result["instructions_ratio"] = round(ours_m / theirs_m, 3)
    return result


class Nginx:
    """deploy/nginx.conf in front of ``upstream_port``, in a scratch prefix."""

    def __init__(self, upstream_port, static_root, media_root, port=None):
        self.prefix = Path(tempfile.mkdtemp(prefix="notizie-bench-nginx-"))
        self.port = port or free_port()
        site = (BASE_DIR / "deploy" / "nginx.conf").read_text()
        for token, value in {
            "@CACHE_DIR@": self.prefix / "cache",
            "@UPSTREAM@": f"127.0.0.1:{upstream_port}",
            "@LISTEN@": f"127.0.0.1:{self.port}",
            "@STATIC_ROOT@": static_root,
            "@MEDIA_ROOT@": media_root,
        }.items():
            site = site.replace(token, str(value))
        (self.prefix / "site.conf").write_text(site)
        (self.prefix / "nginx.conf").write_text(
            f"""
worker_processes 1;
pid {self.prefix}/nginx.pid;
error_log {self.prefix}/error.log;
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 1024; }}
http {{
    access_log off;
    default_type application/octet-stream;
    client_body_temp_path {self.prefix}/body;
    proxy_temp_path {self.prefix}/proxy;
    include {self.prefix}/site.conf;
}}
"""
        )
        self.process = subprocess.Popen(
            [
                "nginx",
                "-p",
                str(self.prefix),
                "-c",
                str(self.prefix / "nginx.conf"),
                "-g",
                "daemon off;",
            ]
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("nginx did not start")

    def cpu_seconds(self) -> float:
        """CPU time of the master and its worker so far."""
        return tree_cpu_seconds(self.process.pid)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.prefix, ignore_errors=True)


def fetch(port, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    return response, response.read()


def targets(database, renders, runs, memory, calibrated, counted, ratios, big_ratio, edge):
    """
    The issue's targets against this run: (what, measured, target, met).
    ``counted``: the instructions of the two articles' requests, or None.
    ``ratios``: what ``alternating()`` measured of the reference article;
    ``big_ratio``: the 2,000-comment article's render against it (``render_ratio()``);
    ``edge``: what ``behind_varnish()`` measured, or None.
    """
    reference = renders["reference article (50 comments)"]
    article = runs["reference article (50 comments)"]
    limit = TARGET_MS[database]
    peak = max(max(values) for values in memory.values())
    rows = [
        (
            "reference render (ms), issue's machine",
            reference["median_ms"],
            f"<= {limit}",
            reference["median_ms"] <= limit,
        ),
    ]
    if calibrated:
        # The target as a share of Wagtail's time, which holds on any machine.
        share = limit / WAGTAIL_THERE_MS[database]
        rows.append(
            (
                "reference render / Wagtail's, here",
                calibrated["ratio"],
                f"<= {share:.2f} ({limit} / {WAGTAIL_THERE_MS[database]} ms)",
                calibrated["ratio"] <= share,
            )
        )
        # On PostgreSQL the server's share of the work is another process's.
        if "instructions_ratio" in calibrated and database == "sqlite":
            rows.append(
                (
                    "instructions / Wagtail's (callgrind)",
                    calibrated["instructions_ratio"],
                    f"<= {share:.2f}, as the time",
                    calibrated["instructions_ratio"] <= share,
                )
            )
    rows += [
        ("reference article queries", reference["queries"], "<= 8", reference["queries"] <= 8),
        (
            "2,000 comments / reference render",
            big_ratio,
            "<= 2 (alternating rounds)",
            big_ratio <= 2,
        ),
    ]
    # Renders timed one page after the other meet different minutes of a noisy
    # machine; instructions do not depend on them. On PostgreSQL the server's
    # share of the work (2,000 rows read) is another process's, not counted.
    if counted and database == "sqlite":
        ratio = round(counted["big"] / counted["reference"], 2)
        rows.append(
            ("2,000 comments / reference instructions", ratio, "<= 2, as the time", ratio <= 2)
        )
    rows += [
        (
            "cached / uncached req/s",
            ratios["cached / uncached"],
            ">= 20 (alternating rounds)",
            ratios["cached / uncached"] >= 20,
        ),
        (
            "conditional 304 / cached req/s",
            ratios["conditional 304 / cached"],
            "> 1 (alternating rounds)",
            ratios["conditional 304 / cached"] > 1,
        ),
        (
            "peak memory per worker (MB)",
            peak,
            "< 120",
            peak < 120,
        ),
    ]
    if "behind nginx" in article:
        ratio = article["behind nginx"]["rps"] / article["static file, nginx"]["rps"]
        rows.append(
            (
                "behind nginx / static file req/s",
                round(ratio, 2),
                ">= 0.5 (same order)",
                ratio >= 0.5,
            )
        )
    if edge and "alternating_rounds" in edge:
        ratio = edge["alternating_rounds"]["Varnish / static file"]
        rows.append(
            (
                "through Varnish / static file req/s",
                ratio,
                ">= 0.8 (alternating rounds)",
                ratio >= 0.8,
            )
        )
    if edge:
        p99 = edge["save to served"]["delay"]["p99_ms"]
        rows.append(("save to new page in Varnish, p99 ms", p99, "< 50", p99 < 50))
    return rows


def static_copy(port, path, static_root) -> str:
    """
    The page at ``path``, as the server at ``port`` answers it, written to
    ``static_root``: its path for nginx to serve as a static file.
    """
    _, page = fetch(port, path)
    (static_root / "bench-page.html").write_bytes(page)
    return "/static/bench-page.html"


def behind_nginx(upstream_port, path, static_root, duration, port):
    """The cached article through deploy/nginx.conf, and the same bytes as a static file."""
    static_path = static_copy(upstream_port, path, static_root)
    proxy = Nginx(upstream_port, static_root, BASE_DIR / "media", port=port)
    try:
        fetch(proxy.port, path)  # stored by nginx from here on
        return {
            "behind nginx": load(proxy.port, path, duration),
            "static file, nginx": load(proxy.port, static_path, duration),
        }
    finally:
        proxy.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true", help="a quick run on a small data set")
    parser.add_argument("--duration", type=int, default=10, help="seconds per load run")
    parser.add_argument("--renders", type=int, default=200)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the data of an earlier run of the same preset instead of building anew",
    )
    args = parser.parse_args()

    RESULTS.mkdir(exist_ok=True)
    database_url = os.environ.get("DATABASE_URL", "")
    postgres = database_url.startswith("postgres")
    preset = "small" if args.small else ("postgresql" if postgres else "sqlite")
    if not postgres:
        sqlite = RESULTS / f"bench-{preset}.sqlite3"
        for leftover in RESULTS.glob(f"bench-{preset}.sqlite3*"):
            if not args.reuse:
                leftover.unlink()
        database_url = f"sqlite:///{sqlite}"
    static_root = Path(tempfile.mkdtemp(prefix="notizie-bench-static-"))
    # The two workers share one page cache, as production's must: Redis, or
    # else a directory (CACHE_DIR, Django's file cache).
    cache_url = redis_url()
    shared_cache = (
        {"REDIS_URL": cache_url}
        if cache_url
        else {"CACHE_DIR": tempfile.mkdtemp(prefix="notizie-bench-cache-")}
    )
    env = server_env(static_root, DATABASE_URL=database_url, **shared_cache)
    os.environ.update({key: env[key] for key in ("DATABASE_URL", "SECRET_KEY", "STATIC_ROOT")})
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"

    began = time.monotonic()
    if postgres:
        create_database_if_missing(database_url)
    manage("migrate", "--noinput", "-v0", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)

    import django

    django.setup()
    from tests.bench.build import build, built
    from tests.bench.edge import behind_varnish

    build_start = time.monotonic()
    data = built(preset) if args.reuse else None
    if data is None:
        if postgres:
            manage("flush", "--noinput", "-v0", env=env)
        data = build(preset)
    build_seconds = round(time.monotonic() - build_start, 1)
    from django.db import connection

    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    pages = {
        "reference article (50 comments)": data["reference"],
        "article with 2,000 comments": data["big"],
        "home": "/",
        "tag page": data["tag"],
        "search": "/cerca/?q=porto+sindaco",
        "feed": "/feed/",
    }
    renders = render_times(pages, args.renders)
    big_ratio = render_ratio(data["big"], data["reference"])
    calibrated = calibration(data["reference"], database_url, args.renders)
    counted = None
    if not postgres and (big_m := instructions(data["big"])) is not None:
        # The reference's count is the calibration's, when Wagtail is installed.
        reference_m = (calibrated or {}).get("instructions_m", {}).get("ours")
        counted = {"reference": reference_m or instructions(data["reference"]), "big": big_m}
    connection.close()

    # Both servers run at once, so that the throughput ratios can be taken in
    # alternating rounds: loads measured a minute apart on this shared machine
    # differ by a factor of two or three, whatever the code.
    # nginx passes its own address on as the Host: the cached server's site
    # domain, so that the page cache keeps the pages asked for through it.
    nginx_port = free_port()
    servers = {
        mode: Gunicorn(
            {**env, "PAGE_CACHE_ENABLED": enabled, "SITE_DOMAIN": f"127.0.0.1:{nginx_port}"}
        )
        for mode, enabled in (("uncached", "0"), ("cached", "1"))
    }
    runs = {}
    try:
        for name, path in pages.items():
            for mode, server in servers.items():
                runs.setdefault(name, {})[mode] = load(server.port, path, args.duration)
        reference = data["reference"]
        article = runs["reference article (50 comments)"]
        cached = servers["cached"].port
        etag = fetch(cached, reference)[0].getheader("ETag")
        article["conditional 304"] = load(cached, reference, args.duration, {"If-None-Match": etag})
        ratios = alternating(
            {
                "uncached": (servers["uncached"], reference, None),
                "cached": (servers["cached"], reference, None),
                "conditional 304": (servers["cached"], reference, {"If-None-Match": etag}),
            },
            {
                "cached / uncached": ("cached", "uncached"),
                "conditional 304 / cached": ("conditional 304", "cached"),
            },
            redis=cache_url,
        )
        cpu_ms = ratios["cpu_ms_per_request"]
        ratios["server cpu, uncached / cached"] = round(
            cpu_ms["uncached"]["server"] / cpu_ms["cached"]["server"], 1
        )
        with Edits(env, data["reference_tag"]):
            article[f"cached, {EDITS_PER_SECOND} edits/s"] = load(cached, reference, args.duration)
        if shutil.which("nginx"):
            article.update(behind_nginx(cached, reference, static_root, args.duration, nginx_port))
        memory = {mode: server.worker_memory_mb() for mode, server in servers.items()}
        # Last: it saves the reference article (and puts its title back).
        edge = behind_varnish(env, reference, data["reference_id"], static_root, args.duration)
        if edge:
            article.update(edge["load"])
    finally:
        for server in servers.values():
            server.stop()
    shutil.rmtree(static_root, ignore_errors=True)
    if "CACHE_DIR" in shared_cache:
        shutil.rmtree(shared_cache["CACHE_DIR"], ignore_errors=True)

    checks = targets(
        connection.vendor, renders, runs, memory, calibrated, counted, ratios, big_ratio, edge
    )
    report = {
        "cache": "redis" if cache_url else "files",
        "database": connection.vendor,
        "preset": preset,
        "sizes": data["sizes"],
        "cores": os.cpu_count(),
        "build_seconds": build_seconds,
        "total_seconds": round(time.monotonic() - began, 1),
        "render": renders,
        "render_2000_comments_over_reference": big_ratio,
        "wagtail_calibration": calibrated,
        "instructions_m": counted,
        "load": runs,
        "alternating_rounds": ratios,
        "worker_peak_memory_mb": memory,
        "varnish": edge,
        "targets": [
            {"what": what, "measured": value, "target": target, "met": met}
            for what, value, target, met in checks
        ],
    }
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"bench-{connection.vendor}-{preset}-{stamp}.json"
    path.write_text(json.dumps(report, indent=2))

    print(
        f"\n{connection.vendor}, preset {preset} {data['sizes']}, {os.cpu_count()} cores, "
        f"page cache in {report['cache']}, built in {build_seconds}s"
    )
    print(
        f"{'page':34} {'render ms':>9} {'queries':>7} {'mode':>20} {'req/s':>9} "
        f"{'p50 ms':>8} {'p99 ms':>8}"
    )
    for name, modes in runs.items():
        render = renders[name]
        for mode, result in modes.items():
            print(
                f"{name:34} {render['median_ms']:>9} {render['queries']:>7} {mode:>20} "
                f"{result['rps']:>9} {result['p50_ms']!s:>8} {result['p99_ms']!s:>8}"
            )
    print(f"peak memory per worker (MB): {memory}")
    print(
        "reference article, alternating rounds (req/s): "
        + "; ".join(f"{name} {values}" for name, values in ratios["rps"].items())
    )
    print(
        "reference article, CPU ms per request (medians of the rounds): "
        + "; ".join(
            f"{name}: " + ", ".join(f"{part} {ms}" for part, ms in parts.items())
            for name, parts in ratios["cpu_ms_per_request"].items()
        )
        + f"; server CPU per request, uncached / cached: {ratios['server cpu, uncached / cached']}"
    )
    if edge and "alternating_rounds" in edge:
        rounds = edge["alternating_rounds"]
        print(
            "reference article through Varnish and as nginx's static file, alternating rounds "
            "(req/s): "
            + "; ".join(f"{name} {values}" for name, values in rounds["rps"].items())
            + "; CPU ms per request: "
            + "; ".join(
                f"{name}: " + ", ".join(f"{part} {ms}" for part, ms in parts.items())
                for name, parts in rounds["cpu_ms_per_request"].items()
            )
        )
    if edge:
        fresh = edge["save to served"]
        delay, save = fresh["delay"], fresh["save round trip"]
        print(
            f"from an admin save's response to the new title through Varnish, {fresh['saves']} "
            f"saves: p50 {delay['p50_ms']} ms, p99 {delay['p99_ms']} ms, max {delay['max_ms']} "
            f"ms; the first request after the save had it {fresh['first request already fresh']} "
            f"times (at most {fresh['most requests until fresh']} requests); the save itself "
            f"p50 {save['p50_ms']} ms, p99 {save['p99_ms']} ms"
        )
    if calibrated:
        wagtail = calibrated["wagtail"]
        print(
            f"reference render, alternating rounds: ours {calibrated['ours_ms']} ms, Wagtail "
            f"{wagtail['wagtail']} ({wagtail['queries']} queries) {calibrated['wagtail_ms']} ms "
            f"here against {WAGTAIL_THERE_MS[connection.vendor]} ms on the issue's machine"
        )
        if "instructions_m" in calibrated:
            counted = calibrated["instructions_m"]
            print(
                f"instructions per request (callgrind): ours {counted['ours']} M, "
                f"Wagtail {counted['wagtail']} M"
                + (" (this process only, not the server's)" if postgres else "")
            )
    print(f"\n{'target':36} {'measured':>9}  {'wanted':<22} met")
    for what, value, target, met in checks:
        print(f"{what:36} {value!s:>9}  {target:<22} {'yes' if met else 'NO'}")
    print(f"written to {path.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
