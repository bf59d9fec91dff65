"""
Wagtail's render time on this machine, measured the way ``make bench`` measures
ours: by tests/bench/render.py, which both use.

Issue 7 sets our article page's targets against Wagtail 8 rendering a plainer
article page on the issue author's machine (4.5 ms on SQLite, 6.4 ms on
PostgreSQL, 10 queries). This machine is slower than that one by a factor that
varies with its load, so the targets only mean something beside Wagtail
measured here, the same way: Wagtail's time here over its time there is this
machine's factor, by which our targets scale.

Run with the comparator's own venv (``make bench-wagtail`` makes it):

    python tests/bench/wagtail/measure.py [--renders 200] [--build] [--template plain|tutorial]

With ``--instructions N`` it counts N requests instead, to be run under
callgrind (``callgrind()`` in tests/bench/render.py).

DATABASE_URL picks the database: sqlite:////path (bench-results/wagtail.sqlite3
when unset) or postgres://…/notizie_wagtail, a database created when missing.
The data is built when missing, or anew with --build. One line of JSON goes to
stdout, everything else to stderr.
"""

import argparse
import json
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
# shared/seed/seed-article.json as the repository keeps it: what our bench loads.
SEED = HERE.parents[2] / "newsroom" / "fixtures" / "reference-article.json"
GENERATED = 1_000
# The page's template, picked at run time so that the models stay the
# tutorial's. "plain" is the page issue 7 counts 10 queries on, as near as we
# can tell; "tutorial" is the tutorial's template word for word.
TEMPLATES = {"plain": "blog/blog_page_plain.html", "tutorial": "blog/blog_page.html"}
WORDS = ["porto", "comune", "consiglio", "bilancio", "scuola", "treno", "ponte", "sindaco"]


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def seed_article() -> dict:
    """The reference article and its authors, read as newsroom/demo.py reads them."""
    data = json.loads(SEED.read_text(encoding="utf-8"))
    authors = {person["slug"]: person for person in data["authors"]}
    article = data["article"]
    return {**article, "authors": [authors[slug] for slug in article["authors"]]}


def sentence(rng, length):
    return " ".join(rng.choices(WORDS, k=length)).capitalize() + "."


def ensure_postgres_database(url: str):
    """Create the PostgreSQL database of DATABASE_URL when missing; refuse any not its own."""
    from tests.bench.databases import create_database_if_missing

    name = urlsplit(url).path.lstrip("/")
    # The build deletes and writes: never in a database of Notizie's.
    if not name.startswith("notizie_wagtail"):
        sys.exit(f"measure.py: database {name!r}: its name must start with notizie_wagtail")
    create_database_if_missing(url)


def migrate(force: bool):
    """Apply the migrations when asked or when some are missing, quietly."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if force or executor.migration_plan(executor.loader.graph.leaf_nodes()):
        log("migrating")
        call_command("migrate", verbosity=0, interactive=False)


def seed_page():
    """The seed's BlogPage when the data is all there, else None."""
    from blog.models import BlogPage
    from django.utils.text import slugify

    if BlogPage.objects.count() != GENERATED + 1:
        return None
    return BlogPage.objects.filter(slug=slugify(seed_article()["title"])).first()


def build():
    """
    The site anew: a home page as the site's root, the tutorial's tag page, the
    blog index, the seed article and GENERATED more, all with the seed's author
    and tags. Pages go in with Wagtail's add_child, as an editor's would, so
    the tree, the search index and the reference index are Wagtail's own.
    """
    from blog.models import Author, BlogIndexPage, BlogPage, BlogTagIndexPage, HomePage
    from django.db import transaction
    from django.utils import timezone
    from django.utils.html import strip_tags
    from django.utils.text import slugify
    from taggit.models import Tag
    from wagtail.models import Page, Site

    seed = seed_article()
    rng = random.Random(1972)
    yesterday = timezone.localdate() - timedelta(days=1)
    started = time.perf_counter()
    with transaction.atomic():
        root = Page.get_first_root_node()
        for page in root.get_children():
            page.delete()
        Site.objects.all().delete()
        Author.objects.all().delete()
        Tag.objects.all().delete()

        home = root.add_child(instance=HomePage(title="Home", slug="home"))
        Site.objects.create(
            hostname="localhost", root_page=home, is_default_site=True, site_name="Notizie"
        )
        home.add_child(instance=BlogTagIndexPage(title="Tags", slug="tags"))
        blog = home.add_child(instance=BlogIndexPage(title="Blog", slug="blog"))
        authors = [Author.objects.create(name=person["name"]) for person in seed["authors"]]

        def add(title, date, intro, body):
            page = BlogPage(title=title, slug=slugify(title), date=date, intro=intro, body=body)
            page.authors.set(authors)
            page.tags.set(seed["tags"])
            return blog.add_child(instance=page)

        # The tutorial's intro is required; the seed has no summary (ours shows
        # none), so the body's first sentence stands in, the shortest honest one.
        intro = seed.get("summary") or strip_tags(seed["body_html"]).split(". ")[0] + "."
        add(seed["title"], yesterday, intro, seed["body_html"])
        for n in range(GENERATED):
            body = "".join(f"<p>{sentence(rng, rng.randint(25, 45))}</p>" for _ in range(6))
            add(f"Articolo {n}", yesterday - timedelta(days=1 + n), sentence(rng, 12), body)
            if (n + 1) % 250 == 0:
                log(f"pages {n + 1} / {GENERATED}")
    log(f"built in {time.perf_counter() - started:.1f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=200, help="timed requests (200)")
    parser.add_argument(
        "--instructions", type=int, help="count this many requests instead, under callgrind"
    )
    parser.add_argument("--build", action="store_true", help="migrate and build the data anew")
    parser.add_argument(
        "--template",
        choices=TEMPLATES,
        default="plain",
        help="plain: the issue's 10 queries (default); tutorial: as the tutorial writes it",
    )
    args = parser.parse_args()

    # settings, urls and blog are top-level modules of this folder; never our
    # project's settings, even if the shell names them. The repository's root
    # for tests/bench/render.py, which measures both projects and imports
    # neither.
    sys.path.insert(0, str(HERE))
    sys.path.insert(1, str(HERE.parents[2]))
    os.environ["DJANGO_SETTINGS_MODULE"] = "settings"
    import django
    from django.conf import settings

    url = settings.DATABASE_URL
    if url.startswith("postgres"):
        ensure_postgres_database(url)
    django.setup()
    from blog.models import BlogPage
    from django.db import connection

    migrate(force=args.build)
    page = None if args.build else seed_page()
    if page is None:
        build()
        page = seed_page()
    BlogPage.template = TEMPLATES[args.template]

    import wagtail

    from tests.bench.render import count_instructions, render_times

    if args.instructions:
        count_instructions(page.url, args.instructions)
        return
    result = render_times({"page": page.url}, args.renders)["page"]
    print(
        json.dumps(
            {
                **result,
                "database": connection.vendor,
                "wagtail": wagtail.__version__,
                "django": django.__version__,
                "template": args.template,
            }
        )
    )


if __name__ == "__main__":
    main()
