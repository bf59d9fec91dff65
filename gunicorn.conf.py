"""
gunicorn's settings for Notizie, read from the working directory by
``gunicorn newsroom.wsgi`` (command-line flags override them; the number of
worker processes comes from ``-w`` or ``WEB_CONCURRENCY``).

Threaded workers keep connections alive: a page answered from the page cache
costs a fraction of a millisecond, and a new TCP connection per request would
cost as much again. Four threads per process also let a slow reader's
connection wait without holding a whole process.
"""

worker_class = "gthread"
threads = 4
keepalive = 5
