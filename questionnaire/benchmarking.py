"""The benchmark page's data: submitted results from the database into the pure engine.

questionnaire/benchmark.py holds the rules (aggregation and suppression) without Django; this
module turns the database into its ``BenchmarkRecord``s in a constant number of queries, whatever
the number of municipalities: one for the submitted assessments of the year (only the result
part of each frozen snapshot is read), one for the Veilig Thuis region memberships, one for the
overall results of all years (the trend chart) and one for the sharing agreements. See
docs/benchmark.md, "The benchmark page".

The population of a year is what has been submitted when the page is viewed: per cycle the
latest submitted version, if it was made on the same measure set and measure-set version.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from compass import access
from compass.models import Municipality, Region, SelfAssessment
from questionnaire.benchmark import (
    Benchmark,
    BenchmarkRecord,
    NamedComparison,
    Participant,
    PeerGroup,
    Population,
    Subject,
    named_comparison,
)

GENERATED_KEY = "generated"
"""Snapshot key that marks demo data made up by ``setup_demo`` (never set by a real submission)."""


def population_key(measure_set_id: int, measure_set_version: int) -> str:
    """The engine's ``version``: one population per measure set and measure-set version."""
    return f"{measure_set_id}:{measure_set_version}"


def min_group_size() -> int:
    return settings.BENCHMARK_MIN_GROUP_SIZE


def vt_regions(municipality_ids=None) -> dict[int, str]:
    """Municipality id -> its Veilig Thuis region code, in one query."""
    rows = Region.municipalities.through.objects.filter(region__kind=Region.Kind.VEILIG_THUIS)
    if municipality_ids is not None:
        rows = rows.filter(municipality_id__in=list(municipality_ids))
    return dict(rows.values_list("municipality_id", "region__code"))


def _size(value) -> str | None:
    return None if value is None else str(value)


@dataclass
class YearData:
    """The records of one year and measure-set version, and what the page needs beside them."""

    records: list[BenchmarkRecord]
    codes: dict[int, str]  # municipality id -> code, for every record
    generated: bool  # generated demo data is part of the population
    themes: list[str]  # row order
    measures: list[str]
    measure_themes: dict[str, str]  # measure code -> theme code


def _latest_per_cycle(rows):
    """Rows ordered by cycle and descending version: keep the first of each cycle."""
    seen = set()
    for row in rows:
        if row["cycle_id"] in seen:
            continue
        seen.add(row["cycle_id"])
        yield row


def year_data(year: int, measure_set_id: int, measure_set_version: int, regions) -> YearData:
    """The records of one year (one query), given the region map from ``vt_regions``."""
    rows = (
        SelfAssessment.objects.filter(
            status=SelfAssessment.Status.SUBMITTED, cycle__year=year, snapshot__isnull=False
        )
        .order_by("cycle_id", "-version")
        .values(
            "cycle_id",
            "measure_set_id",
            "measure_set_version",
            "cycle__municipality_id",
            "cycle__municipality__code",
            "cycle__municipality__size_class",
            "snapshot__result",
            "snapshot__measure_set",
            "snapshot__" + GENERATED_KEY,
        )
    )
    version = population_key(measure_set_id, measure_set_version)
    records, codes, generated = [], {}, False
    themes: list[str] = []
    measures: list[str] = []
    measure_themes: dict[str, str] = {}
    for row in _latest_per_cycle(rows):
        if (row["measure_set_id"], row["measure_set_version"]) != (
            measure_set_id,
            measure_set_version,
        ):
            continue
        result = row["snapshot__result"] or {}
        if not themes and row["snapshot__measure_set"]:
            spec = row["snapshot__measure_set"]
            themes = [t["code"] for t in spec.get("themes", [])]
            measures = [m["code"] for m in spec.get("measures", [])]
            measure_themes = {m["code"]: m["theme"] for m in spec.get("measures", [])}
        municipality_id = row["cycle__municipality_id"]
        codes[municipality_id] = row["cycle__municipality__code"]
        generated = generated or bool(row["snapshot__" + GENERATED_KEY])
        records.append(
            BenchmarkRecord(
                municipality=row["cycle__municipality__code"],
                region=regions.get(municipality_id),
                size_class=_size(row["cycle__municipality__size_class"]),
                year=year,
                version=version,
                overall=result.get("overall"),
                themes={t["code"]: t["realisation"] for t in result.get("themes", [])},
                measures={m["code"]: m["realisation"] for m in result.get("measures", [])},
            )
        )
    return YearData(records, codes, generated, themes, measures, measure_themes)


def trend_populations(years, regions) -> dict[tuple[int, str], list[BenchmarkRecord]]:
    """Overall results only, for several years in one query: (year, version) -> records."""
    rows = (
        SelfAssessment.objects.filter(
            status=SelfAssessment.Status.SUBMITTED, cycle__year__in=list(years)
        )
        .order_by("cycle_id", "-version")
        .values(
            "cycle_id",
            "cycle__year",
            "measure_set_id",
            "measure_set_version",
            "cycle__municipality_id",
            "cycle__municipality__code",
            "cycle__municipality__size_class",
            "snapshot__result__overall",
        )
    )
    out: dict[tuple[int, str], list[BenchmarkRecord]] = {}
    for row in _latest_per_cycle(rows):
        version = population_key(row["measure_set_id"], row["measure_set_version"])
        out.setdefault((row["cycle__year"], version), []).append(
            BenchmarkRecord(
                municipality=row["cycle__municipality__code"],
                region=regions.get(row["cycle__municipality_id"]),
                size_class=_size(row["cycle__municipality__size_class"]),
                year=row["cycle__year"],
                version=version,
                overall=row["snapshot__result__overall"],
            )
        )
    return out


def viewer_subjects(user, municipality: Municipality, regions) -> list[Subject]:
    """The municipalities whose scores the viewer knows, the page's own first (engine rule 5).

    That is every municipality the user may read (own teams and sharing partners); a superuser
    reads everything, so suppressing together would hide everything: only the page's own then.
    """
    others = []
    if not user.is_superuser:
        others = [
            m
            for m in access.municipalities_for(user).only("pk", "code", "size_class")
            if m.pk != municipality.pk
        ]
    return [
        Subject(m.code, regions.get(m.pk), _size(m.size_class)) for m in [municipality, *others]
    ]


def page_benchmark(population: Population, subjects: list[Subject]) -> Benchmark:
    """The page's own benchmark, suppressed together with all the viewer's other pages."""
    return population.benchmarks(subjects, min_group_size())[0]


@dataclass
class Trend:
    year: int
    own: float | None
    median: float | None


def own_cycles(municipality: Municipality, year: int) -> list[tuple[int, int | None, int | None]]:
    """(year, measure set, version) of each year's latest submission, in one query; the page's
    own year is always included (without a submission: None, None)."""
    found: dict[int, tuple] = {year: (year, None, None)}
    rows = (
        SelfAssessment.objects.filter(
            cycle__municipality=municipality, status=SelfAssessment.Status.SUBMITTED
        )
        .order_by("cycle__year", "-version")
        .values_list("cycle__year", "measure_set_id", "measure_set_version")
    )
    seen = set()
    for row in rows:
        if row[0] not in seen:
            seen.add(row[0])
            found[row[0]] = row
    return [found[y] for y in sorted(found)]


def trend(user_subjects: list[Subject], own_cycles, regions) -> list[Trend]:
    """Per year of the municipality's cycles: its own overall and the national median.

    ``own_cycles`` are (year, measure_set_id, measure_set_version or None). The national median
    of each year goes through the engine (a national overall cell, suppressed as any other).
    """
    years = [year for year, _ms, _v in own_cycles]
    populations = trend_populations(years, regions) if years else {}
    points = []
    for year, measure_set_id, measure_set_version in own_cycles:
        own = median = None
        if measure_set_id is not None:
            version = population_key(measure_set_id, measure_set_version)
            records = populations.get((year, version), [])
            population = Population(records, year=year, version=version, themes=[], measures=[])
            bench = page_benchmark(population, user_subjects)
            own = None if bench.own is None else bench.own.overall
            median = bench.group(PeerGroup.NATIONAL).overall.median
        points.append(Trend(year, own, median))
    return points


def agreements_for(user, municipality: Municipality):
    """Agreements in force that include the municipality, if the viewer belongs to a participant.

    Returns [(agreement, [Participant, ...])]: the participants in name order. One query for the
    participations plus one for the viewer's memberships.
    """
    rows = list(
        access.open_participations()
        .select_related("agreement", "municipality")
        .filter(
            agreement__participations__municipality=municipality,
            agreement__participations__left_at__isnull=True,
        )
        .order_by("agreement__name", "municipality__name")
        .distinct()
    )
    if not rows:
        return []
    mine = set(user.memberships.values_list("municipality_id", flat=True))
    grouped: dict[int, tuple] = {}
    for row in rows:
        grouped.setdefault(row.agreement_id, (row.agreement, []))[1].append(row.municipality)
    out = []
    for agreement, members in grouped.values():
        if not mine & {m.pk for m in members}:
            continue
        out.append((agreement, [Participant(m.code, m.name) for m in members]))
    return out


def comparisons(agreements, data: YearData, year: int, version: str):
    """The named comparison of each agreement, from the year's records."""
    return [
        (
            agreement,
            named_comparison(
                participants,
                data.records,
                year=year,
                version=version,
                themes=data.themes,
                measures=data.measures,
            ),
        )
        for agreement, participants in agreements
    ]


__all__ = [
    "NamedComparison",
    "YearData",
    "agreements_for",
    "comparisons",
    "page_benchmark",
    "population_key",
    "trend",
    "viewer_subjects",
    "vt_regions",
    "year_data",
]
