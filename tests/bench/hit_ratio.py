"""
The page cache's hit ratio over a simulated busy hour, with cache tags against
the one site-wide content version they replaced.

The pages and their tags are real: the small bench data set (1,000 articles)
is built on a SQLite file, and every page a reader of the simulation asks for
is rendered once through the page cache middleware, which names its tags. So
are the writes': an approved comment touches ``article:<id>``, an edit what
``newsroom.invalidation`` names for that article. Then an hour is played out
in memory, request by request:

- readers ask ``RATE`` pages a second: 85% article pages, the articles' ranks
  drawn from a Zipf law (s = 1.1, newest first), 10% the home page, 5% a
  section page;
- every 2 s a comment is approved on one of the 20 most read stories;
- every minute an editor saves one story (drawn as readers draw them).

A page is a hit when it was stored after the last change of any of its tags
(with tags) or after the last write of any kind (with one version), and less
than ``PAGE_CACHE_TIMEOUT`` ago. ``python -m tests.bench.hit_ratio``; ``make
bench`` runs it too, and writes ``bench-results/hit-ratio.json``.
"""

import bisect
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
RESULTS = BASE_DIR / "bench-results"
RATE = 50  # requests a second
HOUR = 3600
COMMENT_EVERY = 2
EDIT_EVERY = 60
TOP = 20
ZIPF_S = 1.1


def zipf_weights(count: int, s: float = ZIPF_S) -> list[float]:
    return list(itertools.accumulate(1 / rank**s for rank in range(1, count + 1)))


def draw(rng, cumulative, items):
    return items[bisect.bisect(cumulative, rng.random() * cumulative[-1])]


def page_tags(articles, sections) -> dict[str, frozenset]:
    """Each page the readers ask for, rendered once: the tags its response names."""
    from django.test import Client

    client = Client()
    tags = {}
    for url in [
        "/",
        *(a.get_absolute_url() for a in articles),
        *(s.get_absolute_url() for s in sections),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        tags[url] = frozenset(response["xkey"].split())
    return tags


def simulate(pages, articles, sections, edit_tags, *, timeout, seed=7) -> dict:
    """The hit ratio of each policy over one hour of the same requests and writes."""
    rng = random.Random(seed)
    article_urls = [a.get_absolute_url() for a in articles]
    section_urls = [s.get_absolute_url() for s in sections]
    cumulative = zipf_weights(len(articles))
    top = articles[:TOP]

    # The writes, in order of time: (second, tags touched).
    writes = []
    for second in range(0, HOUR, COMMENT_EVERY):
        writes.append((second + 0.5, frozenset({f"article:{rng.choice(top).pk}"})))
    for second in range(0, HOUR, EDIT_EVERY):
        edited = draw(rng, cumulative, articles)
        writes.append((second + 0.25, edit_tags[edited.pk]))
    writes.sort(key=lambda write: write[0])

    stored_tags, stored_version = {}, {}  # url -> when stored
    changed = {}  # tag -> when last changed
    last_write = -1.0
    hits = {"tags": 0, "version": 0}
    requests = 0
    upcoming = iter(writes)
    write = next(upcoming, None)
    for tick in range(HOUR * RATE):
        now = tick / RATE
        while write is not None and write[0] <= now:
            for tag in write[1]:
                changed[tag] = write[0]
            last_write = write[0]
            write = next(upcoming, None)
        roll = rng.random()
        if roll < 0.85:
            url = article_urls[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
        elif roll < 0.95:
            url = "/"
        else:
            url = rng.choice(section_urls)
        requests += 1

        at = stored_tags.get(url)
        fresh = at is not None and now - at < timeout
        if fresh and all(changed.get(tag, -1) < at for tag in pages[url]):
            hits["tags"] += 1
        else:
            stored_tags[url] = now

        at = stored_version.get(url)
        if at is not None and now - at < timeout and last_write < at:
            hits["version"] += 1
        else:
            stored_version[url] = now
    return {
        "requests": requests,
        "comments_approved": HOUR // COMMENT_EVERY,
        "edits": HOUR // EDIT_EVERY,
        "hit_ratio_tags": round(hits["tags"] / requests, 4),
        "hit_ratio_site_wide_version": round(hits["version"] / requests, 4),
    }


def main():
    RESULTS.mkdir(exist_ok=True)
    database = RESULTS / "hit-ratio.sqlite3"
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{database}",
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-a-secret"),
            "DEBUG": "0",
            "ALLOWED_HOSTS": "testserver",
            "PAGE_CACHE_ENABLED": "1",
        }
    )
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("CACHE_DIR", None)
    os.environ["STATIC_ROOT"] = tempfile.mkdtemp(prefix="notizie-hit-ratio-static-")
    fresh = not database.exists()
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        manage = [sys.executable, "manage.py", *command, "-v0"]
        subprocess.run(manage, cwd=BASE_DIR, check=True)

    import django

    django.setup()
    from django.conf import settings

    from articles.models import Article, Section
    from newsroom.invalidation import article_lists
    from tests.bench.build import build

    if fresh or not Article.objects.exists():
        build("small", log=lambda *args: None)
    articles = list(Article.objects.published().latest_first()[:1000])
    sections = list(Section.objects.all())
    began = time.monotonic()
    pages = page_tags(articles, sections)
    edit_tags = {
        a.pk: frozenset({f"article:{a.pk}", *article_lists(a.pk, a.section_id)}) for a in articles
    }
    result = {
        "articles": len(articles),
        "rate_per_second": RATE,
        "zipf_s": ZIPF_S,
        "render_seconds": round(time.monotonic() - began, 1),
        # Notizie's own cache keeps a page PAGE_CACHE_TIMEOUT seconds at most;
        # the edge, purged by the same tags, PAGE_CACHE_EDGE_MAX_AGE.
        "page_cache": {
            "lifetime": settings.PAGE_CACHE_TIMEOUT,
            **simulate(pages, articles, sections, edit_tags, timeout=settings.PAGE_CACHE_TIMEOUT),
        },
        "edge": {
            "lifetime": settings.PAGE_CACHE_EDGE_MAX_AGE,
            **simulate(
                pages, articles, sections, edit_tags, timeout=settings.PAGE_CACHE_EDGE_MAX_AGE
            ),
        },
    }
    (RESULTS / "hit-ratio.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
