"""`{{ cycle|cycle_place }}`, `{% district_banner cycle %}` and `{% district_breadcrumbs cycle %}`:
how the pages of a district cycle say whose cycle it is (questionnaire.district_pages)."""

from django import template

from questionnaire import district_pages

register = template.Library()


@register.filter
def cycle_place(cycle):
    return district_pages.cycle_place(cycle)


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.inclusion_tag("questionnaire/includes/district_banner.html", takes_context=True)
def district_banner(context, cycle):
    """The notice on every page of a district cycle (nothing on a municipal cycle)."""
    if not cycle.district_id:
        return {"cycle": None}
    return {
        "cycle": cycle,
        "municipal_url": district_pages.municipal_cycle_url(_user(context), cycle),
    }


@register.inclusion_tag("questionnaire/includes/district_breadcrumbs.html", takes_context=True)
def district_breadcrumbs(context, cycle, current=""):
    """My municipalities › annual cycle of the municipality › district › `current`."""
    return {
        "cycle": cycle,
        "current": current,
        "municipal_url": district_pages.municipal_cycle_url(_user(context), cycle)
        if cycle.district_id
        else "",
    }


@register.simple_tag(takes_context=True)
def sees_municipality(context, cycle):
    """`{% sees_municipality cycle as whole %}`: whether the user reads the municipality as a
    whole (its figures pages); False for a member limited to a district."""
    return district_pages.sees_municipality(_user(context), cycle)
