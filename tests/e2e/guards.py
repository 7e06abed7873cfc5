"""Helpers of the issue 13 guards (test_crawl.py, test_form_round_trip.py).

A guard collects every problem it finds, then fails once with the full list. Known defects that
other branches fix are listed in the test's allow-list, keyed on (user, url pattern, kind): an
allow-listed problem that still occurs is tolerated, one that no longer occurs fails the test
with "remove from allow-list", so the list shrinks as the fixes merge.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from compass.demo import DEMO_USERS

PASSWORDS = {demo.username: demo.password for demo in DEMO_USERS}


@dataclass(frozen=True)
class Problem:
    user: str
    pattern: str
    kind: str
    url: str
    detail: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.user, self.pattern, self.kind)

    def __str__(self) -> str:
        detail = f": {self.detail}" if self.detail else ""
        return f"[{self.user}] {self.url} ({self.pattern}) {self.kind}{detail}"


def verdict(problems: list[Problem], allowed: dict, covered_users=None) -> list[str]:
    """The lines a guard fails with: new problems, and allow-list entries that no longer fail.

    `covered_users` limits the stale-entry check to the users the run looked at.
    """
    lines = [str(p) for p in problems if p.key not in allowed]
    found = {p.key for p in problems}
    for key, reason in allowed.items():
        if covered_users is not None and key[0] not in covered_users:
            continue
        if key not in found:
            lines.append(f"remove from allow-list (no longer fails): {key!r} – {reason}")
    return lines


def log_in(page, base_url: str, username: str) -> None:
    """Log in through the login form, the way a person does."""
    page.goto(base_url + "/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORDS[username])
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    if page.url.rstrip("/").endswith("/accounts/login"):
        raise AssertionError(f"{username} could not log in through the login form")


# Word breaks: a word (a run of characters a browser may not break between without a hyphen)
# whose client rects lie on more than one line has been broken inside.
WORD_BREAKS_JS = r"""
() => {
  const out = [];
  const seen = new Set();
  const parts = /[^\s\-\u2010\u2011\u2013\u2014\/]+[\-\u2010\u2013\u2014\/]?/g;
  for (const cell of document.querySelectorAll("th, td, h1, h2, h3, h4, h5, h6")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      if (seen.has(node)) continue;
      seen.add(node);
      const parent = node.parentElement;
      if (!parent || parent.closest("svg, .visually-hidden, [hidden]")) continue;
      const box = parent.getBoundingClientRect();
      if (box.width <= 2 || box.height <= 2) continue;
      const text = node.data;
      let match;
      parts.lastIndex = 0;
      while ((match = parts.exec(text))) {
        if (match[0].length < 2) continue;
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0.5);
        if (rects.length < 2) continue;
        const lines = rects.filter((r) => Math.abs(r.top - rects[0].top) > rects[0].height / 2);
        if (lines.length) {
          out.push(cell.tagName.toLowerCase() + ' "' + match[0] + '" in "' +
                   text.trim().replace(/\s+/g, " ").slice(0, 60) + '"');
        }
      }
    }
  }
  return out;
}
"""

# What a page shows in its main part, without hidden inputs (CSRF tokens, signed owners).
CONTENT_JS = """
() => {
  const main = (document.querySelector("main") || document.body).cloneNode(true);
  main.querySelectorAll("input[type=hidden]").forEach((e) => e.remove());
  return document.title + "\\n" + main.outerHTML;
}
"""
SCROLL_JS = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def axe_violations(page, options) -> list[tuple[str, str]]:
    """(rule id, first targets) per axe violation; axe comes from `axe_init_script()`."""
    results = page.evaluate("options => axe.run(document, options)", options)
    return [
        (
            violation["id"],
            "; ".join(" ".join(map(str, n.get("target", []))) for n in violation["nodes"][:3]),
        )
        for violation in results["violations"]
    ]


def axe_init_script() -> str:
    """axe-core as a context init script: parsed with each page, not injected per check."""
    from axe_playwright_python.base import AXE_SCRIPT

    return AXE_SCRIPT


# --- The crawl ------------------------------------------------------------------------------

ADMIN_PREFIXES = ("/cms-admin/", "/django-admin/")
SKIPPED_PREFIXES = ("/i18n/", "/accounts/logout/", "/media/", "/static/")
WIDE, NARROW = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


class Crawler:
    """Breadth-first over every same-site link one user can see, with checks on every page.

    `classify(path)` names the URL pattern of a path (and whatever else makes two URLs of one
    pattern different pages, such as whose cycle it is); at most `cap` URLs per pattern are
    visited. Links to downloads are fetched with the page's request context (its cookies) and
    only their status is checked.
    """

    def __init__(
        self,
        page,
        base_url,
        user,
        classify,
        *,
        axe_options,
        cap=1,
        downloads=(),
        shared=None,
        csp=None,
    ):
        self.page = page
        self.base_url = base_url
        self.user = user
        self.classify = classify
        self.axe_options = axe_options
        self.cap = cap
        self.downloads = set(downloads)
        # Patterns whose pages are the same for every user (`shared(pattern)` is true) are
        # checked once per run, by the first user who reaches them.
        self.shared = shared or (lambda pattern: False)
        self.shared_seen = getattr(self.shared, "seen", set())
        # A page whose main content another user's page of the same pattern already showed
        # (a reader and an editor on a closed cycle, say) is not checked again.
        self.contents = getattr(self.shared, "contents", set())
        self.problems: list[Problem] = []
        self.visited: list[tuple[str, str]] = []
        self.seen: set[str] = set()
        self.per_pattern: dict[str, int] = {}
        self.js_errors: list[str] = []
        page.on("pageerror", lambda error: self.js_errors.append(str(error)))
        # Content-Security-Policy violations of every page, the admin indexes included
        # (a tests.e2e.csp.ViolationLog on the page's context).
        self.csp = csp

    def problem(self, pattern, kind, url, detail=""):
        self.problems.append(Problem(self.user, pattern, kind, url, detail))

    def _path(self, href: str) -> str | None:
        if not href.startswith(self.base_url):
            return None
        path = href[len(self.base_url) :].split("#", 1)[0] or "/"
        if not path.startswith("/") or path.startswith(SKIPPED_PREFIXES):
            return None
        if path.startswith(ADMIN_PREFIXES) and path not in ADMIN_PREFIXES:
            return None  # admin pages beyond their index are not ours
        return path

    def crawl(self, seeds):
        queue = []

        def enqueue(path, download=False):
            if path is None or path in self.seen:
                return
            pattern = self.classify(path)
            if self.per_pattern.get(pattern, 0) >= self.cap:
                return
            if self.shared(pattern):
                if pattern in self.shared_seen:
                    return
                self.shared_seen.add(pattern)
            self.seen.add(path)
            self.per_pattern[pattern] = self.per_pattern.get(pattern, 0) + 1
            queue.append((path, pattern, download))

        for seed in seeds:
            enqueue(seed)
        while queue:
            path, pattern, download = queue.pop(0)
            self.visited.append((path, pattern))
            if download or pattern.split("|", 1)[0] in self.downloads:
                self.fetch(path, pattern)
                continue
            for href, is_download in self.visit(path, pattern):
                enqueue(self._path(href), is_download)
        return self.problems

    def fetch(self, path, pattern):
        response = self.page.request.get(self.base_url + path, max_redirects=0)
        if response.status >= 400:
            kind = "download-5xx" if response.status >= 500 else "download-4xx"
            self.problem(pattern, kind, path, f"HTTP {response.status}")
        response.dispose()

    def visit(self, path, pattern):
        page = self.page
        self.js_errors.clear()
        if self.csp is not None:
            self.csp.take()
        try:
            response = page.goto(self.base_url + path)
        except Exception as error:  # noqa: BLE001 - a download or a dead page, both reported
            if "Download is starting" in str(error):
                self.fetch(path, pattern)
            else:
                self.problem(pattern, "no-page", path, str(error).splitlines()[0])
            return []
        status = response.status if response is not None else 0
        if status >= 500:
            self.problem(pattern, "http-5xx", path, f"HTTP {status}")
            return []
        if status >= 400:
            self.problem(pattern, "http-4xx", path, f"HTTP {status}")
            return []
        if self.csp is not None:
            page.wait_for_load_state("load")
            for violation in self.csp.take():
                self.problem(pattern, "csp-violation", path, violation[:300])
        if path in ADMIN_PREFIXES or page.url.replace(self.base_url, "").startswith(ADMIN_PREFIXES):
            return []  # Wagtail's and Django's own interface: only its status is ours
        content = hashlib.sha256(page.evaluate(CONTENT_JS).encode()).hexdigest()
        if (pattern, content) not in self.contents:
            self.contents.add((pattern, content))
            self.check(path, pattern)
        return page.eval_on_selector_all(
            "a[href]", "els => els.map(e => [e.href, e.hasAttribute('download')])"
        )

    def check(self, path, pattern):
        page = self.page
        for rule, targets in axe_violations(page, self.axe_options):
            self.problem(pattern, f"axe:{rule}", path, targets)
        broken = page.evaluate(WORD_BREAKS_JS)
        if broken:
            self.problem(pattern, "word-break-1280", path, "; ".join(broken[:5]))
        page.set_viewport_size(NARROW)
        scroll_width, inner_width = page.evaluate(SCROLL_JS)
        if scroll_width > inner_width:
            self.problem(pattern, "scroll-390", path, f"{scroll_width} px wide at {inner_width} px")
        page.set_viewport_size(WIDE)
        for error in self.js_errors:
            self.problem(pattern, "js-error", path, error.splitlines()[0][:200])
