"""Time the council PDF as a background task (numbers, not tests; issue 17).

Builds the demo (`setup_demo`) in a throwaway database, then measures:

1. the render of the demo cycle's PDF the way a worker runs it: a child process with the time
   and memory limits (PDF_TIME_LIMIT_SECONDS, PDF_MEMORY_LIMIT_MB), median of 3, and the peak
   memory (max RSS) of the render process;
2. the same for the largest allowed cycle: a demo cycle with every part of the cycle-parts
   registry (compass/parts) filled up to its row limit (`part.max_rows`), which must stay
   within the limits;
3. the status view the waiting page polls (one PdfRender row by id): median and p95 of 50
   requests and its query count, target: median under 30 ms;
4. a threaded live server: the cycle dashboard's latency alone, and while 5 different PDFs render
   on 2 real `manage.py db_worker` processes (the database backend), target: median at most
   1.5 times the median alone.

`--pdf-only` measures 1 and 2 only. Set DATABASE_URL for PostgreSQL (the script creates and
drops "bench_<name>"); without it it runs on SQLite and says so. Always exits 0 unless it
crashes.
"""

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compass.settings")
os.environ["TASKS_BACKEND"] = "database"
os.environ.setdefault("PDF_RENDERING", "process")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-pdf-media-"))
os.environ.setdefault("PRIVATE_FILES_ROOT", tempfile.mkdtemp(prefix="bench-pdf-private-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import IntegrityError, connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import translation  # noqa: E402
from throwaway import throwaway_database  # noqa: E402

MEASURE_LIMIT_S = 900
STATUS_TARGET_MS = 30.0
RENDERS = 3
STATUS_REQUESTS = 50
PAGE_REQUESTS = 20
WORKERS = 2
PARALLEL_PDFS = 5


def percentile(values, share):
    ordered = sorted(values)
    return ordered[max(0, int(round(len(ordered) * share)) - 1)]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure_render(label: str, html: str, renders: int = RENDERS) -> None:
    """Render like a worker does (exports.pdf_tasks.run_render: a child process with limits).

    The time limit is raised to MEASURE_LIMIT_S while measuring, so a render that would exceed
    the configured limit is still timed (and reported as FAIL against it)."""
    import io

    from pypdf import PdfReader

    from exports import pdf_tasks

    limit_s, limit_mb = settings.PDF_TIME_LIMIT_SECONDS, settings.PDF_MEMORY_LIMIT_MB
    settings.PDF_TIME_LIMIT_SECONDS = max(limit_s, MEASURE_LIMIT_S)
    times, cpu_times, pdf = [], [], b""
    try:
        for _ in range(renders):
            started = time.perf_counter()
            cpu_before = _children_cpu_seconds()
            try:
                pdf = pdf_tasks.run_render(html, "nl")
            except pdf_tasks.RenderFailed as failure:
                print(f"{label}: FAIL after {time.perf_counter() - started:.1f} s: {failure}")
                return
            times.append(time.perf_counter() - started)
            cpu_times.append(_children_cpu_seconds() - cpu_before)
    finally:
        settings.PDF_TIME_LIMIT_SECONDS = limit_s
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(
        f"{label}: {pages} pages, {len(pdf) // 1024} KB, HTML {len(html) // 1024} KB; render in a "
        f"child process (start and imports included) median {statistics.median(times):.2f} s, "
        f"max {max(times):.2f} s (limit {limit_s} s); CPU time of the render process median "
        f"{statistics.median(cpu_times):.2f} s (about the wall time on an idle core, whatever "
        f"the load average, {os.getloadavg()[0]:.1f} now); peak memory (max RSS of the render "
        f"processes so far) {peak_mb:.0f} MB (limit {limit_mb} MB of address space): "
        f"{verdict(max(times) < limit_s / 2 and peak_mb < limit_mb / 2)} (half of each limit)"
    )


def factory_for(model):
    """The factory of tests/factories.py that makes rows of `model` (every cycle part has one:
    the suite's factories), or None."""
    import factory

    from tests import factories

    for candidate in vars(factories).values():
        if (
            isinstance(candidate, type)
            and issubclass(candidate, factory.django.DjangoModelFactory)
            and candidate._meta.model is not None
            and candidate._meta.get_model_class() is model
        ):
            return candidate
    return None


def fill_to_the_limits(cycle) -> dict:
    """Fill every part of the cycle-parts registry (compass/parts, `parts.PARTS`) up to its row
    limit (`part.max_rows`), the largest cycle any entry path accepts.

    Parts come in registry order (a part after the parts it points at). A part's rows are copies
    of its existing rows (realistic texts, with a number added to every text), or, where the
    cycle has none, of one row made by its factory (tests/factories.py). Each copy points at the
    next row of every part it refers to, so "one row per item pointed at" rules (quality per
    offering) hold; many-to-many links are copied from the original row.
    """
    from compass import parts

    counts = {}
    for part in parts.PARTS.values():
        model = part.model
        rows = {}
        for item in part.fields:
            if item.kind == parts.REFERENCE:
                rows[item.name] = list(parts.get(item.ref).model.objects.filter(cycle=cycle))
        templates = list(model.objects.filter(cycle=cycle).order_by("pk"))
        number = len(templates)
        if not templates:
            maker = factory_for(model)
            if maker is None:
                counts[part.key] = f"0 of {part.max_rows} (no factory)"
                continue
            links = {name: found[0] for name, found in rows.items() if found}
            templates = [maker(cycle=cycle, **links)]
            number = 1
        many = [item.name for item in part.fields if item.kind == parts.REFERENCES]
        attempts = 0
        while number < part.max_rows and attempts < part.max_rows * 3:
            attempts += 1
            template = templates[attempts % len(templates)]
            row = model.objects.get(pk=template.pk)
            row.pk = row.id = None
            row._state.adding = True
            for field in model._meta.fields:
                if field.get_internal_type() in ("CharField", "TextField") and not field.choices:
                    value = getattr(row, field.name) or ""
                    if field.name not in ("code", "indicator", "key", "slug") and value:
                        suffix = f" ({attempts})"
                        limit = field.max_length or 10_000
                        setattr(row, field.name, (value[: limit - len(suffix)]) + suffix)
            for name, found in rows.items():
                if found:
                    setattr(row, name, found[attempts % len(found)])
            try:
                with transaction.atomic():
                    row.save()
                    for name in many:
                        getattr(row, name).set(getattr(template, name).all())
                number += 1
            except (IntegrityError, ValueError, TypeError):
                continue
        counts[part.key] = number if number >= part.max_rows else f"{number} of {part.max_rows}"
    return counts


def status_latency(client, cycle) -> None:
    from exports.models import PdfRender

    render = PdfRender.objects.create(cycle=cycle, language="nl", content_key="b" * 64)
    url = f"/jaarcycli/{cycle.pk}/rapport/pdf/status/?opdracht={render.pk}"
    assert client.get(url).status_code == 200
    times = []
    for _ in range(STATUS_REQUESTS):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    median = statistics.median(times)
    print(
        f"status view (one PdfRender row by id), {STATUS_REQUESTS} requests: median "
        f"{median:.1f} ms, p95 {percentile(times, 0.95):.1f} ms "
        f"(target: median under {STATUS_TARGET_MS:.0f} ms): {verdict(median < STATUS_TARGET_MS)}"
    )
    render.delete()


class LiveServer:
    def __init__(self):
        from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
        from django.core.wsgi import get_wsgi_application

        class Quiet(WSGIRequestHandler):
            def log_message(self, *args):
                pass

        self.server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet, allow_reuse_address=True)
        self.server.set_app(get_wsgi_application())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def timed_get(url, cookie) -> float:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - our server
            response.read()
    except urllib.error.HTTPError as error:
        error.read()
    return (time.perf_counter() - started) * 1000


def worker_environment() -> dict:
    database = connection.settings_dict
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if database["ENGINE"].endswith("sqlite3"):
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(Path(database["NAME"]).resolve())
    else:
        auth = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
        env["DATABASE_URL"] = (
            f"postgres://{auth}@{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}"
        )
    return env


def dashboard_while_workers_render(client, cycle) -> None:
    from django_tasks_db.models import DBTaskResult

    from compass.models import Cycle
    from exports import pdf_tasks
    from exports.models import PdfRender
    from exports.views.report import _print_html

    # Wagtail's own tasks from setup_demo would queue before ours: they are not measured.
    DBTaskResult.objects.all().delete()
    server = LiveServer()
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    dashboard = f"{server.url}/jaarcycli/{cycle.pk}/"
    workers = []
    try:
        timed_get(dashboard, cookie)
        alone = [timed_get(dashboard, cookie) for _ in range(PAGE_REQUESTS)]
        others = list(Cycle.objects.exclude(pk=cycle.pk).order_by("pk")[:PARALLEL_PDFS])
        with translation.override("nl"):
            renders = [pdf_tasks.request_pdf(other, _print_html(other), "nl") for other in others]
        connection.close()  # the workers and the server thread get their own connections
        started = time.perf_counter()
        for _ in range(WORKERS):
            workers.append(
                subprocess.Popen(  # noqa: S603 - our own manage.py
                    [
                        sys.executable,
                        "manage.py",
                        "db_worker",
                        "--queue-name",
                        "*",
                        "--interval",
                        "0.2",
                        "--no-reload",
                        "-v",
                        "0",
                    ],
                    cwd=ROOT,
                    env=worker_environment(),
                )
            )
        busy = []
        ids = [render.pk for render in renders]
        while len(busy) < 2000:
            busy.append(timed_get(dashboard, cookie))
            waiting = PdfRender.objects.filter(pk__in=ids, status__in=pdf_tasks.ACTIVE).count()
            if not waiting:
                break
        all_done = time.perf_counter() - started
        statuses = sorted(PdfRender.objects.filter(pk__in=ids).values_list("status", flat=True))
        seconds = sorted(
            round(s, 1)
            for s in PdfRender.objects.filter(pk__in=ids).values_list("render_seconds", flat=True)
            if s is not None
        )
        usual, during = statistics.median(alone), statistics.median(busy)
        ratio = during / usual
        print(
            f"cycle dashboard alone: median {usual:.0f} ms, p95 {percentile(alone, 0.95):.0f} ms;"
            f" while {len(renders)} PDFs render on {WORKERS} db_worker processes: median "
            f"{during:.0f} ms, p95 {percentile(busy, 0.95):.0f} ms over {len(busy)} requests "
            f"({ratio:.2f}x): {verdict(ratio < 1.5)}; renders {statuses}, each {seconds} s, "
            f"all done after {all_done:.1f} s"
        )
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=60)
        server.stop()


def main():
    from compass.models import Cycle
    from exports.views.report import _print_html

    vendor = connection.vendor
    if vendor != "postgresql":
        print(f"NOTE: running on {vendor}, not PostgreSQL: set DATABASE_URL for the real targets.")
    with throwaway_database("bench", ("testserver", "127.0.0.1")):
        started = time.perf_counter()
        call_command("setup_demo", verbosity=0)
        print(f"database: {vendor}; demo built in {time.perf_counter() - started:.1f} s")
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        print(f"machine: {os.cpu_count()} CPUs, load average {load} (a shared machine: repeat)")
        cycle = (
            Cycle.objects.municipal().filter(municipality__code="GM0344").order_by("-year").first()
        )
        with translation.override("nl"):
            measure_render("demo cycle (Utrecht 2026)", _print_html(cycle))
        from django.contrib.auth import get_user_model

        if "--pdf-only" not in sys.argv:
            client = Client()
            client.force_login(get_user_model().objects.get(username="bob"))
            status_latency(client, cycle)
            dashboard_while_workers_render(client, cycle)
        largest = (
            Cycle.objects.municipal().filter(municipality__code="GM0344").order_by("year").first()
        )
        counts = fill_to_the_limits(largest)
        print(f"largest allowed cycle (Utrecht {largest.year} filled up): rows {counts}")
        with translation.override("nl"):
            measure_render("largest allowed cycle", _print_html(largest), renders=1)


if __name__ == "__main__":
    main()
