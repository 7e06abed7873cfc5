"""Issue 16, item 2: one validation for every entry path.

The values the JSON import once stored (a baseline of -5, baseline year 1999, a target of 250 %
for 2090, 40 respondents for a reach of 3, a capacity of 10^15, a group size of 2^40, 20,000
figures) are refused with the same Dutch message by the model/registry (what the JSON import
and the figures upload call), by the step form and by the admin.
"""

from decimal import Decimal

import pytest
from django.test import Client

from compass import parts
from compass.models import (
    Ambition,
    Offering,
    OutcomeMeasurement,
    Result,
    ResultValue,
    SituationFigure,
    TargetGroup,
)
from questionnaire import cycle_forms
from tests.questionnaire.cycle_helpers import start

NEGATIVE = "Een waarde kan niet negatief zijn."
PERCENT = "Een percentage ligt tussen 0 en 100."


@pytest.fixture
def cycle(gemeente_a, alice):
    return start(gemeente_a, 2026, alice)


@pytest.fixture
def ambition(cycle):
    return Ambition.objects.create(cycle=cycle, kind="reduce", text="Elk kind groeit veilig op")


@pytest.fixture
def offering(cycle):
    return Offering.objects.create(cycle=cycle, name="Stevig Ouderschap", kind="prevention")


def result_values(**values):
    base = {"type": "substantive", "text": "Minder geweld thuis", "direction": "lower"}
    return {**base, **values}


# (part key, plain values, {field: Dutch message}), all from the issue.
DRIFTED = [
    ("results", result_values(baseline_value="-5"), {"baseline_value": NEGATIVE}),
    (
        "results",
        result_values(baseline_year=1999),
        {"baseline_year": "Het beginjaar ligt tussen 2000 en het cyclusjaar 2026."},
    ),
    (
        "results",
        result_values(target_value="250", unit="%", target_year=2090),
        {
            "target_value": PERCENT,
            "target_year": "Het streefjaar ligt tussen 2026 en 2036.",
        },
    ),
    (
        "outcomes",
        {"reach": 3, "respondents": 40},
        {"respondents": "Er kunnen niet meer respondenten dan deelnemers zijn."},
    ),
    (
        "offerings",
        {"name": "Stevig Ouderschap", "kind": "prevention", "capacity": 10**15},
        {"capacity": "Ten hoogste 1000000 plaatsen of deelnemers per jaar."},
    ),
    (
        "target_groups",
        {"name": "Gezinnen", "estimated_size": 2**40},
        {"estimated_size": "Een doelgroep telt ten hoogste 20000000 mensen."},
    ),
    (
        "figures",
        {"label": "Meldingen", "period": "2025", "value": "-1", "source": "CBS"},
        {"value": "Een cijfer kan niet negatief zijn."},
    ),
    ("values", {"year": 2030, "value": "3"}, {"year": None}),
]


def _links(key, ambition, offering):
    """The required links of a row, as the caller (import, form) sets them."""
    return {"results": {"ambition": ambition}, "outcomes": {"offering": offering}}.get(key, {})


def _form_data(part, values, ambition, offering):
    data = {f"row-{name}": value for name, value in values.items()}
    if part.key == "results":
        data["row-ambition"] = str(ambition.pk)
    if part.key == "outcomes":
        data["row-offering"] = str(offering.pk)
    return data


@pytest.mark.parametrize("key,values,expected", DRIFTED, ids=lambda v: str(v)[:30])
def test_the_registry_refuses_the_drifted_values_with_a_dutch_message(
    cycle, ambition, offering, key, values, expected
):
    part = parts.get(key)
    instance = part.from_json(values)
    for name, value in _links(key, ambition, offering).items():
        setattr(instance, name, value)
    errors = part.validate(instance, cycle=cycle)
    assert set(errors) == set(expected), errors
    for name, message in expected.items():
        if message:
            assert errors[name] == [message]


@pytest.mark.parametrize("key,values,expected", DRIFTED, ids=lambda v: str(v)[:30])
def test_the_step_form_refuses_the_same_values_with_the_same_message(
    cycle, ambition, offering, key, values, expected
):
    part = parts.get(key)
    choices = {
        "ambitions": [(ambition.pk, ambition.text)],
        "offerings": [(offering.pk, offering.name)],
        "results": [],
        "indicators": [],
        "target_groups": [],
    }
    if key == "values":
        result = Result.objects.create(cycle=cycle, ambition=ambition, type="process", text="R")
        choices["results"] = [(result.pk, result.text)]
        values = {**values, "result": str(result.pk)}
    form = cycle_forms.FORMS[key](
        _form_data(part, values, ambition, offering), prefix="row", cycle=cycle, choices=choices
    )
    assert not form.is_valid()
    assert set(form.errors) == set(expected), form.errors
    for name, message in expected.items():
        if message:
            assert form.errors[name] == [message]


def test_a_year_of_a_measured_value_after_the_cycle_year_is_refused(cycle, ambition):
    result = Result.objects.create(cycle=cycle, ambition=ambition, type="process", text="R")
    errors = parts.get("values").validate(ResultValue(result=result, year=2030, value=3), cycle)
    assert errors == {
        "year": ["Een gemeten waarde hoort bij een jaar tot en met het cyclusjaar 2026."]
    }


def test_good_values_pass_everywhere(cycle, ambition, offering):
    part = parts.get("results")
    good = result_values(baseline_value="12.5", baseline_year=2024, target_value="9", unit="%")
    good["target_year"] = 2029
    instance = part.from_json(good)
    instance.ambition = ambition
    assert part.validate(instance, cycle=cycle) == {}
    assert instance.target_value == Decimal("9")
    outcome = parts.get("outcomes").from_json({"reach": 40, "respondents": 3})
    outcome.offering = offering
    assert parts.get("outcomes").validate(outcome, cycle=cycle) == {}


def test_without_a_cycle_the_rules_that_need_none_still_hold(ambition):
    instance = Result(ambition=ambition, type="process", text="R", target_year=2190)
    errors = parts.get("results").validate(instance)
    assert errors == {"target_year": ["Het streefjaar ligt tussen 2000 en 2100."]}


def test_20000_figures_are_refused_by_the_row_limit():
    figures = parts.get("figures")
    assert figures.max_rows == 300 == cycle_forms.MAX_ROWS
    assert figures.check_row_count(300) is None
    message = figures.check_row_count(20_000)
    assert message == (
        "Cijfers: er zijn ten hoogste 300 rijen toegestaan, dit zijn er 20000. "
        "Verwijder rijen en probeer het opnieuw."
    )


def test_the_step_refuses_more_rows_than_the_limit(cycle, alice):
    from questionnaire import steps

    data = {"figures-TOTAL_FORMS": "20000", "figures-INITIAL_FORMS": "0"}
    for index in range(301):
        data |= {
            f"figures-{index}-label": f"Cijfer {index}",
            f"figures-{index}-period": "2025",
            f"figures-{index}-value": "1",
            f"figures-{index}-source": "CBS",
        }
    built = steps.build_step(steps.step_def("situatie"), cycle, data)
    assert not built.is_valid()
    assert SituationFigure.objects.count() == 0


# --- The admin refuses the same values ---------------------------------------------------------


def test_the_admin_refuses_the_drifted_values(cycle, ambition, offering, admin_user):
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        "/django-admin/compass/result/add/",
        {
            "cycle": cycle.pk,
            "ambition": ambition.pk,
            "type": "substantive",
            "text": "Minder geweld thuis",
            "baseline_value": "-5",
            "baseline_year": "1999",
            "target_value": "250",
            "target_year": "2090",
            "unit": "%",
            "direction": "lower",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    for message in (
        NEGATIVE,
        "Het beginjaar ligt tussen 2000 en het cyclusjaar 2026.",
        PERCENT,
        "Het streefjaar ligt tussen 2026 en 2036.",
    ):
        assert message in body
    assert not Result.objects.exists()
    response = client.post(
        "/django-admin/compass/outcomemeasurement/add/",
        {"cycle": cycle.pk, "offering": offering.pk, "reach": "3", "respondents": "40"},
    )
    assert "Er kunnen niet meer respondenten dan deelnemers zijn." in response.content.decode()
    assert not OutcomeMeasurement.objects.exists()
    response = client.post(
        "/django-admin/compass/targetgroup/add/",
        {"cycle": cycle.pk, "name": "Gezinnen", "estimated_size": str(2**40)},
    )
    assert response.status_code == 200
    assert not TargetGroup.objects.exists()
