"""Guard of issue 13: crawl the demo as every demo user and check every page they can reach.

Each user logs in through the login form and follows every same-site link breadth-first from
where they land (admin and erin also open the Wagtail admin's index, admin the Django admin's):
own cycles, partners' cycles, an imported cycle, self-assessment versions, downloads. URLs are
grouped by pattern (the URL name, the step or table, and whose cycle in which state), at most
CAP per group. On every HTML page of ours: no 4xx/5xx, axe clean (WCAG 2.1 A/AA), no JavaScript
error, no Content-Security-Policy violation (also on the admin indexes), no sideways scroll at
390 px, no word broken inside a table cell or heading at 1280 px.
Downloads are fetched with the user's cookies: no 4xx/5xx. The test fails once, listing every
problem as [user] url (pattern) kind: detail.
"""

from urllib.parse import parse_qsl

import pytest
from django.urls import Resolver404, resolve

from tests.e2e.conftest import AXE_OPTIONS, WIDE_VIEWPORT
from tests.e2e.csp import ViolationLog
from tests.e2e.guards import (
    SCROLL_JS,
    WORD_BREAKS_JS,
    Crawler,
    Problem,
    axe_init_script,
    log_in,
    verdict,
)

USERS = ["admin", "alice", "dave", "bob", "carol", "erin", "wim"]
CAP = 1
# The Wagtail admin for the content editor and the superuser, the Django admin for the latter.
ADMIN_SEEDS = {"admin": ["/cms-admin/", "/django-admin/"], "erin": ["/cms-admin/"]}
DOWNLOADS = {
    "exports:csv",
    "exports:xlsx",
    "exports:json",
    "questionnaire:situation_csv_template",
    "wagtaildocs_serve",
}

# The crawl is only worth something if it gets everywhere: these must be among its patterns.
REACHED = {
    "questionnaire:cycle|member-active",
    "questionnaire:cycle|member-closed",
    "questionnaire:cycle|partner-draft",
    "questionnaire:cycle|member-active-imported",
    "questionnaire:self_assessment_results|partner-draft",
    "questionnaire:self_assessment_results|member-active-imported",
    "questionnaire:self_assessment_version|member-active",
    "exports:csv|table=zelfevaluatie|member-active",
    "exports:report_pdf|member-active",
    "wagtailadmin_home",
    "admin:index",
}

# Known defects: (user, pattern, kind) -> why it is allowed. An entry that no longer fails
# makes the test fail ("remove from allow-list"), so the list only ever holds real failures.
# Empty: every defect the crawl found (issue 13 items 2 and 6) is fixed.
ALLOWED: dict[tuple[str, str, str], str] = {}


class SharedPages:
    """Pages that look the same to every user: checked once per run, by the first to reach them.

    The CMS pages, the help and password pages, downloads (the same file for every member who
    may download it), and a partner's view of a cycle (a partner municipality's members all
    hold only `view_cycle` on it, whatever their own role).
    """

    def __init__(self):
        self.seen = set()
        self.contents = set()

    def __call__(self, pattern: str) -> bool:
        return (
            pattern.startswith("page:")
            or pattern.split("|", 1)[0] in DOWNLOADS
            or pattern in {"questionnaire:cycle_help", "password_change"}
            or "|partner-" in pattern
        )


def cycle_flavour(user, pk) -> str:
    """Whose cycle it is for this user, its status, and whether it was imported."""
    from compass.models import Cycle
    from exports.models import ExportLog

    cycle = Cycle.objects.filter(pk=pk).select_related("municipality").first()
    if cycle is None:
        return "missing"
    if user.memberships.filter(municipality=cycle.municipality).exists():
        relation = "member"
    elif user.is_superuser:
        relation = "superuser"
    else:
        relation = "partner"
    imported = ExportLog.objects.filter(cycle=cycle, kind=ExportLog.Kind.JSON_IMPORT).exists()
    return f"{relation}-{cycle.status}" + ("-imported" if imported else "")


def classifier(username):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    cache = {}

    def classify(path: str) -> str:
        route, _sep, query = path.partition("?")
        try:
            match = resolve(route)
        except Resolver404:
            return "unresolved:" + route
        name = match.view_name
        parts = ["page:" + route] if not name or name == "wagtail_serve" else [name]
        kwargs = match.kwargs
        # Each step has its own form; one history page is like another.
        for slug in ("step", "table"):
            if slug in kwargs and name != "questionnaire:cycle_history":
                parts.append(f"{slug}={kwargs[slug]}")
        pk = kwargs.get("cycle") or kwargs.get("cycle_pk")
        if pk is not None:
            if pk not in cache:
                cache[pk] = cycle_flavour(user, pk)
            parts.append(cache[pk])
        if query:
            parts.append("?" + ",".join(sorted({k for k, _v in parse_qsl(query, True)})))
        return "|".join(parts)

    return classify


@pytest.fixture(scope="module")
def demo_site(demo_database):
    """The demo, plus Utrecht's 2026 cycle imported by carol into Amersfoort (via JSON), and a
    second submitted version of Utrecht's 2026 self-assessment."""
    from django.contrib.auth import get_user_model

    from compass.models import Cycle, Municipality
    from exports import portable
    from exports.log import record
    from exports.models import ExportLog
    from questionnaire import assessment

    with demo_database.unblock():
        source = Cycle.objects.municipal().get(municipality__code="GM0344", year=2026)
        data = portable.parse(portable.dumps(portable.export_cycle(source)))
        carol = get_user_model().objects.get(username="carol")
        amersfoort = Municipality.objects.get(code="GM0307")
        cycle, _plan = portable.import_cycle(data, amersfoort, 2026, carol)
        record(carol, cycle, ExportLog.Kind.JSON_IMPORT, "GM0344 2026")
        # A second submitted version, so the results page links to version 1.
        alice = get_user_model().objects.get(username="alice")
        reopened = assessment.reopen(assessment.latest(source), alice)
        view = assessment.load_measure_set(reopened.measure_set)
        assessment.submit(reopened, view, alice)
    return demo_database


def crawl_as(browser, base_url, username, database, shared):
    context = browser.new_context(locale="en-US", viewport=WIDE_VIEWPORT)
    context.add_init_script(axe_init_script())
    csp = ViolationLog(context)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        log_in(page, base_url, username)
        with database.unblock():
            classify = classifier(username)
            crawler = Crawler(
                page,
                base_url,
                username,
                classify,
                axe_options=AXE_OPTIONS,
                cap=CAP,
                downloads=DOWNLOADS,
                shared=shared,
                csp=csp,
            )
            landing = page.url[len(base_url) :] or "/"
            problems = crawler.crawl([landing, *ADMIN_SEEDS.get(username, [])])
        return problems, crawler.visited
    finally:
        context.close()


def test_every_demo_user_reaches_only_working_accessible_pages(browser, live_server, demo_site):
    problems, visited, shared = [], {}, SharedPages()
    for username in USERS:
        found, pages = crawl_as(browser, live_server.url, username, demo_site, shared)
        problems += found
        visited[username] = pages
    reached = {pattern for pages in visited.values() for _path, pattern in pages}
    missing = REACHED - reached
    assert not missing, f"the crawl never reached {sorted(missing)}: {visited}"
    lines = verdict(problems, ALLOWED)
    assert not lines, f"{len(lines)} crawl problem(s):\n" + "\n".join(lines)


def test_verdict_lists_new_problems_and_allow_list_entries_that_no_longer_fail():
    problem = Problem("alice", "questionnaire:cycle|member-active", "scroll-390", "/jaarcycli/2/")
    assert verdict([problem], {}) == [str(problem)]
    assert verdict([problem], {problem.key: "known"}) == []
    (line,) = verdict([], {problem.key: "known"})
    assert line.startswith("remove from allow-list")


def test_layout_checks_catch_a_word_broken_inside_and_a_page_too_wide(browser):
    """The checks themselves: they must fail on the defects issue 13 describes."""
    page = browser.new_page(viewport=WIDE_VIEWPORT)
    try:
        page.set_content(
            '<!doctype html><html lang="nl"><body><table><tr>'
            '<th style="width:40px;overflow-wrap:anywhere">Doelgroepen</th>'
            '<td style="width:300px">Gemeente Utrecht</td>'
            '<td><span class="visually-hidden" style="position:absolute;width:1px;'
            'overflow:hidden">Verborgen tekst</span></td></tr></table>'
            '<h2 style="width:60px">Veilig Thuis-regio</h2>'
            '<div style="width:453px">breed</div></body></html>'
        )
        broken = page.evaluate(WORD_BREAKS_JS)
        assert len(broken) == 1 and '"Doelgroepen"' in broken[0], broken
        page.set_viewport_size({"width": 390, "height": 844})
        scroll_width, inner_width = page.evaluate(SCROLL_JS)
        assert scroll_width > inner_width
    finally:
        page.close()
