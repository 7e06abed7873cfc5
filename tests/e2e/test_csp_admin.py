"""The Wagtail admin works under our Content Security Policy (issue 20, item 4).

A content editor logs in, opens the dashboard, a page's edit view (and its preview panel),
saves a draft, opens a snippet listing and a snippet's edit view and saves it: the browser
reports no CSP violation on any of these pages, and the header is really there.
"""

from django.urls import reverse

from tests.e2e.conftest import WIDE_VIEWPORT
from tests.e2e.csp import ViolationLog
from tests.e2e.guards import log_in


def _wait_for_admin(page):
    page.wait_for_load_state("load")
    # Wagtail's scripts run after load; give their late requests (icons, previews) a moment.
    page.wait_for_load_state("networkidle")


def test_wagtail_admin_loads_and_saves_without_csp_violations(browser, live_server, demo_database):
    from wagtail.models import Page

    from cms.snippets import MeasureSet, Tip

    with demo_database.unblock():
        page_id = Page.objects.filter(depth__gt=2).order_by("path").values_list("id", flat=True)[0]
        tip = Tip.objects.order_by("pk").first()
        assert tip is not None, "the demo has no tip to edit"
        tip_list = reverse("wagtailsnippets_cms_tip:list")
        tip_edit = reverse("wagtailsnippets_cms_tip:edit", args=[tip.pk])
        measure_set = MeasureSet.objects.order_by("pk").first()
        set_edit = reverse("wagtailsnippets_cms_measureset:edit", args=[measure_set.pk])

    context = browser.new_context(locale="en-US", viewport=WIDE_VIEWPORT)
    log = ViolationLog(context)
    page = context.new_page()
    page.set_default_timeout(30_000)
    base = live_server.url
    visited = {}
    try:
        log_in(page, base, "erin")

        response = page.goto(base + "/cms-admin/")
        assert response.status == 200
        policy = response.headers["content-security-policy"]
        # Scripts stay strict in the admin; only <style> elements are relaxed (Draftail).
        assert "script-src 'self';" in policy + ";" and policy.count("unsafe-") == 1, policy
        assert "style-src-elem 'self' 'unsafe-inline'" in policy, policy
        _wait_for_admin(page)
        visited["dashboard"] = log.take()

        response = page.goto(f"{base}/cms-admin/pages/{page_id}/edit/")
        assert response.status == 200
        _wait_for_admin(page)
        # The live preview panel loads the page in a same-origin frame.
        toggle = page.locator("[data-side-panel-toggle='preview']")
        if toggle.count():
            toggle.first.click()
            page.wait_for_load_state("networkidle")
        visited["page edit + preview"] = log.take()

        # Wagtail's date-time chooser was started without its inline script (admin_csp.js).
        started = "() => !!jQuery('#id_go_live_at').data('xdsoft_datetimepicker')"
        assert page.evaluate(started), "the go-live date chooser was not started"

        title = page.locator("input[name=title]")
        title.fill(title.input_value() + " (concept)")
        with page.expect_navigation():
            page.locator("button.action-save").first.click()
        _wait_for_admin(page)
        assert page.locator(".messages .success").count(), "the draft was not saved"
        visited["save draft"] = log.take()

        response = page.goto(base + tip_list)
        assert response.status == 200
        _wait_for_admin(page)
        visited["snippet listing"] = log.take()

        response = page.goto(base + tip_edit)
        assert response.status == 200
        _wait_for_admin(page)
        visited["snippet edit"] = log.take()
        with page.expect_navigation():
            page.locator("button.action-save").first.click()
        _wait_for_admin(page)
        assert page.locator(".messages .success").count(), "the snippet was not saved"
        visited["snippet save"] = log.take()

        # An inline panel (the measure set's themes) started by admin_csp.js: "add" adds a form.
        response = page.goto(base + set_edit)
        assert response.status == 200
        _wait_for_admin(page)
        forms = page.locator("#id_themes-FORMS > [data-inline-panel-child]:visible")
        before = forms.count()
        page.locator("#id_themes-ADD").click()
        page.wait_for_timeout(500)
        assert forms.count() == before + 1, "the inline panel did not add a form"
        visited["snippet with inline panel"] = log.take()
    finally:
        context.close()

    problems = {step: found for step, found in visited.items() if found}
    assert not problems, "CSP violations in the Wagtail admin:\n" + "\n".join(
        f"{step}: {line}" for step, found in problems.items() for line in found
    )


def test_the_violation_log_catches_an_inline_script_and_style(browser):
    """The check itself: a page with an inline script, <style> and style attribute fails it."""
    context = browser.new_context()
    log = ViolationLog(context)
    page = context.new_page()
    body = (
        "<!doctype html><html><head><style>p{color:red}</style></head><body>"
        '<p style="color:blue">x</p><script>document.title="ran"</script></body></html>'
    )
    context.route(
        "http://csp.test/",
        lambda route: route.fulfill(
            status=200,
            body=body,
            headers={
                "Content-Type": "text/html",
                "Content-Security-Policy": "default-src 'self'; script-src 'self'",
            },
        ),
    )
    try:
        page.goto("http://csp.test/")
        page.wait_for_timeout(300)
        assert page.title() != "ran"
        found = log.take()
    finally:
        context.close()
    directives = " ".join(found)
    assert "script-src-elem" in directives and "style-src-elem" in directives, found
    assert "style-src-attr" in directives, found
