"""The registry of the parts of an annual cycle: one declaration per part, read by every path.

    from compass import parts

    parts.PARTS                    # {key: Part}, in step order (a part after what it points at)
    parts.get("results")           # one Part (KeyError for an unknown key)
    parts.for_step(Step.AMBITIONS) # the parts of a step, in their order
    parts.for_model(Result)        # the Part of a model
    part.fields                    # (Field(name, kind, ref), ...) in order; field.label
    part.columns() / part.headers() / part.row(obj)      # CSV/XLSX
    part.to_json(obj, keys) / part.from_json(data)       # the JSON file
    part.validate(instance, cycle=cycle)                 # {field: [Dutch messages]} or {}
    part.check_row_count(n)                              # message or None
    part.copy / part.rows_to_copy(cycle)                 # copy-forward
    part.report                                          # ReportPlace(section, fields)

See docs/architecture.md ("The registry of cycle parts") for a worked example.
"""

from compass.parts.base import (
    BOOL,
    CHOICE,
    CHOICES,
    DATE,
    DECIMAL,
    INDICATOR,
    INTEGER,
    INTERNAL,
    KINDS,
    LONGTEXT,
    MAX_ROWS,
    PERIOD,
    REFERENCE,
    REFERENCES,
    TEXT,
    URL,
    YEAR,
    Column,
    Copy,
    Field,
    Part,
    ReportPlace,
    json_value,
    key_order,
)
from compass.parts.declarations import DECLARATIONS

PARTS: dict[str, Part] = {part.key: part for part in DECLARATIONS}


def get(key: str) -> Part:
    return PARTS[key]


def for_step(step) -> list[Part]:
    """The parts of one step (a compass.models.Step or its value), in their order."""
    return sorted((p for p in PARTS.values() if p.step == step), key=lambda p: p.order)


def for_model(model) -> Part:
    for part in PARTS.values():
        if part.model is model:
            return part
    raise KeyError(model)


def by_json_key(json_key: str) -> Part:
    for part in PARTS.values():
        if part.json_key == json_key:
            return part
    raise KeyError(json_key)


__all__ = [
    "BOOL",
    "CHOICE",
    "CHOICES",
    "DATE",
    "DECIMAL",
    "INDICATOR",
    "INTEGER",
    "INTERNAL",
    "KINDS",
    "LONGTEXT",
    "MAX_ROWS",
    "PARTS",
    "PERIOD",
    "REFERENCE",
    "REFERENCES",
    "TEXT",
    "URL",
    "YEAR",
    "Column",
    "Copy",
    "Field",
    "Part",
    "ReportPlace",
    "by_json_key",
    "for_model",
    "for_step",
    "get",
    "json_value",
    "key_order",
]
