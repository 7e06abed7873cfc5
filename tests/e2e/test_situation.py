"""A coordinator works on the Situatie step: CBS figures, local figures from a CSV, the estimate."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from compass.demo import DEMO_PASSWORD
from compass.models import Cycle, SituationFigure

BAD_CSV = (
    "indicator;periode;waarde;bron;voorlopig\n"
    "Aangiften huiselijk geweld;2025;312;Politie, eenheid Midden-Nederland;nee\n"
    "Gezinnen met zorgen in het buurtteam;2025 1e halfjaar;veel;Buurtteams;ja\n"
    "Jongeren die zich thuis veilig voelen (%);2023;87,4;GGD;nee\n"
)
GOOD_CSV = BAD_CSV.replace(";veel;", ";148;")


def log_in(checked_page, username):
    page = checked_page.page
    checked_page.goto("/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    checked_page.follow(page.get_by_role("button", name="Inloggen"))


def choose_file(page, content: str, name="cijfers.csv"):
    page.get_by_label("CSV-bestand met eigen cijfers").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content.encode("cp1252")}]
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_coordinator_takes_cbs_figures_over_uploads_local_figures_and_reads_the_estimate(
    checked_page,
):
    call_command("setup_demo", verbosity=0)
    cycle = Cycle.objects.municipal().get(municipality__code="GM0344", year=2026)
    before = SituationFigure.objects.filter(cycle=cycle).count()
    page = checked_page.page
    log_in(checked_page, "alice")
    checked_page.goto(f"/jaarcycli/{cycle.pk}/")
    checked_page.follow(page.get_by_role("link", name="1. Blok 1 · Situatie"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Stap 1 · Blok 1 · Situatie")

    # The CBS figures: the municipality, its region and the country, provisional marked.
    panel = page.locator("#cbs-figures")
    expect(panel.get_by_role("heading", name="Cijfers van CBS")).to_be_visible()
    table = panel.get_by_role("table", name="Meldingen bij Veilig Thuis (aantal)")
    expect(table.get_by_role("columnheader")).to_have_text(
        ["Periode", "Utrecht", "Veilig Thuis-regio Utrecht", "Nederland"]
    )
    half_year = table.get_by_role("row", name="1e halfjaar 2024")
    expect(half_year).to_contain_text("voorlopig")
    expect(half_year).to_contain_text("in de jaarcyclus")  # the demo took these over

    # Take two more over: Utrecht 2022 and the Netherlands 2023.
    panel.get_by_label("Overnemen: Meldingen bij Veilig Thuis, Utrecht, 2022").check()
    panel.get_by_label("Overnemen: Meldingen bij Veilig Thuis, Nederland, 2023").check()
    checked_page.follow(page.get_by_role("button", name="Overnemen in de jaarcyclus"))
    expect(page.get_by_text("2 cijfers toegevoegd aan de jaarcyclus.")).to_be_visible()
    figures = page.locator("#part-figures")
    expect(figures.locator("input[value='Meldingen bij Veilig Thuis – Nederland']")).to_have_count(
        1
    )
    assert SituationFigure.objects.filter(cycle=cycle).count() == before + 2

    # Taking the same figure again adds nothing.
    panel.get_by_label("Overnemen: Meldingen bij Veilig Thuis, Utrecht, 2022").check()
    checked_page.follow(page.get_by_role("button", name="Overnemen in de jaarcyclus"))
    expect(page.get_by_text("1 cijfer stond al in de jaarcyclus.")).to_be_visible()
    assert SituationFigure.objects.filter(cycle=cycle).count() == before + 2

    # Local figures: one bad row, a Dutch error, nothing stored.
    choose_file(page, BAD_CSV)
    checked_page.follow(page.get_by_role("button", name="Cijfers uploaden"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Eigen cijfers uploaden")
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Er is niets opgeslagen")
    expect(summary).to_contain_text("regel 3: waarde 'veel' is geen getal.")
    assert SituationFigure.objects.filter(cycle=cycle).count() == before + 2

    # Fixed: all three rows are stored and shown in the step.
    choose_file(page, GOOD_CSV)
    checked_page.follow(page.get_by_role("button", name="Cijfers uploaden"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Stap 1 · Blok 1 · Situatie")
    expect(page.get_by_text("3 cijfers toegevoegd aan de jaarcyclus.")).to_be_visible()
    expect(figures.locator("input[value='Aangiften huiselijk geweld']")).to_have_count(1)
    assert SituationFigure.objects.filter(cycle=cycle).count() == before + 5

    # The estimate with its arithmetic and where the numbers come from.
    estimate = page.locator("#prevalence")
    expect(estimate).to_contain_text("70.797 jeugdigen van 0-17 jaar × 26,5 per 1.000 = 1.876")
    expect(estimate).to_contain_text("geschat uit CBS StatLine 70072ned")
    page.screenshot(path="/tmp/e2e-screenshots/situation-step.png", full_page=True)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reader_sees_the_figures_without_take_over(checked_page):
    call_command("setup_demo", verbosity=0)
    cycle = Cycle.objects.municipal().get(municipality__code="GM0344", year=2026)
    page = checked_page.page
    log_in(checked_page, "bob")
    checked_page.goto(f"/jaarcycli/{cycle.pk}/situatie/")
    expect(page.locator("#cbs-figures")).to_contain_text("voorlopig")
    expect(page.get_by_role("button", name="Overnemen in de jaarcyclus")).to_have_count(0)
    expect(page.get_by_role("checkbox")).to_have_count(0)
    checked_page.follow(page.get_by_role("link", name="Verloop van Meldingen bij Veilig Thuis"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldingen bij Veilig Thuis")
