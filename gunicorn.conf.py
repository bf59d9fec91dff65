"""
gunicorn's settings for Notizie, read from the working directory by
``gunicorn newsroom.wsgi`` (command-line flags override them; the number of
worker processes comes from ``-w`` or ``WEB_CONCURRENCY``).

Threaded workers keep connections alive: a page answered from the page cache
costs a fraction of a millisecond, and a new TCP connection per request would
cost as much again. Four threads per process also let a slow reader's
connection wait without holding a whole process.
"""

import os

worker_class = "gthread"
threads = 4
keepalive = 5


def when_ready(server):
    # Without a shared cache each process keeps its own pages and their tags'
    # versions: an edit saved through one process would not reach the pages
    # another has stored until they expire.
    shared = os.environ.get("REDIS_URL") or os.environ.get("CACHE_DIR")
    if server.cfg.workers > 1 and not shared:
        server.log.warning(
            "%d worker processes and neither REDIS_URL nor CACHE_DIR: each keeps its own "
            "page cache, so an edit may take up to PAGE_CACHE_TIMEOUT seconds to show on "
            "pages another process stored. Set one of them, or run one process (-w 1).",
            server.cfg.workers,
        )
