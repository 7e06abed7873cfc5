"""Guard (issue 13): every step, filled in, submitted in Chromium exactly as rendered, changes
nothing stored: no field lost, no history entry, the version unchanged. In Dutch and English.

The rows hold dates, decimals, multi-selects (an offering's target groups and results) and
references (a result's ambition, an action's offering). Before the date fix, Chromium showed
the date inputs empty and the save erased "Erkenning geldig tot" and refused step 7.
"""

import pytest

from compass.models import StepProgress
from questionnaire import steps
from tests.factories import TEST_PASSWORD
from tests.questionnaire.cycle_helpers import start, step_url
from tests.questionnaire.foreign_rows import make_rows
from tests.questionnaire.test_cycle_round_trip import stored


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_step_submitted_as_rendered_changes_nothing(
    checked_page, language, gemeente_a, alice
):
    cycle = start(gemeente_a, 2026, alice)
    make_rows(cycle, "Utrecht")
    for definition in steps.STEP_DEFS.values():
        StepProgress.objects.update_or_create(
            cycle=cycle, step=definition.step, defaults={"status": StepProgress.Status.DONE}
        )
    page = checked_page.page
    checked_page.goto("/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill("alice")
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    checked_page.follow(page.get_by_role("button", name="Inloggen"))
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": checked_page.base_url}]
    )
    for definition in steps.STEP_DEFS.values():
        url = step_url(cycle, definition.step.value)
        checked_page.goto(url)
        assert page.locator("html").get_attribute("lang") == language
        before = stored(cycle)
        checked_page.follow(page.locator("#step-form button[name=action][value=save]"))
        assert page.url == checked_page.url(url), definition.step
        assert page.locator("#error-summary").count() == 0, page.locator(
            "#error-summary"
        ).inner_text()
        assert stored(cycle) == before, definition.step
