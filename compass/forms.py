"""Project-wide form rendering: NL Design System classes and accessible error wiring.

Django 5.2 already sets `aria-invalid` and `aria-describedby` (pointing at `<id>_helptext` and
`<id>_error`); this renderer adds the Utrecht component classes to every widget so that no
form has to repeat them.
"""

from django.forms import BoundField
from django.forms.renderers import DjangoTemplates

WIDGET_CLASSES = {
    "textarea": "utrecht-textarea",
    "select": "utrecht-select utrecht-select--html-select",
    "selectmultiple": "utrecht-select utrecht-select--html-select",
    "checkbox": "utrecht-checkbox utrecht-checkbox--html-input",
    "radioselect": "",
    "checkboxselectmultiple": "",
    "clearablefile": "",
    "file": "",
}


class AccessibleBoundField(BoundField):
    """A bound field whose widget carries the Utrecht class for its kind."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        css = WIDGET_CLASSES.get(self.widget_type, "utrecht-textbox utrecht-textbox--html-input")
        if self.errors and css:
            css += " utrecht-textbox--invalid" if "textbox" in css else ""
        if css:
            attrs["class"] = " ".join(filter(None, [attrs.get("class", ""), css]))
        return attrs


class FormRenderer(DjangoTemplates):
    """Template renderer that gives every form the accessible bound field."""

    bound_field_class = AccessibleBoundField
