"""Time the benchmark page end to end on a national-scale database (numbers, not tests).

Builds 342 municipalities (25 Veilig Thuis regions, 5 size classes) with a submitted
self-assessment for each of 5 years (1,710 submissions; 19 measures in 2 themes) in a fresh
database, logs in a coordinator of one of them who also takes part in a sharing agreement of
five municipalities, and renders /jaarcycli/<pk>/vergelijking/ through the Django test client: the
median and p95 time and the number of queries, beside the targets of 300 ms and 15 queries.

The targets are meant for PostgreSQL: set DATABASE_URL (e.g.
postgres://postgres@127.0.0.1:5432/issue_7; the script creates and drops its own database
"bench_<name>"). Without DATABASE_URL it runs on SQLite and says so. Always exits 0 unless it
crashes: a slow machine is reported, not failed.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compass.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from throwaway import throwaway_database  # noqa: E402

MUNICIPALITIES = 342
YEARS = (2022, 2023, 2024, 2025, 2026)
THEMES = {
    "pkm": [f"pkm-{n:02d}" for n in range(1, 11)],
    "ahg": [f"ahg-{n:02d}" for n in range(1, 10)],
}
RENDERS = 30
PAGE_TARGET_MS = 300.0
QUERY_TARGET = 15


def build():
    from decimal import Decimal

    from cms.snippets import Measure, MeasureSet, Theme
    from compass import access
    from compass.models import Municipality, Region, SharingAgreement
    from questionnaire.benchmark_data import bulk_submitted, random_measures

    measure_set = MeasureSet(name="Benchmarkset", version=1)
    measure_set.themes = [
        Theme(code=code, title=code, weight=Decimal(1), sort_order=i)
        for i, code in enumerate(THEMES)
    ]
    measure_set.save()
    measure_set.save_revision().publish()
    for theme_code, codes in THEMES.items():
        theme = measure_set.themes.get(code=theme_code)
        for order, code in enumerate(codes):
            Measure(theme=theme, code=code, title=code, weight=Decimal(1), sort_order=order).save()
    rng = random.Random(2026)
    regions = Region.objects.bulk_create(
        [Region(kind="VT", code=f"VT{i + 1:02d}", name=f"Regio {i + 1}") for i in range(25)]
    )
    municipalities = Municipality.objects.bulk_create(
        [
            Municipality(code=f"GM{i + 1:04d}", name=f"Gemeente {i + 1}", size_class=1 + i % 5)
            for i in range(MUNICIPALITIES)
        ]
    )
    through = Region.municipalities.through
    through.objects.bulk_create(
        [
            through(region_id=regions[i % 25].pk, municipality_id=m.pk)
            for i, m in enumerate(municipalities)
        ]
    )
    items = []
    for m in municipalities:
        level = rng.uniform(30, 75)
        for offset, year in enumerate(YEARS):
            items.append((m, year, random_measures(rng, THEMES, level + 3 * offset)))
    labels = {"name": "Benchmarkset", "themes": {t: t for t in THEMES}, "measures": {}}
    bulk_submitted(items, measure_set, THEMES, labels, generated=False)
    user = django.contrib.auth.get_user_model().objects.create_user("coordinator")
    own = municipalities[0]
    access.grant(user, own, "coordinator")
    agreement = SharingAgreement.objects.create(name="Regio 1")
    for m in municipalities[0:125:25]:  # five municipalities of region 1
        access.join_agreement(agreement, m)
    cycle = own.cycles.get(year=YEARS[-1])
    return user, cycle


def main():
    import django.contrib.auth  # noqa: F401 - used in build()

    vendor = connection.vendor
    if vendor != "postgresql":
        print(f"NOTE: running on {vendor}, not PostgreSQL: set DATABASE_URL for the real targets.")
    with throwaway_database("bench", ("testserver",)) as created:
        started = time.perf_counter()
        user, cycle = build()
        from django.utils import timezone

        from questionnaire.benchmarking import publish_release

        publish_release(timezone.localdate(), cutoff=timezone.now())  # the page reads releases
        print(
            f"database: {vendor} ({created}); built {MUNICIPALITIES} municipalities x "
            f"{len(YEARS)} years in {time.perf_counter() - started:.1f} s"
        )
        client = Client()
        client.force_login(user)
        url = f"/jaarcycli/{cycle.pk}/vergelijking/"
        assert client.get(url).status_code == 200  # warm up
        connection.queries_log.clear()  # a full log (9,000 entries) would hide the count
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert "n&nbsp;=&nbsp;341" in response.content.decode()
        times = []
        for _ in range(RENDERS):
            t = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        median = statistics.median(times)
        p95 = times[int(len(times) * 0.95) - 1]
        verdict = "PASS" if p95 < PAGE_TARGET_MS else "FAIL"
        print(
            f"benchmark page, {RENDERS} renders: median {median:.0f} ms, p95 {p95:.0f} ms "
            f"(target under {PAGE_TARGET_MS:.0f} ms): {verdict}"
        )
        count = len(queries)
        verdict = "PASS" if count <= QUERY_TARGET else "FAIL"
        print(f"queries per page: {count} (target at most {QUERY_TARGET}): {verdict}")


if __name__ == "__main__":
    main()
