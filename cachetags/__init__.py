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
  home                the site-wide lists: home page, main feeds
  sitemap             the sitemaps, which list every article, section, tag and author
  section-list:<id>   which articles a section's lists show
  tag-list:<id>       which articles a tag's lists show
  author-list:<id>    which articles an author's lists show
  site                what every page shows (the menu)
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps

HOME = "home"
SITE = "site"
SITEMAP = "sitemap"


@dataclass
class Collection:
    """What a page's render said of it: its tags, and whether it is worth storing."""

    tags: set[str] = field(default_factory=set)
    storable: bool = True


_current: ContextVar[Collection | None] = ContextVar("cachetags", default=None)


def add(*tags: str) -> None:
    """Record ``tags`` on the page being rendered, if one is."""
    collection = _current.get()
    if collection is not None:
        collection.tags.update(tags)


def do_not_store() -> None:
    """
    The page being rendered is not worth keeping: it answers a request no link
    of the site makes (an unknown comment to answer, a page number past the
    last), and each such request would be an entry of its own.
    """
    collection = _current.get()
    if collection is not None:
        collection.storable = False


def standing_for(*tags: str):
    """
    A view decorator for pages that list too many objects to name each (the
    sitemaps): ``tags`` stand for what the page shows, and the objects it
    loads are not collected one by one.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            add(*tags)
            with uncollected() as inner:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render"):
                    response.render()  # a TemplateResponse loads as it renders
            if not inner.storable:
                do_not_store()
            return response

        return wrapped

    return decorator


def uncollected():
    """
    A block whose loads are not collected one by one, because a tag added
    outside it stands for them (the menu's sections, which ``site`` covers).
    """
    return collect()


@contextmanager
def collect() -> Iterator[Collection]:
    """Collect what is said of the page rendered while the block runs."""
    collection = Collection()
    token = _current.set(collection)
    try:
        yield collection
    finally:
        _current.reset(token)


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
