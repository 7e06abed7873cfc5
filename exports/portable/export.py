"""Export: one cycle as JSON-ready data, in a constant number of queries.

The rows of every part come from the registry of cycle parts (`compass.parts`): each part's
list under its `json_key`, each row as `part.to_json` writes it (its local key when others
point at it, then every declared field; links by local key, indicators by code). A field
declared in the registry is in the file without a change here.
"""

from __future__ import annotations

from datetime import UTC, datetime

from compass import parts
from compass.models import Cycle, StepProgress
from exports.portable.format import (
    ANSWER_FIELDS,
    CYCLE_FIELDS,
    FORMAT,
    SCHEMA_VERSION,
    json_value,
    plain,
)


def export_cycle(cycle: Cycle) -> dict:
    """Return the whole cycle as JSON-ready data (a constant number of queries)."""
    body = {**plain(cycle, CYCLE_FIELDS), "steps": _steps(cycle)}
    body.update(part_rows(cycle))
    body["self_assessments"] = _self_assessments(cycle)
    source = {
        "municipality_code": cycle.municipality.code,
        "municipality_name": cycle.municipality.name,
        "year": cycle.year,
    }
    data = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": source,
    }
    if cycle.district_id:
        # A district cycle's file says so (issue 22): which district, and the municipal cycle
        # whose ambitions and results it shares (the one of its own year). Its rows are the
        # cycle's rows, the shared mirrors included: the file stays lossless per cycle.
        source["district_code"] = cycle.district.code
        source["district_name"] = cycle.district.name
        data["district"] = {
            "code": cycle.district.code,
            "name": cycle.district.name,
            "municipal_cycle_year": cycle.parent.year if cycle.parent_id else cycle.year,
        }
    data["cycle"] = body
    return data


def part_rows(cycle: Cycle) -> dict:
    """{json key: rows} for every part of the registry, in its order (one query a part).

    A part points only at parts before it, so every local key is known when it is needed.
    Rows of a nested part (a result's values) are listed inside the row they belong to.
    """
    keys: dict[str, dict[int, str]] = {}
    out: dict = {}
    rows_of: dict[str, dict[int, dict]] = {}  # part key -> {pk: its JSON row}
    for part in parts.PARTS.values():
        found = list(part.queryset(cycle))
        if part.key_prefix:
            keys[part.key] = {
                obj.pk: f"{part.key_prefix}-{n}" for n, obj in enumerate(found, start=1)
            }
        if part.single:
            out[part.json_key] = part.to_json(found[0], keys) if found else None
            continue
        if part.nested_in:
            _nest(part, found, keys, rows_of[part.nested_in])
            continue
        rows = [part.to_json(obj, keys) for obj in found]
        rows_of[part.key] = {obj.pk: row for obj, row in zip(found, rows, strict=True)}
        out[part.json_key] = rows
    return out


def _nest(part, found, keys, parents: dict[int, dict]) -> None:
    """List each row inside its parent's row, without the link that the nesting says."""
    (link,) = [f for f in part.links if f.ref == part.nested_in]
    for row in parents.values():
        row[part.json_key] = []
    for obj in sorted(found, key=lambda o: (getattr(o, link.attname), o.pk)):
        row = part.to_json(obj, keys)
        row.pop(link.name, None)  # the nesting says it (Part.to_json may leave it out)
        parents[getattr(obj, link.attname)][part.json_key].append(row)


def _steps(cycle) -> list:
    return [
        {"step": p.step, "status": p.status}
        for p in StepProgress.objects.filter(cycle=cycle).order_by("step")
    ]


def _self_assessments(cycle) -> list:
    assessments = (
        cycle.self_assessments.select_related("measure_set")
        .prefetch_related("answers")
        .order_by("version")
    )
    return [
        {
            "version": s.version,
            "measure_set": {"name": s.measure_set.name, "version": s.measure_set.version},
            "measure_set_version": s.measure_set_version,
            "status": s.status,
            "submitted_at": json_value(s.submitted_at),
            "snapshot": s.snapshot,
            "answers": [
                plain(a, ANSWER_FIELDS)
                for a in sorted(s.answers.all(), key=lambda a: (a.measure_code, a.aspect))
            ],
        }
        for s in assessments
    ]
