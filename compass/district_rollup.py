"""The roll-up of a municipality's district cycles for its municipal cycle (issue 22 item 2).

One page puts the districts of a municipal cycle side by side: which districts have which gaps
(steps not done, what is missing, districts without a cycle this year), the district cycles'
figures and CBS's district figures with one column per district, the offering of all districts
in which an offering that serves several districts is one line and counts once, and per
district how many target groups and improvement actions it has.

The arithmetic is pure functions over plain rows (anything with the attributes they read), so
it is tested without a database; `build` is the one place that queries, a constant number of
queries whatever the number of districts (docs/cycle.md "Wijken: overzicht").
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from cms.choices import EvidenceLevel
from compass.models import (
    CbsObservation,
    Cycle,
    District,
    ImprovementAction,
    Offering,
    SituationFigure,
    Step,
    StepProgress,
    TargetGroup,
)

CBS_PERIODS = 3  # the latest periods per indicator, as the Situatie step shows them
COUNTED = ("target_groups", "offerings", "actions", "open_actions")


@dataclass(frozen=True)
class Column:
    """One district as a column of the roll-up; `cycle_id` is its cycle of the year, if any."""

    district_id: int
    code: str
    name: str
    cycle_id: int | None = None


# --- Offerings: one line per offering, counted once ------------------------------------------

_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The form in which two spellings of one name compare equal: width, case and spacing
    do not count ("Veilig  opgroeien " and "veilig opgroeien" are one offering)."""
    text = unicodedata.normalize("NFKC", text or "")
    return _SPACES.sub(" ", text).strip().casefold()


def offering_key(offering) -> tuple[str, str]:
    """What makes two rows of different district cycles one offering: its name and provider.

    An `Offering` is a row of one cycle and has no identity across cycles, so the roll-up
    recognises the same offering by what the teams typed; the same name with another provider
    is another offering (two providers of Triple P are two contracts)."""
    return normalise(offering.name), normalise(offering.provider)


def _evidence_rank(level: str) -> tuple[int, str]:
    rank = EvidenceLevel(level).rank if level in EvidenceLevel.values else None
    return (-1 if rank is None else rank, level)


@dataclass
class OfferingLine:
    """One offering of the districts, with the districts it serves (each once)."""

    name: str
    provider: str
    districts: list[Column] = field(default_factory=list)
    evidence_levels: list[str] = field(default_factory=list)  # each once, low to high
    capacity: int | None = None  # counted once: the largest capacity a district gave
    capacities_differ: bool = False

    @property
    def shared(self) -> bool:
        return len(self.districts) > 1

    @property
    def evidence_labels(self) -> list[str]:
        return [
            str(EvidenceLevel(level).label) if level in EvidenceLevel.values else level
            for level in self.evidence_levels
        ]


@dataclass
class OfferingTotals:
    offerings: int = 0  # distinct offerings
    shared: int = 0  # of which serve more than one district
    capacity: int = 0  # every offering's capacity once
    capacity_per_district: int = 0  # what adding up the district cycles would say
    without_capacity: int = 0  # offerings no district gave a capacity for


def offering_lines(
    columns: list[Column], offerings: Iterable
) -> tuple[list[OfferingLine], OfferingTotals]:
    """The offerings of the district cycles, one line per offering (`offering_key`).

    A line's capacity is counted once: the largest capacity any district gave for it (the
    districts name the same offering, so their capacities are of one offering, not parts to
    add). Rows of cycles that are not a column are left out.
    """
    by_cycle = {column.cycle_id: column for column in columns if column.cycle_id}
    lines: dict[tuple[str, str], OfferingLine] = {}
    capacities: dict[tuple[str, str], set[int]] = defaultdict(set)
    totals = OfferingTotals()
    for offering in offerings:
        column = by_cycle.get(offering.cycle_id)
        if column is None:
            continue
        key = offering_key(offering)
        line = lines.get(key)
        if line is None:
            line = lines[key] = OfferingLine(
                name=_SPACES.sub(" ", offering.name).strip(),
                provider=_SPACES.sub(" ", offering.provider or "").strip(),
            )
        if column not in line.districts:
            line.districts.append(column)
        if offering.evidence_level and offering.evidence_level not in line.evidence_levels:
            line.evidence_levels.append(offering.evidence_level)
        if offering.capacity is not None:
            capacities[key].add(offering.capacity)
            totals.capacity_per_district += offering.capacity
    order = {column: n for n, column in enumerate(columns)}
    for key, line in lines.items():
        line.districts.sort(key=order.__getitem__)
        line.evidence_levels.sort(key=_evidence_rank)
        if capacities[key]:
            line.capacity = max(capacities[key])
            line.capacities_differ = len(capacities[key]) > 1
            totals.capacity += line.capacity
        else:
            totals.without_capacity += 1
    totals.offerings = len(lines)
    totals.shared = sum(1 for line in lines.values() if line.shared)
    ordered = sorted(lines.values(), key=lambda line: (normalise(line.name), line.provider))
    return ordered, totals


# --- Gaps --------------------------------------------------------------------------------------


@dataclass
class DistrictGaps:
    column: Column
    steps_not_done: list[str]  # Step values, in step order
    missing: list[tuple[str, list[str]]]  # (step, messages) of the steps that miss something

    @property
    def has_gaps(self) -> bool:
        return bool(self.steps_not_done or self.missing)


def district_gaps(
    columns: list[Column],
    progress: dict[int, dict[str, str]],
    missing: dict[int, dict[str, list[str]]],
    shared: set[str] = frozenset(),
) -> list[DistrictGaps]:
    """Per district cycle: the steps not done and what is missing (the dashboard's rules).

    `progress` maps a cycle id to {step: status}; `missing` is
    `services.missing_items_by_cycle`. The `shared` steps (the ambitions) belong to the
    municipal cycle: the district cannot do them, so they are no gap of the district.
    """
    gaps = []
    for column in columns:
        statuses = progress.get(column.cycle_id, {})
        not_done = [
            step
            for step in Step.values
            if step not in shared and statuses.get(step) != StepProgress.Status.DONE
        ]
        messages = missing.get(column.cycle_id, {})
        found = [
            (step, list(messages[step]))
            for step in Step.values
            if step not in shared and messages.get(step)
        ]
        gaps.append(DistrictGaps(column=column, steps_not_done=not_done, missing=found))
    return gaps


def without_cycle(districts: list[Column], cycled: set[int]) -> list[Column]:
    """The districts (in the given order) whose id is not among those with a cycle."""
    return [district for district in districts if district.district_id not in cycled]


# --- Figures side by side --------------------------------------------------------------------


@dataclass(frozen=True)
class FigureValue:
    value: Decimal
    provisional: bool = False


@dataclass
class FigureRow:
    """One figure (label and period) with one cell per column; an empty cell has no figure."""

    label: str
    period: str
    cells: list[list[FigureValue]]


def figure_table(columns: list[Column], figures: Iterable) -> list[FigureRow]:
    """The district cycles' situation figures, grouped by label and period, one column per
    district. Labels and periods compare as `normalise` does (teams type them); a cell holds
    every figure of that district for the row (usually one) and is empty, not 0, without."""
    index = {column.cycle_id: n for n, column in enumerate(columns) if column.cycle_id}
    rows: dict[tuple[str, str], FigureRow] = {}
    for figure in figures:
        n = index.get(figure.cycle_id)
        if n is None:
            continue
        key = (normalise(figure.label), normalise(figure.period))
        row = rows.get(key)
        if row is None:
            row = rows[key] = FigureRow(
                label=_SPACES.sub(" ", figure.label).strip(),
                period=figure.period.strip(),
                cells=[[] for _column in columns],
            )
        row.cells[n].append(FigureValue(figure.value, bool(figure.provisional)))
    return [rows[key] for key in sorted(rows)]


@dataclass
class CbsRow:
    """One indicator and CBS period, with one observation (or None) per column."""

    label: str
    period: str  # the CBS code (2023JJ00); the template shows its label
    cells: list


def cbs_table(
    columns: list[Column],
    observations: Iterable,
    indicator_names: dict[int, str],
    periods: int = CBS_PERIODS,
) -> list[CbsRow]:
    """CBS observations whose region code is a district's code, per indicator its latest
    `periods` periods (newest first), one column per district; None where CBS has none."""
    index = {column.code: n for n, column in enumerate(columns)}
    found: dict[int, dict[str, list]] = defaultdict(dict)
    for observation in observations:
        n = index.get(observation.region_code)
        if n is None:
            continue
        cells = found[observation.indicator_id].setdefault(
            observation.period, [None] * len(columns)
        )
        cells[n] = observation
    rows = []
    for indicator_id in sorted(found, key=lambda pk: (indicator_names.get(pk, ""), pk)):
        by_period = found[indicator_id]
        for period in sorted(by_period, reverse=True)[:periods]:
            rows.append(
                CbsRow(
                    label=indicator_names.get(indicator_id, ""),
                    period=period,
                    cells=by_period[period],
                )
            )
    return rows


# --- Counts per district -----------------------------------------------------------------------


@dataclass
class CountRow:
    column: Column
    counts: list[int]


def count_table(
    columns: list[Column], counts: dict[int, dict[str, int]], keys: tuple[str, ...]
) -> tuple[list[CountRow], list[int]]:
    """Per district the counts of `keys` (0 for a cycle without rows) and their totals."""
    rows = [
        CountRow(column, [counts.get(column.cycle_id, {}).get(key, 0) for key in keys])
        for column in columns
    ]
    totals = [sum(row.counts[n] for row in rows) for n in range(len(keys))]
    return rows, totals


# --- From the database ---------------------------------------------------------------------------


@dataclass
class Rollup:
    cycle: Cycle
    columns: list[Column]  # the districts with a cycle this year, by name
    without_cycle: list[Column]
    gaps: list[DistrictGaps]
    figures: list[FigureRow]
    cbs: list[CbsRow]
    offerings: list[OfferingLine]
    totals: OfferingTotals
    counts: list[CountRow]
    count_totals: list[int]
    count_keys: tuple[str, ...] = COUNTED

    @property
    def districts_with_gaps(self) -> int:
        return sum(1 for gap in self.gaps if gap.has_gaps)


def _count(model, **filters):
    query = (
        model.objects.filter(cycle=OuterRef("pk"), **filters)
        .order_by()
        .values("cycle")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(query, output_field=IntegerField()), 0)


def build(cycle: Cycle) -> Rollup:
    """The roll-up of the municipal `cycle`'s district cycles: eight queries, whatever the
    number of districts (the districts, the district cycles with their counts, their steps'
    progress, the four of `missing_items_by_cycle`, figures, CBS observations, offerings)."""
    from compass import district_cycles, services

    districts = [
        Column(district_id=d.pk, code=d.code, name=d.name)
        for d in District.objects.filter(municipality_id=cycle.municipality_id).order_by(
            "name", "code"
        )
    ]
    district_rows = list(
        cycle.district_cycles.annotate(
            n_target_groups=_count(TargetGroup),
            n_offerings=_count(Offering),
            n_actions=_count(ImprovementAction),
            n_open_actions=_count(ImprovementAction, status__in=["open", "in_progress"]),
        )
        .select_related("district")
        .order_by("district__name", "district__code")
    )
    columns = [
        Column(
            district_id=row.district_id,
            code=row.district.code,
            name=row.district.name,
            cycle_id=row.pk,
        )
        for row in district_rows
    ]
    cycle_ids = [column.cycle_id for column in columns]
    counts = {row.pk: {key: getattr(row, f"n_{key}") for key in COUNTED} for row in district_rows}
    progress: dict[int, dict[str, str]] = defaultdict(dict)
    for cycle_id, step, status in StepProgress.objects.filter(cycle_id__in=cycle_ids).values_list(
        "cycle_id", "step", "status"
    ):
        progress[cycle_id][step] = status
    missing = services.missing_items_by_cycle(district_rows) if district_rows else {}
    gaps = district_gaps(columns, progress, missing, shared=district_cycles.shared_steps())
    figures = figure_table(
        columns,
        SituationFigure.objects.filter(cycle_id__in=cycle_ids).only(
            "cycle_id", "label", "period", "value", "provisional"
        ),
    )
    observations = list(
        CbsObservation.objects.filter(region_code__in=[c.code for c in columns]).select_related(
            "indicator"
        )
        if columns
        else []
    )
    names = {o.indicator_id: o.indicator.name for o in observations}
    cbs = cbs_table(columns, observations, names)
    lines, totals = offering_lines(
        columns,
        Offering.objects.filter(cycle_id__in=cycle_ids).only(
            "cycle_id", "name", "provider", "evidence_level", "capacity"
        ),
    )
    count_rows, count_totals = count_table(columns, counts, COUNTED)
    cycled = {column.district_id for column in columns}
    return Rollup(
        cycle=cycle,
        columns=columns,
        without_cycle=without_cycle(districts, cycled),
        gaps=gaps,
        figures=figures,
        cbs=cbs,
        offerings=lines,
        totals=totals,
        counts=count_rows,
        count_totals=count_totals,
    )


def summary(cycle: Cycle) -> dict | None:
    """What the municipal dashboard says about the districts: how many districts have a
    cycle of this year and how many have none (one query; none for a district cycle).
    None when the cycle has no district cycles."""
    if cycle.district_id:
        return None
    numbers = District.objects.filter(municipality_id=cycle.municipality_id).aggregate(
        districts=Count("pk", distinct=True),
        with_cycle=Count("cycles", filter=Q(cycles__parent=cycle), distinct=True),
    )
    if not numbers["with_cycle"]:
        return None
    return {**numbers, "without_cycle": numbers["districts"] - numbers["with_cycle"]}
