"""History as data: what a save changed, stored as field names and raw values, shown when read.

A save hands `Change` rows to `compass.services.record_changes`; a `ChangeRecord` keeps the
part's key, the field's name and the raw values (JSON), never text in the saver's language.
`shown(record)` renders item, field and values in the active language, so an English save reads
in Dutch for a Dutch reader and the other way round. Rows stored as text before this (event
"text") are shown as they were stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext


@dataclass(frozen=True)
class Change:
    """One history row as data. `item` is the row's own text (user data, not translated)."""

    part: str  # registry key
    item: str
    field: str = ""  # field name; empty for a removed row or an imported step
    old: Any = None  # raw values (Field.raw)
    new: Any = None
    event: str = "changed"  # ChangeRecord.Event value


@dataclass(frozen=True)
class Shown:
    item: str
    field: str
    old: str
    new: str


def shown(record) -> Shown:
    from compass import parts

    Event = type(record).Event
    if record.event == Event.IMPORTED:
        return Shown(gettext("Imported from a JSON export"), gettext("whole step"), "", record.item)
    part = parts.PARTS.get(record.part)
    if record.event == Event.TEXT or part is None:
        return Shown(record.item, record.field, record.old, record.new)
    item = str(part.title) if part.single else f"{part.row_label}: {record.item}"
    if record.event == Event.REMOVED:
        return Shown(f"{part.row_label}: {record.item}", gettext("removed"), record.item, "")
    try:
        field = part.field(record.field_name)
    except KeyError:  # a field since removed from the registry: show its name
        return Shown(
            item, record.field_name, str(record.old_value or ""), str(record.new_value or "")
        )
    return Shown(
        item, str(field.label), field.shown(record.old_value), field.shown(record.new_value)
    )
