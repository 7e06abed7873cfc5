"""New and updated figures in the Situatie step's draft (the raw POST of its figures formset)."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.utils import formats

from questionnaire.cycle_forms import MAX_ROWS

PREFIX = "figures"  # the figures formset of the Situatie step (questionnaire.wizard)


ROW_KEY = re.compile(rf"^{PREFIX}-(\d+)-(.+)$")


def _number(text) -> Decimal | None:
    try:
        return Decimal(formats.sanitize_separators(str(text).strip()))
    except (InvalidOperation, ValueError):
        return None


def merge_into_draft(draft: dict, created, changed_old) -> dict | None:
    """Return the draft with the new figures as saved rows, or None if it cannot be read.

    A draft is the raw POST of the step. New figures become saved rows right after the draft's
    saved rows (typed, unsaved rows move down), so they show in the formset and the next save
    keeps them. An updated figure's value in the draft follows the update only where the user
    had not changed it: what somebody typed is never overwritten.
    """
    try:
        total = int(draft[f"{PREFIX}-TOTAL_FORMS"][0])
        initial = int(draft[f"{PREFIX}-INITIAL_FORMS"][0])
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    if not 0 <= initial <= total <= MAX_ROWS:
        return None
    count = len(created)
    if total + count > MAX_ROWS:
        return None
    merged: dict[str, list] = {}
    rows: dict[int, dict[str, list]] = defaultdict(dict)
    for key, values in draft.items():
        match = ROW_KEY.match(key)
        if match:
            rows[int(match.group(1))][match.group(2)] = values
        else:
            merged[key] = values
    by_id = {}
    for index, fields in rows.items():
        if index < initial and fields.get("id"):
            by_id[str(fields["id"][0])] = fields
    for figure, (old_value, old_provisional) in changed_old:
        fields = by_id.get(str(figure.pk))
        if fields is None:
            continue
        typed = _number((fields.get("value") or [""])[0])
        if typed is not None and typed == old_value:
            fields["value"] = [formats.localize_input(figure.value)]
        typed_provisional = bool(fields.get("provisional"))
        if typed_provisional == old_provisional:
            if figure.provisional:
                fields["provisional"] = ["on"]
            else:
                fields.pop("provisional", None)
    for index, fields in rows.items():
        target = index if index < initial else index + count
        for name, values in fields.items():
            merged[f"{PREFIX}-{target}-{name}"] = values
    for offset, figure in enumerate(created):
        index = initial + offset
        values = {
            "id": [str(figure.pk)],
            "label": [figure.label],
            "indicator": [str(figure.indicator_id) if figure.indicator_id else ""],
            "period": [figure.period],
            "value": [formats.localize_input(figure.value)],
            "source": [figure.source],
        }
        if figure.provisional:
            values["provisional"] = ["on"]
        for name, value in values.items():
            merged[f"{PREFIX}-{index}-{name}"] = value
    merged[f"{PREFIX}-TOTAL_FORMS"] = [str(total + count)]
    merged[f"{PREFIX}-INITIAL_FORMS"] = [str(initial + count)]
    return merged
