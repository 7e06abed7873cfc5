"""The content site in a browser: a visitor finds the guidance; an editor changes a tip.

Public pages go through CheckedPage (axe on every page). The Wagtail admin is Wagtail's own
interface: the editor drives it with `admin_goto()` and plain clicks, which exempts only
/cms-admin/ pages from the axe check.
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from cms.snippets import Tip
from compass.demo import DEMO_PASSWORD
from tests.e2e.conftest import CheckedPage

NEW_TIP = "Nodig bij elk cijfer ook een professional uit de praktijk uit: zo tellen én vertellen."


@pytest.fixture
def visitor(browser, live_server):
    """A second, anonymous browser, so the public pages are served as the cache serves them."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    checked = CheckedPage(page, live_server.url)
    yield checked
    context.close()
    checked.assert_every_page_checked()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_visitor_walks_the_compass_and_an_editor_publishes_a_tip(checked_page, visitor):
    call_command("setup_demo", verbosity=0)
    page = visitor.page

    visitor.goto("/")
    visitor.follow(
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
            "link", name="Kwaliteitskompas"
        )
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Het Kwaliteitskompas")
    visitor.follow(page.get_by_role("link", name="0 Samenwerking"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Samenwerking")
    crumbs = page.get_by_role("navigation", name="Kruimelpad")
    expect(crumbs.get_by_role("link", name="Het Kwaliteitskompas")).to_be_visible()

    visitor.follow(page.get_by_role("link", name="Volgend blok: 1. Monitoring & ambities"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Monitoring & ambities")
    block_url = page.url.removeprefix(visitor.base_url)
    expect(page.get_by_text(NEW_TIP)).to_have_count(0)

    visitor.follow(
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Zoeken")
    )
    page.get_by_label("Zoek in de uitleg en de tips").fill("meldcode")
    visitor.follow(page.get_by_role("main").get_by_role("button", name="Zoeken"))
    expect(page.get_by_role("link", name="De meldcode")).to_be_visible()

    # The editor changes the first tip of block 1 in the Wagtail admin and publishes it.
    tip = Tip.objects.live_for_block(1).first()
    admin = checked_page.page
    checked_page.admin_goto("/cms-admin/login/")
    admin.locator("input[name=username]").fill("erin")
    admin.locator("input[name=password]").fill(DEMO_PASSWORD)
    with admin.expect_navigation():
        admin.get_by_role("button", name="Inloggen").click()
    checked_page.admin_goto(f"/cms-admin/snippets/cms/tip/edit/{tip.pk}/")
    admin.get_by_role("textbox", name="Tekst").fill(NEW_TIP)
    admin.get_by_role("button", name="Meer acties").click()
    with admin.expect_navigation():
        admin.get_by_role("button", name="Publiceren").click()
    expect(admin.locator("li.success")).to_contain_text("gepubliceerd")

    # The visitor's next look at the block page shows it: publishing purged the page cache.
    visitor.goto(block_url)
    expect(page.get_by_text(NEW_TIP)).to_be_visible()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_only_wagtail_admin_pages_can_be_exempted_from_the_axe_check(checked_page):
    with pytest.raises(ValueError, match="Only Wagtail admin pages"):
        checked_page.exempt("/kwaliteitskompas/")
    with pytest.raises(ValueError, match="admin_goto"):
        checked_page.admin_goto("/")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_public_page_opened_without_a_check_is_still_flagged(checked_page, live_server):
    checked_page.exempt()
    checked_page.page.goto(live_server.url + "/healthz/")
    with pytest.raises(AssertionError, match="without an axe check"):
        checked_page.assert_every_page_checked()
    checked_page.loaded.clear()
