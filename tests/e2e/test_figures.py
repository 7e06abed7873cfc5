"""A team member opens the figures of her municipality: the chart, the table, the estimate."""

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
def test_reader_opens_figures_sees_chart_table_and_estimate(checked_page):
    call_command("setup_demo", verbosity=0)
    page = checked_page.page
    log_in(checked_page, "bob")
    checked_page.follow(page.get_by_role("link", name="Cijfers van Utrecht"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cijfers van Utrecht")
    overview = page.get_by_role("table", name="Laatste cijfer per indicator voor Utrecht")
    expect(overview.get_by_role("row", name="Meldingen bij Veilig Thuis")).to_contain_text(
        "1e halfjaar 2024"
    )
    # the demo gives Utrecht a youth population estimated from CBS 2019 age groups
    expect(page.get_by_text("70.797 jeugdigen van 0-17 jaar")).to_be_visible()
    expect(
        page.get_by_text(
            "Jeugdigen van 0-17 jaar op 1 januari 2019, geschat uit CBS StatLine 70072ned"
        )
    ).to_be_visible()

    checked_page.follow(page.get_by_role("link", name="Meldingen door professionals"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldingen door professionals")
    chart = page.get_by_role("img", name="Meldingen door professionals: verloop")
    expect(chart).to_be_visible()
    table = page.get_by_role("table", name="Meldingen door professionals (aantal) per periode")
    expect(table.get_by_role("columnheader")).to_have_text(
        ["Periode", "Utrecht", "Veilig Thuis-regio Utrecht", "Nederland"]
    )
    expect(table.get_by_role("row")).to_have_count(7)  # header + 2019-2023 + 2024 half year
    expect(page.get_by_text("DEMODATA")).to_be_visible()

    checked_page.follow(page.get_by_role("link", name="Alle cijfers van Utrecht"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cijfers van Utrecht")
