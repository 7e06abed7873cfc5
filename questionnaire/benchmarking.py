"""The benchmark's data: releases of submitted results, and the one function every output reads.

questionnaire/benchmark.py holds the rules (aggregation, suppression, the release rule) without
Django. This module

- publishes a release (``publish_release``, run by ``manage.py publish_benchmark``): the
  submitted results as they stood at the start of a reference date, per year and measure-set
  version, with every municipality's Veilig Thuis region and size class and the sharing
  agreements in force, stored in ``BenchmarkRelease`` / ``BenchmarkPopulation``;
- reads it for one reader (``reader_benchmark``, ``reader_trend``): THE function behind the
  page, the council report (HTML and PDF) and any later output, so all of them leave out the
  same known municipalities, apply the same minimum of unknown members and the same release
  rule, and show the same figures for the same reader and release;
- reads the participants' live results for the named comparison (they agreed to share them).

See docs/benchmark.md, "Releases" and "The benchmark page".
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from compass import access
from compass import regions as region_years
from compass.models import (
    BenchmarkPopulation,
    BenchmarkRelease,
    Membership,
    Municipality,
    SelfAssessment,
)
from questionnaire.benchmark import (
    Benchmark,
    BenchmarkError,
    BenchmarkRecord,
    NamedComparison,
    Participant,
    PeerGroup,
    Population,
    Step,
    Subject,
    named_comparison,
    release_benchmarks,
)

logger = logging.getLogger(__name__)

GENERATED_KEY = "generated"
"""Snapshot key that marks demo data made up by ``setup_demo`` (never set by a real submission)."""


def population_key(measure_set_id: int, measure_set_version: int) -> str:
    """The engine's ``version``: one population per measure set and measure-set version."""
    return f"{measure_set_id}:{measure_set_version}"


def min_group_size() -> int:
    return settings.BENCHMARK_MIN_GROUP_SIZE


def vt_regions(municipality_ids=None, year: int | None = None) -> dict[int, str]:
    """Municipality id -> its Veilig Thuis region code in ``year`` (issue 19 M7: regions
    change between years; ``compass.regions`` holds the rule), the current one without."""
    return region_years.vt_region_codes(municipality_ids, year)


# CBS size class 8 (250,000 inhabitants and more) holds only the four largest cities, fewer
# than the minimum group size, so they would never get a comparison: they are compared with
# class 7 (150,000-250,000) as one group of the largest municipalities (issue 19 item 8).
SIZE_GROUPS = {8: 7}


def _size(value) -> str | None:
    return None if value is None else str(SIZE_GROUPS.get(int(value), int(value)))


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


def year_data(
    year: int, measure_set_id: int, measure_set_version: int, regions, municipality_codes=None
) -> YearData:
    """The live records of one year (one query), given the region map from ``vt_regions``: for
    the named comparison only (``municipality_codes``: the participants); anonymous figures come
    from releases."""
    rows = SelfAssessment.objects.filter(
        status=SelfAssessment.Status.SUBMITTED, cycle__year=year, snapshot__isnull=False
    )
    if municipality_codes is not None:
        rows = rows.filter(cycle__municipality__code__in=list(municipality_codes))
    rows = rows.order_by("cycle_id", "-version").values(
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


# --- Reference dates ------------------------------------------------------------------------


def _release_months() -> set[int]:
    return set(settings.BENCHMARK_RELEASE_MONTHS) or set(range(1, 13))


def reference_date_on_or_before(day: dt.date) -> dt.date:
    """The latest reference date on or before ``day`` (the release rule's calendar)."""
    months, release_day = _release_months(), settings.BENCHMARK_RELEASE_DAY
    year, month = day.year, day.month
    while True:
        candidate = dt.date(year, month, release_day)
        if month in months and candidate <= day:
            return candidate
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)


def next_reference_date(after: dt.date) -> dt.date:
    """The first reference date after ``after``."""
    months, release_day = _release_months(), settings.BENCHMARK_RELEASE_DAY
    year, month = after.year, after.month
    while True:
        candidate = dt.date(year, month, release_day)
        if month in months and candidate > after:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def cutoff_of(reference_date: dt.date) -> dt.datetime:
    """Submissions made before this moment (the start of the reference date) are released."""
    return timezone.make_aware(dt.datetime.combine(reference_date, dt.time.min))


# --- Publishing a release ----------------------------------------------------------------------


class ReleaseError(Exception):
    """A release that cannot be made (a later one exists, or the date lies in the future)."""


@dataclass
class PublishResult:
    release: BenchmarkRelease
    created: bool
    stored: list[tuple[int, str]] = field(default_factory=list)  # populations that changed
    skipped: list[str] = field(default_factory=list)  # invalid stored results left out


def _record_from_row(row, version: str, places) -> BenchmarkRecord:
    result = row["snapshot__result"] or {}
    code = row["cycle__municipality__code"]
    region, size_class = places.get(code, (None, None))
    return BenchmarkRecord(
        municipality=code,
        region=region,
        size_class=size_class,
        year=row["cycle__year"],
        version=version,
        overall=result.get("overall"),
        themes={t["code"]: t["realisation"] for t in result.get("themes", [])},
        measures={m["code"]: m["realisation"] for m in result.get("measures", [])},
    )


def _places(year: int | None = None) -> dict[str, list]:
    by_id = vt_regions(year=year)
    return {
        code: [by_id.get(pk), _size(size_class)]
        for pk, code, size_class in Municipality.objects.values_list("pk", "code", "size_class")
    }


def _agreements(day: dt.date) -> list[list[str]]:
    groups: dict[int, list[str]] = {}
    rows = access.open_participations(day).values_list("agreement_id", "municipality__code")
    for agreement_id, code in rows.order_by("agreement_id", "municipality__code"):
        groups.setdefault(agreement_id, []).append(code)
    return [codes for _id, codes in sorted(groups.items())]


def _population_rows(records: list[BenchmarkRecord]):
    records = sorted(records, key=lambda r: r.municipality)
    members = [[r.municipality, r.region, r.size_class, r.overall] for r in records]
    details = {r.municipality: [dict(r.themes), dict(r.measures)] for r in records}
    return members, details


@transaction.atomic
def publish_release(
    reference_date: dt.date, now: dt.datetime | None = None, cutoff: dt.datetime | None = None
) -> PublishResult:
    """Publish the benchmark of ``reference_date`` (idempotent: a second call returns the first).

    Per cycle the latest version submitted before the reference date counts. A year's
    population enters its first release once ``BENCHMARK_FIRST_RELEASE_MINIMUM`` municipalities
    submitted for it; a population is stored again only when it changed. Invalid stored results
    are left out and named in the result (``skipped``).
    """
    existing = BenchmarkRelease.objects.filter(reference_date=reference_date).first()
    if existing is not None:
        return PublishResult(existing, False)
    now = now or timezone.now()
    # ``cutoff`` overrides the start of the reference date (the demo publishes what it made).
    cutoff = cutoff or cutoff_of(reference_date)
    if cutoff > now or reference_date > timezone.localdate(now):
        raise ReleaseError(f"The reference date {reference_date} lies in the future.")
    later = BenchmarkRelease.objects.filter(reference_date__gt=reference_date).first()
    if later is not None:
        raise ReleaseError(
            f"A later release ({later.reference_date}) exists; releases are made in date order."
        )
    places_of_year: dict[int, dict[str, list]] = {}  # the regions of each cycle year (M7)
    rows = (
        SelfAssessment.objects.filter(
            Q(submitted_at__lt=cutoff) | Q(submitted_at__isnull=True),
            status=SelfAssessment.Status.SUBMITTED,
            snapshot__isnull=False,
        )
        .order_by("cycle_id", "-version")
        .values(
            "cycle_id",
            "cycle__year",
            "measure_set_id",
            "measure_set_version",
            "cycle__municipality__code",
            "snapshot__result",
            "snapshot__measure_set",
            "snapshot__" + GENERATED_KEY,
        )
    )
    groups: dict[tuple[int, str], dict] = {}
    skipped: list[str] = []
    for row in _latest_per_cycle(rows):
        key = (
            row["cycle__year"],
            population_key(row["measure_set_id"], row["measure_set_version"]),
        )
        group = groups.setdefault(key, {"records": {}, "generated": False, "layout": {}})
        year = row["cycle__year"]
        if year not in places_of_year:
            places_of_year[year] = _places(year)
        record = _record_from_row(row, key[1], places_of_year[year])
        try:
            Population([record], year=key[0], version=key[1])
        except BenchmarkError:
            skipped.append(f"{record.municipality} {key[0]}")
            continue
        if record.municipality in group["records"]:
            skipped.append(f"{record.municipality} {key[0]}")
            continue
        group["records"][record.municipality] = record
        group["generated"] = group["generated"] or bool(row["snapshot__" + GENERATED_KEY])
        spec = row["snapshot__measure_set"]
        if not group["layout"] and spec:
            group["layout"] = {
                "themes": [t["code"] for t in spec.get("themes", [])],
                "measures": [m["code"] for m in spec.get("measures", [])],
                "measure_themes": {m["code"]: m["theme"] for m in spec.get("measures", [])},
            }
    released = set(BenchmarkPopulation.objects.values_list("year", "version").distinct())
    release = BenchmarkRelease.objects.create(
        reference_date=reference_date,
        cutoff=cutoff,
        min_size=min_group_size(),
        municipality_count=0,
        places=_places(),  # current regions, for readers without a record of the year
        agreements=_agreements(reference_date),
    )
    stored = []
    counted: set[str] = set()
    for key in sorted(set(groups) | released):
        group = groups.get(key, {"records": {}, "generated": False, "layout": {}})
        records = list(group["records"].values())
        if key not in released and len(records) < settings.BENCHMARK_FIRST_RELEASE_MINIMUM:
            continue  # the year's first release waits for enough submissions
        counted.update(group["records"])
        members, details = _population_rows(records)
        previous = (
            BenchmarkPopulation.objects.filter(year=key[0], version=key[1])
            .order_by("-release__reference_date")
            .values("members", "details", "layout", "generated")
            .first()
        )
        layout = group["layout"] or (previous or {}).get("layout") or {}
        now_data = {
            "members": members,
            "details": details,
            "layout": layout,
            "generated": group["generated"],
        }
        if previous == now_data:
            continue
        BenchmarkPopulation.objects.create(
            release=release, year=key[0], version=key[1], size=len(records), **now_data
        )
        stored.append(key)
    release.municipality_count = len(counted)
    release.save(update_fields=["municipality_count"])
    if skipped:
        logger.warning("Benchmark release %s left out invalid results: %s", reference_date, skipped)
    return PublishResult(release, True, stored, skipped)


# --- Reading a release: the one function every output calls -----------------------------------


@dataclass
class ReaderBenchmark:
    """What one reader may see of one year and measure-set version in the latest release.

    ``status``: ``"ok"``; ``"no_release"`` (nothing published yet, or not this year and
    version); ``"not_yet"`` (the page's municipality became readable for this reader after the
    release: its comparison follows at the next release); ``"error"`` (a stored result is
    invalid).
    """

    status: str
    release: BenchmarkRelease | None = None
    benchmark: Benchmark | None = None
    size: int = 0  # municipalities in the released population of this year and version
    generated: bool = False
    themes: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    measure_themes: dict[str, str] = field(default_factory=dict)
    next_date: dt.date | None = None


@dataclass
class Reader:
    """Who reads: the municipalities whose team the user is in; a superuser reads only pages."""

    teams: list[str]
    superuser: bool = False
    member_ids: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, user, municipality: Municipality | None = None) -> Reader:
        """The reader behind ``user``; None: a member of ``municipality`` only."""
        if user is None:
            return cls([municipality.code] if municipality else [])
        rows = list(
            Membership.objects.filter(user=user)
            .order_by("municipality__code")
            .values_list("municipality_id", "municipality__code")
        )
        return cls(
            list(dict.fromkeys(code for _pk, code in rows)),
            bool(user.is_superuser),
            {pk for pk, _code in rows},
        )

    def codes(self, page: str, agreements: list[list[str]]) -> list[str] | None:
        """The municipalities this reader knows at a release, the page's own first; None when
        the page is not among them (a partner since the release)."""
        if self.superuser and page not in self.teams:
            return [page]
        known = list(self.teams)
        teams = set(self.teams)
        for group in agreements:
            if teams & set(group):
                known.extend(group)
        known = list(dict.fromkeys(known))
        if page not in known:
            return None
        return [page, *[c for c in known if c != page]]


def releases() -> list[BenchmarkRelease]:
    """Every release, oldest first, in one query."""
    return list(BenchmarkRelease.objects.order_by("reference_date"))


def latest_release() -> BenchmarkRelease | None:
    return BenchmarkRelease.objects.order_by("-reference_date").first()


def _population_of(row: dict, *, overall_only: bool = False) -> Population:
    details = {} if overall_only else row.get("details") or {}
    layout = row.get("layout") or {}
    records = [
        BenchmarkRecord(
            municipality=code,
            region=region,
            size_class=size_class,
            year=row["year"],
            version=row["version"],
            overall=overall,
            themes=(details.get(code) or [{}, {}])[0],
            measures=(details.get(code) or [{}, {}])[1],
        )
        for code, region, size_class, overall in row["members"]
    ]
    return Population(
        records,
        year=row["year"],
        version=row["version"],
        themes=[] if overall_only else layout.get("themes", []),
        measures=[] if overall_only else layout.get("measures", []),
    )


def _steps(reader: Reader, page: str, releases, rows, latest, populations) -> list[Step] | None:
    """The reader's releases of one population, oldest first; None if the page is not (yet)
    the reader's at the last release."""
    by_release = {row["release_id"]: row for row in rows}
    steps: list[Step] = []
    current = None
    for release in releases:
        if release.pk in by_release:
            current = by_release[release.pk]
        if current is None:
            continue
        codes = reader.codes(page, release.agreements)
        if codes is None:
            if release is releases[-1]:
                return None
            continue
        population = populations[id(current)]
        subjects = tuple(
            Subject(
                code,
                *(
                    (record.region, record.size_class)
                    if (record := population.records.get(code))
                    else tuple(latest.places.get(code) or (None, None))
                ),
            )
            for code in codes
        )
        steps.append(Step(population, subjects))
    return steps


def reader_benchmark(
    reader: Reader,
    municipality: Municipality,
    year: int,
    version: str,
    all_releases: list[BenchmarkRelease] | None = None,
) -> ReaderBenchmark:
    """THE benchmark of ``municipality`` for ``reader`` from the latest release (two queries,
    one more for a page of a municipality without a released record; ``all_releases`` from
    ``releases()`` saves one).

    Every output calls this (or ``reader_trend``): it leaves out the municipalities the reader
    knows (own teams, and sharing partners as of each release's reference date), shows only
    cells of at least N unknown members, and applies the release rule over the reader's
    releases, so page, report and exports always agree and change only at a release.
    """
    all_releases = releases() if all_releases is None else all_releases
    if not all_releases:
        return ReaderBenchmark("no_release", next_date=next_reference_date(timezone.localdate()))
    release = all_releases[-1]
    next_date = next_reference_date(release.reference_date)
    rows = list(
        BenchmarkPopulation.objects.filter(
            year=year, version=version, release__reference_date__lte=release.reference_date
        )
        .order_by("release__reference_date")
        .values(
            "release_id", "year", "version", "size", "generated", "members", "details", "layout"
        )
    )
    if not rows:
        return ReaderBenchmark("no_release", release, next_date=next_date)
    last = rows[-1]
    layout = last["layout"] or {}
    out = ReaderBenchmark(
        "ok",
        release,
        size=last["size"],
        generated=last["generated"],
        themes=list(layout.get("themes", [])),
        measures=list(layout.get("measures", [])),
        measure_themes=dict(layout.get("measure_themes", {})),
        next_date=next_date,
    )
    try:
        populations = {id(row): _population_of(row) for row in rows}
        steps = _steps(reader, municipality.code, all_releases, rows, release, populations)
        if steps is None:
            out.status = "not_yet"
            return out
        out.benchmark = release_benchmarks(steps, min_group_size())[0]
    except BenchmarkError:
        out.status = "error"
    return out


def release_notes(released: ReaderBenchmark, chosen) -> dict:
    """What the page and the report say about the release: its date, its size, and whether the
    own submission is newer than the release (it then counts from the next one)."""
    release = released.release
    submitted = chosen is not None and chosen.is_submitted
    pending = submitted and (
        release is None
        or (chosen.submitted_at is not None and chosen.submitted_at >= release.cutoff)
    )
    return {
        "release_date": release.reference_date if release else None,
        "release_size": released.size if released.status in ("ok", "not_yet") else 0,
        "next_release": released.next_date,
        "pending": pending,
        "not_yet": released.status == "not_yet",
    }


@dataclass
class Trend:
    year: int
    own: float | None
    median: float | None


def reader_trend(
    reader: Reader,
    municipality: Municipality,
    year: int,
    own_overall: dict[int, tuple],
    all_releases: list[BenchmarkRelease] | None = None,
) -> list[Trend]:
    """Per year the municipality submitted (and the page's year): its own overall result and
    the national median of the released population of that year (one query, plus the list of
    releases), by the same rule as ``reader_benchmark``.

    ``own_overall``: year -> (population key, own overall) of the municipality's own latest
    submissions (its own figures, shown live).
    """
    all_releases = releases() if all_releases is None else all_releases
    release = all_releases[-1] if all_releases else None
    medians: dict[int, float | None] = {}
    if release is not None:
        wanted = {(y, key) for y, (key, _own) in own_overall.items()}
        rows = list(
            BenchmarkPopulation.objects.filter(
                year__gt=year - TREND_YEARS,
                year__lte=year,
                release__reference_date__lte=release.reference_date,
            )
            .order_by("release__reference_date")
            .values("release_id", "year", "version", "members")
        )
        by_key: dict[tuple[int, str], list[dict]] = {}
        for row in rows:
            if (row["year"], row["version"]) in wanted:
                by_key.setdefault((row["year"], row["version"]), []).append(row)
        for (y, _key), key_rows in by_key.items():
            try:
                populations = {id(r): _population_of(r, overall_only=True) for r in key_rows}
                steps = _steps(
                    reader, municipality.code, all_releases, key_rows, release, populations
                )
                if steps:
                    bench = release_benchmarks(steps, min_group_size())[0]
                    medians[y] = bench.group(PeerGroup.NATIONAL).overall.median
            except BenchmarkError:
                medians[y] = None
    return [
        Trend(y, own_overall[y][1] if y in own_overall else None, medians.get(y))
        for y in sorted(set(own_overall) | {year})
    ]


def own_overall_by_year(municipality: Municipality, year: int) -> dict[int, tuple]:
    """The municipality's own latest submitted overall result per year of the trend window."""
    rows = (
        SelfAssessment.objects.filter(
            status=SelfAssessment.Status.SUBMITTED,
            cycle__municipality=municipality,
            cycle__year__gt=year - TREND_YEARS,
            cycle__year__lte=year,
        )
        .order_by("cycle_id", "-version")
        .values(
            "cycle_id",
            "cycle__year",
            "measure_set_id",
            "measure_set_version",
            "snapshot__result__overall",
        )
    )
    return {
        row["cycle__year"]: (
            population_key(row["measure_set_id"], row["measure_set_version"]),
            row["snapshot__result__overall"],
        )
        for row in _latest_per_cycle(rows)
    }


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
    "Reader",
    "ReaderBenchmark",
    "YearData",
    "agreements_for",
    "comparisons",
    "own_overall_by_year",
    "population_key",
    "publish_release",
    "reader_benchmark",
    "reader_trend",
    "release_notes",
    "vt_regions",
    "year_data",
]
