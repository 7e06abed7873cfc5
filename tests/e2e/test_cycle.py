"""A coordinator goes through a whole annual cycle in the browser (axe checks every page)."""

import re

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


def next_step(checked_page):
    checked_page.follow(checked_page.page.get_by_role("button", name="Opslaan en volgende stap"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_coordinator_completes_a_cycle_with_an_error_and_a_logout_half_way(checked_page):
    call_command("setup_demo", verbosity=0)
    page = checked_page.page
    log_in(checked_page, "alice")
    checked_page.follow(page.get_by_role("link", name=re.compile("Nieuwe jaarcyclus starten")))
    page.get_by_label("Jaar", exact=True).fill("2027")
    page.get_by_label("Leeg beginnen").check()
    checked_page.follow(page.get_by_role("button", name="Jaarcyclus starten"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Jaarcyclus 2027 van Utrecht")
    checked_page.follow(page.get_by_role("link", name="Begin met stap 1"))

    # 1 Situatie
    expect(page.get_by_role("heading", level=1)).to_have_text("Stap 1 · Blok 1 · Situatie")
    page.get_by_label("Cijfer", exact=True).fill("Meldingen bij Veilig Thuis per 1.000")
    page.get_by_label("Periode").fill("2026")
    page.get_by_label("Waarde", exact=True).fill("4,1")
    page.get_by_label("Bron", exact=True).fill("Eigen registratie (test)")
    page.get_by_label("Herkennen we de cijfers?").fill("Ja, de buurtteams herkennen dit.")
    next_step(checked_page)

    # 2 Ambities en resultaten: first the ambition, then a result with a wrong target year
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Stap 2 · Blok 1–2 · Ambities en resultaten"
    )
    ambitions = page.locator("#part-ambitions")
    ambitions.get_by_label("Soort ambitie").select_option("reduce")
    ambitions.get_by_label("Ambitie", exact=True).fill("Ieder kind groeit veilig op")
    checked_page.follow(page.get_by_role("button", name="Controleren en opslaan"))
    expect(page.get_by_text("Laatst opgeslagen op")).to_be_visible()
    results = page.locator("#part-results")
    results.get_by_label("Ambitie", exact=True).select_option(label="Ieder kind groeit veilig op")
    results.get_by_label("Soort resultaat").select_option("substantive")
    results.get_by_label("Resultaat", exact=True).fill("Minder kinderen ervaren geweld thuis")
    results.get_by_label("Streefwaarde").fill("9")
    results.get_by_label("Streefjaar").fill("2020")
    next_step(checked_page)
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Het streefjaar ligt tussen 2027 en 2037.")
    checked_page.follow(summary.get_by_role("link"))
    expect(results.get_by_label("Streefjaar")).to_be_focused()
    results.get_by_label("Streefjaar").fill("2030")
    next_step(checked_page)

    # 3 Doelgroepen: save a draft, log out, log in again and resume
    expect(page.get_by_role("heading", level=1)).to_have_text("Stap 3 · Blok 2 · Doelgroepen")
    page.get_by_label("Doelgroep", exact=True).fill("Ouders met partnergeweld")
    checked_page.follow(page.get_by_role("button", name="Concept opslaan", exact=True))
    expect(page.get_by_text("Concept opgeslagen")).to_be_visible()
    checked_page.follow(page.get_by_role("button", name="Uitloggen"))
    log_in(checked_page, "alice")
    checked_page.follow(page.get_by_role("link", name="2027", exact=True))
    checked_page.follow(page.get_by_role("link", name="Ga verder waar u was: Doelgroepen"))
    expect(page.get_by_label("Doelgroep", exact=True)).to_have_value("Ouders met partnergeweld")
    next_step(checked_page)

    # 4 Aanbod
    expect(page.get_by_role("heading", level=1)).to_have_text("Stap 4 · Blok 3 · Aanbod")
    page.get_by_role("textbox", name="Aanbod", exact=True).fill("Stevig Ouderschap")
    page.get_by_label("Soort aanbod").select_option("prevention")
    page.get_by_label("Erkenningsniveau").select_option("eerste_aanwijzingen")
    # "Databank (niet verplicht)", not "Link naar de databank".
    page.get_by_label(re.compile(r"^Databank")).select_option("jeugd")
    page.get_by_label("Ouders met partnergeweld").check()
    page.get_by_label("Minder kinderen ervaren geweld thuis").check()
    next_step(checked_page)

    # 5 Kwaliteit
    expect(page.get_by_role("heading", level=1)).to_have_text("Stap 5 · Blok 4 · Kwaliteit")
    page.get_by_role("combobox", name="Aanbod", exact=True).select_option(label="Stevig Ouderschap")
    for question in ("onderbouwd", "geschoold", "geregistreerd", "supervisie", "richtlijnen"):
        page.get_by_label(re.compile(question)).select_option("yes")
    next_step(checked_page)

    # 6 Uitkomsten
    expect(page.get_by_role("heading", level=1)).to_have_text("Stap 6 · Blok 5 · Uitkomsten")
    page.get_by_role("combobox", name="Aanbod", exact=True).select_option(label="Stevig Ouderschap")
    page.get_by_label("Bereik (aantal deelnemers)").fill("120")
    page.get_by_label("Uitval (%)").fill("8,5")
    next_step(checked_page)

    # 7 Verbeterplan
    expect(page.get_by_role("heading", level=1)).to_have_text("Stap 7 · Blok 6 · Verbeterplan")
    page.get_by_label("Wat", exact=True).fill("Stevig Ouderschap uitbreiden")
    page.get_by_label("Wie", exact=True).fill("JGZ")
    page.get_by_label("Wanneer (datum)").fill("2027-09-01")
    page.get_by_label("Besluit").select_option("strengthen")
    checked_page.follow(page.get_by_role("button", name="Opslaan en afronden"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Jaarcyclus 2027 van Utrecht")
    expect(page.get_by_text("Alle stappen zijn klaar en er ontbreekt niets.")).to_be_visible()
    checked_page.follow(
        page.get_by_role("link", name="geschiedenis Blok 1–2 · Ambities en resultaten")
    )
    expect(page.get_by_role("table")).to_contain_text("Streefjaar")
