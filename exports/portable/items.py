"""One JSON object -> one unsaved model instance: types, lengths, choices and validators."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from exports.portable.problems import Problems, field_label


def check_type(field: models.Field, value) -> str | None:
    """Return a message when the JSON value has the wrong type for the field."""
    from compass.models.fields import ChoiceList

    if value is None:
        return None if field.null else _("a value is required")
    if isinstance(field, ChoiceList):
        if isinstance(value, list) and all(isinstance(code, str) for code in value):
            return None
        return _('must be a list of codes, e.g. ["psychiatric", "addiction"]')
    if isinstance(field, models.BooleanField):
        return None if isinstance(value, bool) else _("must be true or false")
    if isinstance(field, models.DecimalField):
        if isinstance(value, str) and value.strip():
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return None
        return _('must be a number written as text, e.g. "12.5"')
    if isinstance(field, models.IntegerField):
        if isinstance(value, int) and not isinstance(value, bool):
            return None
        return _("must be a whole number")
    if isinstance(field, models.DateField):
        return None if isinstance(value, str) and value else _("must be a date (YYYY-MM-DD)")
    if isinstance(field, models.CharField | models.TextField):
        if not isinstance(value, str):
            return _("must be text")
        if "\x00" in value:
            return _("contains a character that is not allowed")
        if field.max_length and len(value) > field.max_length:
            return _("is %(length)s characters long; at most %(max)s are allowed") % {
                "length": len(value),
                "max": field.max_length,
            }
        return None
    return None  # pragma: no cover - every exported field type is handled above


def build(model, data, fields, where, problems: Problems, extra=None, exclude=(), clean=True):
    """An unsaved instance from the JSON object, type-checked and full_clean'ed; None if bad."""
    if not isinstance(data, dict):
        problems.add(where, _("must be an object with fields"))
        return None
    allowed = set(fields) | set(extra or ())
    unknown = sorted(set(data) - allowed)
    for key in unknown:
        problems.add(where, _("unknown field '%(name)s'") % {"name": key})
    instance = model()
    bad = set()
    for name in fields:
        field = model._meta.get_field(name)
        if name not in data:
            continue  # the model default; a required field is reported by full_clean
        message = check_type(field, data[name])
        if message:
            problems.add(f"{where}: {field_label(model, name)}", message)
            bad.add(name)
            continue
        setattr(instance, field.attname, data[name])
    if clean:
        skip = [f.name for f in model._meta.fields if f.name not in fields]
        skip += list(exclude) + sorted(bad)
        try:
            instance.full_clean(exclude=skip, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            report(error, model, where, problems)
            return None
    return None if bad or unknown else instance


def report(error: ValidationError, model, where: str, problems: Problems) -> None:
    """Add every message of a model's ValidationError, with the field it is about."""
    for name, messages in error.message_dict.items():
        label = "" if name == "__all__" else f": {field_label(model, name)}"
        for message in messages:
            problems.add(f"{where}{label}", message)


def list_of(data, name, where, problems: Problems) -> list:
    """The list `name` of a JSON object ([] when absent or null)."""
    value = data.get(name, [])
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(where, _("'%(name)s' must be a list") % {"name": name})
        return []
    return value


def ref(value, known: dict, where, label, problems: Problems, required=True):
    """Resolve a local key; report a missing or unknown one."""
    if value is None and not required:
        return None
    if not isinstance(value, str) or value not in known:
        problems.add(
            f"{where}: {label}",
            _("refers to '%(key)s', which is not in the file") % {"key": value},
        )
        return None
    return known[value]
