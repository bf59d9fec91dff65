"""The ``<img>`` of stored renditions: no query, no file access."""

from functools import lru_cache

from django.core.files.storage import default_storage
from django.forms.utils import flatatt
from django.utils.html import format_html


@lru_cache(maxsize=8192)
def _storage_url(base_url, name) -> str:
    return default_storage.url(name)


def storage_url(name) -> str:
    """``default_storage.url(name)``, remembered: names are immutable, and the
    key holds the storage's base URL, which a change of MEDIA_URL resets."""
    return _storage_url(default_storage.base_url, name)


def fallback_url(renditions) -> str:
    """The rendition for browsers without ``srcset``: the middle one, a sensible size."""
    available = (renditions or {}).get("sizes") or []
    return storage_url(available[min(1, len(available) - 1)]["name"]) if available else ""


def img_tag(renditions, alt, sizes="100vw", css_class="", loading="lazy", data_file=None) -> str:
    """
    An ``<img>`` with ``srcset``, ``sizes``, ``width`` and ``height`` from stored
    renditions (``images.renditions``); "" without renditions. URLs are built
    from the stored names.
    """
    available = (renditions or {}).get("sizes") or []
    if not available:
        return ""
    srcset = ", ".join(f"{storage_url(size['name'])} {size['width']}w" for size in available)
    largest = available[-1]
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{} loading="{}"'
        ' decoding="async"{}>',
        fallback_url(renditions),
        srcset,
        sizes,
        largest["width"],
        largest["height"],
        alt,
        flatatt({"class": css_class or None}),
        loading,
        # The body editor keeps the library's id in data-file (images/body.py).
        flatatt({"data-file": data_file}),
    )


def thumbnail_tag(renditions, display_width: int) -> str:
    """
    An ``<img>`` of the smallest rendition, ``display_width`` pixels wide, for
    the admin's lists; "" without renditions.
    """
    sizes = (renditions or {}).get("sizes") or []
    if not sizes:
        return ""
    smallest = sizes[0]
    height = max(1, round(smallest["height"] * display_width / smallest["width"]))
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="">',
        storage_url(smallest["name"]),
        display_width,
        height,
    )


def picture(renditions, alt, sizes="100vw", css_class="", loading="lazy") -> str:
    """The ``<img>`` of stored renditions as reader pages print it, a line of its own."""
    return format_html("{}\n", img_tag(renditions, alt, sizes, css_class, loading))
