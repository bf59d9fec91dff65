from django import template
from django.core.files.storage import default_storage

register = template.Library()


@register.inclusion_tag("images/picture.html")
def picture(renditions, alt, sizes="100vw", css_class="", loading="lazy"):
    """
    An ``<img>`` with ``srcset``, ``sizes``, ``width`` and ``height`` from stored
    renditions. No query, no file access: URLs are built from stored names.
    """
    available = (renditions or {}).get("sizes") or []
    if not available:
        return {"image": None}
    candidates = [
        {"url": default_storage.url(size["name"]), "width": size["width"]} for size in available
    ]
    # The middle rendition is a sensible fallback for browsers without srcset.
    fallback = available[min(1, len(available) - 1)]
    largest = available[-1]
    return {
        "image": {
            "src": default_storage.url(fallback["name"]),
            "srcset": ", ".join(f"{c['url']} {c['width']}w" for c in candidates),
            "width": largest["width"],
            "height": largest["height"],
        },
        "alt": alt,
        "sizes": sizes,
        "css_class": css_class,
        "loading": loading,
    }
