"""Typed input survives leaving a step by a link, the step navigation or logging out."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.test_cycle import log_in


def start_empty_cycle(checked_page, year="2027"):
    page = checked_page.page
    checked_page.follow(page.get_by_role("link", name=re.compile("Nieuwe jaarcyclus starten")))
    page.get_by_label("Jaar", exact=True).fill(year)
    page.get_by_label("Leeg beginnen").check()
    checked_page.follow(page.get_by_role("button", name="Jaarcyclus starten"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_input_survives_a_link_the_step_navigation_and_a_logout(checked_page):
    call_command("setup_demo", verbosity=0)
    page = checked_page.page
    log_in(checked_page, "alice")
    start_empty_cycle(checked_page)
    steps = page.get_by_role("navigation", name="Stappen van de jaarcyclus")

    # A plain link (the step's history): the draft is stored before the browser follows it.
    checked_page.follow(page.get_by_role("link", name="Begin met stap 1"))
    checked_page.follow(steps.get_by_role("button", name="3. Blok 2 · Doelgroepen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Stap 3 · Blok 2 · Doelgroepen")
    page.get_by_label("Doelgroep", exact=True).fill("Via een link weggegaan")
    checked_page.follow(page.get_by_role("link", name="Geschiedenis van deze stap"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Geschiedenis")
    checked_page.follow(page.get_by_role("link", name="Terug naar Doelgroepen"))
    expect(page.get_by_label("Doelgroep", exact=True)).to_have_value("Via een link weggegaan")
    expect(page.get_by_text(re.compile("U ziet een concept van"))).to_be_visible()

    # The step navigation (buttons of the step form): the draft goes with it.
    page.get_by_label("Doelgroep", exact=True).fill("Via de stappen weggegaan")
    checked_page.follow(steps.get_by_role("button", name="4. Blok 3 · Aanbod"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Stap 4 · Blok 3 · Aanbod")
    checked_page.follow(steps.get_by_role("button", name="3. Blok 2 · Doelgroepen"))
    expect(page.get_by_label("Doelgroep", exact=True)).to_have_value("Via de stappen weggegaan")

    # Logging out (another form on the page): the draft is stored first.
    page.get_by_label("Doelgroep", exact=True).fill("Voor het uitloggen getypt")
    checked_page.follow(page.get_by_role("button", name="Uitloggen"))
    log_in(checked_page, "alice")
    checked_page.follow(page.get_by_role("link", name="2027", exact=True))
    checked_page.follow(page.get_by_role("link", name="Ga verder waar u was: Doelgroepen"))
    expect(page.get_by_label("Doelgroep", exact=True)).to_have_value("Voor het uitloggen getypt")
