"""The district annex of a municipal cycle's report (issue 22, item 5): per district cycle of
that cycle its situation figures, target groups, offering (with evidence level), outcomes and
open improvement actions, compactly.

Each part is read once for all district cycles together (`cycle__in`), then grouped per cycle,
so the annex costs the same handful of queries for 3 districts as for 100. The rows are the
report's own (`exports.report_sections`), so a number is written in the annex as it is in the
district's own report. The ambitions and results are not repeated: a district cycle shares the
municipal cycle's (compass.district_cycles), which the report itself shows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch

from compass import numbers
from compass.models import (
    Cycle,
    ImprovementAction,
    Offering,
    OutcomeMeasurement,
    Result,
    SituationFigure,
    TargetGroup,
)
from exports import report_sections as rows


@dataclass
class DistrictPart:
    """One district cycle in the annex, its rows as the report writes them."""

    cycle: Cycle
    name: str
    code: str
    population: str
    youth_population: str
    status: str
    figures: list[dict]
    target_groups: list[dict]
    offerings: list[dict]
    evidence_counts: list[tuple[str, int]]
    outcomes: list[dict]
    actions: list[dict]


def district_cycles(municipal_cycle: Cycle) -> list[Cycle]:
    """The district cycles of a municipal cycle, by district code (one query)."""
    return list(
        Cycle.objects.filter(parent=municipal_cycle)
        .select_related("district")
        .order_by("district__code")
    )


def _grouped(queryset) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in queryset:
        grouped[row.cycle_id].append(row)
    return grouped


def read_parts(cycle_ids: list[int]) -> dict[str, dict[int, list]]:
    """Every row of the annex's parts of these cycles, per part and cycle (a constant number of
    queries: one per part, plus the offering's two links)."""
    open_actions = ImprovementAction.objects.exclude(status=ImprovementAction.Status.DONE)
    return {
        "figures": _grouped(SituationFigure.objects.filter(cycle_id__in=cycle_ids).order_by("pk")),
        "target_groups": _grouped(
            TargetGroup.objects.filter(cycle_id__in=cycle_ids).order_by("pk")
        ),
        "offerings": _grouped(
            Offering.objects.filter(cycle_id__in=cycle_ids)
            .order_by("pk")
            .prefetch_related(
                Prefetch("results", queryset=Result.objects.order_by("pk").only("pk", "text")),
                Prefetch("target_groups", queryset=TargetGroup.objects.order_by("pk").only("name")),
            )
        ),
        "outcomes": _grouped(
            OutcomeMeasurement.objects.filter(cycle_id__in=cycle_ids)
            .order_by("pk")
            .select_related("offering")
        ),
        "actions": _grouped(
            open_actions.filter(cycle_id__in=cycle_ids)
            .order_by("due", "pk")
            .select_related("result", "offering")
        ),
    }


def district_annex(municipal_cycle: Cycle) -> list[DistrictPart]:
    """The annex: one `DistrictPart` per district cycle of the municipal cycle."""
    cycles = district_cycles(municipal_cycle)
    found = read_parts([c.pk for c in cycles])
    annex = []
    for cycle in cycles:
        offerings, evidence_counts = rows.offering_rows(found["offerings"].get(cycle.pk, []))
        annex.append(
            DistrictPart(
                cycle=cycle,
                name=cycle.district.name,
                code=cycle.district.code,
                population=numbers.decimal(cycle.district.population),
                youth_population=numbers.decimal(cycle.district.youth_population),
                status=cycle.get_status_display(),
                figures=rows.figure_rows(found["figures"].get(cycle.pk, [])),
                target_groups=rows.target_group_rows(found["target_groups"].get(cycle.pk, [])),
                offerings=offerings,
                evidence_counts=evidence_counts,
                outcomes=rows.outcome_rows(found["outcomes"].get(cycle.pk, [])),
                actions=rows.action_rows(found["actions"].get(cycle.pk, [])),
            )
        )
    return annex
