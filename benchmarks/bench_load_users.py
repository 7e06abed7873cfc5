"""Load: 50 logged-in users browse and save for 60 s against gunicorn and PostgreSQL.

Issue 20, item 9. Production settings (DEBUG=0, the hashed static files, gunicorn), a database
of its own on the PostgreSQL server of DATABASE_URL (created and dropped here), the demo
(`setup_demo`) plus LOAD_USERS users, each an editor of a demo municipality with a 2026 cycle
of its own (so two users never save the same step). Every user logs in through the login form,
then for LOAD_SECONDS in a loop: Mijn gemeenten, the cycle dashboard, a step page, the step's
autosave (a POST of the form as shown, the draft of the guided flow), the self-assessment.

Prints the number of requests, the errors (any 5xx, any unexpected status, any connection
failure: must be 0) and p50/p95 per kind of request. Without a PostgreSQL DATABASE_URL it says
so and exits 0 (`make bench` runs it with the other benchmarks).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kompas \
        .venv/bin/python benchmarks/bench_load_users.py
"""

import http.cookiejar
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

from processes import ROOT, free_port, manage  # noqa: E402 - beside this script

GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "4"))
THREADS = int(os.environ.get("LOAD_THREADS", "8"))
PASSWORD = "load-" + secrets.token_urlsafe(12)
STEPS = ["situatie", "ambities", "doelgroepen", "aanbod"]
LOGIN = {"login page", "log in"}  # all 50 at once, before the timed browsing

CREATE_USERS = """
from django.contrib.auth import get_user_model
from compass import access
from compass.models import Cycle
cycles = list(
    Cycle.objects.filter(year=2026).exclude(status="closed")
    .select_related("municipality").order_by("municipality__code")[:{users}]
)
assert len(cycles) == {users}, f"only {{len(cycles)}} demo cycles of 2026"
for index, cycle in enumerate(cycles):
    user = get_user_model().objects.create_user(
        f"load{{index:02d}}", f"load{{index:02d}}@example.org", {password!r}
    )
    access.grant(user, cycle.municipality, "editor")
    print("LOAD-USER", user.username, cycle.pk)
"""


class FormFields(HTMLParser):
    """The fields of the step form (inside <main>) as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.append((name, ""))

    def handle_data(self, data):
        if self._textarea:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class User:
    def __init__(self, base, username, cycle, index, stats):
        self.base, self.username, self.cycle, self.index = base, username, cycle, index
        self.stats = stats
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), NoRedirect()
        )

    def request(self, kind, path, data=None, expect=(200,)):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        headers = {"Referer": self.base + path}
        req = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
        started = time.perf_counter()
        try:
            with self.opener.open(req, timeout=60) as response:  # noqa: S310 - 127.0.0.1
                status, text = response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        except OSError as error:
            self.stats.record(kind, time.perf_counter() - started, f"{path}: {error}")
            return None
        problem = None if status in expect else f"{path}: HTTP {status}"
        self.stats.record(kind, time.perf_counter() - started, problem)
        return text

    def log_in(self):
        page = self.request("login page", "/accounts/login/") or ""
        token = dict(fields(page)).get("csrfmiddlewaretoken", "")
        data = {"csrfmiddlewaretoken": token, "username": self.username, "password": PASSWORD}
        self.request("log in", "/accounts/login/", data, expect=(302,))

    def browse_and_save(self, until):
        round_ = 0
        while time.monotonic() < until:
            step = STEPS[(self.index + round_) % len(STEPS)]
            self.request("mijn gemeenten", "/gemeenten/")
            self.request("cycle dashboard", f"/jaarcycli/{self.cycle}/")
            page = self.request("step page", f"/jaarcycli/{self.cycle}/{step}/")
            if page:
                data = [(k, v) for k, v in fields(page) if k not in ("action", "add", "goto")]
                data.append(("action", "autosave"))
                self.request("step autosave", f"/jaarcycli/{self.cycle}/{step}/", data)
            self.request("self-assessment", f"/jaarcycli/{self.cycle}/zelfevaluatie/")
            round_ += 1


def fields(page: str) -> list[tuple[str, str]]:
    main = page.split("<main", 1)[-1]
    parser = FormFields()
    parser.feed(main)
    return parser.fields


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors: list[str] = []

    def record(self, kind, seconds, problem):
        with self.lock:
            self.times[kind].append(seconds)
            if problem:
                self.errors.append(f"{kind}: {problem}")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(stats, elapsed):
    every = [t for times in stats.times.values() for t in times]
    print(f"users {USERS}, {elapsed:.0f} s, gunicorn {WORKERS} workers × {THREADS} threads")
    print(f"requests {len(every)} ({len(every) / elapsed:.1f}/s), errors {len(stats.errors)}")
    print(f"{'request':<18} {'count':>6} {'p50 ms':>8} {'p95 ms':>8}")
    for kind, times in sorted(stats.times.items()):
        p50, p95 = percentile(times, 0.5) * 1000, percentile(times, 0.95) * 1000
        print(f"{kind:<18} {len(times):>6} {p50:>8.0f} {p95:>8.0f}")
    browsing = [t for kind, times in stats.times.items() if kind not in LOGIN for t in times]
    p50, p95 = statistics.median(browsing) * 1000, percentile(browsing, 0.95) * 1000
    print(f"{'browse and save':<18} {len(browsing):>6} {p50:>8.0f} {p95:>8.0f}")
    for line in stats.errors[:20]:
        print("  error:", line)
    verdict = "PASS" if not stats.errors else "FAIL"
    print(f"{verdict}: errors {len(stats.errors)} (target 0)")


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("skipped: the load test needs PostgreSQL (set DATABASE_URL=postgres://...)")
        return 0
    import psycopg

    name = f"load_users_{os.getpid()}"
    parsed = urllib.parse.urlparse(url)
    own_url = parsed._replace(path=f"/{name}").geturl()
    admin = psycopg.connect(url, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    tmp = Path(tempfile.mkdtemp(prefix="load-users-"))
    env = {k: v for k, v in os.environ.items() if k not in ("STATIC_ROOT", "MEDIA_ROOT")}
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": own_url,
            "STATIC_ROOT": str(tmp / "static"),
            "MEDIA_ROOT": str(tmp / "media"),
            "PRIVATE_FILES_ROOT": str(tmp / "private"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
        }
    )
    server = None
    try:
        print("preparing: migrate, setup_demo, collectstatic, users", flush=True)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "setup_demo", "-v0", capture=True)
        manage(env, "collectstatic", "--noinput", "-v0")
        created = manage(
            env,
            "shell",
            "-c",
            CREATE_USERS.format(users=USERS, password=PASSWORD),
            capture=True,
        ).stdout.splitlines()
        accounts = [tuple(line.split()[1:3]) for line in created if line.startswith("LOAD-USER ")]
        assert len(accounts) == USERS, created
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
                "--threads",
                str(THREADS),
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/healthz/", timeout=2).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.5)
        stats = Stats()
        users = [
            User(base, username, cycle, index, stats)
            for index, (username, cycle) in enumerate(accounts)
        ]
        threads = [threading.Thread(target=user.log_in) for user in users]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(f"{len(users)} users logged in; browsing and saving for {SECONDS} s", flush=True)
        started = time.monotonic()
        until = started + SECONDS
        threads = [threading.Thread(target=u.browse_and_save, args=(until,)) for u in users]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        report(stats, time.monotonic() - started)
        server_errors = (tmp / "gunicorn.log").read_text().count("Traceback")
        print(f"server log tracebacks: {server_errors}")
        return 0
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
