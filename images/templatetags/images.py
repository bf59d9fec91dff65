from functools import lru_cache

from django import template
from django.core.files.storage import default_storage
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@lru_cache(maxsize=8192)
def _storage_url(base_url, name) -> str:
    return default_storage.url(name)


def storage_url(name) -> str:
    """``default_storage.url(name)``, remembered: names are immutable, and the
    key holds the storage's base URL, which a change of MEDIA_URL resets."""
    return _storage_url(default_storage.base_url, name)


@register.simple_tag
def picture(renditions, alt, sizes="100vw", css_class="", loading="lazy"):
    """
    An ``<img>`` with ``srcset``, ``sizes``, ``width`` and ``height`` from stored
    renditions. No query, no file access: URLs are built from stored names.

    Built here rather than by an inclusion template, as it is printed once per
    teaser; the output (trailing newline included) is what images/picture.html gave.
    """
    available = (renditions or {}).get("sizes") or []
    if not available:
        return mark_safe("\n")
    url = storage_url
    srcset = ", ".join(f"{url(size['name'])} {size['width']}w" for size in available)
    # The middle rendition is a sensible fallback for browsers without srcset.
    fallback = available[min(1, len(available) - 1)]
    largest = available[-1]
    esc = conditional_escape
    css = f' class="{esc(css_class)}"' if css_class else ""
    return mark_safe(
        f'<img src="{esc(url(fallback["name"]))}" srcset="{esc(srcset)}" sizes="{esc(sizes)}"'
        f' width="{esc(largest["width"])}" height="{esc(largest["height"])}" alt="{esc(alt)}"'
        f'{css} loading="{esc(loading)}" decoding="async">\n'
    )
