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
from django.db.models import Exists, OuterRef

from compass import access
from compass.models import Membership, Municipality, Region, SelfAssessment
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


TREND_YEARS = 10
"""The trend chart covers the page's year and the nine years before it."""


def labels_for(measure_set_id: int, measure_set_version: int) -> dict:
    """The titles frozen with any submission on this measure-set version (one query), for a
    page whose own cycle has no submission to take them from."""
    row = (
        SelfAssessment.objects.filter(
            status=SelfAssessment.Status.SUBMITTED,
            measure_set_id=measure_set_id,
            measure_set_version=measure_set_version,
            snapshot__labels__isnull=False,
        )
        .order_by("-submitted_at")
        .values_list("snapshot__labels", flat=True)
        .first()
    )
    return row or {}


def trend_populations(year: int, regions):
    """Overall results only, for the trend window, in one query.

    Returns ((year, version) -> records, municipality id -> {year: version}).
    """
    rows = (
        SelfAssessment.objects.filter(
            status=SelfAssessment.Status.SUBMITTED,
            cycle__year__gt=year - TREND_YEARS,
            cycle__year__lte=year,
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
    versions: dict[int, dict[int, str]] = {}
    for row in _latest_per_cycle(rows):
        version = population_key(row["measure_set_id"], row["measure_set_version"])
        municipality_id = row["cycle__municipality_id"]
        versions.setdefault(municipality_id, {})[row["cycle__year"]] = version
        out.setdefault((row["cycle__year"], version), []).append(
            BenchmarkRecord(
                municipality=row["cycle__municipality__code"],
                region=regions.get(municipality_id),
                size_class=_size(row["cycle__municipality__size_class"]),
                year=row["cycle__year"],
                version=version,
                overall=row["snapshot__result__overall"],
            )
        )
    return out, versions


def viewer_subjects(user, municipality: Municipality, regions) -> tuple[list[Subject], set[int]]:
    """The municipalities whose scores the viewer knows, the page's own first (engine rule 5),
    and the ids of those the viewer is a member of, in one query.

    The known ones are every municipality the user may read (own teams and sharing partners); a
    superuser reads everything, so suppressing together would hide everything: only the page's
    own then.
    """
    others, member_ids = [], set()
    if user.is_superuser:
        member_ids = set(user.memberships.values_list("municipality_id", flat=True))
    else:
        readable = (
            access.municipalities_for(user)
            .only("pk", "code", "size_class")
            .annotate(
                is_member=Exists(Membership.objects.filter(user=user, municipality=OuterRef("pk")))
            )
        )
        for m in readable:
            if m.is_member:
                member_ids.add(m.pk)
            if m.pk != municipality.pk:
                others.append(m)
    subjects = [
        Subject(m.code, regions.get(m.pk), _size(m.size_class)) for m in [municipality, *others]
    ]
    return subjects, member_ids


def page_benchmark(population: Population, subjects: list[Subject]) -> Benchmark:
    """The page's own benchmark, suppressed together with all the viewer's other pages."""
    return population.benchmarks(subjects, min_group_size())[0]


@dataclass
class Trend:
    year: int
    own: float | None
    median: float | None


def trend(user_subjects: list[Subject], municipality: Municipality, year: int, regions):
    """Per year the municipality submitted (and the page's year): own overall, national median.

    The national median of each year goes through the engine (the national overall cell of the
    year's population of the municipality's measure-set version, suppressed as any other).
    """
    populations, versions = trend_populations(year, regions)
    own_versions = versions.get(municipality.pk, {})
    points = []
    for y in sorted(set(own_versions) | {year}):
        own = median = None
        version = own_versions.get(y)
        if version is not None:
            records = populations.get((y, version), [])
            population = Population(records, year=y, version=version, themes=[], measures=[])
            bench = page_benchmark(population, user_subjects)
            own = None if bench.own is None else bench.own.overall
            median = bench.group(PeerGroup.NATIONAL).overall.median
        points.append(Trend(y, own, median))
    return points


def agreements_for(member_ids: set[int], municipality: Municipality):
    """Agreements in force that include the municipality, if the viewer belongs to a participant
    (``member_ids``: the municipalities the viewer is a member of).

    Returns [(agreement, [Participant, ...])]: the participants in name order, in one query.
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
    mine = set(member_ids)
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
