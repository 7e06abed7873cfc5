"""Validation: a parsed file -> a checked `Plan` of unsaved rows, or every problem at once.

The parts and their fields come from the registry of cycle parts (`compass.parts`); every row
is checked with the JSON types of its fields and then with the models' own rules
(`part.validate`: validators and `clean()`, the rules the step forms and the admin apply), and
every part with its row limit (`part.check_row_count`). Nothing is written here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from cms.snippets import Indicator
from compass import parts
from compass.models import Cycle, Municipality, StepProgress
from exports.portable.assessments import validate_assessments
from exports.portable.format import CYCLE_FIELDS, SCHEMA_VERSION, TOP_LEVEL, cycle_keys, source_of
from exports.portable.items import build, check_type, list_of, ref
from exports.portable.problems import Problems, field_label, where


@dataclass
class Row:
    """One checked row of a part: an unsaved instance and the local keys it points at."""

    instance: models.Model
    key: str | None = None  # its own local key, when other parts point at it
    links: dict = field(default_factory=dict)  # field name -> local key, or [local keys]


@dataclass
class Plan:
    """Everything of the file, checked and ready to write (unsaved instances, keyed links)."""

    cycle: Cycle
    moved_period: bool
    steps: list
    rows: dict[str, list[Row]]  # registry key -> rows, in the file's order
    assessments: list  # (SelfAssessment, [Answer])
    made_draft: bool = False  # "active" in the file, but the municipality has an active cycle


def validate(data: dict, municipality: Municipality, year: int) -> Plan:
    """Check everything in the file against the target; raise ImportRefused with all problems."""
    problems = Problems()
    body = data["cycle"]
    for key in sorted(set(data) - TOP_LEVEL):
        problems.add("", _("unknown field '%(name)s'") % {"name": key})
    cycle, moved = _cycle(body, data, municipality, year, problems)
    steps = _steps(list_of(body, "steps", where(Cycle), problems), problems)
    version = data.get("schema_version")  # upload.parse has checked it; callers may not
    older = isinstance(version, int) and version < SCHEMA_VERSION
    reader = _PartReader(body, cycle, problems, older=older)
    rows = {part.key: reader.read(part) for part in parts.PARTS.values()}
    assessments = validate_assessments(
        list_of(body, "self_assessments", where(Cycle), problems), problems
    )
    problems.raise_if_any()
    return Plan(cycle=cycle, moved_period=moved, steps=steps, rows=rows, assessments=assessments)


def _cycle(body, data, municipality, year, problems):
    """The cycle's own fields; its policy period moved to include the target year if needed."""
    cycle = build(
        Cycle,
        {k: v for k, v in body.items() if k in CYCLE_FIELDS},
        CYCLE_FIELDS,
        where(Cycle),
        problems,
        clean=False,
    )
    for key in sorted(set(body) - set(CYCLE_FIELDS) - set(cycle_keys())):
        problems.add(where(Cycle), _("unknown field '%(name)s'") % {"name": key})
    moved = False
    if cycle is None:
        return None, moved
    cycle.municipality = municipality
    cycle.year = year
    start, end = cycle.policy_start_year, cycle.policy_end_year
    if isinstance(start, int) and isinstance(end, int) and not start <= year <= end:
        # Keep the period's length, move it so it includes the target year.
        source_year = source_of(data).get("year")
        shift = year - source_year if isinstance(source_year, int) else year - start
        cycle.policy_start_year, cycle.policy_end_year = start + shift, end + shift
        if not cycle.policy_start_year <= year <= cycle.policy_end_year:
            cycle.policy_start_year, cycle.policy_end_year = year, year + (end - start)
        moved = True
    try:
        cycle.full_clean(exclude=["previous", "created_by"], validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                problems.add(f"{where(Cycle)}: {field_label(Cycle, name)}", message)
    return cycle, moved


def _steps(items, problems) -> list:
    steps, seen = [], set()
    for index, raw in enumerate(items, 1):
        here = where(StepProgress, index)
        progress = build(StepProgress, raw, ["step", "status"], here, problems)
        if progress is None:
            continue
        if progress.step in seen:
            problems.add(here, _("the step '%(step)s' is listed twice") % {"step": progress.step})
            continue
        seen.add(progress.step)
        steps.append(progress)
    return steps


class _PartReader:
    """Reads the rows of each part in the registry's order (a part after what it points at)."""

    def __init__(self, body: dict, cycle: Cycle | None, problems: Problems, older=False):
        self.body = body
        self.cycle = cycle
        self.problems = problems
        # A file of an older schema: its rows are read as the current schema has them (the
        # part's `upgrade`, then each field's `legacy` codes).
        self.older = older
        self.keys: dict[str, set[str]] = {}  # part key -> the local keys of its rows
        self.raw_rows: dict[str, list[tuple[str | None, dict]]] = {}  # part -> (key, raw)
        self.indicators = self._indicators()

    def _items(self, part) -> list[tuple[str, object, str | None]]:
        """(where, raw row, key of the row it is nested in) for every row of the part."""
        items = self._raw_items(part)
        if not self.older:
            return items
        return [(here, self._upgraded(part, raw), parent) for here, raw, parent in items]

    def _upgraded(self, part, raw):
        """A row of an older file as the current schema has it."""
        if not isinstance(raw, dict):
            return raw
        if part.upgrade is not None:
            raw = part.upgrade(raw)
        return {
            name: part.field(name).current(value) if name in part.field_names else value
            for name, value in raw.items()
        }

    def _raw_items(self, part) -> list[tuple[str, object, str | None]]:
        if part.single:
            raw = self.body.get(part.json_key)
            return [] if raw is None else [(where(part.model), raw, None)]
        if part.nested_in:
            items = []
            parent = parts.get(part.nested_in)
            for index, (key, raw) in enumerate(self.raw_rows.get(parent.key, []), 1):
                if not isinstance(raw, dict):
                    continue
                here = where(parent.model, index)
                for number, item in enumerate(list_of(raw, part.json_key, here, self.problems), 1):
                    items.append((f"{here}, {where(part.model, number)}", item, key))
            return items
        listed = list_of(self.body, part.json_key, where(Cycle), self.problems)
        return [(where(part.model, index), raw, None) for index, raw in enumerate(listed, 1)]

    def _indicators(self) -> dict:
        """The indicators the file names, by code (one query)."""
        codes = set()
        for part in parts.PARTS.values():
            if (
                part.nested_in
                or part.single
                or not any(f.kind == parts.INDICATOR for f in part.fields)
            ):
                continue
            raw = self.body.get(part.json_key)
            for item in raw if isinstance(raw, list) else []:
                if isinstance(item, dict) and isinstance(item.get("indicator"), str):
                    codes.add(item["indicator"])
        return {i.code: i for i in Indicator.objects.filter(code__in=codes)} if codes else {}

    def read(self, part) -> list[Row]:
        items = self._items(part)
        self.keys[part.key] = set()
        self.raw_rows[part.key] = []
        too_many = part.check_row_count(len(items))
        if too_many:
            # Say so once; its rows are not checked one by one (a file of 20,000 rows would
            # bury the message), but their keys count so that links to them do not add noise.
            self.problems.add("", too_many)
            for _here, raw, _parent in items:
                key = raw.get("key") if isinstance(raw, dict) else None
                if isinstance(key, str):
                    self.keys[part.key].add(key)
            return []
        rows, unique = [], set()
        for here, raw, parent in items:
            row = self._row(part, raw, here, parent, unique)
            if row is not None:
                rows.append(row)
        return rows

    def _row(self, part, raw, here, parent, unique) -> Row | None:
        problems = self.problems
        nesting = [f.name for f in part.links if part.nested_in and f.ref == part.nested_in]
        children = [p.json_key for p in parts.PARTS.values() if p.nested_in == part.key]
        allowed = [n for n in part.field_names if n not in nesting] + children
        if part.key_prefix:
            allowed.append("key")
        if not isinstance(raw, dict):
            problems.add(here, _("must be an object with fields"))
            return None
        clean = True
        for name in sorted(set(raw) - set(allowed)):
            problems.add(here, _("unknown field '%(name)s'") % {"name": name})
            clean = False
        instance, bad = part.model(), set()
        for item in part.plain_fields:
            if item.name not in raw:
                continue  # the model default; a required field is reported by validate
            message = check_type(item.model_field, raw[item.name])
            if message:
                problems.add(f"{here}: {field_label(part.model, item.name)}", message)
                bad.add(item.name)
                continue
            setattr(instance, item.attname, raw[item.name])
        for name, messages in part.validate(instance, cycle=self.cycle, exclude=bad).items():
            label = "" if name == "__all__" else f": {field_label(part.model, name)}"
            for message in messages:
                problems.add(f"{here}{label}", message)
            clean = False
        key = self._own_key(part, raw, here)
        if part.key_prefix:
            self.raw_rows[part.key].append((key, raw))
            if key is None:
                return None
        else:
            self.raw_rows[part.key].append((None, raw))
        links = dict.fromkeys(nesting, parent)
        for item in part.links:
            if item.name in nesting:
                continue
            if item.kind == parts.INDICATOR:
                setattr(instance, item.name, self._indicator(raw, here, part))
                continue
            links[item.name] = self._link(part, item, raw, here)
        if part.unique_reference:
            target = links.get(part.unique_reference)
            if target is None:
                return None
            if target in unique:
                label = field_label(part.model, part.unique_reference)
                problems.add(f"{here}: {label}", _("this offering already has a quality check"))
                return None
            unique.add(target)
        if bad or not clean:
            return None
        return Row(instance, key, links)

    def _own_key(self, part, raw, here) -> str | None:
        """The row's local key, registered for the parts after it; None (reported) if bad."""
        if not part.key_prefix:
            return None
        key = raw.get("key")
        if not isinstance(key, str) or not key:
            self.problems.add(here, _("has no key"))
            return None
        if key in self.keys[part.key]:
            self.problems.add(here, _("the key '%(key)s' is used twice") % {"key": key})
            return None
        self.keys[part.key].add(key)
        return key

    def _link(self, part, item, raw, here):
        """The local key(s) a link field names, each checked against the keys seen so far."""
        known = dict.fromkeys(self.keys.get(item.ref, ()), True)
        label = field_label(part.model, item.name)
        if item.kind == parts.REFERENCES:
            linked = list_of(raw, item.name, here, self.problems)
            for key in linked:
                ref(key, known, here, label, self.problems)
            if len(set(map(str, linked))) != len(linked):
                self.problems.add(f"{here}: {label}", _("lists an item twice"))
            return [key for key in linked if isinstance(key, str)]
        value = raw.get(item.name)
        required = not item.model_field.null
        if ref(value, known, here, label, self.problems, required=required) is None:
            return None
        return value

    def _indicator(self, raw, here, part):
        code = raw.get("indicator")
        if code is None:
            return None
        if not isinstance(code, str) or code not in self.indicators:
            self.problems.add(
                f"{here}: {field_label(part.model, 'indicator')}",
                _("the indicator '%(code)s' does not exist") % {"code": code},
            )
            return None
        return self.indicators[code]
