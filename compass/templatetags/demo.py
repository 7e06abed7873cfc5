"""`{% demo_installation as demo %}`: whether to show the demo notice (no request needed, so
the PDF report uses it too)."""

from django import template

from compass.demodata import is_demo_installation

register = template.Library()


@register.simple_tag
def demo_installation() -> bool:
    return is_demo_installation()
