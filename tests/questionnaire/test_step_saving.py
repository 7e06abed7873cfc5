"""Saving a step is a service of the cycle (questionnaire.step_saving), run under the wizard.

The service is called here directly, without HTTP: the rules (closed cycle, change
permission, stale version, invalid input kept as a draft, nothing stored for an unchanged
done step) hold for every caller, not only for the view.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from formtools.wizard.views import NamedUrlWizardView

from compass import access, services
from compass.models import ChangeRecord, Cycle, Step, StepProgress, TargetGroup
from questionnaire import step_saving, steps, wizard
from tests.questionnaire.cycle_helpers import logged_in, post_data, start, step_url, version_of

pytestmark = pytest.mark.django_db
STEP = Step.TARGET_GROUPS


@pytest.fixture
def cycle(gemeente_a, alice):
    return start(gemeente_a, 2026, alice)


def forms_for(cycle, rows, version=None):
    data = QueryDict(mutable=True)
    for key, value in post_data(cycle, STEP, {"target_groups": rows}, version=version).items():
        data[key] = str(value)
    return steps.build_step(steps.step_def(STEP), cycle, data), data


def test_a_valid_step_is_written_with_its_history_and_a_new_version(cycle, alice):
    forms, _data = forms_for(cycle, [{"name": "Jonge ouders", "estimated_size": "40"}])
    saved = step_saving.save_step(cycle, STEP, forms, alice, version_of(cycle, STEP))
    assert saved.valid and saved.changes == 2 and saved.version == 1
    assert list(TargetGroup.objects.values_list("name", flat=True)) == ["Jonge ouders"]
    progress = StepProgress.objects.get(cycle=cycle, step=STEP)
    assert (progress.status, progress.version, progress.draft) == ("done", 1, {})
    assert ChangeRecord.objects.filter(cycle=cycle, step=STEP).count() == 2


def test_invalid_input_is_kept_as_the_draft_and_nothing_is_written(cycle, alice):
    forms, _data = forms_for(cycle, [{"name": "Half", "estimated_size": "geen getal"}])
    saved = step_saving.save_step(cycle, STEP, forms, alice, version_of(cycle, STEP))
    assert not saved.valid and saved.version == 1
    assert not TargetGroup.objects.exists()
    progress = StepProgress.objects.get(cycle=cycle, step=STEP)
    assert progress.draft["target_groups-0-estimated_size"] == ["geen getal"]
    assert progress.status == StepProgress.Status.IN_PROGRESS


def test_an_unchanged_done_step_stores_nothing(cycle, alice):
    forms, _data = forms_for(cycle, [{"name": "Jonge ouders"}])
    step_saving.save_step(cycle, STEP, forms, alice, 0)
    group = TargetGroup.objects.get()
    existing = {"target_groups": [{"id": group.pk, "name": group.name}]}
    data = QueryDict(mutable=True)
    for key, value in post_data(cycle, STEP, existing=existing).items():
        data[key] = str(value)
    again = steps.build_step(steps.step_def(STEP), cycle, data)
    saved = step_saving.save_step(cycle, STEP, again, alice, 1)
    assert saved.valid and saved.changes == 0 and saved.version == 1
    assert version_of(cycle, STEP) == 1


def test_a_stale_version_raises_and_stores_nothing(cycle, alice, dave):
    forms, _data = forms_for(cycle, [{"name": "Dave"}])
    step_saving.save_step(cycle, STEP, forms, dave, 0)
    stale, data = forms_for(cycle, [{"name": "Alice"}], version=0)
    with pytest.raises(services.StaleVersionError):
        step_saving.save_step(cycle, STEP, stale, alice, 0)
    with pytest.raises(services.StaleVersionError):
        step_saving.keep_draft(cycle, STEP, data, alice, 0)
    assert list(TargetGroup.objects.values_list("name", flat=True)) == ["Dave"]
    assert StepProgress.objects.get(cycle=cycle, step=STEP).draft == {}


def test_the_service_refuses_a_closed_cycle_and_a_reader(cycle, alice, bob):
    forms, data = forms_for(cycle, [{"name": "Leest alleen"}])
    with pytest.raises(PermissionDenied):
        step_saving.save_step(cycle, STEP, forms, bob, 0)
    with pytest.raises(PermissionDenied):
        step_saving.keep_draft(cycle, STEP, data, bob, 0)
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.CLOSED)
    cycle.refresh_from_db()
    forms, data = forms_for(cycle, [{"name": "Te laat"}])
    with pytest.raises(access.CycleClosed):
        step_saving.save_step(cycle, STEP, forms, alice, 0)
    with pytest.raises(access.CycleClosed):
        step_saving.keep_draft(cycle, STEP, data, alice, 0)
    assert not TargetGroup.objects.exists()
    assert not StepProgress.objects.filter(cycle=cycle, step=STEP).exclude(draft={}).exists()


# --- The wizard: formtools' named-URL wizard over the step definitions -----------------------


def test_the_step_view_is_formtools_named_url_wizard_over_the_step_definitions():
    assert issubclass(wizard.CycleWizard, NamedUrlWizardView)
    assert [slug for slug, _form in wizard.step_forms()] == [
        d.step.value for d in steps.STEP_DEFS.values()
    ]


@pytest.mark.parametrize("field", ["wizard_goto_step", "goto"])
def test_go_to_step_stores_the_draft_first(cycle, alice, field):
    data = post_data(cycle, STEP, {"target_groups": [{"name": "Onderweg"}]})
    data.pop("action")
    data[field] = "aanbod"
    response = logged_in(alice).post(step_url(cycle, STEP), data)
    assert response.status_code == 302
    assert response["Location"] == step_url(cycle, "aanbod")
    progress = StepProgress.objects.get(cycle=cycle, step=STEP)
    assert progress.draft["target_groups-0-name"] == ["Onderweg"]


def test_there_is_no_done_step(cycle, alice):
    assert logged_in(alice).get(step_url(cycle, "done")).status_code == 404


def test_previous_on_the_first_step_stores_the_draft_and_opens_the_overview(cycle, alice):
    first = wizard.step_forms()[0][0]
    data = post_data(cycle, first, action="previous")
    data["reading-recognise"] = "Eerste indruk"
    response = logged_in(alice).post(step_url(cycle, first), data)
    assert response["Location"] == f"/jaarcycli/{cycle.pk}/"
    assert StepProgress.objects.get(cycle=cycle, step=first).draft


def test_only_get_and_post_reach_a_step(cycle, client):
    for method in (client.put, client.delete, client.head):
        assert method(step_url(cycle, STEP)).status_code == 405
