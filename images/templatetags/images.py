from django import template
from django.utils.safestring import mark_safe

from ..html import img_tag

register = template.Library()


@register.simple_tag
def picture(renditions, alt, sizes="100vw", css_class="", loading="lazy"):
    """
    An ``<img>`` with ``srcset``, ``sizes``, ``width`` and ``height`` from stored
    renditions (``images/html.py``).

    Built in Python rather than by an inclusion template, as it is printed once
    per teaser; the output (trailing newline included) is what
    images/picture.html gave.
    """
    return mark_safe(img_tag(renditions, alt, sizes, css_class, loading) + "\n")
