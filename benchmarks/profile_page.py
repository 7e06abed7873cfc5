"""Profile one page on the database `make bench` leaves behind (bench_kompas), not a guess.

    DEBUG=0 .venv/bin/python benchmarks/profile_page.py /jaarcycli/{cycle}/aanbod/ [--who editor]
        [--queries] [--n 20]

Runs the page through the Django test client with the production settings of the benchmark
(benchmarks/settings.py), logged in as the generated editor (or reader/coordinator) of the
biggest cycle ({cycle} and {code} are filled in), under cProfile: prints the functions with the
largest cumulative and own time, and with --queries every SQL statement of one request.
"""

import argparse
import cProfile
import os
import pstats
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault(
    "DATABASE_URL",
    os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_kompas"),
)
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
os.environ.setdefault("STATIC_ROOT", "/tmp/bench_kompas_static")  # collected by national.py

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from compass.models import Cycle  # noqa: E402
from questionnaire import national_seed  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--who", default="editor")
    parser.add_argument("--queries", action="store_true")
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args()
    cycle = (
        Cycle.objects.filter(
            status="active", municipality__memberships__user__username__startswith="gen-"
        )
        .distinct()
        .annotate(n=Count("offerings", distinct=True))
        .order_by("-n", "municipality__code")
        .select_related("municipality")
        .first()
    )
    path = args.path.format(cycle=cycle.pk, code=cycle.municipality.code)
    user = get_user_model().objects.get(
        username=national_seed.username(cycle.municipality, args.who)
    )
    client = Client()
    client.force_login(user)
    if args.who == "coordinator":
        session = client.session
        session["two_factor"] = ""
        session.save()
    response = client.get(path)
    print(path, response.status_code, len(response.content), "bytes")
    for _ in range(2):
        client.get(path)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    print("queries:", len(queries))
    if args.queries:
        for q in queries.captured_queries:
            print(" ", q["time"], q["sql"][:300])
    started = time.perf_counter()
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.n):
        client.get(path)
    profile.disable()
    print(f"mean {(time.perf_counter() - started) / args.n * 1000:.1f} ms under the profiler")
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
