"""Time the annual cycle's pages with a big cycle: 30 ambitions (60 results), 100 offerings.

Renders the dashboard and each of the seven steps through the Django test client, as an editor
(the forms) and as a reader (the read-only tables): median and max of a few renders, the
number of queries and the size of the HTML, beside the targets of issue 18 (20 queries and
150 KB per page; 500 ms was this script's older time target). Texts are as long as the
national seed's (`seed_national`: ten-word ambitions and results, three-word names), so the
bytes compare with `make bench`. Uses its own throwaway database (SQLite by default,
PostgreSQL with DATABASE_URL). Exits 0 unless it crashes.

    .venv/bin/python benchmarks/bench_cycle_steps.py            # DEBUG=0-like settings
    BENCH_RENDERS=9 .venv/bin/python benchmarks/bench_cycle_steps.py editor
"""

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compass.settings")
# Production-like unless DEBUG is set: no debug toolbar or query log; the static files are
# served unhashed below (no collectstatic for a throwaway run), two-factor is not asked.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-cycle-steps-" + "x" * 40)
os.environ.setdefault("TWO_FACTOR_REQUIRED", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

override_settings(
    STORAGES={
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
).enable()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from throwaway import throwaway_database  # noqa: E402

AMBITIONS = 30
OFFERINGS = 100
RENDERS = int(os.environ.get("BENCH_RENDERS", "5"))
PAGE_TARGET_MS = 500.0
QUERY_TARGET = 20
KB_TARGET = 150.0
WORDS = [
    "kind",
    "ouder",
    "gezin",
    "veilig",
    "thuis",
    "geweld",
    "signaal",
    "hulp",
    "school",
    "wijk",
    "team",
    "zorg",
    "jeugd",
    "buurt",
    "steun",
    "meldcode",
    "opvoeding",
    "partner",
    "relatie",
    "stress",
    "schuld",
    "armoede",
    "huisvesting",
]


def words(n: int, seed: int) -> str:
    """n words chosen deterministically from seed: texts as long as the national seed's."""
    return " ".join(WORDS[(seed * 7 + i * 13) % len(WORDS)] for i in range(n)).capitalize()


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
        ambition = AmbitionFactory(cycle=cycle, text=f"Ambitie {i}: {words(10, i)}")
        for j in range(2):
            result = ResultFactory(
                ambition=ambition,
                type="substantive",
                text=f"Resultaat {i}.{j}: {words(10, i * 2 + j + 50)}",
                target_value=10,
                target_year=2030,
            )
            ResultValueFactory(result=result, year=2025, value=5)
            results.append(result)
    groups = [
        TargetGroupFactory(cycle=cycle, name=f"Doelgroep {i}: {words(3, i + 200)}")
        for i in range(10)
    ]
    for i in range(OFFERINGS):
        offering = OfferingFactory(
            cycle=cycle,
            name=f"Aanbod {i}: {words(3, i + 300)}",
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
    queries = []  # counted by a wrapper: the query log is off without DEBUG

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        size = len(client.get(url).content)
    times, cpu = [], []  # wall clock, and this process's CPU time (the machine is shared)
    for _ in range(RENDERS):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(times), max(times), statistics.median(cpu), len(queries), size / 1024


def main():
    from questionnaire import steps

    vendor = connection.vendor
    with throwaway_database("bench_steps", ("testserver",)):
        cycle, editor, reader = build()
        print(
            f"database: {vendor}; {AMBITIONS} ambitions, {OFFERINGS} offerings; DEBUG="
            f"{settings.DEBUG}; load average {os.getloadavg()[0]:.2f}"
        )
        worst = 0.0
        who_only = sys.argv[1:] or ["editor", "reader"]
        for who, user in (("editor", editor), ("reader", reader)):
            if who not in who_only:
                continue
            client = Client()
            client.force_login(user)
            urls = [("dashboard", f"/jaarcycli/{cycle.pk}/")] + [
                (str(step), f"/jaarcycli/{cycle.pk}/{step}/") for step in steps.STEPS
            ]
            for label, url in urls:
                median, slowest, cpu, count, kb = measure(client, url)
                worst = max(worst, median)
                ok = median < PAGE_TARGET_MS and count <= QUERY_TARGET and kb <= KB_TARGET
                print(
                    f"{who:6} {label:12} median {median:6.0f} ms  max {slowest:6.0f} ms  "
                    f"cpu {cpu:5.0f} ms  {count:3} queries  {kb:7.1f} KB"
                    f"{'' if ok else '  <-- FAIL'}",
                    flush=True,
                )
        verdict = "PASS" if worst < PAGE_TARGET_MS else "FAIL"
        print(
            f"slowest page (median): {worst:.0f} ms "
            f"(target under {PAGE_TARGET_MS:.0f} ms): {verdict}"
        )


if __name__ == "__main__":
    main()
