"""{% district_rollup_summary cycle %}: the districts' section of a municipal cycle's dashboard.

An inclusion tag, so the dashboard includes it with one line and its view stays as it is; the
section links to the roll-up (/jaarcycli/<cycle>/wijken/) when the cycle has district cycles,
and renders nothing (without a query) on a district cycle.
"""

from django import template

from compass import district_rollup

register = template.Library()


@register.inclusion_tag("questionnaire/includes/district_rollup_summary.html")
def district_rollup_summary(cycle):
    return {"cycle": cycle, "summary": district_rollup.summary(cycle)}
