"""Alice opens the benchmark from the self-assessment results: peers, charts, named comparison."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from compass.demo import DEMO_PASSWORD


def log_in(checked_page, username):
    page = checked_page.page
    checked_page.goto("/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    checked_page.follow(page.get_by_role("button", name="Inloggen"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_alice_opens_the_benchmark_from_the_results_page(checked_page):
    call_command("setup_demo", verbosity=0)
    page = checked_page.page

    log_in(checked_page, "alice")
    checked_page.goto("/gemeenten/")
    checked_page.follow(page.get_by_role("link", name="Zelfevaluatie 2026"))
    checked_page.follow(page.get_by_role("link", name="Uitslag en eerdere versies"))
    checked_page.follow(page.get_by_role("link", name="Vergelijken met andere gemeenten"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Vergelijking Utrecht 2026")
    expect(page.get_by_text("Deze vergelijking bevat gegenereerde demogegevens.")).to_be_visible()
    table = page.get_by_role("table", name="Eigen realisatie en andere gemeenten")
    expect(table.get_by_role("columnheader", name="Zelfde Veilig Thuis-regio")).to_be_visible()
    overall = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Totaal"))
    expect(overall.get_by_role("cell").nth(1)).to_contain_text("n = ")
    # Both charts are images with a text alternative, and a table with the same values.
    themes_chart = page.get_by_role(
        "img", name="Thema's tegenover de landelijke vergelijkingsgroep"
    )
    expect(themes_chart).to_be_visible()
    expect(page.get_by_role("img", name="Totale realisatie door de jaren heen")).to_be_visible()
    expect(page.get_by_role("table", name="Totale realisatie door de jaren heen")).to_be_visible()
    # Utrecht takes part in the demo agreement: its partners by name.
    expect(page.get_by_role("heading", name="Vergelijking met naam: Regio Utrecht")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Nieuwegein")).to_be_visible()

    # Back to the start page, which links each cycle's benchmark too.
    checked_page.goto("/gemeenten/")
    checked_page.follow(page.get_by_role("link", name="Vergelijking 2026"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Vergelijking Utrecht 2026")
