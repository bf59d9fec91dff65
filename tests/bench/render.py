"""
A page's render, measured in-process, the same way for Notizie (``make bench``)
and for Wagtail (tests/bench/wagtail/measure.py imports this file): whole
requests through Django's test client, DEBUG off, page cache off.

- ``render_times``: the median time of ``count`` requests, and the exact query
  count, taken on a separate request so that counting costs no time.
- ``count_instructions``: the instructions a request costs, counted by
  callgrind, which repeats to the instruction whatever else the machine is
  doing; times on a shared two-core machine move by a third from one minute
  to the next.

    python -m tests.bench.render PATH [--renders 200]

prints one line of JSON. Nothing here imports Notizie: the Wagtail comparator
runs it in its own venv.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import time


def render_times(pages: dict, count: int) -> dict:
    """Per page (name: path), the median time of a request, its queries and bytes."""
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    results = {}
    with override_settings(PAGE_CACHE_ENABLED=False, ALLOWED_HOSTS=["*"]):
        client = Client()
        for name, path in pages.items():
            response = client.get(path)  # warm: templates compiled, connection open
            assert response.status_code == 200, (path, response.status_code)
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                client.get(path)
            # Counted now: the captured list is a view of a log later requests reset.
            queries = len(captured)
            times = []
            for _ in range(count):
                start = time.perf_counter()
                client.get(path)
                times.append(time.perf_counter() - start)
            results[name] = {
                "median_ms": round(statistics.median(times) * 1000, 2),
                "queries": queries,
                "bytes": len(response.content),
            }
    return results


def render_ratio(over: str, under: str, rounds=5, count=40) -> float:
    """
    How many times longer a request of ``over`` takes than one of ``under``
    (paths): each round times ``count`` of each in turn, and the ratio is the
    median of the rounds' own. Two pages timed a minute apart on a shared
    machine meet different minutes; these meet the same seconds.
    """
    from django.test import Client
    from django.test.utils import override_settings

    def median_time(client, path):
        times = []
        for _ in range(count):
            start = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    ratios = []
    with override_settings(PAGE_CACHE_ENABLED=False, ALLOWED_HOSTS=["*"]):
        client = Client()
        for _ in range(rounds):
            ratios.append(median_time(client, over) / median_time(client, under))
    return round(statistics.median(ratios), 2)


def count_instructions(path: str, requests: int) -> None:
    """
    ``requests`` requests of ``path`` with callgrind's counting on, and only
    them (start-up and a warming request are not counted). Run under
    ``callgrind(...)``, which reads the count.
    """
    from django.test import Client
    from django.test.utils import override_settings

    with override_settings(PAGE_CACHE_ENABLED=False, ALLOWED_HOSTS=["*"]):
        client = Client()
        assert client.get(path).status_code == 200
        subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], capture_output=True)
        for _ in range(requests):
            client.get(path)
        subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], capture_output=True)


def callgrind(command: list, requests: int, env=None) -> float:
    """Millions of instructions per request of ``command``, a ``count_instructions`` run."""
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--callgrind-out-file=/dev/null"]
        + [str(part) for part in command],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    collected = re.search(r"Collected : (\d+)", run.stderr)
    return round(int(collected.group(1)) / requests / 1e6, 2)


def main():
    parser = argparse.ArgumentParser(description="One page's render time, as make bench takes it.")
    parser.add_argument("path")
    parser.add_argument("--renders", type=int, default=200)
    parser.add_argument("--instructions", type=int, help="count this many requests (callgrind)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    if args.instructions:
        count_instructions(args.path, args.instructions)
    else:
        print(json.dumps(render_times({"page": args.path}, args.renders)["page"]))


if __name__ == "__main__":
    main()
