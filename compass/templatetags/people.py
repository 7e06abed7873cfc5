"""`{% shown_name person municipality %}`: a person's name as the logged-in viewer may see it."""

from django import template

from compass import people

register = template.Library()


@register.simple_tag(takes_context=True)
def shown_name(context, author, municipality=None):
    request = context.get("request")
    viewer = getattr(request, "user", None) or context.get("user")
    return people.shown_name(viewer, author, municipality)
