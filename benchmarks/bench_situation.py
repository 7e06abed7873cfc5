"""Time the Situatie step's figures (numbers, not tests).

In a fresh database: Utrecht with its Veilig Thuis region, 12 CBS indicators × 10 years × 3
regions of observations (360), a cycle, and a coordinator. Times (1) the step page with the
"Cijfers van CBS" panel and the estimate through the Django test client, with its query count;
(2) checking a CSV upload of 300 local figures (the most a step holds); (3) taking 60 CBS
figures into the cycle (one transaction, history, version, draft). PostgreSQL with
DATABASE_URL, else SQLite with a note. Exits 0 unless it crashes.
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

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from throwaway import throwaway_database  # noqa: E402

INDICATORS, YEARS = 12, 10
RENDERS = 20
PAGE_TARGET_MS = 300.0
QUERY_TARGET = 32  # the step's budget of 25 plus 7 for the panel
UPLOAD_TARGET_MS = 500.0
TAKE_OVER_TARGET_MS = 300.0


def build():
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from cms.snippets import Indicator, PrevalenceRate
    from compass import services
    from compass.models import CbsObservation
    from tests.factories import member, real_municipality

    utrecht = real_municipality("GM0344")
    utrecht.youth_population, utrecht.youth_population_year = 70797, 2019
    utrecht.save()
    user = get_user_model().objects.create(username="alice")
    member(user, utrecht, "coordinator")
    PrevalenceRate.objects.create(
        label="Kindermishandeling", low_rate=26.5, high_rate=37.4, year=2017, source="CBS"
    )
    rows = []
    for i in range(INDICATORS):
        indicator = Indicator.objects.create(
            code=f"ind-{i}", name=f"Indicator {i}", unit="aantal", direction="higher",
            cbs_table_id="84849NED", measure_key="Meldingen_2",
        )  # fmt: skip
        for year in range(2024 - YEARS, 2024):
            for region in ("GM0344", "VT20", "NL01"):
                rows.append(
                    CbsObservation(
                        indicator=indicator,
                        region_code=region,
                        period=f"{year}JJ00",
                        value=Decimal(year + i),
                        table_id="84849NED",
                        imported_at=timezone.now(),
                    )  # fmt: skip
                )
    CbsObservation.objects.bulk_create(rows)
    cycle = services.start_cycle(utrecht, 2026, user)
    return user, cycle, [o.pk for o in CbsObservation.objects.order_by("pk")]


def timed(function, rounds):
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def verdict(value, target):
    return "PASS" if value <= target else "FAIL"


def main():
    from compass.models import SituationFigure
    from questionnaire.cycle_forms import MAX_ROWS
    from questionnaire.situation import cbs_takeover, csv_upload

    vendor = connection.vendor
    if vendor != "postgresql":
        print(f"NOTE: running on {vendor}, not PostgreSQL: set DATABASE_URL for the real targets.")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with throwaway_database("bench", ("testserver",)):
        user, cycle, ids = build()
        print(f"database: {vendor}; {INDICATORS} indicators x {YEARS} years x 3 regions")
        client = Client()
        client.force_login(user)
        url = f"/jaarcycli/{cycle.pk}/situatie/"
        assert client.get(url).status_code == 200
        connection.queries_log.clear()  # a full log would hide the count
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        median, p95 = timed(lambda: client.get(url), RENDERS)
        print(
            f"step page with panel, {RENDERS} renders: median {median:.0f} ms, p95 {p95:.0f} ms "
            f"(target under {PAGE_TARGET_MS:.0f} ms): {verdict(p95, PAGE_TARGET_MS)}"
        )
        print(
            f"queries per step page: {len(queries)} (target at most {QUERY_TARGET}): "
            f"{verdict(len(queries), QUERY_TARGET)}"
        )
        lines = "".join(f"Cijfer {i};2025 1e halfjaar;{i},5;Politie;nee\n" for i in range(MAX_ROWS))
        data = f"indicator;periode;waarde;bron;voorlopig\n{lines}".encode("cp1252")
        median, p95 = timed(lambda: csv_upload.read_local_csv(data, cycle), 5)
        print(
            f"checking a CSV of {MAX_ROWS} figures ({len(data) // 1024} kB): median "
            f"{median:.0f} ms (target under {UPLOAD_TARGET_MS:.0f} ms): "
            f"{verdict(median, UPLOAD_TARGET_MS)}"
        )
        chosen = ids[:60]

        def take():
            SituationFigure.objects.filter(cycle=cycle).delete()
            cbs_takeover.take_over(cycle, user, chosen)

        median, p95 = timed(take, 5)
        print(
            f"taking 60 CBS figures into the cycle: median {median:.0f} ms (target under "
            f"{TAKE_OVER_TARGET_MS:.0f} ms): {verdict(median, TAKE_OVER_TARGET_MS)}"
        )


if __name__ == "__main__":
    main()
