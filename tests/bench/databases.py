"""
The benchmarks' PostgreSQL databases, created on a machine that has never had
them. Imports nothing of Notizie: the Wagtail comparator (wagtail/measure.py)
uses it from its own venv.
"""

import sys
from urllib.parse import urlsplit


def create_database_if_missing(url: str) -> None:
    """The PostgreSQL database of ``url`` (postgres://…/name), created when missing."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = parts._replace(path="/postgres", query="").geturl()
    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            print(f"creating database {name}", file=sys.stderr, flush=True)
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
