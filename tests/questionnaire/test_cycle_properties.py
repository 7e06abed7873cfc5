"""Random and hostile POSTs to every step: never a 500, never data in another municipality."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compass import services
from compass.models import (
    Ambition,
    ChangeRecord,
    ImprovementAction,
    Offering,
    OutcomeMeasurement,
    QualityCheck,
    Result,
    ResultValue,
    SituationFigure,
    SituationReading,
    StepProgress,
    TargetGroup,
)
from questionnaire import steps

pytestmark = pytest.mark.django_db

MODELS = [
    Ambition,
    Result,
    ResultValue,
    TargetGroup,
    Offering,
    QualityCheck,
    OutcomeMeasurement,
    ImprovementAction,
    SituationFigure,
    SituationReading,
]


def snapshot_of(municipality):
    """Everything of a municipality's cycles, as comparable rows."""
    rows = [
        sorted(model.objects.filter(cycle__municipality=municipality).values_list())
        for model in MODELS
    ]
    rows.append(
        sorted(
            StepProgress.objects.filter(cycle__municipality=municipality).values_list(
                "step", "version", "draft"
            )
        )
    )
    rows.append(ChangeRecord.objects.filter(cycle__municipality=municipality).count())
    return rows


HOSTILE_TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "",
            "-1",
            "0",
            "1e309",
            "NaN",
            "99999999999999999999",
            "2026-02-30",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "\x00",
            "１２",
            "4,5",
            "on",
            "%",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
            " " * 5,
        ]
    ),
)


def field_names(step):
    definition = steps.step_def(step)
    names = []
    for part in definition.parts:
        form = part.form_class(prefix=part.prefix, cycle=None, choices={})
        names += [(part, name) for name in form.fields]
    return names


@pytest.fixture
def world(gemeente_a, gemeente_b, alice, carol):
    mine = services.start_cycle(gemeente_a, 2026, alice)
    theirs = services.start_cycle(gemeente_b, 2026, carol)
    ambition = Ambition.objects.create(cycle=theirs, kind="reduce", text="Van Amersfoort")
    result = Result.objects.create(cycle=theirs, ambition=ambition, type="process", text="B")
    offering = Offering.objects.create(cycle=theirs, name="Aanbod B", kind="help")
    group = TargetGroup.objects.create(cycle=theirs, name="Doelgroep B")
    QualityCheck.objects.create(
        cycle=theirs,
        offering=offering,
        well_founded="yes",
        trained="yes",
        registered="yes",
        supervised="yes",
        guidelines="yes",
    )
    foreign_ids = [ambition.pk, result.pk, offering.pk, group.pk, offering.quality.pk]
    client = Client()
    client.force_login(alice)
    return {
        "mine": mine,
        "theirs": theirs,
        "b": gemeente_b,
        "client": client,
        "foreign": foreign_ids,
    }


@pytest.mark.parametrize("step", [s.value for s in steps.STEPS])
def test_random_and_hostile_posts_never_fail_or_touch_another_municipality(step, world):
    mine, client = world["mine"], world["client"]
    fields = field_names(step)
    before = snapshot_of(world["b"])
    foreign = world["foreign"]

    @settings(
        max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(
        action=st.sampled_from(
            ["next", "save", "draft", "previous", "dashboard", "autosave", "", "x"]
        ),
        goto=st.sampled_from([None, "overview", "aanbod", "../x", "", "\x00"]),
        rows=st.integers(min_value=0, max_value=3),
        initial=st.sampled_from(["0", "1", "-1", "x", "1000"]),
        values=st.lists(
            st.one_of(HOSTILE_TEXT, st.sampled_from(foreign).map(str)), min_size=1, max_size=40
        ),
        version=st.sampled_from(["", "x", "-5", "0", "1", "2"]),
        add=st.sampled_from([None, "ambitions", "results", "figures", "offerings", "bogus"]),
    )
    def run(action, goto, rows, initial, values, version, add):
        data = {"action": action, "version": version}
        if add:
            data["add"] = add
        if goto is not None:
            data["goto"] = goto
        for part in steps.step_def(step).parts:
            if not part.single:
                data[f"{part.prefix}-TOTAL_FORMS"] = str(rows)
                data[f"{part.prefix}-INITIAL_FORMS"] = initial
        for index, (part, name) in enumerate(fields):
            value = values[index % len(values)]
            for row in range(max(rows, 1)):
                key = f"{part.prefix}-{name}" if part.single else f"{part.prefix}-{row}-{name}"
                data[key] = value
        response = client.post(f"/jaarcycli/{mine.pk}/{step}/", data)
        assert response.status_code in (200, 302, 409)

    run()
    assert snapshot_of(world["b"]) == before
    # Nothing of this cycle points into B's cycle.
    for model, field in [
        (Result, "ambition__cycle"),
        (ResultValue, "result__cycle"),
        (QualityCheck, "offering__cycle"),
        (OutcomeMeasurement, "offering__cycle"),
    ]:
        assert not model.objects.filter(cycle=mine).exclude(**{field: mine}).exists()
    assert (
        not Offering.results.through.objects.filter(offering__cycle=mine)
        .exclude(result__cycle=mine)
        .exists()
    )
    assert (
        not Offering.target_groups.through.objects.filter(offering__cycle=mine)
        .exclude(targetgroup__cycle=mine)
        .exists()
    )
    assert (
        not ImprovementAction.objects.filter(cycle=mine, offering__isnull=False)
        .exclude(offering__cycle=mine)
        .exists()
    )
