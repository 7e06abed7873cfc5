"""The seven steps of the annual cycle: happy and error paths, drafts, locking, history."""

import pytest
from django.test import Client

from compass.models import (
    Ambition,
    ChangeRecord,
    ImprovementAction,
    Offering,
    OutcomeMeasurement,
    QualityCheck,
    Result,
    SituationFigure,
    SituationReading,
    StepProgress,
    TargetGroup,
)
from tests.factories import TEST_PASSWORD
from tests.questionnaire.cycle_helpers import logged_in, post_data, start, step_url, version_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(gemeente_a, alice):
    return start(gemeente_a, 2026, alice)


@pytest.fixture
def plan(cycle):
    """An ambition with a result, a target group and an offering, as saved earlier."""
    ambition = Ambition.objects.create(cycle=cycle, kind="reduce", text="Elk kind groeit veilig op")
    result = Result.objects.create(
        cycle=cycle,
        ambition=ambition,
        type="substantive",
        text="Minder geweld thuis",
        target_value=9,
        target_year=2029,
    )
    group = TargetGroup.objects.create(cycle=cycle, name="Ouders met partnergeweld")
    offering = Offering.objects.create(cycle=cycle, name="Stevig Ouderschap", kind="prevention")
    return {"ambition": ambition, "result": result, "group": group, "offering": offering}


def happy(step, plan):
    """A valid new row (or form) for each step, and the model it creates."""
    return {
        "situatie": (
            {
                "figures": [
                    {
                        "label": "Meldingen per 1.000",
                        "period": "2025",
                        "value": "4,3",
                        "source": "Eigen registratie",
                    }
                ]
            },
            {"recognise": "Ja, de wijkteams herkennen dit.", "participants": "Gemeente, JGZ"},
            SituationFigure,
        ),
        "ambities": (
            {
                "ambitions": [
                    {
                        "kind": "strengthen",
                        "text": "Ouders krijgen op tijd steun",
                        "direction": "higher",
                    }
                ],
                "results": [
                    {
                        "ambition": plan["ambition"].pk,
                        "type": "process",
                        "text": "Meer meldingen door professionals",
                        "baseline_value": "58",
                        "baseline_year": "2024",
                        "target_value": "75",
                        "target_year": "2028",
                        "unit": "%",
                        "direction": "higher",
                    }
                ],
                "values": [{"result": plan["result"].pk, "year": "2025", "value": "11,4"}],
            },
            None,
            Ambition,
        ),
        "doelgroepen": (
            {"target_groups": [{"name": "Ouders met een LVB", "estimated_size": "600"}]},
            None,
            TargetGroup,
        ),
        "aanbod": (
            {
                "offerings": [
                    {
                        "name": "Nazorg na een melding",
                        "kind": "aftercare",
                        "evidence_level": "goed_onderbouwd",
                        "target_groups": [plan["group"].pk],
                        "results": [plan["result"].pk],
                        "capacity": "80",
                    }
                ]
            },
            None,
            Offering,
        ),
        "kwaliteit": (
            {
                "quality": [
                    {
                        "offering": plan["offering"].pk,
                        "well_founded": "yes",
                        "trained": "yes",
                        "registered": "partly",
                        "supervised": "no",
                        "guidelines": "unknown",
                    }
                ]
            },
            None,
            QualityCheck,
        ),
        "uitkomsten": (
            {
                "outcomes": [
                    {
                        "offering": plan["offering"].pk,
                        "reach": "212",
                        "dropout": "8,5",
                        "usefulness": "87",
                        "goal_realisation": "71",
                        "respondents": "64",
                        "method": "Vragenlijst",
                        "story": "Uitval bij verhuizing.",
                    }
                ]
            },
            None,
            OutcomeMeasurement,
        ),
        "verbeterplan": (
            {
                "actions": [
                    {
                        "what": "Nazorg uitbreiden",
                        "who": "Buurtteams",
                        "due": "2026-09-01",
                        "status": "open",
                        "decision": "strengthen",
                        "offering": plan["offering"].pk,
                    }
                ]
            },
            None,
            ImprovementAction,
        ),
    }[step]


# One invalid row per step and the Dutch message the user must see.
INVALID = {
    "situatie": (
        {"figures": [{"label": "", "period": "2025", "value": "-3", "source": "x"}]},
        ["Dit is een verplicht veld.", "Een cijfer kan niet negatief zijn."],
    ),
    "ambities": (
        {"ambitions": [{"kind": "reduce", "text": "x" * 501}]},
        ["niet meer dan 500 tekens"],
    ),
    "doelgroepen": (
        {"target_groups": [{"name": "Jonge ouders", "estimated_size": "-5"}]},
        ["minstens 0"],
    ),
    "aanbod": (
        {"offerings": [{"name": "Zonder soort", "kind": "", "databank_url": "geen url"}]},
        ["Dit is een verplicht veld.", "geldige URL"],
    ),
    "kwaliteit": (
        {
            "quality": [
                {
                    "offering": "",
                    "well_founded": "yes",
                    "trained": "yes",
                    "registered": "yes",
                    "supervised": "yes",
                    "guidelines": "yes",
                }
            ]
        },
        ["Dit is een verplicht veld."],
    ),
    "uitkomsten": (
        {"outcomes": [{"offering": "OFFERING", "dropout": "140", "reach": "-1"}]},
        ["hoogstens 100", "minstens 0"],
    ),
    "verbeterplan": (
        {
            "actions": [
                {"what": "Iets", "who": "", "due": "morgen", "decision": "stop", "status": "open"}
            ]
        },
        ["Dit is een verplicht veld.", "geldige datum"],
    ),
}
STEPS = list(INVALID)


@pytest.mark.parametrize("step", STEPS)
def test_each_step_saves_valid_input_and_moves_to_the_next_step(step, cycle, plan, alice):
    rows, single, model = happy(step, plan)
    before = model.objects.count()
    response = logged_in(alice).post(step_url(cycle, step), post_data(cycle, step, rows, single))
    assert response.status_code == 302
    following = STEPS[STEPS.index(step) + 1] if step != "verbeterplan" else None
    assert response["Location"] == (
        step_url(cycle, following) if following else f"/jaarcycli/{cycle.pk}/"
    )
    assert model.objects.count() == before + 1
    progress = StepProgress.objects.get(cycle=cycle, step=step)
    assert progress.status == StepProgress.Status.DONE
    assert progress.draft == {}
    assert progress.saved_by == alice


def test_situation_saves_the_reading_and_the_figure_values(cycle, plan, alice):
    rows, single, _model = happy("situatie", plan)
    logged_in(alice).post(step_url(cycle, "situatie"), post_data(cycle, "situatie", rows, single))
    figure = SituationFigure.objects.get()
    assert str(figure.value) == "4.30"
    assert SituationReading.objects.get(cycle=cycle).participants == "Gemeente, JGZ"


def test_offering_keeps_its_target_groups_and_results(cycle, plan, alice):
    rows, _single, _model = happy("aanbod", plan)
    logged_in(alice).post(step_url(cycle, "aanbod"), post_data(cycle, "aanbod", rows))
    offering = Offering.objects.get(name="Nazorg na een melding")
    assert list(offering.target_groups.all()) == [plan["group"]]
    assert list(offering.results.all()) == [plan["result"]]


@pytest.mark.parametrize("step", STEPS)
def test_each_step_refuses_invalid_input_with_dutch_errors_and_keeps_it(step, cycle, plan, alice):
    rows, expected = INVALID[step]
    for row in next(iter(rows.values())):
        for key, value in row.items():
            if value == "OFFERING":
                row[key] = plan["offering"].pk
    counts = [
        m.objects.count()
        for m in (
            SituationFigure,
            Ambition,
            TargetGroup,
            Offering,
            QualityCheck,
            OutcomeMeasurement,
            ImprovementAction,
        )
    ]
    response = logged_in(alice).post(step_url(cycle, step), post_data(cycle, step, rows))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="error-summary"' in body and "data-autofocus" in body
    assert "Verbeter het volgende" in body or "Corrigeer" in body or "error-summary-title" in body
    for message in expected:
        assert message in body, message
    assert counts == [
        m.objects.count()
        for m in (
            SituationFigure,
            Ambition,
            TargetGroup,
            Offering,
            QualityCheck,
            OutcomeMeasurement,
            ImprovementAction,
        )
    ]
    # The input is kept as a draft, so leaving the page loses nothing.
    progress = StepProgress.objects.get(cycle=cycle, step=step)
    assert progress.draft and progress.status == StepProgress.Status.IN_PROGRESS


def test_error_summary_links_to_the_field(cycle, alice):
    rows = {"target_groups": [{"name": "", "estimated_size": "3"}]}
    body = (
        logged_in(alice)
        .post(step_url(cycle, "doelgroepen"), post_data(cycle, "doelgroepen", rows))
        .content.decode()
    )
    assert 'href="#id_target_groups-0-name"' in body
    assert 'id="id_target_groups-0-name"' in body
    assert 'aria-invalid="true"' in body


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"target_year": "2025"}, "target_year", "tussen 2026 en 2036"),
        ({"target_year": "2037"}, "target_year", "tussen 2026 en 2036"),
        ({"target_year": "2036"}, None, None),
        ({"baseline_year": "2027"}, "baseline_year", "het cyclusjaar 2026"),
        ({"baseline_year": "2026"}, None, None),
        ({"unit": "%", "target_value": "101"}, "target_value", "tussen 0 en 100"),
        ({"unit": "%", "target_value": "100"}, None, None),
        ({"baseline_value": "-1"}, "baseline_value", "niet negatief"),
        ({"text": ""}, "text", "Dit is een verplicht veld."),
    ],
)
def test_result_validation_rules(cycle, plan, alice, changes, field, message):
    row = {
        "ambition": plan["ambition"].pk,
        "type": "substantive",
        "text": "Resultaat",
        "target_value": "90",
        "target_year": "2030",
        "unit": "",
        "direction": "higher",
    }
    row.update(changes)
    response = logged_in(alice).post(
        step_url(cycle, "ambities"), post_data(cycle, "ambities", {"results": [row]})
    )
    if message is None:
        assert response.status_code == 302
        assert Result.objects.filter(text="Resultaat").exists()
    else:
        assert response.status_code == 200
        body = response.content.decode()
        assert message in body
        assert f'href="#id_results-0-{field}"' in body
        assert not Result.objects.filter(text="Resultaat").exists()


def test_respondents_cannot_exceed_reach(cycle, plan, alice):
    row = {"offering": plan["offering"].pk, "reach": "10", "respondents": "11"}
    body = (
        logged_in(alice)
        .post(step_url(cycle, "uitkomsten"), post_data(cycle, "uitkomsten", {"outcomes": [row]}))
        .content.decode()
    )
    assert "niet meer respondenten dan deelnemers" in body
    assert not OutcomeMeasurement.objects.exists()


def test_one_quality_check_per_offering(cycle, plan, alice):
    row = {
        "offering": plan["offering"].pk,
        "well_founded": "yes",
        "trained": "yes",
        "registered": "yes",
        "supervised": "yes",
        "guidelines": "yes",
    }
    response = logged_in(alice).post(
        step_url(cycle, "kwaliteit"), post_data(cycle, "kwaliteit", {"quality": [row, row]})
    )
    assert response.status_code == 200
    assert "één rij per aanbod" in response.content.decode()
    assert not QualityCheck.objects.exists()


def test_a_result_of_an_ambition_removed_in_the_same_save_is_refused(cycle, plan, alice):
    ambition, result = plan["ambition"], plan["result"]
    existing = {
        "ambitions": [{"id": ambition.pk, "kind": "reduce", "text": ambition.text, "DELETE": "on"}],
        "results": [
            {
                "id": result.pk,
                "ambition": ambition.pk,
                "type": "substantive",
                "text": "Nieuwe tekst",
                "direction": "higher",
            }
        ],
    }
    response = logged_in(alice).post(
        step_url(cycle, "ambities"), post_data(cycle, "ambities", existing=existing)
    )
    assert response.status_code == 200
    assert "verwijdert" in response.content.decode()
    assert Ambition.objects.filter(pk=ambition.pk).exists()
    assert Result.objects.get(pk=result.pk).text == "Minder geweld thuis"


def test_removing_a_row_deletes_the_item_and_records_it(cycle, plan, alice):
    group = plan["group"]
    existing = {"target_groups": [{"id": group.pk, "name": group.name, "DELETE": "on"}]}
    response = logged_in(alice).post(
        step_url(cycle, "doelgroepen"), post_data(cycle, "doelgroepen", existing=existing)
    )
    assert response.status_code == 302
    assert not TargetGroup.objects.filter(pk=group.pk).exists()
    record = ChangeRecord.objects.get(cycle=cycle, step="doelgroepen")
    assert record.shown.old == group.name and record.shown.new == ""


# --- Drafts ------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["draft", "previous", "dashboard"])
def test_draft_actions_store_invalid_input_without_validating(cycle, alice, action):
    rows = {"target_groups": [{"name": "", "estimated_size": "geen getal"}]}
    client = logged_in(alice)
    response = client.post(
        step_url(cycle, "doelgroepen"), post_data(cycle, "doelgroepen", rows, action=action)
    )
    assert response.status_code == 302
    expected = {
        "draft": step_url(cycle, "doelgroepen"),
        "previous": step_url(cycle, "ambities"),
        "dashboard": f"/jaarcycli/{cycle.pk}/",
    }[action]
    assert response["Location"] == expected
    assert not TargetGroup.objects.exists()
    page = client.get(step_url(cycle, "doelgroepen")).content.decode()
    assert 'value="geen getal"' in page
    assert "error-summary" not in page  # a draft is shown without errors
    assert "Laatst opgeslagen" in page


def test_add_row_stores_the_draft_and_shows_one_more_row(cycle, alice):
    client = logged_in(alice)
    data = post_data(cycle, "doelgroepen", {"target_groups": [{"name": "Eerste"}]})
    data.pop("action")
    data["add"] = "target_groups"
    response = client.post(step_url(cycle, "doelgroepen"), data)
    assert response.status_code == 302
    page = client.get(step_url(cycle, "doelgroepen")).content.decode()
    assert 'value="Eerste"' in page
    assert 'name="target_groups-1-name"' in page
    assert 'name="target_groups-TOTAL_FORMS" value="2"' in page


def test_the_same_user_resumes_the_draft_on_another_device(cycle, alice):
    rows = {"ambitions": [{"kind": "reduce", "text": "Half af"}]}
    laptop = Client()
    laptop.login(username="alice", password=TEST_PASSWORD)
    laptop.post(step_url(cycle, "ambities"), post_data(cycle, "ambities", rows, action="draft"))
    laptop.post("/accounts/logout/")
    phone = Client()
    phone.login(username="alice", password=TEST_PASSWORD)
    dashboard = phone.get(f"/jaarcycli/{cycle.pk}/").content.decode()
    assert step_url(cycle, "ambities") in dashboard
    assert "Ga verder waar u was" in dashboard
    assert 'value="Half af"' in phone.get(step_url(cycle, "ambities")).content.decode()


def test_a_post_after_the_session_expired_is_kept_and_restored_after_login(cycle, alice):
    client = Client()  # the session expired: no login any more
    rows = {"target_groups": [{"name": "Getypt voor de time-out"}]}
    response = client.post(
        step_url(cycle, "doelgroepen"), post_data(cycle, "doelgroepen", rows, owner=alice)
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not TargetGroup.objects.exists()
    login = client.post(response["Location"], {"username": "alice", "password": TEST_PASSWORD})
    assert login["Location"] == step_url(cycle, "doelgroepen")
    page = client.get(step_url(cycle, "doelgroepen")).content.decode()
    assert 'value="Getypt voor de time-out"' in page
    assert "teruggezet" in page
    # Saving it now works with the restored version number.
    saved = client.post(step_url(cycle, "doelgroepen"), post_data(cycle, "doelgroepen", rows))
    assert saved.status_code == 302
    assert TargetGroup.objects.get().name == "Getypt voor de time-out"


def test_a_kept_post_is_not_restored_for_a_user_without_write_access(cycle, alice, bob):
    client = Client()
    rows = {"target_groups": [{"name": "Van een lezer"}]}
    client.post(step_url(cycle, "doelgroepen"), post_data(cycle, "doelgroepen", rows, owner=alice))
    client.post("/accounts/login/", {"username": "bob", "password": TEST_PASSWORD})
    page = client.get(step_url(cycle, "doelgroepen")).content.decode()
    assert "Van een lezer" not in page
    assert not TargetGroup.objects.exists()
    assert (
        not StepProgress.objects.filter(cycle=cycle, step="doelgroepen").exclude(draft={}).exists()
    )


def test_a_kept_post_is_only_given_back_to_the_user_who_typed_it(cycle, alice, dave):
    client = Client()  # alice's session expired; dave logs in on the same browser
    rows = {"target_groups": [{"name": "Getypt door Alice"}]}
    response = client.post(
        step_url(cycle, "doelgroepen"), post_data(cycle, "doelgroepen", rows, owner=alice)
    )
    assert response["Location"].startswith("/accounts/login/")
    client.post(response["Location"], {"username": "dave", "password": TEST_PASSWORD})
    page = client.get(step_url(cycle, "doelgroepen")).content.decode()
    assert "Getypt door Alice" not in page
    assert "teruggezet" not in page
    # Dropped for good: alice logging in later on this browser does not get it either.
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "alice", "password": TEST_PASSWORD})
    assert "Getypt door Alice" not in client.get(step_url(cycle, "doelgroepen")).content.decode()


def test_a_post_without_a_valid_owner_signature_is_not_kept(cycle, alice):
    client = Client()
    rows = {"target_groups": [{"name": "Vervalst"}]}
    data = post_data(cycle, "doelgroepen", rows)
    data["owner"] = f"{alice.pk}:niet-ondertekend"
    response = client.post(step_url(cycle, "doelgroepen"), data)
    assert response["Location"].startswith("/accounts/login/")
    client.post(response["Location"], {"username": "alice", "password": TEST_PASSWORD})
    assert "Vervalst" not in client.get(step_url(cycle, "doelgroepen")).content.decode()


# --- Leaving a step: the draft is stored first ---------------------------------------------


def test_the_step_navigation_stores_the_draft_before_leaving(cycle, alice):
    rows = {"target_groups": [{"name": "Half getypt", "estimated_size": "geen getal"}]}
    data = post_data(cycle, "doelgroepen", rows, owner=alice)
    data.pop("action")
    data["goto"] = "aanbod"
    client = logged_in(alice)
    page = client.get(step_url(cycle, "doelgroepen")).content.decode()
    assert 'form="step-form" name="wizard_goto_step" value="aanbod"' in page
    response = client.post(step_url(cycle, "doelgroepen"), data)
    assert response.status_code == 302
    assert response["Location"] == step_url(cycle, "aanbod")
    assert not TargetGroup.objects.exists()  # unvalidated: a draft, not saved
    back = client.get(step_url(cycle, "doelgroepen")).content.decode()
    assert 'value="Half getypt"' in back and 'value="geen getal"' in back


def test_the_overview_button_stores_the_draft_and_opens_the_dashboard(cycle, alice):
    data = post_data(cycle, "doelgroepen", {"target_groups": [{"name": "Naar overzicht"}]})
    data.pop("action")
    data["goto"] = "overview"
    response = logged_in(alice).post(step_url(cycle, "doelgroepen"), data)
    assert response["Location"] == f"/jaarcycli/{cycle.pk}/"
    progress = StepProgress.objects.get(cycle=cycle, step="doelgroepen")
    assert progress.draft["target_groups-0-name"] == ["Naar overzicht"]
    assert progress.status == StepProgress.Status.IN_PROGRESS


def test_leaving_without_typing_stores_no_draft(cycle, alice, plan):
    existing = {"target_groups": [{"id": plan["group"].pk, "name": plan["group"].name}]}
    data = post_data(cycle, "doelgroepen", existing=existing)
    data.pop("action")
    data["goto"] = "aanbod"
    before = version_of(cycle, "doelgroepen")
    response = logged_in(alice).post(step_url(cycle, "doelgroepen"), data)
    assert response["Location"] == step_url(cycle, "aanbod")
    assert version_of(cycle, "doelgroepen") == before
    assert not StepProgress.objects.filter(cycle=cycle, step="doelgroepen").exclude(draft={})


def test_an_unknown_navigation_target_only_stores_the_draft(cycle, alice):
    data = post_data(cycle, "doelgroepen", {"target_groups": [{"name": "Blijft"}]})
    data.pop("action")
    data["goto"] = "../../gemeenten"
    response = logged_in(alice).post(step_url(cycle, "doelgroepen"), data)
    assert response["Location"] == step_url(cycle, "doelgroepen")
    progress = StepProgress.objects.get(cycle=cycle, step="doelgroepen")
    assert progress.draft["target_groups-0-name"] == ["Blijft"]


def test_navigation_on_a_stale_version_is_refused_and_keeps_the_input(cycle, alice, dave):
    version = version_of(cycle, "doelgroepen")
    logged_in(dave).post(
        step_url(cycle, "doelgroepen"),
        post_data(cycle, "doelgroepen", {"target_groups": [{"name": "Dave"}]}, version=version),
    )
    data = post_data(cycle, "doelgroepen", {"target_groups": [{"name": "Alice"}]}, version=version)
    data.pop("action")
    data["goto"] = "aanbod"
    response = logged_in(alice).post(step_url(cycle, "doelgroepen"), data)
    assert response.status_code == 409
    assert 'value="Alice"' in response.content.decode()
    assert list(TargetGroup.objects.values_list("name", flat=True)) == ["Dave"]


def test_autosave_stores_the_draft_and_answers_with_the_new_version(cycle, alice):
    client = logged_in(alice)
    version = version_of(cycle, "doelgroepen")
    data = post_data(
        cycle, "doelgroepen", {"target_groups": [{"name": "Getypt"}]}, action="autosave"
    )
    response = client.post(step_url(cycle, "doelgroepen"), data)
    assert response.status_code == 200
    body = response.json()
    assert body["saved"] is True and body["version"] == version + 1
    assert "Concept opgeslagen om" in body["message"]
    assert version_of(cycle, "doelgroepen") == version + 1
    # The page's next save uses the version it was given: no conflict with itself.
    data = post_data(
        cycle,
        "doelgroepen",
        {"target_groups": [{"name": "Getypt en af"}]},
        action="save",
        version=body["version"],
    )
    assert client.post(step_url(cycle, "doelgroepen"), data).status_code == 302
    assert TargetGroup.objects.get().name == "Getypt en af"


def test_autosave_on_a_stale_version_is_refused_in_json(cycle, alice, dave):
    version = version_of(cycle, "doelgroepen")
    logged_in(dave).post(
        step_url(cycle, "doelgroepen"),
        post_data(cycle, "doelgroepen", {"target_groups": [{"name": "Dave"}]}, version=version),
    )
    data = post_data(
        cycle, "doelgroepen", {"target_groups": [{"name": "A"}]}, action="autosave", version=version
    )
    response = logged_in(alice).post(step_url(cycle, "doelgroepen"), data)
    assert response.status_code == 409
    body = response.json()
    assert (
        body["saved"] is False
        and "Niet opgeslagen" in body["message"]
        and "Dave" in body["message"]
    )
    assert StepProgress.objects.get(cycle=cycle, step="doelgroepen").draft == {}


def test_autosave_after_the_session_expired_keeps_the_input_for_after_login(cycle, alice):
    client = Client()
    rows = {"target_groups": [{"name": "Automatisch bewaard"}]}
    data = post_data(cycle, "doelgroepen", rows, action="autosave", owner=alice)
    response = client.post(step_url(cycle, "doelgroepen"), data)
    assert response.status_code == 401
    assert "Uw invoer is bewaard" in response.json()["message"]
    client.post("/accounts/login/", {"username": "alice", "password": TEST_PASSWORD})
    page = client.get(step_url(cycle, "doelgroepen")).content.decode()
    assert 'value="Automatisch bewaard"' in page


def test_a_reader_cannot_autosave(cycle, bob):
    data = post_data(cycle, "doelgroepen", {"target_groups": [{"name": "X"}]}, action="autosave")
    assert logged_in(bob).post(step_url(cycle, "doelgroepen"), data).status_code == 403
    assert not StepProgress.objects.filter(cycle=cycle, step="doelgroepen").exclude(draft={})


# --- Concurrency ---------------------------------------------------------------------------


def test_a_concurrent_edit_is_refused_and_the_input_kept(cycle, alice, dave):
    version = version_of(cycle, "doelgroepen")
    first = logged_in(dave).post(
        step_url(cycle, "doelgroepen"),
        post_data(cycle, "doelgroepen", {"target_groups": [{"name": "Van Dave"}]}, version=version),
    )
    assert first.status_code == 302
    second = logged_in(alice).post(
        step_url(cycle, "doelgroepen"),
        post_data(
            cycle, "doelgroepen", {"target_groups": [{"name": "Van Alice"}]}, version=version
        ),
    )
    assert second.status_code == 409
    body = second.content.decode()
    assert "Niet opgeslagen" in body and "Dave" in body
    assert 'value="Van Alice"' in body
    assert list(TargetGroup.objects.values_list("name", flat=True)) == ["Van Dave"]


def test_a_stale_draft_save_is_refused_too(cycle, alice, dave):
    version = version_of(cycle, "doelgroepen")
    logged_in(dave).post(
        step_url(cycle, "doelgroepen"),
        post_data(
            cycle,
            "doelgroepen",
            {"target_groups": [{"name": "Dave"}]},
            action="draft",
            version=version,
        ),
    )
    response = logged_in(alice).post(
        step_url(cycle, "doelgroepen"),
        post_data(
            cycle,
            "doelgroepen",
            {"target_groups": [{"name": "Alice"}]},
            action="draft",
            version=version,
        ),
    )
    assert response.status_code == 409
    draft = StepProgress.objects.get(cycle=cycle, step="doelgroepen").draft
    assert draft["target_groups-0-name"] == ["Dave"]


# --- History and guidance ------------------------------------------------------------------


def test_every_saved_change_is_recorded_with_old_and_new_value(cycle, plan, alice, client_for):
    group = plan["group"]
    existing = {
        "target_groups": [
            {"id": group.pk, "name": "Ouders met partnergeweld", "estimated_size": "1400"}
        ]
    }
    logged_in(alice).post(
        step_url(cycle, "doelgroepen"), post_data(cycle, "doelgroepen", existing=existing)
    )
    record = ChangeRecord.objects.get(cycle=cycle, step="doelgroepen")
    assert (record.user, record.shown.old, record.shown.new) == (alice, "", "1400")
    assert record.shown.field == "Geschatte omvang"
    page = logged_in(alice).get(f"/jaarcycli/{cycle.pk}/doelgroepen/geschiedenis/")
    body = page.content.decode()
    assert "Geschatte omvang" in body and "1400" in body and "Alice de Vries" in body


def test_an_unchanged_save_records_nothing(cycle, plan, alice):
    group = plan["group"]
    existing = {"target_groups": [{"id": group.pk, "name": group.name}]}
    logged_in(alice).post(
        step_url(cycle, "doelgroepen"), post_data(cycle, "doelgroepen", existing=existing)
    )
    assert not ChangeRecord.objects.exists()


def test_each_step_shows_its_block_guidance(cycle, alice):
    from cms.demo import load_content

    load_content()
    client = logged_in(alice)
    for step, title in [
        ("situatie", "Monitoring"),
        ("aanbod", "Activiteiten"),
        ("kwaliteit", "Kwaliteit"),
        ("verbeterplan", "Verbeter"),
    ]:
        body = client.get(step_url(cycle, step)).content.decode()
        assert "Uitleg:" in body and title in body, step


def test_the_last_saved_time_is_shown(cycle, alice):
    client = logged_in(alice)
    client.post(
        step_url(cycle, "doelgroepen"),
        post_data(cycle, "doelgroepen", {"target_groups": [{"name": "A"}]}),
    )
    body = client.get(step_url(cycle, "doelgroepen")).content.decode()
    assert "Laatst opgeslagen op" in body and "Alice de Vries" in body


def test_a_closed_cycle_is_read_only(cycle, alice):
    cycle.status = "closed"
    cycle.save()
    client = logged_in(alice)
    assert 'name="version"' not in client.get(step_url(cycle, "doelgroepen")).content.decode()
    response = client.post(
        step_url(cycle, "doelgroepen"),
        post_data(cycle, "doelgroepen", {"target_groups": [{"name": "A"}]}),
    )
    assert response.status_code == 403
    assert not TargetGroup.objects.exists()


def test_hostile_management_form_and_unknown_action_never_fail(cycle, alice):
    client = logged_in(alice)
    for data in [
        {"action": "next", "version": "x"},
        {
            "action": "next",
            "version": "0",
            "target_groups-TOTAL_FORMS": "99999999",
            "target_groups-INITIAL_FORMS": "5",
        },
        {"action": "weird", "version": "0"},
        {"add": "nothing", "version": "0"},
    ]:
        response = client.post(step_url(cycle, "doelgroepen"), data)
        assert response.status_code < 500
    assert not TargetGroup.objects.exists()


def test_a_draft_with_nul_characters_is_stored_without_them(cycle, alice):
    """PostgreSQL refuses NUL in JSON; found by the property test."""
    rows = {"target_groups": [{"name": "Ouders\x00 met LVB"}]}
    response = logged_in(alice).post(
        step_url(cycle, "doelgroepen"), post_data(cycle, "doelgroepen", rows, action="draft")
    )
    assert response.status_code == 302
    draft = StepProgress.objects.get(cycle=cycle, step="doelgroepen").draft
    assert draft["target_groups-0-name"] == ["Ouders met LVB"]


def test_restored_input_keeps_its_version_so_a_save_in_between_is_noticed(cycle, alice, dave):
    client = Client()
    old_version = version_of(cycle, "doelgroepen")
    rows = {"target_groups": [{"name": "Van voor de time-out"}]}
    client.post(step_url(cycle, "doelgroepen"), post_data(cycle, "doelgroepen", rows, owner=alice))
    logged_in(dave).post(
        step_url(cycle, "doelgroepen"),
        post_data(cycle, "doelgroepen", {"target_groups": [{"name": "Van Dave"}]}),
    )
    client.post("/accounts/login/", {"username": "alice", "password": TEST_PASSWORD})
    page = client.get(step_url(cycle, "doelgroepen")).content.decode()
    assert f'name="version" value="{old_version}"' in page
    again = client.post(
        step_url(cycle, "doelgroepen"), post_data(cycle, "doelgroepen", rows, version=old_version)
    )
    assert again.status_code == 409
    assert list(TargetGroup.objects.values_list("name", flat=True)) == ["Van Dave"]
