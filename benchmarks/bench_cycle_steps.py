"""Time the annual cycle's pages with a big cycle: 30 ambitions (60 results), 100 offerings.

Renders the dashboard and each of the seven steps through the Django test client, as an editor
(the forms) and as a reader (the read-only tables): median and max of a few renders and the
number of queries, beside the targets (500 ms per page, 25 queries). Uses its own throwaway
database (SQLite by default, PostgreSQL with DATABASE_URL). Exits 0 unless it crashes.
"""

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compass.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from throwaway import throwaway_database  # noqa: E402

AMBITIONS = 30
OFFERINGS = 100
RENDERS = 5
PAGE_TARGET_MS = 500.0
QUERY_TARGET = 25


def build():
    from django.contrib.auth import get_user_model

    from compass import access, services
    from compass.models import Municipality
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

    municipality = Municipality.objects.create(code="GM0344", name="Utrecht")
    users = get_user_model().objects
    editor, reader = users.create_user("editor"), users.create_user("reader")
    access.grant(editor, municipality, "editor")
    access.grant(reader, municipality, "reader")
    cycle = services.start_cycle(municipality, 2026, editor)
    results = []
    for i in range(AMBITIONS):
        ambition = AmbitionFactory(cycle=cycle, text=f"Ambitie {i}")
        for j in range(2):
            result = ResultFactory(
                ambition=ambition,
                type="substantive",
                text=f"Resultaat {i}.{j}",
                target_value=10,
                target_year=2030,
            )
            ResultValueFactory(result=result, year=2025, value=5)
            results.append(result)
    groups = [TargetGroupFactory(cycle=cycle, name=f"Doelgroep {i}") for i in range(10)]
    for i in range(OFFERINGS):
        offering = OfferingFactory(
            cycle=cycle,
            name=f"Aanbod {i}",
            kind="help",
            evidence_level="goed_beschreven",
            results=results[i % len(results) :][:2],
            target_groups=[groups[i % len(groups)]],
        )
        QualityCheckFactory(offering=offering)
        OutcomeMeasurementFactory(offering=offering, reach=20, respondents=5)
    for i in range(AMBITIONS):
        SituationFigureFactory(cycle=cycle, label=f"Cijfer {i}", value=i)
        ImprovementActionFactory(
            cycle=cycle, what=f"Actie {i}", who="Team", due=date(2026, 6, 1), result=results[i]
        )
    return cycle, editor, reader


def measure(client, url):
    assert client.get(url).status_code == 200  # warm up
    connection.queries_log.clear()  # a full log would hide the count
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times = []
    for _ in range(RENDERS):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times), len(queries)


def main():
    from questionnaire import steps

    vendor = connection.vendor
    with throwaway_database("bench_steps", ("testserver",)):
        cycle, editor, reader = build()
        print(f"database: {vendor}; {AMBITIONS} ambitions, {OFFERINGS} offerings")
        worst = 0.0
        for who, user in (("editor", editor), ("reader", reader)):
            client = Client()
            client.force_login(user)
            urls = [("dashboard", f"/jaarcycli/{cycle.pk}/")] + [
                (str(step), f"/jaarcycli/{cycle.pk}/{step}/") for step in steps.STEPS
            ]
            for label, url in urls:
                median, slowest, count = measure(client, url)
                worst = max(worst, median)
                flag = "" if median < PAGE_TARGET_MS and count <= QUERY_TARGET else "  <-- FAIL"
                print(
                    f"{who:6} {label:12} median {median:6.0f} ms  max {slowest:6.0f} ms  "
                    f"{count:3} queries{flag}"
                )
        verdict = "PASS" if worst < PAGE_TARGET_MS else "FAIL"
        print(
            f"slowest page (median): {worst:.0f} ms "
            f"(target under {PAGE_TARGET_MS:.0f} ms): {verdict}"
        )


if __name__ == "__main__":
    main()
