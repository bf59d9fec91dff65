"""
How long a big WordPress import takes, and how much memory it needs.

    make bench-import                                   # SQLite
    DATABASE_URL=postgres://... make bench-import       # PostgreSQL

Generates an export of 10,000 posts and 100,000 comments (threads three deep)
into a temporary file, imports it into a fresh test database of the configured
engine (never the development database), runs it a second time (nothing to
change), and prints the wall times and the process's peak memory.
"""

import os
import random
import resource
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

POSTS = int(os.environ.get("BENCH_POSTS", 10_000))
COMMENTS_PER_POST = int(os.environ.get("BENCH_COMMENTS_PER_POST", 10))
WORDS = [
    "la",
    "redazione",
    "ha",
    "verificato",
    "le",
    "fonti",
    "prima",
    "di",
    "pubblicare",
    "questa",
    "notizia",
    "che",
    "riguarda",
    "il",
    "consiglio",
    "comunale",
    "la",
    "scuola",
    "il",
    "porto",
    "e",
    "i",
    "cantieri",
    "della",
    "città",
]


def paragraph(rng) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 90))).capitalize() + "."


def write_export(path: Path, seed: int = 1972) -> None:
    rng = random.Random(seed)
    categories = [f"sezione-{n}" for n in range(12)]
    tags = [f"argomento-{n}" for n in range(300)]
    comment_id = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            "<title>Banco</title><link>https://banco.example</link>\n"
            "<wp:wxr_version>1.2</wp:wxr_version>\n"
            "<wp:base_site_url>https://banco.example</wp:base_site_url>\n"
            "<wp:base_blog_url>https://banco.example</wp:base_blog_url>\n"
        )
        for n in range(40):
            out.write(
                f"<wp:author><wp:author_login>firma{n}</wp:author_login>"
                f"<wp:author_email>firma{n}@banco.example</wp:author_email>"
                f"<wp:author_display_name><![CDATA[Firma {n}]]></wp:author_display_name>"
                "</wp:author>\n"
            )
        for slug in categories:
            out.write(
                f"<wp:category><wp:category_nicename>{slug}</wp:category_nicename>"
                f"<wp:cat_name>{slug.title()}</wp:cat_name></wp:category>\n"
            )
        for post_id in range(1, POSTS + 1):
            day = f"20{10 + post_id % 14}-{1 + post_id % 12:02d}-{1 + post_id % 28:02d}"
            name = f"notizia-numero-{post_id}"
            status = "publish" if post_id % 20 else rng.choice(["draft", "private", "future"])
            terms = "".join(
                f'<category domain="category" nicename="{c}"><![CDATA[{c.title()}]]></category>'
                for c in rng.sample(categories, 2)
            ) + "".join(
                f'<category domain="post_tag" nicename="{t}"><![CDATA[{t}]]></category>'
                for t in rng.sample(tags, 3)
            )
            out.write(
                f"<item><title>Notizia numero {post_id}</title>"
                f"<link>https://banco.example/{day.replace('-', '/')}/{name}/</link>"
                f"<dc:creator>firma{post_id % 40}</dc:creator>"
                "<content:encoded><![CDATA["
                + "\n\n".join(paragraph(rng) for _ in range(rng.randint(3, 8)))
                + "]]></content:encoded>"
                f"<excerpt:encoded><![CDATA[{paragraph(rng)[:200]}]]></excerpt:encoded>"
                f"<wp:post_id>{post_id}</wp:post_id>"
                f"<wp:post_date>{day} 10:00:00</wp:post_date>"
                f"<wp:post_date_gmt>{day} 09:00:00</wp:post_date_gmt>"
                "<wp:comment_status>open</wp:comment_status>"
                f"<wp:post_name>{name}</wp:post_name><wp:status>{status}</wp:status>"
                f"<wp:post_type>post</wp:post_type>{terms}"
            )
            first = comment_id + 1
            for index in range(COMMENTS_PER_POST):
                comment_id += 1
                # Replies to one of the post's earlier comments, threads of a few levels.
                parent = rng.randint(first, comment_id - 1) if index and rng.random() < 0.4 else 0
                approved = "1" if rng.random() < 0.85 else rng.choice(["0", "spam"])
                out.write(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>Lettore {comment_id % 997}</wp:comment_author>"
                    f"<wp:comment_author_email>lettore{comment_id % 997}@example.org"
                    "</wp:comment_author_email>"
                    f"<wp:comment_author_IP>198.51.100.{comment_id % 250}</wp:comment_author_IP>"
                    f"<wp:comment_date>{day} 12:00:00</wp:comment_date>"
                    f"<wp:comment_date_gmt>{day} 11:{index:02d}:00</wp:comment_date_gmt>"
                    f"<wp:comment_content><![CDATA[{paragraph(rng)[:300]}]]></wp:comment_content>"
                    f"<wp:comment_approved>{approved}</wp:comment_approved>"
                    f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
                )
            out.write("</item>\n")
        out.write("</channel>\n</rss>\n")


def peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="notizie-bench-") as folder:
        export = Path(folder) / "export.xml"
        started = time.perf_counter()
        write_export(export)
        size = export.stat().st_size / 1024 / 1024
        print(f"export: {POSTS} posts, {POSTS * COMMENTS_PER_POST} comments, {size:.0f} MB, "
              f"written in {time.perf_counter() - started:.1f} s")  # fmt: skip

        database = connections["default"]
        if database.vendor == "sqlite":
            # A file, like production, rather than the in-memory test database.
            database.settings_dict["TEST"]["NAME"] = str(Path(folder) / "bench.sqlite3")
        print(f"database: {database.vendor} (a fresh test database)")
        old_config = setup_databases(verbosity=0, interactive=False)
        try:
            before = peak_mb()
            for run in ("first run", "second run"):
                out = StringIO()
                started = time.perf_counter()
                call_command("import_wordpress", str(export), stdout=out)
                elapsed = time.perf_counter() - started
                print(f"{run}: {elapsed:.1f} s, peak memory {peak_mb():.0f} MB")
                print("\n".join(out.getvalue().splitlines()[1:8]))
            print(f"(peak memory before importing: {before:.0f} MB)")
        finally:
            teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
