"""Time the council PDF of the demo cycle (numbers, not tests).

Builds the demo (the `setup_demo` command: 342 municipalities, Utrecht's filled-in 2026 cycle,
its self-assessment and about two hundred generated peers) in a throwaway database, then
measures, beside the targets of issue 8:

1. the render of the demo cycle's PDF in a rendering process like production's (spawned, one
   worker): cold (first render, WeasyPrint still loading) and warm (median of 5), and the peak
   memory (max RSS) of that process: render under 3 s, peak under 300 MB;
2. a cached download through the Django test client (context, print HTML, hash, file): median
   and p95 of 30, target: median under 50 ms;
3. a threaded live server: the cycle dashboard's latency alone, and again while three
   different PDFs render in the pool (PDF_WORKERS=3): "other pages answer within their usual
   time", taken as a median at most 1.5 times the median alone.

Set DATABASE_URL for PostgreSQL (the script creates and drops "bench_<name>"); without it it
runs on SQLite and says so. Always exits 0 unless it crashes.
"""

import os
import resource
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compass.settings")
os.environ.setdefault("PDF_RENDERING", "process")
os.environ.setdefault("PDF_WORKERS", "3")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-pdf-media-"))
os.environ.setdefault("PRIVATE_FILES_ROOT", tempfile.mkdtemp(prefix="bench-pdf-private-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from throwaway import throwaway_database  # noqa: E402

RENDER_TARGET_S = 3.0
PEAK_TARGET_MB = 300
CACHED_TARGET_MS = 50.0
WARM_RENDERS = 5
DOWNLOADS = 30
PAGE_REQUESTS = 20


def percentile(values, share):
    ordered = sorted(values)
    return ordered[max(0, int(round(len(ordered) * share)) - 1)]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def render_in_a_rendering_process(html: str) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from exports import pdf_jobs

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    pool = ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=pdf_jobs._init_child,
    )
    started = time.perf_counter()
    pdf = pool.submit(pdf_jobs._render, html, "nl").result()
    cold = time.perf_counter() - started
    warm = []
    for _ in range(WARM_RENDERS):
        started = time.perf_counter()
        pool.submit(pdf_jobs._render, html, "nl").result()
        warm.append(time.perf_counter() - started)
    pool.shutdown(wait=True)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    import io

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    median = statistics.median(warm)
    print(
        f"PDF render of the demo cycle ({pages} pages, {len(pdf) // 1024} KB): cold "
        f"{cold:.2f} s (process start and WeasyPrint import included), warm median "
        f"{median:.2f} s, max {max(warm):.2f} s (target under {RENDER_TARGET_S:.0f} s): "
        f"{verdict(max(warm) < RENDER_TARGET_S)}"
    )
    note = "" if before == 0 else f" (earlier children peaked at {before / 1024:.0f} MB)"
    print(
        f"peak memory of the rendering process: {peak_mb:.0f} MB (target under "
        f"{PEAK_TARGET_MB} MB): {verdict(peak_mb < PEAK_TARGET_MB)}{note}"
    )


def wait_until_ready(client, cycle_pk, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(f"/jaarcycli/{cycle_pk}/rapport/pdf/status/").json()["status"]
        if status != "pending":
            return status
        time.sleep(0.2)
    return "timeout"


def cached_downloads(client, cycle_pk) -> None:
    url = f"/jaarcycli/{cycle_pk}/rapport/pdf/"
    assert client.get(url).status_code in (200, 202)
    assert wait_until_ready(client, cycle_pk) == "ready"
    times = []
    for _ in range(DOWNLOADS):
        started = time.perf_counter()
        response = client.get(url)
        body = b"".join(response.streaming_content)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200 and body.startswith(b"%PDF")
    median, p95 = statistics.median(times), percentile(times, 0.95)
    print(
        f"cached PDF download, {DOWNLOADS} requests: median {median:.0f} ms, p95 {p95:.0f} ms "
        f"(target: median under {CACHED_TARGET_MS:.0f} ms): {verdict(median < CACHED_TARGET_MS)}"
    )


def stored_pdfs() -> int:

    from exports import pdf_jobs

    if not pdf_jobs.storage().exists(pdf_jobs.STORAGE_DIR):
        return 0
    return len(pdf_jobs.storage().listdir(pdf_jobs.STORAGE_DIR)[1])


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


def timed_get(url, cookie) -> tuple[float, int, bytes]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - our server
            body, status = response.read(), response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    return (time.perf_counter() - started) * 1000, status, body


def other_pages_while_rendering(client, cycles) -> None:
    from exports import pdf_jobs

    server = LiveServer()
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    dashboard = f"{server.url}/jaarcycli/{cycles[0].pk}/"
    try:
        timed_get(dashboard, cookie)  # warm up
        alone = [timed_get(dashboard, cookie)[0] for _ in range(PAGE_REQUESTS)]
        english = cookie + "; django_language=en"
        # Three PDFs never rendered before: English 2026, Dutch and English 2025 (the Dutch
        # 2026 one is cached by the download test above).
        report_2026 = f"{server.url}/jaarcycli/{cycles[0].pk}/rapport/pdf/"
        report_2025 = f"{server.url}/jaarcycli/{cycles[1].pk}/rapport/pdf/"
        targets = [(report_2026, english), (report_2025, cookie), (report_2025, english)]
        stored_before = stored_pdfs()
        started = time.perf_counter()
        answers = [timed_get(url, c) for url, c in targets]
        statuses = [status for _ms, status, _body in answers]
        busy = []
        while stored_pdfs() < stored_before + len(targets) and len(busy) < 500:
            busy.append(timed_get(dashboard, cookie)[0])
        render_all = time.perf_counter() - started
        ratio = statistics.median(busy) / statistics.median(alone)
        usual, during = statistics.median(alone), statistics.median(busy)
        print(
            f"cycle dashboard alone: median {usual:.0f} ms, p95 "
            f"{percentile(alone, 0.95):.0f} ms; while three PDFs render ({during:.0f}"
            f" ms median, p95 {percentile(busy, 0.95):.0f} ms over {len(busy)} requests; "
            f"the PDF requests answered {statuses} at once, all three ready after "
            f"{render_all:.1f} s): {ratio:.2f}x the usual time: {verdict(ratio < 1.5)}"
        )
    finally:
        server.stop()
        pdf_jobs.shutdown()


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
        cycles = list(
            Cycle.objects.select_related("municipality")
            .filter(municipality__code="GM0344")
            .order_by("-year")
        )
        from django.utils import translation

        with translation.override("nl"):
            html = _print_html(cycles[0])
        render_in_a_rendering_process(html)
        client = Client()
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(username="bob"))
        cached_downloads(client, cycles[0].pk)
        other_pages_while_rendering(client, cycles)


if __name__ == "__main__":
    main()
