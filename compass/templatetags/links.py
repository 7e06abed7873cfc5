"""`{{ url|safe_url }}`: a stored link as it may be put in an href, or "" (see compass.links)."""

from django import template

from compass import links

register = template.Library()


@register.filter
def safe_url(value) -> str:
    return links.safe_url(value)
