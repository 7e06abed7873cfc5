"""Merge a step's input with a save made in between, per field (issue 13, item 5).

The step form carries `base`: the saved values it was rendered from, as the browser sends
them. When somebody saved the step in between (HTTP 409), each field of each saved row is
merged against that base: a field only the other person changed keeps their value, a field
only this user changed keeps theirs, and a field both changed differently is a conflict the
user decides: their own input stays in the form, the other value is shown beside it with a
checkbox "take their value" (`TAKE`), applied by `apply_choices` on the next save.
"""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import ValidationError

from questionnaire.closed_rows import CLOSED

MISSING = object()
TAKE = "take"  # the checkboxes of the conflict table: the field keys whose other value is taken
THEIRS = "theirs:"  # + field key: the other person's value as sent (JSON list), beside TAKE


def apply_choices(data):
    """Return `data` with every field ticked in the conflict table set to the other value.

    The other value travels as a JSON list in `theirs:<key>`; it is input like any other
    (the step's forms validate it), so a forged one can do no more than typing could.
    """
    keys = data.getlist(TAKE)
    extra = [key for key in data if key.startswith(THEIRS)]
    if not keys and not extra:
        return data
    data = data.copy()
    for key in keys:
        try:
            values = json.loads(data.get(THEIRS + key, ""))
        except ValueError:
            continue
        if isinstance(values, list) and all(isinstance(v, str) for v in values):
            data.setlist(key, values)
    data.pop(TAKE, None)
    for key in extra:
        data.pop(key, None)
    return data


def merge_value(base, mine, theirs, same=lambda a, b: a == b):
    """Return (value to keep, conflict?) for one field; `base` may be MISSING (unknown)."""
    if base is MISSING:
        return mine, not same(mine, theirs)
    if same(mine, base):
        return theirs, False
    if same(theirs, base) or same(mine, theirs):
        return mine, False
    return mine, True


def rendered(form) -> dict[str, list[str]]:
    """The saved values of a form's fields as a browser sends them (from `initial`)."""
    out = {}
    for name, field in form.fields.items():
        if name == "DELETE" or field.widget.is_hidden:
            continue
        value = field.prepare_value(form[name].initial)
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            out[name] = ["on"] if value else []
        elif isinstance(field, forms.MultipleChoiceField):
            out[name] = [str(v) for v in value or []]
        else:
            shown = widget.format_value(value)
            if isinstance(shown, list):
                shown = shown[0] if shown else ""
            out[name] = ["" if shown is None else str(shown)]
    return out


def comparer(field):
    """Equality of two sent values of `field`, after reading them as the field does."""

    def norm(values):
        if isinstance(field, forms.MultipleChoiceField):
            return sorted(set(values))
        raw = values[0] if values else ""
        try:
            value = field.to_python(raw)
        except ValidationError:
            return ("raw", raw.strip())
        return "" if value is None else value

    return lambda a, b: norm(a) == norm(b)


def base_of(built) -> str:
    """The `base` the step form carries: the saved rows it shows, as JSON."""
    snapshot = {}
    for part, form in built.forms:
        if part.single:
            if form.instance.pk:
                snapshot[part.prefix] = {"single": rendered(form)}
            continue
        snapshot[part.prefix] = {
            str(row.instance.pk): rendered(row)
            for row in form.forms
            # A closed row sends no values: the merge takes the saved ones for it.
            if row.instance.pk and not getattr(row, "closed_html", None)
        }
    return json.dumps(snapshot, separators=(",", ":"))


def _parse(text):
    try:
        value = json.loads(text or "")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _label(field, values):
    choices = {str(k): str(v) for k, v in getattr(field, "choices", []) or []}
    if isinstance(field.widget, forms.CheckboxInput):
        return "✓" if values else "–"
    return ", ".join(choices.get(v, v) for v in values if v != "") or "–"


def merge_step(current, data, base_text):
    """Merge `data` (the stale POST) into the step's `current` saved rows.

    Return (merged data, conflicts as dicts: item, field, mine and theirs shown, the field's
    key and the other value as JSON for the "take their value" checkbox).
    """
    base = _parse(base_text)
    merged = data.copy()
    conflicts = []
    for part, form in current.forms:
        part_base = base.get(part.prefix) if isinstance(base.get(part.prefix), dict) else {}
        if part.single:
            rows = [(f"{part.prefix}-", form, part_base.get("single"), str(part.title))]
        else:
            saved = {str(row.instance.pk): row for row in form.forms if row.instance.pk}
            rows = []
            try:
                total = min(int(data.get(f"{part.prefix}-TOTAL_FORMS", 0)), 1000)
            except ValueError:
                total = 0
            for i in range(total):
                pk = data.get(f"{part.prefix}-{i}-id", "")
                if pk in saved:
                    label = f"{part.row_label}: {saved[pk].instance}"
                    rows.append((f"{part.prefix}-{i}-", saved[pk], part_base.get(pk), label))
        for key_prefix, row, row_base, label in rows:
            theirs_all = rendered(row)
            closed = bool(data.get(key_prefix + CLOSED))  # shown closed: nothing typed in it
            for name, theirs in theirs_all.items():
                key = key_prefix + name
                field = row.fields[name]
                if closed:
                    merged.setlist(key, theirs)
                    continue
                mine = data.getlist(key)
                old = MISSING
                if isinstance(row_base, dict) and isinstance(row_base.get(name), list):
                    old = row_base[name]
                value, conflict = merge_value(old, mine, theirs, comparer(field))
                merged.setlist(key, value)
                if conflict:
                    conflicts.append(
                        {
                            "item": label,
                            "field": str(field.label),
                            "mine": _label(field, mine),
                            "theirs": _label(field, theirs),
                            "key": key,
                            "theirs_json": json.dumps(theirs),
                        }
                    )
    return merged, conflicts
