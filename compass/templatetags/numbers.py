"""Template filters over compass/numbers.py and compass/periods.py: {% load numbers %}.

{{ value|decimal }} (at most 2 decimals), {{ value|decimal:1 }}, {{ value|fixed:1 }} (always one
decimal), {{ value|percent }}, {{ value|percent:1 }}, {{ value|signed }}, {{ value|count }},
{{ code|period }}.
"""

from django import template

from compass import numbers, periods

register = template.Library()


@register.filter
def decimal(value, places=2):
    return numbers.decimal(value, int(places))


@register.filter
def fixed(value, places=1):
    return numbers.decimal(value, int(places), fixed=True)


@register.filter
def percent(value, places=0):
    return numbers.percent(value, int(places))


@register.filter
def signed(value, places=0):
    return numbers.signed(value, int(places))


@register.filter
def count(value):
    return numbers.count(value)


@register.filter
def period(code):
    return periods.label(code)
