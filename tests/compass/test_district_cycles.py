"""District cycles (issue 22): what a district cycle shares with its municipal cycle, what it
holds itself, and who reaches it.

The rules are tested on the services (compass.district_cycles, questionnaire.step_saving,
compass.access) without HTTP, so they hold for every caller.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, QueryDict

from compass import access, district_cycles, services
from compass.models import (
    Ambition,
    Cycle,
    District,
    ImprovementAction,
    Offering,
    Result,
    ResultValue,
    Step,
    TeamEvent,
)
from questionnaire import step_saving, steps
from tests.factories import (
    AmbitionFactory,
    ImprovementActionFactory,
    OfferingFactory,
    ResultFactory,
    ResultValueFactory,
    UserFactory,
)
from tests.questionnaire.cycle_helpers import logged_in, post_data, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def overvecht(gemeente_a):
    return District.objects.create(municipality=gemeente_a, code="WK034403", name="Overvecht")


@pytest.fixture
def zuid(gemeente_a):
    return District.objects.create(municipality=gemeente_a, code="WK034407", name="Zuid")


@pytest.fixture
def municipal(gemeente_a, alice):
    cycle = services.start_cycle(gemeente_a, 2026, alice)
    ambition = AmbitionFactory(cycle=cycle, text="Minder huiselijk geweld")
    result = ResultFactory(cycle=cycle, ambition=ambition, text="Minder meldingen")
    ResultValueFactory(cycle=cycle, result=result, year=2025)
    return cycle


@pytest.fixture
def wijkcyclus(overvecht, municipal, alice):
    return district_cycles.start_district_cycle(overvecht, 2026, alice)


def texts(cycle, model=Ambition):
    return sorted(model.objects.filter(cycle=cycle).values_list("text", flat=True))


# --- What is shared, what is own ---------------------------------------------------------------


def test_a_district_cycle_mirrors_the_municipal_ambitions_results_and_values(wijkcyclus, municipal):
    assert wijkcyclus.parent == municipal and wijkcyclus.is_district
    assert texts(wijkcyclus) == ["Minder huiselijk geweld"]
    result = Result.objects.get(cycle=wijkcyclus)
    # The mirrored result points at the mirrored ambition of the same cycle, not the municipal.
    assert result.ambition.cycle_id == wijkcyclus.pk
    assert result.shared_from.cycle_id == municipal.pk
    value = ResultValue.objects.get(cycle=wijkcyclus)
    assert value.result_id == result.pk and value.year == 2025
    assert (wijkcyclus.policy_start_year, wijkcyclus.policy_end_year) == (
        municipal.policy_start_year,
        municipal.policy_end_year,
    )


def test_the_registry_marks_exactly_the_ambitions_step_as_shared():
    assert district_cycles.shared_steps() == {Step.AMBITIONS}
    assert [part.key for part in district_cycles.shared_parts()] == [
        "ambitions",
        "results",
        "values",
    ]


def test_a_municipal_change_reaches_every_district_cycle(wijkcyclus, zuid, municipal, alice):
    zuid_cycle = district_cycles.start_district_cycle(zuid, 2026, alice)
    Ambition.objects.filter(cycle=municipal).update(text="Geen huiselijk geweld")
    AmbitionFactory(cycle=municipal, text="Kinderen veilig")
    assert district_cycles.sync_shared(municipal) == 2
    for cycle in (wijkcyclus, zuid_cycle):
        assert texts(cycle) == ["Geen huiselijk geweld", "Kinderen veilig"]


def test_deleting_a_municipal_result_removes_its_mirror_and_the_district_links_to_it(
    wijkcyclus, municipal
):
    mirror = Result.objects.get(cycle=wijkcyclus)
    offering = OfferingFactory(cycle=wijkcyclus)
    offering.results.add(mirror)
    action = ImprovementActionFactory(cycle=wijkcyclus, result=mirror)
    Result.objects.filter(cycle=municipal).delete()
    assert not Result.objects.filter(cycle=wijkcyclus).exists()
    assert not offering.results.exists()
    action.refresh_from_db()
    assert action.result_id is None


def test_a_sync_changes_nothing_that_did_not_change(
    wijkcyclus, municipal, django_assert_num_queries
):
    before = list(Ambition.objects.filter(cycle=wijkcyclus).values_list("pk", "text"))
    district_cycles.sync_shared(municipal)
    assert list(Ambition.objects.filter(cycle=wijkcyclus).values_list("pk", "text")) == before


def test_sync_queries_do_not_grow_with_the_number_of_rows(
    wijkcyclus, municipal, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        district_cycles.sync_shared(municipal)
    for n in range(20):
        ambition = AmbitionFactory(cycle=municipal, text=f"Ambitie {n}")
        ResultFactory(cycle=municipal, ambition=ambition, text=f"Resultaat {n}")
    district_cycles.sync_shared(municipal)  # creates the mirrors
    Ambition.objects.filter(cycle=municipal).update(kind="increase")
    with CaptureQueriesContext(connection) as many:
        district_cycles.sync_shared(municipal)
    assert len(many) <= len(few) + 2  # an update of each changed part, not one per row


def test_a_district_cycle_keeps_its_own_offering_when_the_municipality_changes(
    wijkcyclus, municipal
):
    OfferingFactory(cycle=wijkcyclus, name="Buurtgezinscoach Overvecht")
    district_cycles.sync_shared(municipal)
    assert list(Offering.objects.filter(cycle=wijkcyclus).values_list("name", flat=True)) == [
        "Buurtgezinscoach Overvecht"
    ]
    assert not Offering.objects.filter(cycle=municipal).exists()


def test_a_closed_district_cycle_keeps_what_it_had(wijkcyclus, municipal):
    Cycle.objects.filter(pk=wijkcyclus.pk).update(status=Cycle.Status.CLOSED)
    Ambition.objects.filter(cycle=municipal).update(text="Nieuw")
    assert district_cycles.sync_shared(municipal) == 0
    assert texts(wijkcyclus) == ["Minder huiselijk geweld"]


# --- Starting -------------------------------------------------------------------------------


def test_a_district_cycle_needs_the_municipal_cycle_of_its_year(overvecht, alice):
    with pytest.raises(ValidationError) as error:
        district_cycles.start_district_cycle(overvecht, 2026, alice)
    assert "2026" in error.value.messages[0]


def test_one_cycle_per_district_and_year(wijkcyclus, overvecht, alice):
    with pytest.raises(ValidationError):
        district_cycles.start_district_cycle(overvecht, 2026, alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cycle.objects.create(
            municipality=wijkcyclus.municipality,
            district=overvecht,
            parent=wijkcyclus.parent,
            year=2026,
            policy_start_year=2026,
            policy_end_year=2029,
        )


def test_a_district_cycle_is_not_a_second_municipal_cycle(wijkcyclus, gemeente_a, alice):
    with pytest.raises(ValidationError):
        services.start_cycle(gemeente_a, 2026, alice)
    assert Cycle.objects.municipal().filter(municipality=gemeente_a).count() == 1
    assert Cycle.objects.of_districts().get() == wijkcyclus


def test_a_district_cycle_without_its_municipal_cycle_is_refused_by_the_database(
    overvecht, gemeente_a
):
    with pytest.raises(IntegrityError), transaction.atomic():
        Cycle.objects.create(
            municipality=gemeente_a,
            district=overvecht,
            year=2026,
            policy_start_year=2026,
            policy_end_year=2029,
        )


def test_a_district_must_lie_in_its_municipality(gemeente_a, gemeente_b):
    district = District(municipality=gemeente_b, code="WK034403", name="Overvecht")
    with pytest.raises(ValidationError) as error:
        district.full_clean()
    assert "WK0307" in str(error.value)
    District(municipality=gemeente_a, code="WK034403", name="Overvecht").full_clean()
    with pytest.raises(ValidationError):
        District(municipality=gemeente_a, code="GM0344", name="x").full_clean()


def test_next_year_copies_the_district_own_parts_and_relinks_them_to_the_new_mirrors(
    wijkcyclus, overvecht, municipal, alice
):
    mirror = Result.objects.get(cycle=wijkcyclus)
    offering = OfferingFactory(cycle=wijkcyclus, name="Buurtgezinscoach")
    offering.results.add(mirror)
    ImprovementActionFactory(cycle=wijkcyclus, result=mirror, status="open")
    services.start_cycle(municipal.municipality, 2027, alice, copy_forward=True)
    next_year = district_cycles.start_district_cycle(overvecht, 2027, alice)
    assert next_year.previous == wijkcyclus
    new_mirror = Result.objects.get(cycle=next_year)
    assert new_mirror.shared_from.cycle.year == 2027
    copied = Offering.objects.get(cycle=next_year)
    assert list(copied.results.all()) == [new_mirror]
    assert ImprovementAction.objects.get(cycle=next_year).result == new_mirror
    # Figures and values belong to their year: the municipal 2027 cycle has no values.
    assert not ResultValue.objects.filter(cycle=next_year).exists()


# --- Saving steps -------------------------------------------------------------------------


def _forms(cycle, step, rows, existing=None):
    data = QueryDict(mutable=True)
    for key, value in post_data(cycle, step, rows, existing=existing).items():
        data[key] = str(value)
    return steps.build_step(steps.step_def(step), cycle, data), data


def test_saving_the_municipal_ambitions_step_updates_the_district_cycles(
    wijkcyclus, municipal, alice
):
    forms, _data = _forms(
        municipal,
        Step.AMBITIONS,
        {"ambitions": [{"kind": "reduce", "text": "Samen tegen geweld"}]},
        existing={
            "ambitions": [
                {"id": a.pk, "kind": a.kind, "text": a.text}
                for a in Ambition.objects.filter(cycle=municipal)
            ]
        },
    )
    saved = step_saving.save_step(municipal, Step.AMBITIONS, forms, alice, 0)
    assert saved.valid, forms.errors()
    assert "Samen tegen geweld" in texts(wijkcyclus)


def test_the_shared_step_of_a_district_cycle_cannot_be_written(wijkcyclus, alice):
    forms, data = _forms(
        wijkcyclus, Step.AMBITIONS, {"ambitions": [{"kind": "reduce", "text": "Eigen ambitie"}]}
    )
    with pytest.raises(step_saving.SharedStep):
        step_saving.save_step(wijkcyclus, Step.AMBITIONS, forms, alice, 0)
    with pytest.raises(step_saving.SharedStep):
        step_saving.keep_draft(wijkcyclus, Step.AMBITIONS, data, alice, 0)
    assert texts(wijkcyclus) == ["Minder huiselijk geweld"]


def test_a_forged_post_to_the_shared_step_answers_403_in_dutch(wijkcyclus, alice):
    data = post_data(
        wijkcyclus, Step.AMBITIONS, {"ambitions": [{"kind": "reduce", "text": "Eigen"}]}
    )
    response = logged_in(alice).post(
        step_url(wijkcyclus, Step.AMBITIONS), data, HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert response.status_code == 403
    assert "gemeente" in response.content.decode()
    assert texts(wijkcyclus) == ["Minder huiselijk geweld"]
    autosave = logged_in(alice).post(
        step_url(wijkcyclus, Step.AMBITIONS), {**data, "action": "autosave"}
    )
    assert autosave.status_code == 403 and autosave.json()["saved"] is False


def test_an_own_step_of_a_district_cycle_is_saved_as_usual(wijkcyclus, alice):
    forms, _data = _forms(wijkcyclus, Step.TARGET_GROUPS, {"target_groups": [{"name": "Gezinnen"}]})
    assert step_saving.save_step(wijkcyclus, Step.TARGET_GROUPS, forms, alice, 0).valid
    assert wijkcyclus.target_groups.get().name == "Gezinnen"


# --- Access -----------------------------------------------------------------------------------


@pytest.fixture
def wijkredacteur(gemeente_a, overvecht):
    user = UserFactory(username="wim")
    access.grant(user, gemeente_a, "editor", district=overvecht)
    return user


def test_a_district_member_reaches_only_the_cycles_of_their_district(
    wijkcyclus, municipal, zuid, alice, wijkredacteur
):
    zuid_cycle = district_cycles.start_district_cycle(zuid, 2026, alice)
    assert access.get_cycle_for(wijkredacteur, wijkcyclus.pk) == wijkcyclus
    access.check_cycle_write(wijkredacteur, wijkcyclus)
    for other in (municipal, zuid_cycle):
        with pytest.raises(Http404):
            access.get_cycle_for(wijkredacteur, other.pk)
    assert not access.perms_on(wijkredacteur, municipal.municipality)
    assert list(access.cycles_for(wijkredacteur)) == [wijkcyclus]
    assert list(access.districts_for(wijkredacteur)) == [wijkcyclus.district]
    assert list(access.municipalities_for(wijkredacteur)) == []


def test_a_district_member_never_holds_the_team_or_the_self_assessment(wijkcyclus, wijkredacteur):
    perms = access.perms_on_cycle(wijkredacteur, wijkcyclus)
    assert perms == {access.VIEW_CYCLE, access.CHANGE_CYCLE, access.EXPORT_CYCLE}
    with pytest.raises(Http404):
        access.get_municipal_cycle_for(wijkredacteur, wijkcyclus.pk)


def test_a_district_reader_reads_but_does_not_write(wijkcyclus, gemeente_a, overvecht):
    reader = UserFactory(username="rita")
    access.grant(reader, gemeente_a, "reader", district=overvecht)
    assert access.get_cycle_for(reader, wijkcyclus.pk) == wijkcyclus
    with pytest.raises(PermissionDenied):
        access.check_cycle_write(reader, wijkcyclus)


def test_municipal_members_reach_every_district_cycle(wijkcyclus, alice, dave, bob):
    for user in (alice, dave, bob):
        assert access.get_cycle_for(user, wijkcyclus.pk) == wijkcyclus
    access.check_cycle_write(dave, wijkcyclus)
    with pytest.raises(PermissionDenied):
        access.check_cycle_write(bob, wijkcyclus)


def test_outsiders_get_404_on_a_district_cycle(wijkcyclus, carol):
    with pytest.raises(Http404):
        access.get_cycle_for(carol, wijkcyclus.pk)


def test_the_self_assessment_of_a_district_cycle_is_404_even_for_the_coordinator(wijkcyclus, alice):
    with pytest.raises(Http404):
        access.get_municipal_cycle_for(alice, wijkcyclus.pk)


def test_a_coordinator_cannot_be_limited_to_a_district(gemeente_a, overvecht, alice):
    with pytest.raises(ValidationError):
        access.grant(UserFactory(), gemeente_a, "coordinator", district=overvecht)
    with pytest.raises(ValidationError):
        access.limit_to_district(alice.memberships.get(), overvecht)


def test_limiting_and_lifting_moves_the_member_out_of_and_back_into_the_role_group(
    gemeente_a, overvecht, dave, wijkcyclus, municipal
):
    membership = dave.memberships.get()
    access.limit_to_district(membership, overvecht, actor=None)
    assert not dave.groups.exists()
    with pytest.raises(Http404):
        access.get_cycle_for(dave, municipal.pk)
    assert TeamEvent.objects.filter(action=TeamEvent.Action.DISTRICT_CHANGED).exists()
    access.limit_to_district(membership, None)
    assert access.get_cycle_for(dave, municipal.pk) == municipal


def test_a_district_of_another_municipality_cannot_be_the_limit(gemeente_a, gemeente_b, dave):
    elsewhere = District.objects.create(municipality=gemeente_b, code="WK030701", name="Binnen")
    with pytest.raises(ValidationError):
        access.limit_to_district(dave.memberships.get(), elsewhere)


def test_the_district_dashboard_shows_the_shared_step_as_the_municipality_has_it(
    wijkcyclus, municipal, alice
):
    from compass.models import StepProgress

    StepProgress.objects.create(
        cycle=municipal, step=Step.AMBITIONS, status=StepProgress.Status.DONE
    )
    page = logged_in(alice).get(f"/jaarcycli/{wijkcyclus.pk}/")
    assert page.status_code == 200
    assert "klaar (bij de gemeente)" in page.content.decode()
