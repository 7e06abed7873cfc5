"""Time the downloads and the JSON import of one large annual cycle (numbers, not tests).

Builds a cycle with 100 offerings (and 20 ambitions, 60 results with 3 values each, 30 target
groups, 100 quality checks, 100 outcome measurements, 50 improvement actions, 100 figures)
in a fresh database, then through the Django test client: the XLSX workbook, the CSV of the
offering, the JSON export, and the import of that JSON as a new cycle (the whole view, upload
included). Prints the median and p95 time and the number of queries of each, beside targets.

The targets are meant for PostgreSQL: set DATABASE_URL (the script creates and drops its own
database "bench_<name>"). Without DATABASE_URL it runs on SQLite and says so. Always exits 0
unless it crashes: a slow machine is reported, not failed.
"""

import os
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

OFFERINGS = 100
ROUNDS = 10
TARGETS_MS = {"xlsx": 1000.0, "csv": 200.0, "json": 500.0, "import": 2000.0}
QUERY_TARGETS = {"xlsx": 25, "csv": 10, "json": 25, "import": 45}


def build():
    import datetime
    import random
    from decimal import Decimal

    from compass import access, services
    from compass.models import (
        Ambition,
        ImprovementAction,
        Municipality,
        Offering,
        OutcomeMeasurement,
        QualityCheck,
        Result,
        ResultValue,
        SituationFigure,
        TargetGroup,
    )
    from tests.factories import (
        AmbitionFactory,
        ImprovementActionFactory,
        OfferingFactory,
        OutcomeMeasurementFactory,
        QualityCheckFactory,
        ResultFactory,
        ResultValueFactory,
        SituationFigureFactory,
        TargetGroupFactory,
    )

    # The factories build each row unsaved; one bulk insert per part saves them.

    rng = random.Random(2026)
    municipality = Municipality.objects.create(code="GM0344", name="Utrecht")
    user = django.contrib.auth.get_user_model().objects.create_user("coordinator")
    access.grant(user, municipality, "coordinator")
    cycle = services.start_cycle(municipality, 2026, user)
    SituationFigure.objects.bulk_create(
        SituationFigureFactory.build(
            cycle=cycle,
            label=f"Cijfer {n}",
            period="2025",
            value=Decimal(rng.randint(0, 99999)) / 100,
            source="Eigen registratie",
        )
        for n in range(100)
    )
    ambitions = Ambition.objects.bulk_create(
        AmbitionFactory.build(cycle=cycle, text=f"Ambitie {n}") for n in range(20)
    )
    results = Result.objects.bulk_create(
        ResultFactory.build(
            ambition=ambitions[n % 20],
            type="substantive",
            text=f"Resultaat {n}",
            baseline_value=Decimal("12.50"),
            baseline_year=2024,
            target_value=Decimal("9.25"),
            # No target year: the import below writes twelve later years (2030-2041), and a
            # target year lies between the cycle year and ten years later (issue 16's rule).
            target_year=None,
        )
        for n in range(60)
    )
    ResultValue.objects.bulk_create(
        ResultValueFactory.build(result=r, year=year, value=Decimal("11.10"))
        for r in results
        for year in (2024, 2025, 2026)
    )
    groups = TargetGroup.objects.bulk_create(
        TargetGroupFactory.build(cycle=cycle, name=f"Doelgroep {n}", estimated_size=100 + n)
        for n in range(30)
    )
    offerings = Offering.objects.bulk_create(
        OfferingFactory.build(
            cycle=cycle,
            name=f"Aanbod {n}",
            kind="help",
            provider="GGD",
            evidence_level="goed_onderbouwd",
            valid_until=datetime.date(2028, 1, 1),
            capacity=40,
        )
        for n in range(OFFERINGS)
    )
    for offering in offerings:
        offering.target_groups.set(rng.sample(groups, 3))
        offering.results.set(rng.sample(results, 2))
    QualityCheck.objects.bulk_create(
        QualityCheckFactory.build(
            offering=o,
            well_founded="yes",
            trained="partly",
            registered="no",
            supervised="yes",
            guidelines="unknown",
        )
        for o in offerings
    )
    OutcomeMeasurement.objects.bulk_create(
        OutcomeMeasurementFactory.build(offering=o, reach=80, dropout=Decimal("12.5"))
        for o in offerings
    )
    ImprovementAction.objects.bulk_create(
        ImprovementActionFactory.build(
            cycle=cycle,
            what=f"Actie {n}",
            who="Team",
            due=datetime.date(2026, 12, 1),
            decision="continue",
            result=results[n],
            offering=offerings[n],
        )
        for n in range(50)
    )
    return user, cycle


def measure(name, request):
    request()  # warm up
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        request()
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        request()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    median = statistics.median(times)
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    verdict = "PASS" if p95 < TARGETS_MS[name] else "FAIL"
    print(
        f"{name:6}: median {median:.0f} ms, p95 {p95:.0f} ms "
        f"(target under {TARGETS_MS[name]:.0f} ms): {verdict}; "
        f"{len(queries)} queries (target at most {QUERY_TARGETS[name]}): "
        f"{'PASS' if len(queries) <= QUERY_TARGETS[name] else 'FAIL'}"
    )


def main():
    import django.contrib.auth  # noqa: F401 - used in build()
    from django.core.files.uploadedfile import SimpleUploadedFile

    vendor = connection.vendor
    if vendor != "postgresql":
        print(f"NOTE: running on {vendor}, not PostgreSQL: set DATABASE_URL for the real targets.")
    with throwaway_database("bench", ("testserver",)):
        started = time.perf_counter()
        user, cycle = build()
        print(
            f"database: {vendor}; built a cycle with {OFFERINGS} offerings in "
            f"{time.perf_counter() - started:.1f} s"
        )
        client = Client()
        client.force_login(user)
        base = f"/jaarcycli/{cycle.pk}/downloads/"
        for kind, url in (
            ("xlsx", base + "werkmap.xlsx"),
            ("csv", base + "aanbod.csv"),
            ("json", base + "jaarcyclus.json"),
        ):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            print(f"{kind:6}: {len(response.content) / 1024:.0f} KB")
            measure(kind, lambda url=url: client.get(url))
        content = client.get(base + "jaarcyclus.json").content
        years = iter(range(2030, 2100))

        def import_once():
            response = client.post(
                "/gemeenten/GM0344/jaarcyclus/importeren/",
                {"year": next(years), "file": SimpleUploadedFile("c.json", content)},
            )
            assert response.status_code == 302, response.content[:2000]

        measure("import", import_once)


if __name__ == "__main__":
    main()
