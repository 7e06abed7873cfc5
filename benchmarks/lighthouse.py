#!/usr/bin/env python3
"""Lighthouse scores of the key pages of a running server (issue 18, docs/performance.md).

Runs npm `lighthouse` (a devDependency in package.json, installed by `make install`) with
Debian's Chromium (`CHROME_PATH`, default /usr/bin/chromium), headless, in its default mobile
profile with simulated throttling, against the key pages of the server at `--base-url`:
the anonymous home page, /kwaliteitskompas/, a block page and /zoeken/?q=meldcode, and, logged
in, Mijn gemeenten, a cycle dashboard, a step, the self-assessment results, the benchmark page
and the report page. Prints performance, accessibility, largest contentful paint, cumulative
layout shift and the CSS shipped per page, with PASS or FAIL beside the targets, and writes the
table to benchmarks/lighthouse.md (`--output`). Like the other benchmarks it is not a test: a
missed target does not change the exit code, only a crash does.

Logging in: by default the script logs in itself as the demo user `dave` (an editor of
Utrecht, whose role needs no two-factor authentication even with DEBUG=0). `--user` picks
another demo user; a user who must set up two-factor authentication is set up on the way and
the script prints the key, to be passed as `--totp-key` on the next run (a user with a device
needs it). `--cookie "sessionid=..."` skips the login and uses that session.

    .venv/bin/python benchmarks/lighthouse.py --base-url http://127.0.0.1:8000
"""

import argparse
import datetime
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
DEMO_PASSWORD = "kompas-demo"  # noqa: S105 - the documented demo password (README)

TARGET_PERFORMANCE = 90
TARGET_ACCESSIBILITY = 100
TARGET_CLS = 0.1


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """A cookie-keeping HTTP client that does not follow redirects."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, path: str, data: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        url = path if path.startswith("http") else self.base + path
        req = urllib.request.Request(url, data=body)  # noqa: S310 - the URL given on the command line
        if data is not None:
            req.add_header("Referer", self.base + path)
        try:
            with self.opener.open(req, timeout=60) as response:  # noqa: S310
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode(errors="replace")

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if match is None:
        raise SystemExit("no CSRF token on the form")
    return match.group(1)


def totp_code(key: str, not_equal: str | None = None) -> str:
    from base64 import b32decode

    from django_otp.oath import totp  # pure Python: needs no Django settings

    while True:
        code = f"{totp(b32decode(key)):06d}"
        if code != not_equal:
            return code
        time.sleep(2)


def log_in(client: Client, user: str, password: str, totp_key: str | None) -> str:
    """Log in through the login form (and two-factor authentication); the Cookie header."""
    status, _, html = client.request("/accounts/login/")
    if status != 200:
        raise SystemExit(f"login page answered {status}")
    status, headers, _ = client.request(
        "/accounts/login/",
        {"csrfmiddlewaretoken": csrf_token(html), "username": user, "password": password},
    )
    if status != 302:
        raise SystemExit(f"logging in as {user} failed ({status}); is this the demo data?")
    status, headers, _ = client.request("/gemeenten/")
    location = headers.get("Location", "")
    if status == 302 and location.startswith("/mijn-account/tweestapsverificatie/"):
        status, _, html = client.request(location)
        key = re.search(r"<code>([A-Z2-7 ]+)</code>", html).group(1).replace(" ", "")
        status, _, html = client.request(
            location,
            {"csrfmiddlewaretoken": csrf_token(html), "action": "confirm", "code": totp_code(key)},
        )
        if status != 200:
            raise SystemExit(f"setting up two-factor authentication failed ({status})")
        print(f"two-factor authentication set up for {user}: next time pass --totp-key {key}")
    elif status == 302 and location.startswith("/accounts/code/"):
        if not totp_key:
            raise SystemExit(f"{user} has two-factor authentication: pass --totp-key or --cookie")
        status, _, html = client.request(location)
        status, _, _ = client.request(
            location, {"csrfmiddlewaretoken": csrf_token(html), "code": totp_code(totp_key)}
        )
        if status != 302:
            raise SystemExit(f"the two-factor code was refused ({status})")
    session = client.cookie("sessionid")
    if session is None:
        raise SystemExit("no session cookie after logging in")
    return f"sessionid={session}"


def first_link(html: str, pattern: str) -> str | None:
    match = re.search(r'href="(' + pattern + r')"', html)
    return match.group(1) if match else None


def key_pages(base: str, cookie: str) -> list[tuple[str, str, bool]]:
    """(name, path, logged in) of every key page, found by following the site's links."""
    anonymous = Client(base)
    pages = [("home", "/", False), ("Kwaliteitskompas", "/kwaliteitskompas/", False)]
    _, _, html = anonymous.request("/kwaliteitskompas/")
    block = first_link(html, r"/kwaliteitskompas/[a-z0-9-]+/")
    if block:
        pages.append(("block page", block, False))
    pages.append(("search meldcode", "/zoeken/?q=meldcode", False))

    client = Client(base)
    client.opener.addheaders = [("Cookie", cookie)]
    _, _, html = client.request("/gemeenten/")
    pages.append(("Mijn gemeenten", "/gemeenten/", True))
    cycle = first_link(html, r"/jaarcycli/\d+/")
    if cycle is None:
        print("no cycle on Mijn gemeenten: the logged-in pages are left out", file=sys.stderr)
        return pages
    _, _, html = client.request(cycle)
    pages.append(("cycle dashboard", cycle, True))
    step = first_link(html, re.escape(cycle) + r"(?:situatie|ambities|doelgroepen|aanbod)/")
    if step:
        pages.append(("step", step, True))
    pages += [
        ("self-assessment results", cycle + "zelfevaluatie/uitslag/", True),
        ("benchmark", cycle + "vergelijking/", True),
        ("report", cycle + "rapport/", True),
    ]
    return pages


def run_lighthouse(url: str, cookie: str | None, workdir: Path) -> dict:
    out = workdir / "report.json"
    args = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        "--only-categories=performance,accessibility",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if cookie:
        headers = workdir / "headers.json"
        headers.write_text(json.dumps({"Cookie": cookie}))
        args.append(f"--extra-headers={headers}")
    env = dict(os.environ)
    env.setdefault("CHROME_PATH", "/usr/bin/chromium")
    for attempt in (1, 2):  # Chromium on a busy machine sometimes fails to start: once more
        done = subprocess.run(args, env=env, timeout=300, capture_output=True, text=True)  # noqa: S603
        if done.returncode == 0:
            return json.loads(out.read_text())
        print(f"lighthouse failed (attempt {attempt}): {done.stderr[-500:]}", file=sys.stderr)
    return {}


def summarise(report: dict) -> dict:
    audits = report["audits"]
    categories = report["categories"]
    requests = audits.get("network-requests", {}).get("details", {}).get("items", [])
    css = [r for r in requests if r.get("resourceType") == "Stylesheet"]
    failed = [
        ref["id"]
        for ref in categories["accessibility"]["auditRefs"]
        if ref.get("weight") and audits[ref["id"]].get("score") not in (None, 1)
    ]
    shifts = [
        item.get("node", {}).get("selector", "?")
        for item in audits.get("layout-shifts", {}).get("details", {}).get("items", [])
    ]
    return {
        "performance": round(categories["performance"]["score"] * 100),
        "accessibility": round(categories["accessibility"]["score"] * 100),
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "css_files": len(css),
        "css_kb": sum(r.get("transferSize", 0) for r in css) / 1024,
        "a11y_failed": failed,
        "shifts": shifts,
    }


def verdict(row: dict) -> str:
    ok = (
        row["performance"] >= TARGET_PERFORMANCE
        and row["accessibility"] >= TARGET_ACCESSIBILITY
        and row["cls"] < TARGET_CLS
    )
    return "PASS" if ok else "FAIL"


def table(rows: list[tuple[str, str, dict]]) -> str:
    lines = [
        "| page | path | performance | accessibility | LCP (s) | CLS | TBT (ms) "
        "| CSS files / KB transferred | target |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, path, row in rows:
        notes = ""
        if row["a11y_failed"]:
            notes += " (accessibility: " + ", ".join(row["a11y_failed"]) + ")"
        if row["cls"] >= TARGET_CLS and row["shifts"]:
            notes += " (shifts: " + ", ".join(f"`{s}`" for s in row["shifts"][:3]) + ")"
        lines.append(
            f"| {name} | `{path}` | {row['performance']} | {row['accessibility']} "
            f"| {row['lcp']:.1f} | {row['cls']:.3f} | {row['tbt']:.0f} "
            f"| {row['css_files']} / {row['css_kb']:.0f} | {verdict(row)}{notes} |"
        )
    return "\n".join(lines)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def lighthouse_version() -> str:
    package = ROOT / "node_modules" / "lighthouse" / "package.json"
    return json.loads(package.read_text())["version"] if package.exists() else "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-url", default=os.environ.get("BASE_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--user", default="dave", help="demo user to log in as (default dave)")
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument("--totp-key", help="the two-factor key of --user, if it has a device")
    parser.add_argument("--cookie", help='a logged-in session: "sessionid=..." (skips the login)')
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "lighthouse.md"))
    parser.add_argument("--only", help="only the pages whose name contains this text")
    parser.add_argument(
        "--runs", type=int, default=1, help="runs per page; the median run is reported"
    )
    parser.add_argument("--keep-json", help="a folder to keep every page's Lighthouse report in")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit("node_modules/.bin/lighthouse is missing: run `make install` first")

    base = args.base_url.rstrip("/")
    cookie = args.cookie or log_in(Client(base), args.user, args.password, args.totp_key)
    pages = key_pages(base, cookie)
    if args.only:
        pages = [page for page in pages if args.only.lower() in page[0].lower()]
    rows, failed = [], []
    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        for name, path, logged_in in pages:
            runs = []
            for _ in range(args.runs):
                report = run_lighthouse(base + path, cookie if logged_in else None, Path(tmp))
                if report and not report.get("runtimeError"):
                    runs.append((summarise(report), report))
            if not runs:
                print(f"{name}: no result", file=sys.stderr)
                failed.append(name)
                continue
            # The run with the median performance score (Lighthouse's advice on variance).
            runs.sort(key=lambda run: run[0]["performance"])
            row, report = runs[len(runs) // 2]
            rows.append((name, path, row))
            if args.keep_json:
                keep = Path(args.keep_json)
                keep.mkdir(parents=True, exist_ok=True)
                slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
                (keep / f"{slug}.json").write_text(json.dumps(report))
            print(
                f"{name:26} perf {row['performance']:3} a11y {row['accessibility']:3} "
                f"LCP {row['lcp']:4.1f} s CLS {row['cls']:.3f} CSS {row['css_kb']:4.0f} KB "
                f"{verdict(row)} {' '.join(row['a11y_failed'])}",
                flush=True,
            )
    load_after = load_average()
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = (
        "# Lighthouse scores of the key pages\n\n"
        f"Written by `benchmarks/lighthouse.py` on {now} against {base} (Lighthouse "
        f"{lighthouse_version()}, Chromium headless, default mobile profile with simulated "
        f"throttling; median of {args.runs} run(s) per page). Targets: performance at least "
        f"{TARGET_PERFORMANCE}, accessibility {TARGET_ACCESSIBILITY}, cumulative layout shift "
        f"below {TARGET_CLS}. Scores compare pages and versions, not machines.\n\n"
        f"Load average (1, 5, 15 min) on {os.cpu_count()} cores: {load_before} before, "
        f"{load_after} after.\n\n"
        f"{table(rows)}\n"
    )
    if failed:
        text += "\nNo result (Lighthouse failed twice): " + ", ".join(failed) + ".\n"
    if args.output != "-":
        Path(args.output).write_text(text)
        print(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
