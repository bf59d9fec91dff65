"""The ``iso`` date filter, for the sitemaps' and the admin's Django templates."""

from django import template

from ..seo import iso

register = template.Library()
register.filter("iso", iso)
