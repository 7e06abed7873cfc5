"""The district sheets of a municipal cycle's workbook (issue 22, item 5).

A policy officer compares districts: the workbook of a municipal cycle that has district cycles
gets a sheet "Wijken" (one row per district: code, name, inhabitants, children, the status of
its cycle and how many figures, target groups, offerings, outcomes and open improvement actions
it holds) and, per part that a district fills in itself, one sheet "Wijken - <part>" with the
district's code and name in front of the part's own columns (the same columns as the municipal
sheet of that part). One sheet per part rather than one per district: a filter or pivot table
on the district column compares all districts at once, and the sheets stay the same when a
district is added. Shared parts (ambitions, results, their values) are the municipality's and
are not repeated. Each part is one read over all district cycles (a constant number of queries,
whatever the number of districts).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from compass import parts
from compass.models import Cycle, ImprovementAction
from exports.cycle_tables import PART_TABLE_TEXTS, label, rows_of_cycles
from exports.district_annex import district_cycles
from exports.tabular import Table

# The parts counted in the overview sheet, in its column order.
COUNTED = ("figures", "target_groups", "offerings", "outcomes")


def district_parts() -> list:
    """The parts a district fills in itself that have a table of rows (not one question list)."""
    return [p for p in parts.PARTS.values() if p.table and not p.shared and not p.single]


def district_tables(municipal_cycle: Cycle) -> list[Table]:
    """The "Wijken" sheet and one sheet per district part; none without district cycles."""
    if municipal_cycle.district_id:
        return []
    cycles = district_cycles(municipal_cycle)
    if not cycles:
        return []
    by_id = {c.pk: c for c in cycles}
    code_header, name_header = _("District code"), _("District")
    sheets, counts = [], {}
    for part in district_parts():
        objects = list(
            rows_of_cycles(part, order_first=("cycle__district__code",), cycle__in=list(by_id))
        )
        counts[part.key] = _count(part, objects)
        title = PART_TABLE_TEXTS.get(part.key, (part.title, ""))[0]
        sheets.append(
            Table(
                _("Districts - %(part)s") % {"part": title},
                [code_header, name_header, *part.headers()],
                [
                    [by_id[o.cycle_id].district.code, by_id[o.cycle_id].district.name] + part.row(o)
                    for o in objects
                ],
            )
        )
    return [_overview(cycles, counts, code_header, name_header), *sheets]


def _count(part, objects) -> dict[int, int]:
    counted: dict[int, int] = {}
    for obj in objects:
        if part.key == "actions" and obj.status == ImprovementAction.Status.DONE:
            continue
        counted[obj.cycle_id] = counted.get(obj.cycle_id, 0) + 1
    return counted


def _overview(cycles, counts, code_header, name_header) -> Table:
    from compass.models import District

    headers = [
        code_header,
        name_header,
        label(District, "population"),
        label(District, "youth_population"),
        _("Status of the annual cycle"),
        *[
            str(PART_TABLE_TEXTS.get(key, (parts.get(key).title, ""))[0])
            for key in COUNTED
            if key in counts
        ],
        _("Open improvement actions"),
    ]
    rows = [
        [
            c.district.code,
            c.district.name,
            c.district.population,
            c.district.youth_population,
            c.get_status_display(),
            *[counts[key].get(c.pk, 0) for key in COUNTED if key in counts],
            counts.get("actions", {}).get(c.pk, 0),
        ]
        for c in cycles
    ]
    return Table(_("Districts"), headers, rows)
