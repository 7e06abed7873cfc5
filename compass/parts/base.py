"""The building blocks of the registry: a `Field` of a part and a `Part` of a cycle.

A part declares its model, its fields in order and everything every path needs to know about
it: the step and its place there, the row limit, how it is copied forward, its table columns
(CSV/XLSX), its JSON shape and its place in the report. Labels come from the model's verbose
names (translated when shown); the rules live on the model (validators and `clean()`), and
`Part.validate` runs them for any entry path.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext

MAX_ROWS = 300  # rows per part of one cycle, on every entry path

# Field kinds. Every kind says how a value is shown, written to a table cell and to JSON.
TEXT, LONGTEXT, CHOICE, DECIMAL, INTEGER, YEAR, DATE, BOOL, URL = (
    "text",
    "longtext",
    "choice",
    "decimal",
    "integer",
    "year",
    "date",
    "bool",
    "url",
)
CHOICES = "choices"  # several codes of a ChoiceList (risk factors): a JSON list of codes
PERIOD = "period"  # a figure's period code (2025, 2025H1 ...), shown as its label in tables
REFERENCE = "reference"  # a foreign key to another part of the same cycle (`ref` names it)
REFERENCES = "references"  # a many-to-many link to another part of the same cycle
INDICATOR = "indicator"  # a cms.Indicator, by its code in JSON and its name in tables
KINDS = {TEXT, LONGTEXT, CHOICE, CHOICES, DECIMAL, INTEGER, YEAR, DATE, BOOL, URL, PERIOD}
KINDS |= {REFERENCE, REFERENCES, INDICATOR}

# The fields every part model has that are bookkeeping, never part of a declaration.
INTERNAL = frozenset({"id", "cycle", "shared_from"})


class Copy(enum.Enum):
    """How a part is carried into the next cycle by `compass.services.copy_forward_from`."""

    ALL = "all"  # every row
    NONE = "none"  # nothing (figures, values, checks and outcomes belong to their year)
    OPEN = "open"  # rows whose status is not done (improvement actions)


@dataclass(frozen=True)
class Field:
    """One field of a part: its model field name, kind and (for links) the part it points at."""

    name: str
    kind: str = ""  # derived from the model field when not given
    ref: str = ""  # REFERENCE / REFERENCES: the key of the part pointed at
    in_report: bool = True
    # Stored values of older versions and what they are now (a renamed choice): a JSON file of
    # an older schema is read with them (exports/portable); rows in the database are moved by
    # a data migration.
    legacy: dict = field(default_factory=dict, compare=False, repr=False)
    model_field: models.Field | None = field(default=None, compare=False, repr=False)

    @property
    def label(self) -> str:
        """The capitalised verbose name of the model field, lazily translated."""
        return capfirst(self.model_field.verbose_name)

    @property
    def required(self) -> bool:
        f = self.model_field
        if isinstance(f, models.ManyToManyField):
            return False
        return not (f.null or f.blank) and not f.has_default()

    @property
    def is_link(self) -> bool:
        return self.kind in (REFERENCE, REFERENCES, INDICATOR)

    @property
    def attname(self) -> str:
        return self.model_field.attname

    def current(self, value):
        """The value as it is stored now: an older code becomes its successor."""
        if isinstance(value, str) and value in self.legacy:
            return self.legacy[value]
        return value

    # --- values ------------------------------------------------------------------------------

    def choice_label(self, code) -> str:
        if self.kind == CHOICES:
            return self.model_field.label_of(code)
        return str(dict(self.model_field.flatchoices).get(code, code or ""))

    def choice_labels(self, codes) -> str:
        """The labels of a list of codes (a CHOICES field), in the reader's language."""
        if not isinstance(codes, list | tuple):
            return str(codes or "")
        return "; ".join(self.choice_label(code) for code in codes)

    def cell(self, obj):
        """The value in a CSV/XLSX cell: labels for choices and links, numbers as numbers."""
        from compass import periods

        value = getattr(obj, self.name)
        if self.kind == CHOICE:
            return self.choice_label(value) if value else ""
        if self.kind == CHOICES:
            return self.choice_labels(value)
        if self.kind == REFERENCES:
            return "; ".join(_text(item) for item in value.all())
        if self.kind in (REFERENCE, INDICATOR):
            return _text(value) if value is not None else None
        if self.kind == PERIOD:
            return periods.label(value)
        return value

    def to_json(self, obj, keys: dict[str, dict[int, str]] | None = None):
        """The JSON value: decimals as text, dates ISO, links by local key or indicator code."""
        keys = keys or {}
        if self.kind == REFERENCES:
            known = keys.get(self.ref, {})
            return sorted((known[item.pk] for item in getattr(obj, self.name).all()), key=key_order)
        if self.kind == REFERENCE:
            return keys.get(self.ref, {}).get(getattr(obj, self.attname))
        if self.kind == INDICATOR:
            indicator = getattr(obj, self.name)
            return indicator.code if indicator is not None else None
        if self.kind == CHOICES:
            return list(getattr(obj, self.name) or [])
        return json_value(getattr(obj, self.name))

    def raw(self, value, label: str | None = None):
        """A value as history data: plain JSON, links with the text they had when saved."""
        if value is None or value == "" or value == []:
            return None
        if self.kind == REFERENCES:
            return [{"id": pk, "label": text} for pk, text in value]
        if self.kind in (REFERENCE, INDICATOR):
            return {"id": value, "label": label if label is not None else str(value)}
        return json_value(value)

    def shown(self, raw) -> str:
        """A history value in the active language (the reader's)."""
        from django.utils import formats

        from compass import numbers

        if raw is None or raw == "" or raw == []:
            return ""
        if self.kind == REFERENCES:
            return ", ".join(str(item.get("label", "")) for item in raw)
        if self.kind in (REFERENCE, INDICATOR):
            return str(raw.get("label", "")) if isinstance(raw, dict) else str(raw)
        if self.kind == CHOICE:
            return self.choice_label(raw)
        if self.kind == CHOICES:
            return self.choice_labels(raw)
        if self.kind == BOOL:
            return gettext("yes") if raw else gettext("no")
        if self.kind == DECIMAL:
            return numbers.exact(Decimal(str(raw)))
        if self.kind == DATE:
            try:
                return formats.date_format(date.fromisoformat(str(raw)), "SHORT_DATE_FORMAT")
            except ValueError:
                return str(raw)
        return str(raw)


def _text(item) -> str:
    """How a linked item is named in a table: its own text."""
    for name in ("text", "name"):
        if hasattr(item, name):
            return getattr(item, name)
    return str(item)


def json_value(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        from datetime import UTC

        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def key_order(key: str):
    """Sort local keys by number: aanbod-2 before aanbod-10."""
    prefix, _sep, number = str(key).rpartition("-")
    return (prefix, int(number) if number.isdigit() else 0)


@dataclass(frozen=True)
class Column:
    """One column of the part's CSV/XLSX table: its header and how a value is written."""

    field: Field

    @property
    def header(self) -> str:
        return str(self.field.label)

    def value(self, obj):
        return self.field.cell(obj)


@dataclass(frozen=True)
class ReportPlace:
    """Where the part appears in the council report and with which of its fields."""

    section: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Part:
    """One part of an annual cycle, declared once (see compass/parts/declarations.py)."""

    key: str  # registry key; also the prefix of its formset and its key in the JSON file
    model: type[models.Model]
    step: str  # compass.models.Step value
    order: int  # place within the step
    title: str  # lazy: heading of the part in its step
    row_label: str  # lazy: "Result" in "Result 3: ..."
    fields: tuple[Field, ...]
    single: bool = False  # one row per cycle (the reading), not a list of rows
    max_rows: int = MAX_ROWS
    copy: Copy = Copy.NONE
    json_key: str = ""  # key of the list in the JSON file's "cycle" (default: key)
    key_prefix: str = ""  # local key of rows others point at ("ambitie" -> "ambitie-3")
    nested_in: str = ""  # JSON: rows listed inside the rows of that part ("values" in results)
    table: str = ""  # slug of its CSV/XLSX table (exports/cycle_tables.py)
    report: ReportPlace | None = None
    unique_reference: str = ""  # at most one row per item pointed at (quality per offering)
    # Shared with the district cycles (issue 22): a district cycle holds a read-only mirror of
    # its municipal cycle's rows (compass.districts.sync_shared); its own step shows them.
    shared: bool = False
    # A JSON row of a file of an older schema -> the row as the current schema has it (for
    # what a field's `legacy` codes cannot say alone, e.g. a field added since). Runs first.
    upgrade: Callable[[dict], dict] | None = field(default=None, compare=False, repr=False)
    internal: frozenset[str] = INTERNAL  # model fields that are bookkeeping, not declared

    def __post_init__(self):
        bound = []
        for item in self.fields:
            try:
                model_field = self.model._meta.get_field(item.name)
            except FieldDoesNotExist:
                raise ValueError(f"{self.model.__name__} has no field {item.name!r}") from None
            kind = item.kind or _kind(model_field)
            if kind not in KINDS:
                raise ValueError(f"{self.key}.{item.name}: unknown kind {kind!r}")
            if kind in (REFERENCE, REFERENCES) and not item.ref:
                raise ValueError(f"{self.key}.{item.name}: a link names the part it points at")
            bound.append(
                Field(
                    item.name,
                    kind,
                    item.ref,
                    item.in_report,
                    legacy=item.legacy,
                    model_field=model_field,
                )
            )
        object.__setattr__(self, "fields", tuple(bound))
        object.__setattr__(self, "json_key", self.json_key or self.key)

    # --- fields ------------------------------------------------------------------------------

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for item in self.fields:
            if item.name == name:
                return item
        raise KeyError(f"{self.key} has no field {name!r}")

    @property
    def plain_fields(self) -> list[Field]:
        """Fields that are values of the row itself (no links to other rows or indicators)."""
        return [f for f in self.fields if not f.is_link]

    @property
    def links(self) -> list[Field]:
        return [f for f in self.fields if f.is_link]

    @property
    def label(self) -> str:
        return self.title

    # --- rows of a cycle ---------------------------------------------------------------------

    def queryset(self, cycle):
        queryset = self.model.objects.filter(cycle=cycle).order_by("pk")
        select = [f.name for f in self.fields if f.kind in (REFERENCE, INDICATOR)]
        many = [f.name for f in self.fields if f.kind == REFERENCES]
        if select:
            queryset = queryset.select_related(*select)
        if many:
            queryset = queryset.prefetch_related(*many)
        return queryset

    # --- tables (CSV/XLSX) -------------------------------------------------------------------

    def columns(self) -> list[Column]:
        return [Column(f) for f in self.fields]

    def headers(self) -> list[str]:
        return [c.header for c in self.columns()]

    def row(self, obj) -> list:
        return [c.value(obj) for c in self.columns()]

    # --- JSON --------------------------------------------------------------------------------

    def to_json(self, obj, keys: dict[str, dict[int, str]] | None = None) -> dict:
        """The row as a JSON object: "key" first when others point at it, then every field.

        `keys` maps a part key to {pk: local key} for the rows already numbered.
        """
        out = {}
        if self.key_prefix and keys is not None and obj.pk in keys.get(self.key, {}):
            out["key"] = keys[self.key][obj.pk]
        for item in self.fields:
            if self.nested_in and item.ref == self.nested_in:
                continue  # listed inside the row it belongs to ("values" of a result)
            out[item.name] = item.to_json(obj, keys)
        return out

    def from_json(self, data: dict):
        """An unsaved instance with the row's plain values (links are resolved by the caller).

        The values are set as they are: `validate` then checks them with the model's rules.
        """
        instance = self.model()
        for item in self.plain_fields:
            if item.name in data:
                setattr(instance, item.attname, data[item.name])
        return instance

    # --- validation --------------------------------------------------------------------------

    def validate(self, instance, cycle=None, exclude=()) -> dict[str, list[str]]:
        """The model's own rules for one row: {field name or "__all__": [messages]}, or {}.

        `cycle` (saved or not) gives the rules that depend on the cycle year. Links that are
        not set yet (the caller resolves them after) and `exclude` are not checked.
        """
        if cycle is not None:
            instance.cycle = cycle
        skip = set(exclude) | {"cycle", "id"}
        for item in self.links:
            if item.kind != REFERENCES and getattr(instance, item.attname) is None:
                skip.add(item.name)
        skip |= {f.name for f in self.model._meta.fields if f.name not in self.field_names}
        try:
            instance.full_clean(
                exclude=sorted(skip), validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            return {
                name: [str(m) for m in messages] for name, messages in error.message_dict.items()
            }
        return {}

    def check_row_count(self, count: int) -> str | None:
        """A message when `count` rows are more than the part allows, else None."""
        if count <= self.max_rows:
            return None
        return ngettext(
            "%(part)s: at most %(max)s row is allowed, this has %(count)s.",
            "%(part)s: at most %(max)s rows are allowed, this has %(count)s.",
            self.max_rows,
        ) % {"part": self.title, "max": self.max_rows, "count": count}

    # --- copy forward -----------------------------------------------------------------------

    def rows_to_copy(self, cycle):
        if self.copy is Copy.NONE:
            return self.model.objects.none()
        queryset = self.queryset(cycle)
        if self.copy is Copy.OPEN:
            queryset = queryset.exclude(status="done")
        return queryset

    def __str__(self):
        return self.key


def _kind(model_field) -> str:
    from compass.models.fields import ChoiceList

    if isinstance(model_field, ChoiceList):
        return CHOICES
    if isinstance(model_field, models.ManyToManyField):
        return REFERENCES
    if isinstance(model_field, models.ForeignKey):
        return INDICATOR if model_field.related_model._meta.label == "cms.Indicator" else REFERENCE
    if model_field.choices:
        return CHOICE
    if isinstance(model_field, models.DecimalField):
        return DECIMAL
    if isinstance(model_field, models.BooleanField):
        return BOOL
    if isinstance(model_field, models.DateField):
        return DATE
    if isinstance(model_field, models.IntegerField):
        return YEAR if model_field.name.endswith("year") else INTEGER
    if isinstance(model_field, models.URLField):
        return URL
    if isinstance(model_field, models.TextField):
        return LONGTEXT
    return TEXT
