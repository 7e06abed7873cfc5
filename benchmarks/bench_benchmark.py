"""Time the anonymous benchmark engine on a national-scale data set (numbers, not tests).

Generates submitted self-assessment results for 342 municipalities times 5 years (1,710
records; 19 measures in 2 themes, a few empty values) spread over the 25 Veilig Thuis regions and
5 size classes, then times (a) building the population of one year and measure-set version from
all 1,710 records, (b) one municipality's full benchmark (3 peer groups x 22 cells, with both
suppression rules) and (c) the benchmarks of all 342 municipalities of a year. The benchmark page
must render end-to-end in under 300 ms; the engine's share, (a) + (b), is printed as a fraction
of that budget. It also times the joint pages of a viewer in three municipalities and counts
the hidden cells early in a year (40 submissions). Always exits 0: a slow machine is reported,
not failed.
"""

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from questionnaire.benchmark import (  # noqa: E402
    MIN_GROUP_SIZE,
    BenchmarkRecord,
    Population,
    Subject,
)

MUNICIPALITIES = 342
YEARS = (2022, 2023, 2024, 2025, 2026)
REGIONS = 25  # Veilig Thuis regions
SIZE_CLASSES = ("<20k", "20-50k", "50-100k", "100-250k", ">250k")
THEMES = ("prevention", "domestic-violence")
MEASURES = tuple(f"PK{n:02d}" for n in range(1, 11)) + tuple(f"HG{n:02d}" for n in range(1, 10))
ROUNDS = 5
PAGE_BUDGET_MS = 300.0
ONE_TARGET_MS = 15.0  # 5 % of the page budget for the engine's part of one page
ALL_TARGET_MS = 3000.0  # all 342 pages of a year, e.g. for an export or a cache warm-up


def value(rng: random.Random, level: float, spread: float) -> float | None:
    """A realisation around the municipality's level; 4 % empty (all "niet van toepassing")."""
    if rng.random() < 0.04:
        return None
    return round(min(100.0, max(0.0, rng.gauss(level, spread))), 2)


def national_records(seed: int = 2026) -> list[BenchmarkRecord]:
    rng = random.Random(seed)
    places = [
        (f"GM{i:04d}", f"VT{rng.randrange(REGIONS):02d}", rng.choice(SIZE_CLASSES))
        for i in range(1, MUNICIPALITIES + 1)
    ]
    records = []
    for year in YEARS:
        for code, region, size in places:
            level = rng.uniform(15, 90)

            measures = {m: value(rng, level, 15.0) for m in MEASURES}
            themes = {t: value(rng, level, 8.0) for t in THEMES}
            overall = value(rng, level, 5.0)
            records.append(
                BenchmarkRecord(code, region, size, year, f"{year}.1", overall, themes, measures)
            )
    return records


def verdict(value: float, target: float) -> str:
    return "PASS" if value < target else "FAIL"


def main() -> None:
    records = national_records()
    year = YEARS[-1]
    version = f"{year}.1"
    subjects = [Subject.of(r) for r in records if r.year == year and r.version == version]

    builds, singles, alls = [], [], []
    Population(records, year=year, version=version).benchmark(subjects[0])  # warm up
    for round_ in range(ROUNDS):
        t0 = time.perf_counter()
        population = Population(
            records, year=year, version=version, themes=THEMES, measures=MEASURES
        )
        builds.append((time.perf_counter() - t0) * 1000)
        for subject in subjects[round_::50]:
            t0 = time.perf_counter()
            population.benchmark(subject, MIN_GROUP_SIZE)
            singles.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        shown = hidden = 0
        for subject in subjects:
            for _, _, _, cell in population.benchmark(subject, MIN_GROUP_SIZE).cells():
                if cell.has_data:
                    shown += 1
                else:
                    hidden += 1
        alls.append((time.perf_counter() - t0) * 1000)

    build = statistics.median(builds)
    one = statistics.median(singles)
    page = build + one
    print(
        f"Benchmark engine: {MUNICIPALITIES} municipalities x {len(YEARS)} years = "
        f"{len(records)} records; {REGIONS} Veilig Thuis regions, {len(SIZE_CLASSES)} size "
        f"classes; {len(THEMES)} themes, {len(MEASURES)} measures; {ROUNDS} rounds; "
        f"Python {sys.version.split()[0]}"
    )
    print(
        f"  population of one year (validate + sort {len(records)} records): median {build:.2f} ms"
    )
    print(
        f"  one municipality, 3 groups x {1 + len(THEMES) + len(MEASURES)} cells: "
        f"median {one:.2f} ms, max {max(singles):.2f} ms"
    )
    print(
        f"  engine part of one page (population + one benchmark): {page:.2f} ms = "
        f"{page / PAGE_BUDGET_MS:.1%} of the {PAGE_BUDGET_MS:g} ms page budget"
        f"   target < {ONE_TARGET_MS:g} ms: {verdict(page, ONE_TARGET_MS)}"
    )
    print(
        f"  all {len(subjects)} municipalities of {year}: best {min(alls):.0f} ms, "
        f"median {statistics.median(alls):.0f} ms   target < {ALL_TARGET_MS:g} ms: "
        f"{verdict(statistics.median(alls), ALL_TARGET_MS)}"
    )
    print(f"  cells shown {shown}, empty or suppressed {hidden} (one year, all municipalities)")

    joint = []
    for round_ in range(ROUNDS):
        three = subjects[round_ * 3 : round_ * 3 + 3]
        t0 = time.perf_counter()
        population.benchmarks(three, MIN_GROUP_SIZE)
        joint.append((time.perf_counter() - t0) * 1000)
    print(
        f"  a viewer in 3 municipalities, 3 pages suppressed together: "
        f"median {statistics.median(joint):.2f} ms"
    )

    # Early in the year: only the first 40 municipalities have submitted.
    early = Population(
        [r for r in records if r.year == year][:40],
        year=year,
        version=version,
        themes=THEMES,
        measures=MEASURES,
    )
    shown = hidden = 0
    for subject in subjects:
        for _, _, _, cell in early.benchmark(subject, MIN_GROUP_SIZE).cells():
            shown, hidden = (shown + 1, hidden) if cell.has_data else (shown, hidden + 1)
    print(
        f"  early in the year (40 submissions), all {len(subjects)} municipalities: "
        f"cells shown {shown}, empty or suppressed {hidden}"
    )


if __name__ == "__main__":
    main()
