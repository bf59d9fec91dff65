"""
Cache tags: the names of the things a reader page was built from.

While a page renders, the views, template helpers and model loads add the tags
of what it shows to the current collection (``collect()``, opened by the page
cache around the view); the response carries them, and a write invalidates
exactly the tags it touched, in Notizie's page cache and at the edge (Varnish's
xkey, a CDN's surrogate keys). Outside a collection ``add()`` does nothing, so
the admin and the management commands pay nothing for it.

Any app may import this module; it imports nothing of theirs.

The tags:
  article:<id>        the article, on its page and on every teaser of it
  section:<id>        a section's name and description (menu, kicker, page)
  tag:<id>            a tag's name
  author:<id>         an author's name, bio and photo
  home                the site-wide lists: home page, main feeds, sitemaps
  section-list:<id>   which articles a section's lists show
  tag-list:<id>       which articles a tag's lists show
  author-list:<id>    which articles an author's lists show
  site                what every page shows (the menu)
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

HOME = "home"
SITE = "site"

_collected: ContextVar[set[str] | None] = ContextVar("cachetags", default=None)


def add(*tags: str) -> None:
    """Record ``tags`` on the page being rendered, if one is."""
    collected = _collected.get()
    if collected is not None:
        collected.update(tags)


def add_all(tags: Iterable[str]) -> None:
    add(*tags)


def collecting() -> bool:
    return _collected.get() is not None


@contextmanager
def collect() -> Iterator[set[str]]:
    """Collect the tags added while the block runs, into the set it yields."""
    collected: set[str] = set()
    token = _collected.set(collected)
    try:
        yield collected
    finally:
        _collected.reset(token)


def article(pk) -> str:
    return f"article:{pk}"


def section(pk) -> str:
    return f"section:{pk}"


def tag(pk) -> str:
    return f"tag:{pk}"


def author(pk) -> str:
    return f"author:{pk}"


def section_list(pk) -> str:
    return f"section-list:{pk}"


def tag_list(pk) -> str:
    return f"tag-list:{pk}"


def author_list(pk) -> str:
    return f"author-list:{pk}"
