"""A coordinator manages her team in the browser; another municipality cannot reach it."""

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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_coordinator_manages_team_and_other_municipality_cannot_reach_it(checked_page, task_worker):
    call_command("setup_demo", verbosity=0)
    page = checked_page.page

    log_in(checked_page, "alice")
    expect(page).to_have_url(re.compile(r"/gemeenten/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn gemeenten")
    row = page.get_by_role("row", name=re.compile("Utrecht"))
    expect(row).to_contain_text("coördinator")

    checked_page.follow(page.get_by_role("link", name="Team van Utrecht"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Team van Utrecht")
    for name in ("Alice de Vries", "Dave Jansen", "Bob Bakker"):
        expect(page.get_by_role("rowheader", name=name)).to_be_visible()

    # a mistake first: the error summary names the field in Dutch
    page.get_by_label("E-mailadres").fill("geen-adres")
    checked_page.follow(page.get_by_role("button", name="Teamlid toevoegen"))
    expect(page.get_by_role("alert")).to_contain_text("Vul een e-mailadres in")

    page.get_by_label("E-mailadres").fill("nieuwe.collega@utrecht.example")
    page.get_by_label("redacteur", exact=True).check()
    sent_before = len(task_worker.outbox())
    checked_page.follow(page.get_by_role("button", name="Teamlid toevoegen"))
    expect(page.get_by_text("We hebben een uitnodiging gestuurd")).to_be_visible()
    expect(page.locator(".invitation-link").first).to_contain_text("/uitnodiging/")
    # The invitation mail was queued by the request and sent by the session's worker process.
    invitation = task_worker.wait_for_mail("nieuwe.collega@utrecht.example", after=sent_before)
    assert "/uitnodiging/" in invitation.get_body(("plain",)).get_content()

    page.get_by_label("Nieuwe rol voor Bob Bakker").select_option("editor")
    checked_page.follow(page.get_by_role("button", name="Wijzigen rol van Bob Bakker"))
    expect(
        page.get_by_text("De rol van Bob Bakker (bob@example.org) is nu redacteur.")
    ).to_be_visible()
    log = page.get_by_role("table").last
    expect(log).to_contain_text("Rol gewijzigd: Bob Bakker (bob@example.org) (lezer → redacteur)")
    expect(log).to_contain_text("Uitgenodigd: nieuwe.collega@utrecht.example")

    # the last coordinator cannot demote herself
    page.get_by_label("Nieuwe rol voor Alice de Vries").select_option("reader")
    checked_page.follow(page.get_by_role("button", name="Wijzigen rol van Alice de Vries"))
    expect(page.get_by_role("alert")).to_contain_text("minstens één coördinator")

    checked_page.follow(page.get_by_role("button", name="Uitloggen"))

    # carol of Amersfoort, as a new user would try it
    log_in(checked_page, "carol")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn gemeenten")
    expect(page.get_by_role("rowheader", name="Amersfoort")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Utrecht", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Team van Utrecht")).to_have_count(0)
    response = page.goto(checked_page.url("/gemeenten/GM0344/team/"))
    assert response.status == 404
    checked_page.check_accessibility()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pagina niet gevonden")
    expect(page.get_by_role("main")).not_to_contain_text("Bob Bakker")
    response = page.goto(checked_page.url("/gemeenten/344/team/"))
    assert response.status == 404
    checked_page.check_accessibility()

    # the agreement of her region is offered as a request, without showing Utrecht's team
    checked_page.goto("/samenwerking/")
    expect(page.get_by_role("main")).not_to_contain_text("Alice")
    checked_page.follow(page.get_by_role("button", name="Deelname aanvragen namens Amersfoort"))
    expect(page.get_by_text("Amersfoort heeft gevraagd om deel te nemen")).to_be_visible()
    expect(page.get_by_role("button", name="Verzoek van Amersfoort intrekken")).to_be_visible()
    response = page.goto(checked_page.url("/gemeenten/GM0344/team/"))
    assert response.status == 404  # still nothing of Utrecht until Utrecht accepts
    checked_page.follow(page.get_by_role("button", name="Uitloggen"))

    # alice sees the request and accepts it for Utrecht
    log_in(checked_page, "alice")
    checked_page.goto("/samenwerking/")
    checked_page.follow(page.get_by_role("button", name="Amersfoort accepteren namens Utrecht"))
    expect(
        page.get_by_text(re.compile("U hebt het verzoek van Amersfoort|Amersfoort neemt nu deel"))
    ).to_be_visible()
