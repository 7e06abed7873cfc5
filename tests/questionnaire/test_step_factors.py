"""Risk and protective factors, the regiovisie, the theory of change, the safety outcome and
the sources beside a step (issue 19: item 9, DOMAIN-REVIEW M4 and Q6)."""

import json

import pytest
from django.core.exceptions import ValidationError

from compass import services
from compass.models import (
    OutcomeMeasurement,
    SituationReading,
    TargetGroup,
    TheoryOfChange,
    step_title,
)
from compass.models.factors import Balance, ProtectiveFactor, RiskFactor
from exports import portable
from tests.exports.cycle_builders import rich_cycle
from tests.questionnaire.cycle_helpers import logged_in, post_data, start, step_url
from tests.questionnaire.test_cycle_steps import plan  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(gemeente_a, alice):
    return start(gemeente_a, 2026, alice)


def test_the_choices_are_those_of_the_domain():
    # NJi's top 10 protective factors, and the risk factors of child abuse in NJi's five groups.
    assert len(ProtectiveFactor.choices) == 10
    groups = {str(label).split(":")[0] for _code, label in RiskFactor.choices}
    assert groups == {
        "ouder als opvoeder",
        "ouder als persoon",
        "voorgeschiedenis van de ouder",
        "kind",
        "gezin",
    }
    assert set(Balance.values) == {"protection", "even", "risk", "unknown"}


def test_the_situation_step_saves_factors_balance_and_the_regional_vision(cycle, alice):
    single = {
        "recognise": "Ja.",
        "risk_factor_codes": ["partner_violence", "psychiatric", "psychiatric"],
        "protective_factor_codes": ["important_adults"],
        "balance": "risk",
        "regional_vision_url": "www.example.nl/regiovisie",
        "regional_vision": "Eén aanpak in de regio.",
    }
    response = logged_in(alice).post(
        step_url(cycle, "situatie"), post_data(cycle, "situatie", single=single)
    )
    assert response.status_code == 302
    reading = SituationReading.objects.get(cycle=cycle)
    assert reading.risk_factor_codes == ["psychiatric", "partner_violence"]  # the options' order
    assert reading.protective_factor_codes == ["important_adults"]
    assert reading.balance == "risk"
    assert reading.regional_vision_url == "https://www.example.nl/regiovisie"
    page = logged_in(alice).get(step_url(cycle, "situatie")).content.decode()
    assert 'type="checkbox" name="reading-risk_factor_codes" value="psychiatric"' in page
    assert "ouder als persoon: psychiatrische problemen" in page
    assert "steun van belangrijke volwassenen" in page


def test_an_unknown_factor_is_refused_and_nothing_is_saved(cycle, alice):
    single = {"risk_factor_codes": ["not_a_factor"]}
    response = logged_in(alice).post(
        step_url(cycle, "situatie"), post_data(cycle, "situatie", single=single)
    )
    assert response.status_code == 200
    assert "not_a_factor" in response.content.decode()
    assert not SituationReading.objects.filter(cycle=cycle).exclude(risk_factor_codes=[]).exists()


def test_the_model_field_refuses_unknown_and_repeated_codes(cycle):
    group = TargetGroup(cycle=cycle, name="x", risk_factor_codes=["nope"])
    with pytest.raises(ValidationError):
        group.full_clean()
    group.risk_factor_codes = ["addiction", "addiction"]
    with pytest.raises(ValidationError):
        group.full_clean()
    group.risk_factor_codes = "addiction"
    with pytest.raises(ValidationError):
        group.full_clean()


def test_a_target_group_records_its_factors(cycle, alice):
    rows = {
        "target_groups": [
            {
                "name": "Ouders met een LVB",
                "risk_factor_codes": ["intellectual_disability", "young_parent"],
                "protective_factor_codes": ["social_bonding"],
                "balance": "even",
            }
        ]
    }
    response = logged_in(alice).post(
        step_url(cycle, "doelgroepen"), post_data(cycle, "doelgroepen", rows)
    )
    assert response.status_code == 302
    group = TargetGroup.objects.get(cycle=cycle)
    assert group.risk_factor_codes == ["intellectual_disability", "young_parent"]
    assert group.protective_factor_codes == ["social_bonding"]
    assert group.balance == "even"


def test_the_offering_step_holds_the_theory_of_change(cycle, alice, plan):  # noqa: F811
    single = {"story": "Als ouders op tijd steun krijgen, neemt de spanning thuis af."}
    response = logged_in(alice).post(
        step_url(cycle, "aanbod"), post_data(cycle, "aanbod", single=single)
    )
    assert response.status_code == 302
    assert TheoryOfChange.objects.get(cycle=cycle).story.startswith("Als ouders")
    page = logged_in(alice).get(step_url(cycle, "aanbod")).content.decode()
    assert "Veranderverhaal" in page


def test_the_outcome_step_records_safety(cycle, alice, plan):  # noqa: F811
    rows = {
        "outcomes": [
            {
                "offering": plan["offering"].pk,
                "violence_stopped": "62,5",
                "feels_safe": "80",
                "method": "Nameting",
            }
        ]
    }
    response = logged_in(alice).post(
        step_url(cycle, "uitkomsten"), post_data(cycle, "uitkomsten", rows)
    )
    assert response.status_code == 302
    outcome = OutcomeMeasurement.objects.get(cycle=cycle)
    assert (str(outcome.violence_stopped), str(outcome.feels_safe)) == ("62.5", "80.0")


def test_factors_and_the_theory_of_change_are_carried_into_the_next_cycle(cycle, alice):
    TargetGroup.objects.create(
        cycle=cycle, name="Jonge ouders", risk_factor_codes=["young_parent"], balance="risk"
    )
    TheoryOfChange.objects.create(cycle=cycle, story="Het verhaal.")
    following = services.start_cycle(cycle.municipality, 2027, alice, copy_forward=True)
    group = TargetGroup.objects.get(cycle=following)
    assert (group.risk_factor_codes, group.balance) == (["young_parent"], "risk")
    assert TheoryOfChange.objects.get(cycle=following).story == "Het verhaal."


def test_step_titles_name_their_compass_blocks(cycle, alice):
    assert step_title("kwaliteit").startswith("Blok 4 · ")
    assert step_title("ambities").startswith("Blok 1–2 · ")  # ambitions and their results
    page = logged_in(alice).get(step_url(cycle, "kwaliteit")).content.decode()
    assert "Stap 5 · Blok 4 · " in page


@pytest.mark.parametrize(
    "step, names",
    [
        (
            "situatie",
            (
                "Waarstaatjegemeente.nl",
                "CBS Jeugdmonitor",
                "Leefbaarometer",
                "Samen in gesprek over cijfers",
                "Ken de risicofactoren",
                "Movisie",
                "regiovisie",
            ),
        ),
        ("ambities", ("regiovisie", "Movisie")),
        ("doelgroepen", ("CBS Jeugdmonitor", "Ken de risicofactoren")),
    ],
)
def test_a_step_links_the_sources_the_team_uses(cycle, alice, step, names):
    page = logged_in(alice).get(step_url(cycle, step)).content.decode()
    assert "Bronnen voor deze stap" in page
    for name in names:
        assert name in page


def test_the_json_round_trip_keeps_the_factors_and_refuses_an_unknown_code(
    gemeente_a, gemeente_b, alice
):
    cycle = rich_cycle(gemeente_a, user=alice)
    data = json.loads(portable.dumps(portable.export_cycle(cycle)))
    assert data["cycle"]["reading"]["risk_factor_codes"] == ["psychiatric", "partner_violence"]
    assert data["cycle"]["theory_of_change"]["story"].startswith("Als ouders")
    copy, _plan = portable.import_cycle(data, gemeente_b, 2027)
    reading = SituationReading.objects.get(cycle=copy)
    assert (reading.balance, reading.regional_vision_url) == (
        "risk",
        "https://www.example.nl/regiovisie",
    )
    assert TargetGroup.objects.get(cycle=copy, name="Ouders met partnergeweld").balance == "even"
    data["cycle"]["target_groups"][0]["risk_factor_codes"] = ["stress"]
    with pytest.raises(portable.ImportRefused):
        portable.import_cycle(data, gemeente_b, 2028)
