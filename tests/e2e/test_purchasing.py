"""A coordinator reads the demo cycle's purchasing check, turns a gap into an improvement action
and finds it in the plan and the report (issue 23); axe on every page (checked_page)."""

import pytest
from playwright.sync_api import expect

from compass.models import Cycle, ImprovementAction
from tests.e2e.test_cycle import log_in


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_coordinator_turns_a_gap_of_the_purchasing_check_into_an_action(checked_page):
    from django.core.management import call_command

    call_command("setup_demo", verbosity=0)
    cycle = Cycle.objects.municipal().get(municipality__code="GM0344", year=2026)
    before = ImprovementAction.objects.filter(cycle=cycle).count()
    page = checked_page.page
    log_in(checked_page, "alice")
    checked_page.goto(f"/jaarcycli/{cycle.pk}/")
    checked_page.follow(page.get_by_role("link", name="Inkoopcheck", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Inkoopcheck")
    expect(page.get_by_text("geen cijfers uit het landelijke onderzoek").first).to_be_visible()
    profiles = page.get_by_role("table").first
    expect(profiles).to_contain_text("400 × 35% = 140")
    demand = page.get_by_role("table").nth(1)
    row = demand.get_by_role("row", name="Schuldhulp")
    expect(row).to_contain_text("geen aanbod")
    expect(row).to_contain_text("Tekort: 140 te weinig")
    expect(demand.get_by_role("row", name="Opvoedondersteuning")).to_contain_text("Overaanbod")

    checked_page.follow(
        page.get_by_role("button", name="Maak er een verbeteractie van: Schuldhulp")
    )
    expect(page.get_by_text("Toegevoegd aan het verbeterplan")).to_be_visible()
    assert ImprovementAction.objects.filter(cycle=cycle).count() == before + 1

    checked_page.goto(f"/jaarcycli/{cycle.pk}/verbeterplan/")
    assert page.evaluate(
        "() => [...document.querySelectorAll('#part-actions input, #part-actions textarea')]"
        ".some(field => field.value.includes('Schuldhulp'))"
    )

    checked_page.goto(f"/jaarcycli/{cycle.pk}/rapport/")
    section = page.locator("#inkoopcheck")
    expect(section.get_by_role("heading", level=2)).to_have_text("Inkoopcheck")
    expect(section).to_contain_text("Voorbeeldset")
    expect(section).to_contain_text("Tekort: 180 te weinig")
