"""Issue 13, item 5: after a 409, the input is merged per field with the save in between."""

import pytest

from compass.models import ChangeRecord, TargetGroup
from questionnaire.merge import MISSING, merge_value
from tests.questionnaire.cycle_helpers import logged_in, start, step_url
from tests.questionnaire.form_as_browser import form_data

# --- The rules, as pure functions -----------------------------------------------------------


def test_a_field_only_the_other_person_changed_keeps_their_value():
    assert merge_value(["a"], ["a"], ["b"]) == (["b"], False)


def test_a_field_only_this_user_changed_keeps_theirs():
    assert merge_value(["a"], ["c"], ["a"]) == (["c"], False)


def test_a_field_both_changed_the_same_way_is_no_conflict():
    assert merge_value(["a"], ["d"], ["d"]) == (["d"], False)


def test_a_field_both_changed_differently_is_a_conflict_that_keeps_the_users_value():
    assert merge_value(["a"], ["c"], ["b"]) == (["c"], True)


def test_an_unknown_base_is_a_conflict_whenever_the_values_differ():
    assert merge_value(MISSING, ["c"], ["b"]) == (["c"], True)
    assert merge_value(MISSING, ["b"], ["b"]) == (["b"], False)


def test_values_are_compared_as_the_field_reads_them():
    same = lambda a, b: float(a[0].replace(",", ".")) == float(b[0].replace(",", "."))  # noqa: E731
    assert merge_value(["4,30"], ["4,3"], ["5"], same) == (["5"], False)


# --- Through HTTP ---------------------------------------------------------------------------


@pytest.fixture
def groups(gemeente_a, alice):
    cycle = start(gemeente_a, 2026, alice)
    a = TargetGroup.objects.create(cycle=cycle, name="Groep A", estimated_size=10)
    b = TargetGroup.objects.create(cycle=cycle, name="Groep B", estimated_size=20)
    return cycle, a, b


def opened(client, cycle):
    data, _dates = form_data(client.get(step_url(cycle, "doelgroepen")).content.decode())
    data["action"] = ["save"]
    return data


@pytest.mark.django_db
def test_saving_after_a_conflict_keeps_the_other_persons_changes(groups, alice, dave):
    cycle, a, b = groups
    alice_client, dave_client = logged_in(alice), logged_in(dave)
    mine, theirs = opened(alice_client, cycle), opened(dave_client, cycle)
    theirs["target_groups-0-name"] = ["Groep A door Dave"]
    assert dave_client.post(step_url(cycle, "doelgroepen"), theirs).status_code == 302
    mine["target_groups-1-estimated_size"] = ["25"]
    response = alice_client.post(step_url(cycle, "doelgroepen"), mine)
    assert response.status_code == 409
    page = response.content.decode()
    assert 'value="Groep A door Dave"' in page  # only Dave changed it: his value
    assert 'value="25"' in page  # only Alice changed it: hers
    assert 'id="conflicts"' not in page
    again, _dates = form_data(page)
    again["action"] = ["save"]
    assert alice_client.post(step_url(cycle, "doelgroepen"), again).status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.name, a.estimated_size) == ("Groep A door Dave", 10)
    assert (b.name, b.estimated_size) == ("Groep B", 25)


@pytest.mark.django_db
def test_a_field_both_changed_is_shown_side_by_side(groups, alice, dave):
    cycle, a, _b = groups
    alice_client, dave_client = logged_in(alice), logged_in(dave)
    mine, theirs = opened(alice_client, cycle), opened(dave_client, cycle)
    theirs["target_groups-0-name"] = ["Naam van Dave"]
    dave_client.post(step_url(cycle, "doelgroepen"), theirs)
    mine["target_groups-0-name"] = ["Naam van Alice"]
    response = alice_client.post(step_url(cycle, "doelgroepen"), mine)
    assert response.status_code == 409
    page = response.content.decode()
    assert 'id="conflicts"' in page
    table = page[page.index('id="conflicts"') :]
    assert "Naam van Alice" in table and "Naam van Dave" in table
    assert 'value="Naam van Alice"' in page
    assert TargetGroup.objects.get(pk=a.pk).name == "Naam van Dave"
    records = ChangeRecord.objects.filter(cycle=cycle).values_list("user__username", flat=True)
    assert list(records) == ["dave"]


@pytest.mark.django_db
def test_the_autosave_conflict_message_points_at_no_button_below(groups, alice, dave):
    cycle, _a, _b = groups
    alice_client, dave_client = logged_in(alice), logged_in(dave)
    mine, theirs = opened(alice_client, cycle), opened(dave_client, cycle)
    dave_client.post(step_url(cycle, "doelgroepen"), theirs | {"target_groups-0-name": ["X"]})
    mine["action"] = ["autosave"]
    body = alice_client.post(step_url(cycle, "doelgroepen"), mine).json()
    assert body["conflict"] is True
    assert "hieronder" not in body["message"] and "Concept opslaan" in body["message"]


@pytest.mark.django_db
def test_the_user_chooses_the_other_value_of_a_field_both_changed(groups, alice, dave):
    cycle, a, b = groups
    alice_client, dave_client = logged_in(alice), logged_in(dave)
    mine, theirs = opened(alice_client, cycle), opened(dave_client, cycle)
    theirs["target_groups-0-name"] = ["Naam van Dave"]
    theirs["target_groups-1-estimated_size"] = ["30"]
    dave_client.post(step_url(cycle, "doelgroepen"), theirs)
    mine["target_groups-0-name"] = ["Naam van Alice"]
    mine["target_groups-1-estimated_size"] = ["40"]
    page = alice_client.post(step_url(cycle, "doelgroepen"), mine).content.decode()
    again, _dates = form_data(page)
    # Tick "take the value of Dave" for the name only; the size keeps Alice's value.
    assert "take" not in again  # unticked checkboxes are not sent
    again["take"] = ["target_groups-0-name"]
    again["action"] = ["save"]
    assert alice_client.post(step_url(cycle, "doelgroepen"), again).status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.name == "Naam van Dave"
    assert b.estimated_size == 40


def test_a_forged_choice_is_only_input():
    from django.http import QueryDict

    from questionnaire.merge import apply_choices

    data = QueryDict(mutable=True)
    data.setlist("take", ["x-0-name", "x-0-size"])
    data["theirs:x-0-name"] = '["ok"]'
    data["theirs:x-0-size"] = "{not json"
    data["x-0-size"] = "3"
    out = apply_choices(data)
    assert out["x-0-name"] == "ok" and out["x-0-size"] == "3"
    assert "take" not in out and not any(key.startswith("theirs:") for key in out)
