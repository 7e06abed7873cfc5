"""Issue 13, item 5 in Chromium: after a 409 the form holds both people's changes."""

import pytest
from django.db.models import F
from playwright.sync_api import expect

from compass import services
from compass.models import StepProgress, TargetGroup
from tests.factories import TEST_PASSWORD
from tests.questionnaire.cycle_helpers import start, step_url


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_saving_after_a_conflict_keeps_both_peoples_changes(checked_page, gemeente_a, alice):
    cycle = start(gemeente_a, 2026, alice)
    a = TargetGroup.objects.create(cycle=cycle, name="Groep A", estimated_size=10)
    b = TargetGroup.objects.create(cycle=cycle, name="Groep B", estimated_size=20)
    services.progress_for(cycle, "doelgroepen")
    page = checked_page.page
    checked_page.goto("/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill("alice")
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    checked_page.follow(page.get_by_role("button", name="Inloggen"))
    checked_page.goto(step_url(cycle, "doelgroepen"))
    # Somebody else saves the step in between: Groep A gets a new name.
    TargetGroup.objects.filter(pk=a.pk).update(name="Groep A (nieuw)")
    StepProgress.objects.filter(cycle=cycle, step="doelgroepen").update(version=F("version") + 1)
    page.locator("#id_target_groups-1-estimated_size").fill("25")
    checked_page.follow(page.locator("#step-form button[name=action][value=save]"))
    expect(page.locator("#conflict")).to_contain_text("Niet opgeslagen")
    expect(page.locator("#id_target_groups-0-name")).to_have_value("Groep A (nieuw)")
    expect(page.locator("#id_target_groups-1-estimated_size")).to_have_value("25")
    checked_page.follow(page.locator("#step-form button[name=action][value=save]"))
    expect(page.locator("#conflict")).to_have_count(0)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.name, b.estimated_size) == ("Groep A (nieuw)", 25)
