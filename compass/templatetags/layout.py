"""Template filters for layout decisions that depend on a field's content: {% load layout %}."""

from django import template
from django.forms.models import ModelChoiceIterator

register = template.Library()

LONG_TEXT = 100  # characters: a text field that may hold more gets the whole row
LONG_CHOICE = 16  # characters: a select with a longer option gets the whole row


@register.filter
def wide(bound_field) -> bool:
    """Whether the field needs the full width of its row so that its text is not cut off."""
    field = getattr(bound_field, "field", None)
    if field is None:
        return False
    kind = getattr(bound_field, "widget_type", "")
    if kind == "textarea":
        return True
    if kind in ("text", "url", "email") and (getattr(field, "max_length", None) or 0) > LONG_TEXT:
        return True
    choices = getattr(field, "choices", None)
    if kind == "select" and choices and not isinstance(choices, ModelChoiceIterator):
        # Static choices only: a model's choices would cost a query per field.
        return any(len(str(label)) > LONG_CHOICE for _value, label in choices)
    return False
