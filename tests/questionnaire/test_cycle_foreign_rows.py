"""Issue 14, item 1: another municipality's row ids posted into the formsets of a step.

carol (coordinator of Amersfoort) posts, in her own cycle, a row whose hidden id is the id of
a Utrecht row, through every way a step accepts a POST: save, next, draft, autosave and the
step navigation. Nothing of Utrecht may change, be shown back, or reach the history.
"""

import json

import pytest

from compass.models import ChangeRecord, StepProgress
from tests.questionnaire.cycle_helpers import logged_in, post_data, start, step_url
from tests.questionnaire.foreign_rows import FORMSETS, SECRET, make_rows, own_row

pytestmark = pytest.mark.django_db

ACTIONS = ["save", "next", "draft", "autosave", "goto"]


@pytest.fixture
def utrecht(gemeente_a, alice):
    cycle = start(gemeente_a, 2026, alice)
    return make_rows(cycle, SECRET)


@pytest.fixture
def amersfoort(gemeente_b, carol):
    cycle = start(gemeente_b, 2026, carol)
    return cycle, make_rows(cycle, "Amersfoort")


def snapshot(rows):
    return {
        prefix: {
            k: v for k, v in type(row).objects.filter(pk=row.pk).values().get().items() if k != "id"
        }
        for prefix, row in rows.items()
    }


def attack(client, cycle, step, prefix, foreign_id, own, action, extra=None):
    row = {"id": foreign_id, **own_row(prefix, own), **(extra or {})}
    data = post_data(cycle, step, existing={prefix: [row]}, owner=None)
    if action == "goto":
        data.pop("action")
        data["goto"] = "overview"
    else:
        data["action"] = action
    return client.post(step_url(cycle, step), data)


def history_text(record) -> str:
    """Everything a history row holds: stored data and the text shown for it."""
    shown = record.shown
    stored = [record.item, record.field, record.old, record.new, record.field_name]
    stored += [json.dumps(record.old_value), json.dumps(record.new_value)]
    return " ".join([*stored, shown.item, shown.field, shown.old, shown.new])


def assert_nothing_leaked(client, cycle, step, response):
    assert response.status_code < 500
    assert SECRET not in response.content.decode()
    assert not [r for r in ChangeRecord.objects.filter(cycle=cycle) if SECRET in history_text(r)]
    assert SECRET not in client.get(f"{step_url(cycle, step)}geschiedenis/").content.decode()
    # The draft shown back.
    page = client.get(step_url(cycle, step)).content.decode()
    assert SECRET not in page
    assert SECRET not in client.get(f"/jaarcycli/{cycle.pk}/").content.decode()


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(("step", "prefix"), FORMSETS)
def test_a_foreign_row_id_is_refused_and_shows_nothing_foreign(
    step, prefix, action, utrecht, amersfoort, carol
):
    cycle, own = amersfoort
    before = snapshot(utrecht)
    own_before = snapshot(own)
    client = logged_in(carol)
    response = attack(client, cycle, step, prefix, utrecht[prefix].pk, own, action)
    assert_nothing_leaked(client, cycle, step, response)
    assert snapshot(utrecht) == before
    if action in ("save", "next"):
        # A form error in Dutch, nothing saved, no history.
        assert response.status_code == 200
        assert "hoort niet bij deze jaarcyclus" in response.content.decode()
        assert snapshot(own) == own_before
        assert not ChangeRecord.objects.filter(cycle=cycle).exists()
        progress = StepProgress.objects.get(cycle=cycle, step=step)
        assert progress.status != StepProgress.Status.DONE


@pytest.mark.parametrize(("step", "prefix"), FORMSETS)
def test_a_foreign_row_id_marked_for_removal_is_refused(step, prefix, utrecht, amersfoort, carol):
    cycle, own = amersfoort
    before = snapshot(utrecht)
    client = logged_in(carol)
    response = attack(
        client, cycle, step, prefix, utrecht[prefix].pk, own, "save", {"DELETE": "on"}
    )
    assert response.status_code == 200
    assert "hoort niet bij deze jaarcyclus" in response.content.decode()
    assert_nothing_leaked(client, cycle, step, response)
    assert snapshot(utrecht) == before
    assert not ChangeRecord.objects.filter(cycle=cycle).exists()


@pytest.mark.parametrize("bad_id", ["999999", "abc", "-1", ""])
def test_an_unknown_row_id_is_a_form_error(bad_id, amersfoort, carol):
    cycle, own = amersfoort
    client = logged_in(carol)
    response = attack(client, cycle, "doelgroepen", "target_groups", bad_id, own, "save")
    assert response.status_code == 200
    body = response.content.decode()
    assert "hoort niet bij deze jaarcyclus" in body or "Dit is een verplicht veld." in body
    assert 'id="error-summary"' in body
    assert not ChangeRecord.objects.filter(cycle=cycle).exists()


def test_the_own_row_id_still_saves_and_the_id_is_not_in_the_history(amersfoort, carol):
    cycle, own = amersfoort
    client = logged_in(carol)
    group = own["target_groups"]
    response = attack(client, cycle, "doelgroepen", "target_groups", group.pk, own, "save")
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "Eigen doelgroep"
    fields = {record.shown.field for record in ChangeRecord.objects.filter(cycle=cycle)}
    assert fields == {"Doelgroep", "Geschatte omvang"}  # never the id
