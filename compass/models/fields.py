"""A model field for several answers to one question: a list of choice codes."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class ChoiceList(models.JSONField):
    """A list of codes from `options` (a TextChoices class), stored as a JSON list.

    Stored in the order of the options, each code once, so a step saved as rendered stores the
    same list. The form field is a set of checkboxes; every entry path (step, admin, JSON
    import) is checked by `validate`. The options are not part of the database schema (a new
    option needs no migration), so they are left out of `deconstruct`.
    """

    def __init__(self, *args, options=None, **kwargs):
        self.options = options
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    @property
    def option_choices(self) -> list[tuple[str, str]]:
        return list(self.options.choices) if self.options is not None else []

    def label_of(self, code) -> str:
        return str(dict(self.option_choices).get(code, code))

    def ordered(self, value):
        """The codes in the options' order, each once (unknown codes are left as they are)."""
        if not isinstance(value, list):
            return value
        order = {code: index for index, (code, _label) in enumerate(self.option_choices)}
        seen = []
        for code in value:
            if code not in seen:
                seen.append(code)
        return sorted(seen, key=lambda code: order.get(code, len(order)))

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if value in (None, "") and self.blank:
            return
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            raise ValidationError(_("Give a list of choices."), code="invalid_list")
        known = {code for code, _label in self.option_choices}
        unknown = [code for code in value if code not in known]
        if unknown and self.options is not None:
            raise ValidationError(
                _("'%(value)s' is not one of the choices."),
                code="invalid_choice",
                params={"value": unknown[0]},
            )
        if len(set(value)) != len(value):
            raise ValidationError(_("A choice is listed twice."), code="duplicate_choice")

    def pre_save(self, model_instance, add):
        value = self.ordered(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        defaults = {
            "choices": self.option_choices,
            "required": not self.blank,
            "label": capfirst(self.verbose_name),
            "help_text": self.help_text,
            "widget": forms.CheckboxSelectMultiple,
        }
        defaults.update({k: v for k, v in kwargs.items() if k in ("widget", "label", "help_text")})
        return ChoiceListFormField(model_field=self, **defaults)


class ChoiceListFormField(forms.MultipleChoiceField):
    """Checkboxes whose cleaned value is in the options' order, each code once (a repeated
    value in a hand-made POST is not worth an error message)."""

    def __init__(self, *args, model_field=None, **kwargs):
        self.model_field = model_field
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.model_field.ordered(value) if self.model_field is not None else value
