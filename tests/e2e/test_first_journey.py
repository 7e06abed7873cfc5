"""First journey: home page, log in as a demo user, switch to English, log out."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from compass.demo import DEMO_PASSWORD


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_visitor_logs_in_switches_to_english_and_logs_out(checked_page):
    call_command("setup_demo", verbosity=0)
    page = checked_page.page

    checked_page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Kwaliteitskompas kindermishandeling en huiselijk geweld"
    )

    checked_page.follow(page.get_by_role("banner").get_by_role("link", name="Inloggen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    page.get_by_label("Gebruikersnaam").fill("alice")
    page.get_by_label("Wachtwoord").fill("verkeerd-wachtwoord")
    checked_page.follow(page.get_by_role("button", name="Inloggen"))
    expect(page.get_by_role("alert")).to_contain_text("gebruikersnaam en wachtwoord")

    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    checked_page.follow(page.get_by_role("button", name="Inloggen"))
    expect(page.get_by_text("Ingelogd als Alice de Vries")).to_be_visible()

    checked_page.follow(page.get_by_role("button", name="English"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Logged in as Alice de Vries")).to_be_visible()
    expect(page.get_by_role("button", name="Nederlands")).to_be_visible()

    checked_page.follow(page.get_by_role("button", name="Log out"))
    expect(page.get_by_role("banner").get_by_role("link", name="Log in")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_axe_check_fails_on_a_page_with_a_violation(checked_page):
    """The harness itself: an image without alternative text must fail the check."""
    checked_page.page.set_content(
        '<!doctype html><html lang="nl"><head><title>t</title></head>'
        '<body><main><img src="x.png"></main></body></html>'
    )
    with pytest.raises(pytest.fail.Exception, match="image-alt"):
        checked_page.check_accessibility()
