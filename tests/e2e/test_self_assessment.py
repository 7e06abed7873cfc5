"""A coordinator answers the whole self-assessment, fixes one error, submits and sees results."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from compass.demo import DEMO_PASSWORD
from compass.models import Municipality
from compass.services import start_cycle


def log_in(checked_page, username):
    page = checked_page.page
    checked_page.goto("/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    checked_page.follow(page.get_by_role("button", name="Inloggen"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_coordinator_answers_submits_and_sees_scores_and_suggestions(checked_page):
    call_command("setup_demo", verbosity=0)
    start_cycle(Municipality.objects.get(code="GM0344"), 2027)
    page = checked_page.page

    log_in(checked_page, "alice")
    checked_page.follow(page.get_by_role("link", name="Zelfevaluatie 2027"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Zelfevaluatie Utrecht 2027")
    expect(page.get_by_text("0 van 54 vragen beantwoord").first).to_be_visible()

    # Save a draft halfway: nothing is lost, the progress counts it.
    first = page.get_by_role("group", name=re.compile(r"^Wat doen we:")).first
    first.get_by_label("4 volledig").check()
    # JavaScript keeps the progress current before saving (the server counts after saving).
    expect(page.locator("label[for=progress-all]")).to_have_text("1 van 54 vragen beantwoord")
    expect(page.locator("#progress-all")).to_have_attribute("value", "1")
    # ... and saves the answer as it is given: it survives a reload without "Opslaan".
    expect(first.get_by_role("status")).to_have_text("Opgeslagen.")
    checked_page.goto(page.url.replace(checked_page.base_url, ""))
    expect(page.get_by_text("1 van 54 vragen beantwoord").first).to_be_visible()
    first = page.get_by_role("group", name=re.compile(r"^Wat doen we:")).first
    expect(first.get_by_label("4 volledig")).to_be_checked()
    page.get_by_label("Toelichting bij wat doen we").first.fill("Loopt al jaren.")
    checked_page.follow(page.get_by_role("button", name="Opslaan"))
    expect(page.get_by_text("Uw antwoorden zijn opgeslagen.")).to_be_visible()
    expect(page.get_by_text("1 van 54 vragen beantwoord").first).to_be_visible()
    expect(page.get_by_label("Toelichting bij wat doen we").first).to_have_value("Loopt al jaren.")

    # Answer everything but one question; the low answers on reach bring suggestions.
    groups = page.get_by_role("group", name=re.compile(r"^(Wat doen we|Bereik|Borging):"))
    expect(groups).to_have_count(54)
    for index in range(1, 53):
        name = groups.nth(index).get_attribute("id")
        answer = {
            "reach": "1 alleen een schatting",
            "embedding": "3 vastgelegd in afspraken of contracten",
        }.get(name.rpartition("-")[2], "3 grotendeels")
        if index == 7:
            answer = "weet niet"
        if index == 10:
            answer = "niet van toepassing"
        groups.nth(index).get_by_label(answer, exact=True).check()
    checked_page.follow(page.get_by_role("button", name="Indienen"))
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Beantwoord borging bij maatregel")
    expect(alert.get_by_role("link")).to_have_count(1)
    expect(page.get_by_text("53 van 54 vragen beantwoord").first).to_be_visible()

    # the last question is an embedding one, in its own words
    groups.nth(53).get_by_label(
        "2 deels vastgelegd (in een plan of werkafspraak)", exact=True
    ).check()
    checked_page.follow(page.get_by_role("button", name="Indienen"))
    expect(page).to_have_url(re.compile(r"/zelfevaluatie/uitslag/$"))
    expect(page.get_by_text("De zelfevaluatie is ingediend.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uitslag zelfevaluatie Utrecht 2027")
    expect(page.get_by_role("img", name="Realisatie per thema")).to_be_visible()
    suggestions = page.locator(".suggestion")
    expect(suggestions).to_have_count(5)
    expect(suggestions.first.get_by_role("link").first).to_have_attribute(
        "href", re.compile("^https://")
    )
    expect(page.get_by_text("Vergeleken met de ingediende zelfevaluatie van 2026")).to_be_visible()
    expect(page.locator(".band").first).to_have_text(re.compile("^(laag|deels|hoog)$"))

    # The submitted answers are read-only now; the coordinator can reopen.
    checked_page.follow(page.get_by_role("link", name="Antwoorden van de zelfevaluatie"))
    expect(page.get_by_role("radio")).to_have_count(0)
    checked_page.follow(page.get_by_role("button", name="Heropenen"))
    expect(page.get_by_text("Versie 2 is geopend met de antwoorden van versie 1")).to_be_visible()
    expect(page.get_by_text("54 van 54 vragen beantwoord").first).to_be_visible()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reader_sees_the_demo_results_of_utrecht(checked_page):
    call_command("setup_demo", verbosity=0)
    page = checked_page.page
    log_in(checked_page, "bob")
    checked_page.follow(page.get_by_role("link", name="Zelfevaluatie 2026"))
    expect(page.get_by_role("radio")).to_have_count(0)
    checked_page.follow(page.get_by_role("link", name="Uitslag en eerdere versies"))
    expect(page.locator(".suggestion").first).to_be_visible()
    expect(page.get_by_role("button", name="Heropenen")).to_have_count(0)
