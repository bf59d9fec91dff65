"""
Photos in an article's body.

The body editor (django-prose-editor's Figure) writes
``<figure><img src alt data-file="ID"><figcaption>…</figcaption></figure>``;
its picker (``ImageAdmin.picker_view``) fills in a photo of the library,
``images.Image``, whose id goes in ``data-file``. When the article is saved,
each such ``<img>`` is printed again from the library's renditions, with
``srcset``, ``sizes``, ``width``, ``height`` and lazy loading, so a page shows
the photos at the right size without a query.

Only the library's photos are kept. An ``<img>`` pointing elsewhere would load
someone else's file on every reader's page (a tracker, or a picture changed
after publication), and the Content-Security-Policy would block it anyway. The
admin form refuses such a body and names the image (``foreign_images``);
every other way in (imports, the shell) drops it (``responsive``).
"""

import html
import re

from .html import img_tag

# The sanitizer (nh3) writes attributes in double quotes, a quote inside as
# &quot;, but leaves ">" bare: a tag ends at the first ">" outside quotes.
IMG = re.compile(r'<img\b(?:[^>"]|"[^"]*")*>')
ATTRIBUTE = re.compile(r'([^\s=/>"]+)="([^"]*)"')
EMPTY_FIGURE = re.compile(r"<figure\b[^>]*>\s*(?:<figcaption>.*?</figcaption>\s*)?</figure>", re.S)
# The body's column is at most 40rem wide (--measure in site.css).
SIZES = "(min-width: 40rem) 40rem, 100vw"
LARGEST_ID = 2**31 - 1


def _attributes(tag: str) -> dict:
    return {name: html.unescape(value) for name, value in ATTRIBUTE.findall(tag)}


def _images(body: str) -> list[dict]:
    return [_attributes(tag) for tag in IMG.findall(body)]


def _library_id(attributes: dict) -> int | None:
    value = attributes.get("data-file", "")
    return int(value) if value.isdigit() and int(value) <= LARGEST_ID else None


def _library(images: list[dict]) -> dict:
    from .models import Image

    ids = {_library_id(attributes) for attributes in images} - {None}
    return Image.objects.in_bulk(ids) if ids else {}


def library_ids(body: str) -> set[int]:
    """The ids of the library's photos in ``body`` (saved by ``responsive``)."""
    return {_library_id(attributes) for attributes in _images(body)} - {None}


def foreign_images(body: str) -> list[str]:
    """The address of every image in ``body`` that is not a photo of the library."""
    images = _images(body)
    if not images:
        return []
    library = _library(images)
    return [
        attributes.get("src", "") for attributes in images if _library_id(attributes) not in library
    ]


def rewrite_images(body: str, replace) -> str:
    """
    ``body`` with each ``<img>`` replaced by ``replace(attributes)``: a new tag,
    or "" to drop it, and its figure with it.
    """
    return EMPTY_FIGURE.sub("", IMG.sub(lambda match: replace(_attributes(match.group())), body))


def responsive(body: str) -> str:
    """``body`` with its library photos printed from their renditions, and no other image."""
    if "<img" not in body:
        return body  # most bodies: no query
    library = _library(_images(body))

    def reprint(attributes):
        image = library.get(_library_id(attributes))
        if image is None:
            return ""
        # The editor's alt text for this use, else the library's.
        alt = attributes.get("alt", "").strip() or image.alt
        return img_tag(image.renditions, alt, SIZES, data_file=image.pk)

    return rewrite_images(body, reprint)
