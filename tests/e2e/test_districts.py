"""A coordinator runs a district cycle in the browser; a member limited to it sees only that.

Issue 22: the districts page, a district cycle that shares the municipality's ambitions, the
municipal roll-up and the report's district annex, and the team page's district limit. The test
starts the district cycle itself (through the districts page): it does not depend on demo
district cycles existing.
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from compass.demo import DEMO_PASSWORD
from compass.models import Cycle


def log_in(checked_page, username):
    page = checked_page.page
    checked_page.goto("/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    checked_page.follow(page.get_by_role("button", name="Inloggen"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_coordinator_runs_a_district_cycle_and_limits_an_editor_to_it(checked_page):
    call_command("setup_demo", verbosity=0)
    page = checked_page.page
    municipal = (
        Cycle.objects.municipal().filter(municipality__code="GM0344").order_by("-year").first()
    )
    year = municipal.year

    # alice finds the districts of Utrecht from Mijn gemeenten
    log_in(checked_page, "alice")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn gemeenten")
    checked_page.follow(page.get_by_role("link", name="Wijken van Utrecht"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Wijken van Utrecht")
    binnenstad = page.get_by_role("row", name=re.compile("Binnenstad"))
    expect(binnenstad).to_contain_text("WK034406")

    # she starts the district cycle of Binnenstad and lands on its dashboard
    checked_page.follow(
        binnenstad.get_by_role(
            "button", name=re.compile(f"^Wijkcyclus {year} starten .*Binnenstad$")
        )
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(year))
    district_dashboard = page.url.replace(checked_page.base_url, "")
    banner = page.locator("#district-banner")
    expect(banner).to_contain_text(re.compile(r"wijk Binnenstad \(WK034406\)"))

    # the Ambities step is the municipality's: a note, nothing to save
    checked_page.follow(page.get_by_role("link", name=re.compile(r"^2\. ")))
    expect(page.locator("#shared-step-note")).to_contain_text(
        "De ambities en resultaten van deze stap zijn die van gemeente Utrecht"
    )
    expect(page.get_by_role("button", name="Controleren en opslaan")).to_have_count(0)

    # a target group of the district itself
    checked_page.goto(district_dashboard)
    checked_page.follow(page.get_by_role("link", name=re.compile(r"^3\. ")))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Doelgroepen")
    page.get_by_label("Doelgroep", exact=True).fill("Jonge ouders in Binnenstad")
    checked_page.follow(page.get_by_role("button", name="Controleren en opslaan"))
    expect(page.get_by_text("Laatst opgeslagen op")).to_be_visible()
    expect(page.get_by_label("Doelgroep", exact=True).first).to_have_value(
        "Jonge ouders in Binnenstad"
    )

    # the municipal cycle's dashboard links to the districts side by side
    checked_page.follow(page.get_by_role("link", name=re.compile(f"jaarcyclus {year} van Utrecht")))
    expect(page.locator("#district-banner")).to_have_count(0)
    checked_page.follow(
        page.get_by_role("link", name="Wijken naast elkaar: wat ontbreekt, cijfers en aanbod")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Wijken van Utrecht in {year}")
    gaps = page.locator("#gaps").locator("xpath=..")
    expect(gaps.get_by_role("rowheader", name=re.compile("Binnenstad"))).to_be_visible()
    counts = page.locator("#counts").locator("xpath=..")
    binnenstad_counts = counts.get_by_role("row", name=re.compile("Binnenstad"))
    expect(binnenstad_counts.get_by_role("cell").first).to_have_text("1")  # its target group

    # the report with the district annex names Binnenstad
    checked_page.follow(
        page.get_by_role("link", name=f"Terug naar de jaarcyclus {year} van Utrecht")
    )
    checked_page.follow(page.get_by_role("link", name="Cyclusrapport"))
    checked_page.follow(page.get_by_role("link", name="Rapport met wijkbijlage"))
    annex = page.locator(".report-annex")
    expect(annex).to_contain_text("Binnenstad")
    expect(annex).to_contain_text("Jonge ouders in Binnenstad")

    # on the team page she limits dave (editor) to Binnenstad
    checked_page.goto("/gemeenten/")
    checked_page.follow(page.get_by_role("link", name="Team van Utrecht"))
    page.get_by_label("Wijk van Dave Jansen").select_option(label="Binnenstad")
    checked_page.follow(page.get_by_role("button", name="Wijzigen wijk van Dave Jansen"))
    chosen = page.get_by_label("Wijk van Dave Jansen").locator("option:checked")
    expect(chosen).to_have_text("Binnenstad")
    checked_page.follow(page.get_by_role("button", name="Uitloggen"))

    # dave sees only the district cycle of Binnenstad; the municipal cycle is not found
    log_in(checked_page, "dave")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn gemeenten")
    row = page.get_by_role("row", name=re.compile("Utrecht"))
    expect(row).to_contain_text(re.compile("alleen wijk Binnenstad"))
    expect(row.get_by_role("link", name=re.compile(f"^{year}, wijk Binnenstad$"))).to_be_visible()
    expect(row.get_by_role("link", name=str(year), exact=True)).to_have_count(0)
    checked_page.follow(row.get_by_role("link", name=re.compile(f"^{year}, wijk Binnenstad$")))
    expect(page.locator("#district-banner")).to_contain_text("Binnenstad")
    response = page.goto(checked_page.url(f"/jaarcycli/{municipal.pk}/"))
    assert response.status == 404
    checked_page.check_accessibility()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pagina niet gevonden")
