"""`make bench`: every key page against gunicorn with production settings and national data.

Issue 18, item 2. Steps:
1. a PostgreSQL database of its own (BENCH_DATABASE_URL, else DATABASE_URL when it is
   PostgreSQL, else postgres://postgres@127.0.0.1:5432/bench_kompas: dropped and created),
   `migrate`, `setup_demo` (the site, its content, the live measure set), `seed_national` (342
   municipalities × 5 years, timed), `collectstatic`; a TOTP device for one coordinator;
2. gunicorn (BENCH_WORKERS sync workers, default 2) with production settings (DEBUG=0, a
   SECRET_KEY, hashed static files) plus benchmarks/settings.py (a trivial view, a query-count
   header), and a `db_worker`, as in production;
3. logs in (an editor of the biggest cycle: 30 ambitions, 100 offerings; a coordinator through
   two-factor authentication; 20 editors of 20 municipalities for the 20-connection run);
4. every key page at 1 connection (BENCH_N requests after a warm-up) and at 20 connections
   (each connection its own user and cycle): p50, p95, max, errors, p50 / trivial p50, queries,
   response size; the RSS of every gunicorn worker after the run; the load average;
5. writes benchmarks/results.md (the measured table above the history of changes, which is
   kept) and prints the table; runs benchmarks/lighthouse.py against the same server when
   the script and npm `lighthouse` exist.

Numbers, not tests: exits 0 unless something crashes.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from processes import PYTHON, ROOT, free_port, manage  # noqa: E402 - beside this script

GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")


def database_url() -> str:
    """BENCH_DATABASE_URL, else a PostgreSQL DATABASE_URL, else bench_kompas on 127.0.0.1."""
    given = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql://")):
        return given
    return "postgres://postgres@127.0.0.1:5432/bench_kompas"


DB_URL = database_url()
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
N1 = int(os.environ.get("BENCH_N", "30"))  # requests per page at one connection
N20 = int(os.environ.get("BENCH_N20", "3"))  # requests per connection and page at 20
# A page stops early once it has BUDGET seconds of samples (at least 3, or 1 per connection):
# the largest step pages take seconds each on a loaded machine, and `make bench` must end.
BUDGET = float(os.environ.get("BENCH_PAGE_SECONDS", "12"))
CONNECTIONS = 20
MUNICIPALITIES = int(os.environ.get("BENCH_MUNICIPALITIES", "342"))
YEARS = int(os.environ.get("BENCH_YEARS", "5"))
PASSWORD = "bench-" + secrets.token_urlsafe(12)
TOTP_KEY = secrets.token_hex(20)
RESULTS = ROOT / "benchmarks" / "results.md"
STEPS = ["situatie", "ambities", "doelgroepen", "aanbod", "kwaliteit", "uitkomsten", "verbeterplan"]
HISTORY_MARK = "## Changes, before and after"

PREPARE = """
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
from compass.models import Cycle, Membership
from questionnaire import national_seed
from django.db.models import Count
generated = Cycle.objects.filter(
    status="active", municipality__memberships__user__username__startswith="gen-"
).distinct()
big = generated.annotate(n=Count("offerings", distinct=True)).order_by("-n", "municipality__code")
cycles = list(big[:{connections}])
for c in cycles:
    print("CYCLE", c.pk, c.municipality.code, national_seed.username(c.municipality, "editor"))
coordinator = get_user_model().objects.get(
    username=national_seed.username(cycles[0].municipality, "coordinator"))
TOTPDevice.objects.create(user=coordinator, name="app", key={key!r}, confirmed=True)
print("COORDINATOR", coordinator.username)
"""


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# --- A minimal browser: cookies, CSRF token, one connection per request ------------------


class Browser:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method, path, data=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        body = None
        heads = {"Host": "127.0.0.1", "Referer": f"http://127.0.0.1:{self.port}{path}"}
        if self.cookies:
            heads["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            heads["Content-Type"] = "application/x-www-form-urlencoded"
            token = self.cookies.get("csrftoken")
            if token:
                heads["X-CSRFToken"] = token
        heads.update(headers or {})
        started = time.perf_counter()
        conn.request(method, path, body=body, headers=heads)
        response = conn.getresponse()
        content = response.read()
        elapsed = time.perf_counter() - started
        conn.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), content, elapsed

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, data):
        return self.request("POST", path, data)

    def log_in(self, username, totp_key=None):
        status, _, html, _ = self.get("/accounts/login/")
        token = csrf(html)
        data = {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
        status, headers, _, _ = self.post("/accounts/login/", data)
        assert status == 302, f"login of {username}: {status}"
        if totp_key:
            from django_otp.oath import totp

            status, _, html, _ = self.get("/accounts/code/")
            code = f"{totp(bytes.fromhex(totp_key)):06d}"
            status, headers, _, _ = self.post(
                "/accounts/code/", {"csrfmiddlewaretoken": csrf(html), "code": code}
            )
            assert status == 302, f"two-factor code of {username}: {status}"


def csrf(html: bytes) -> str:
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1).decode() if found else ""


def form_fields(html: bytes) -> list[tuple[str, str]]:
    """The fields of the form inside <main>, as a browser submits them."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_load_users import fields

    return [(k, v) for k, v in fields(html.decode()) if k not in ("action", "add", "goto")]


# --- Pages ---------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    path: str
    who: str = "editor"  # anonymous, editor, coordinator
    method: str = "GET"
    action: str = ""  # for POST: the form's action button
    expect: tuple = (200,)


@dataclass
class Measured:
    page: Page
    times: list[float] = field(default_factory=list)
    errors: int = 0
    queries: int | None = None
    size: int = 0
    note: str = ""


def pages(cycle: int, code: str, render: str) -> list[Page]:
    listed = [
        Page("trivial view", "/bench/trivial/", "anonymous"),
        Page("home, anonymous", "/", "anonymous"),
        Page("/kwaliteitskompas/, anonymous", "/kwaliteitskompas/", "anonymous"),
        Page("search ?q=meldcode, anonymous", "/zoeken/?q=meldcode", "anonymous"),
        Page("search ?q=meldcode, logged in", "/zoeken/?q=meldcode"),
        Page("home, logged in", "/"),
        Page("Mijn gemeenten", "/gemeenten/"),
        Page("Mijn gemeenten (coordinator)", "/gemeenten/", "coordinator"),
        Page("cycle dashboard", f"/jaarcycli/{cycle}/"),
    ]
    for step in STEPS:
        listed.append(Page(f"step {step}", f"/jaarcycli/{cycle}/{step}/"))
    for step in STEPS:
        listed.append(
            Page(
                f"step {step} POST save",
                f"/jaarcycli/{cycle}/{step}/",
                method="POST",
                action="save",
                expect=(200, 302),
            )
        )
    listed += [
        Page(
            "step aanbod autosave", f"/jaarcycli/{cycle}/aanbod/", method="POST", action="autosave"
        ),
        Page("self-assessment answering", f"/jaarcycli/{cycle}/zelfevaluatie/"),
        Page(
            "self-assessment results",
            f"/jaarcycli/{cycle}/zelfevaluatie/uitslag/",
            expect=(200, 302),
        ),
        Page("benchmark page", f"/jaarcycli/{cycle}/vergelijking/"),
        Page("report page", f"/jaarcycli/{cycle}/rapport/"),
        Page("PDF status page", f"/jaarcycli/{cycle}/rapport/pdf/status/?opdracht={render}"),
        Page("figures page", f"/gemeenten/{code}/cijfers/"),
        Page("team page (coordinator)", f"/gemeenten/{code}/team/", "coordinator"),
        Page("downloads page", f"/jaarcycli/{cycle}/downloads/"),
        Page("workbook download", f"/jaarcycli/{cycle}/downloads/werkmap.xlsx"),
    ]
    return listed


def one_request(browser: Browser, page: Page, path: str):
    """One timed request of the page (a POST reads its form first, untimed)."""
    if page.method == "GET":
        return browser.get(path)
    _, _, html, _ = browser.get(path)
    data = form_fields(html)
    data.append(("action", page.action))
    if page.action == "autosave":
        return browser.request("POST", path, data, {"X-Requested-With": "XMLHttpRequest"})
    return browser.post(path, data)


def measure(page: Page, browsers: list[tuple[Browser, str]], per_connection: int) -> Measured:
    """Run `per_connection` requests on each browser at once (one thread each)."""
    out = Measured(page)
    lock = threading.Lock()

    started = time.monotonic()
    least = 3 if len(browsers) == 1 else 1

    def run(browser, path):
        for index in range(per_connection):
            if index >= least and time.monotonic() - started > BUDGET:
                break
            try:
                status, headers, content, elapsed = one_request(browser, page, path)
            except OSError:
                with lock:
                    out.errors += 1
                continue
            with lock:
                out.times.append(elapsed)
                if status not in page.expect:
                    out.errors += 1
                    out.note = f"HTTP {status}"
                out.queries = int(headers.get("X-Bench-Queries", -1))
                out.size = len(content)

    print(f"  {page.name}: {len(browsers)} connection(s)", flush=True)
    threads = [threading.Thread(target=run, args=pair, daemon=True) for pair in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return out


def pct(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def worker_rss(master_pid: int) -> list[int]:
    """RSS in MB of the gunicorn workers (the children of the master)."""
    out = []
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    for pid in children.read_text().split():
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                out.append(int(line.split()[1]) // 1024)
    return out


def table(results: list[Measured], trivial: float) -> list[str]:
    lines = [
        "| page | n | p50 ms | p95 ms | max ms | errors | p50 / trivial | queries | KB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        p50 = pct(r.times, 0.5) * 1000  # ms; `trivial` is the trivial view's p50 in seconds
        lines.append(
            f"| {r.page.name} | {len(r.times)} | {p50:.1f} | {pct(r.times, 0.95) * 1000:.1f} | "
            f"{max(r.times or [0]) * 1000:.1f} | {r.errors}{' ' + r.note if r.note else ''} | "
            f"{p50 / (trivial * 1000):.1f} × | {r.queries if r.queries is not None else '-'} | "
            f"{r.size / 1024:.1f} |"
        )
    return lines


def main() -> int:
    import psycopg

    parsed = urllib.parse.urlparse(DB_URL)
    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    admin = psycopg.connect(admin_url, autocommit=True)
    admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    tmp = Path(tempfile.mkdtemp(prefix="bench-national-"))
    env = {k: v for k, v in os.environ.items() if k not in ("STATIC_ROOT", "MEDIA_ROOT")}
    env.update(
        {
            "DEBUG": "0",
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": DB_URL,
            # kept after the run: benchmarks/profile_page.py serves the same files
            "STATIC_ROOT": os.environ.get("BENCH_STATIC_ROOT", "/tmp/bench_kompas_static"),
            "MEDIA_ROOT": str(tmp / "media"),
            "PRIVATE_FILES_ROOT": str(tmp / "private"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    server = worker = None
    lines_out: list[str] = []

    def say(line=""):
        print(line, flush=True)
        lines_out.append(line)

    try:
        started = time.perf_counter()
        print("preparing: migrate, setup_demo", flush=True)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "setup_demo", "-v0", capture=True)
        seed_started = time.perf_counter()
        seeded = manage(
            env,
            "seed_national",
            "--municipalities",
            str(MUNICIPALITIES),
            "--years",
            str(YEARS),
            "--seed",
            "1",
            "--password",
            PASSWORD,
            capture=True,
        ).stdout
        seed_seconds = time.perf_counter() - seed_started
        print(seeded, flush=True)
        manage(env, "collectstatic", "--noinput", "-v0", capture=True)
        prepared = manage(
            env,
            "shell",
            "-c",
            PREPARE.format(connections=CONNECTIONS, key=TOTP_KEY),
            capture=True,
        ).stdout.splitlines()
        cycles = [line.split()[1:] for line in prepared if line.startswith("CYCLE ")]
        coordinator = next(line.split()[1] for line in prepared if line.startswith("COORDINATOR"))
        prepare_seconds = time.perf_counter() - started

        port = free_port()
        log = open(tmp / "gunicorn.log", "w")  # noqa: SIM115 - closed with the server
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn
            [
                GUNICORN,
                "compass.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
                "--timeout",
                "120",
                "--backlog",
                "256",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        worker = subprocess.Popen(  # noqa: S603 - our own manage.py
            [PYTHON, "manage.py", "db_worker", "--queue-name", "*"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for _ in range(240):
            try:
                if Browser(port).get("/healthz/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)

        big_pk, big_code, big_editor = cycles[0]
        anonymous = Browser(port)
        editor = Browser(port)
        editor.log_in(big_editor)
        boss = Browser(port)
        boss.log_in(coordinator, TOTP_KEY)
        by_who = {"anonymous": anonymous, "editor": editor, "coordinator": boss}
        crowd = []  # (browser, cycle pk, code) of 20 editors of 20 municipalities
        for pk, code, user in cycles[:CONNECTIONS]:
            browser = Browser(port)
            browser.log_in(user)
            crowd.append((browser, pk, code))

        # The PDF status page reads one render: ask for the report's PDF first.
        _, _, waiting, _ = editor.get(f"/jaarcycli/{big_pk}/rapport/pdf/")
        found = re.search(rb"rapport/pdf/status/\?opdracht=(\d+)", waiting)
        render = found.group(1).decode() if found else "0"
        listed = pages(int(big_pk), big_code, render)
        # Warm up every page once (and the workers' caches), then one connection.
        for page in listed:
            one_request(by_who[page.who], page, page.path)
        load1 = load_average()
        single = [measure(p, [(by_who[p.who], p.path)], N1) for p in listed]
        load1_after = load_average()
        trivial1 = pct(single[0].times, 0.5)

        def clone(browser: Browser) -> Browser:
            twin = Browser(port)
            twin.cookies = dict(browser.cookies)
            return twin

        def crowd_for(page: Page):
            """GETs: 20 connections of the same user on the same page; POSTs: 20 editors,
            each on a cycle of its own (two saves of one step would conflict by design)."""
            if page.method == "GET":
                owner = by_who[page.who]
                return [(clone(owner), page.path) for _ in range(CONNECTIONS)]
            out = []
            for browser, pk, _code in crowd:
                out.append((browser, page.path.replace(f"/{big_pk}/", f"/{pk}/")))
            return out

        load20 = load_average()
        twenty = [measure(p, crowd_for(p), N20) for p in listed]
        load20_after = load_average()
        trivial20 = pct(twenty[0].times, 0.5)
        rss = worker_rss(server.pid)

        stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        say(f"## Measured {stamp}")
        say()
        say(
            f"PostgreSQL `{name}`, gunicorn {WORKERS} sync workers, production settings "
            f"(DEBUG=0) + benchmarks/settings.py, `db_worker` running; `seed_national "
            f"--municipalities {MUNICIPALITIES} --years {YEARS} --seed 1` took "
            f"{seed_seconds:.0f} s (whole preparation {prepare_seconds:.0f} s). Logged-in pages as "
            f"the editor of the biggest cycle (`{big_code}`, 30 ambitions, 100 offerings); "
            f"'coordinator' pages after two-factor login. Machine: {os.cpu_count()} cores, shared."
        )
        say()
        say(f"### One connection ({N1} requests per page; load average {load1} → {load1_after})")
        say()
        say(f"Trivial view p50: {trivial1 * 1000:.2f} ms.")
        say()
        for line in table(single, trivial1):
            say(line)
        say()
        say(
            f"### {CONNECTIONS} connections ({N20} requests per connection and page; each "
            f"connection its own editor and cycle; coordinator pages on one connection; load "
            f"average {load20} → {load20_after})"
        )
        say()
        say(f"Trivial view p50: {trivial20 * 1000:.2f} ms.")
        say()
        for line in table(twenty, trivial20):
            say(line)
        say()
        say(f"Worker memory after the run (RSS): {', '.join(f'{m} MB' for m in rss)}.")
        errors = sum(r.errors for r in single + twenty)
        say(
            f"Errors: {errors}. Server log tracebacks: "
            f"{(tmp / 'gunicorn.log').read_text().count('Traceback')}."
        )
        say()
        write_results(lines_out)
        run_lighthouse(port, editor)
    finally:
        for process in (server, worker):
            if process is not None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=60)
        admin.close()
        if os.environ.get("BENCH_KEEP") != "1":
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


def run_lighthouse(port: int, editor: Browser) -> None:
    """The browser side (issue 18, item 3): benchmarks/lighthouse.py against this server,
    logged in with the editor's session, while the server still runs. Skipped (with a line
    saying why) when the script or npm `lighthouse` is missing, or with BENCH_LIGHTHOUSE=0."""
    script = ROOT / "benchmarks" / "lighthouse.py"
    binary = ROOT / "node_modules" / ".bin" / "lighthouse"
    if os.environ.get("BENCH_LIGHTHOUSE") == "0":
        print("Lighthouse skipped (BENCH_LIGHTHOUSE=0)", flush=True)
        return
    if not script.exists() or not binary.exists():
        missing = script if not script.exists() else binary
        print(f"Lighthouse skipped: {missing.relative_to(ROOT)} is missing", flush=True)
        return
    cookie = f"sessionid={editor.cookies.get('sessionid', '')}"
    subprocess.run(  # noqa: S603 - our own script; a failure does not stop the benchmark
        [PYTHON, str(script), "--base-url", f"http://127.0.0.1:{port}", "--cookie", cookie],
        cwd=ROOT,
        timeout=3600,
        check=False,
    )


def write_results(lines: list[str]) -> None:
    """Replace the measured part of results.md; keep the history of changes below it."""
    head = "# Benchmark results (`make bench`)\n\nWritten by benchmarks/national.py.\n\n"
    history = ""
    if RESULTS.exists():
        text = RESULTS.read_text()
        if HISTORY_MARK in text:
            history = text[text.index(HISTORY_MARK) :]
    RESULTS.write_text(head + "\n".join(lines) + "\n\n" + history)


if __name__ == "__main__":
    sys.exit(main())
