"""Starting a cycle with copy-forward, and every completeness rule of the dashboard."""

from datetime import date

import pytest

from compass import services
from compass.models import (
    Ambition,
    ImprovementAction,
    Offering,
    OutcomeMeasurement,
    Result,
    ResultValue,
    SituationFigure,
    Step,
    TargetGroup,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_year(gemeente_a, alice):
    cycle = services.start_cycle(gemeente_a, 2025, alice)
    ambition = Ambition.objects.create(cycle=cycle, kind="reduce", text="Veilig opgroeien")
    result = Result.objects.create(
        cycle=cycle,
        ambition=ambition,
        type="substantive",
        text="Minder geweld",
        target_value=9,
        target_year=2029,
    )
    ResultValue.objects.create(cycle=cycle, result=result, year=2025, value=11)
    group = TargetGroup.objects.create(cycle=cycle, name="Ouders met partnergeweld")
    offering = Offering.objects.create(
        cycle=cycle,
        name="Stevig Ouderschap",
        kind="prevention",
        evidence_level="goed_onderbouwd",
        databank="jeugd",
    )
    offering.results.add(result)
    offering.target_groups.add(group)
    SituationFigure.objects.create(
        cycle=cycle, label="Meldingen", period="2025", value=4, source="Eigen"
    )
    OutcomeMeasurement.objects.create(cycle=cycle, offering=offering, reach=10)
    for what, status in [
        ("Open actie", "open"),
        ("Lopende actie", "in_progress"),
        ("Klaar", "done"),
    ]:
        ImprovementAction.objects.create(
            cycle=cycle,
            what=what,
            who="Team",
            due=date(2025, 6, 1),
            status=status,
            decision="continue",
            offering=offering,
            result=result,
        )
    return cycle


def test_copy_forward_carries_the_plan_but_not_figures_or_outcomes(last_year, gemeente_a, alice):
    cycle = services.start_cycle(gemeente_a, 2026, alice, copy_forward=True)
    assert cycle.previous == last_year
    assert list(cycle.ambitions.values_list("text", flat=True)) == ["Veilig opgroeien"]
    result = cycle.results.get()
    assert result.ambition.cycle == cycle and result.text == "Minder geweld"
    offering = cycle.offerings.get()
    assert list(offering.results.all()) == [result]
    assert [g.cycle for g in offering.target_groups.all()] == [cycle]
    actions = cycle.actions.order_by("what")
    assert [a.what for a in actions] == ["Lopende actie", "Open actie"]
    assert all(a.offering == offering and a.result == result for a in actions)
    assert not cycle.figures.exists() and not cycle.outcomes.exists()
    assert not cycle.result_values.exists()
    # Last year's cycle is untouched.
    assert last_year.ambitions.count() == 1 and last_year.actions.count() == 3


def test_an_empty_start_copies_nothing(last_year, gemeente_a, alice):
    cycle = services.start_cycle(gemeente_a, 2026, alice)
    assert cycle.previous == last_year
    assert not cycle.ambitions.exists() and not cycle.offerings.exists()


def test_copy_forward_without_a_previous_cycle_starts_empty(gemeente_a, alice):
    cycle = services.start_cycle(gemeente_a, 2026, alice, copy_forward=True)
    assert cycle.previous is None and not cycle.ambitions.exists()


def test_a_complete_plan_misses_nothing(last_year):
    assert all(not items for items in services.missing_items(last_year).values())


def test_result_without_target_value_or_year_is_missing(last_year):
    Result.objects.filter(cycle=last_year).update(target_year=None)
    missing = services.missing_items(last_year)[Step.AMBITIONS]
    assert missing == ["Het resultaat “Minder geweld” heeft geen streefwaarde of streefjaar."]
    Result.objects.filter(cycle=last_year).update(target_year=2029, target_value=None)
    assert len(services.missing_items(last_year)[Step.AMBITIONS]) == 1


def test_ambition_without_offering_is_missing(last_year):
    Ambition.objects.create(cycle=last_year, kind="strengthen", text="Steun voor ouders")
    assert services.missing_items(last_year)[Step.OFFERING] == [
        "Bij de ambitie “Steun voor ouders” hoort nog geen aanbod."
    ]


def test_results_that_are_all_process_or_precondition_are_flagged(last_year):
    Result.objects.filter(cycle=last_year).update(type="process")
    ambition = Ambition.objects.get(cycle=last_year)
    Result.objects.create(
        cycle=last_year,
        ambition=ambition,
        type="precondition",
        text="Budget",
        target_value=1,
        target_year=2027,
    )
    missing = services.missing_items(last_year)[Step.AMBITIONS]
    assert any("Alle resultaten zijn proces- of randvoorwaardelijke" in m for m in missing)
    Result.objects.filter(text="Budget").update(type="substantive")
    assert not services.missing_items(last_year)[Step.AMBITIONS]


def test_offering_without_evidence_level_is_missing(last_year):
    Offering.objects.filter(cycle=last_year).update(evidence_level="")
    assert services.missing_items(last_year)[Step.OFFERING] == [
        "Bij de activiteit “Stevig Ouderschap” staat geen erkenningsniveau."
    ]


def test_the_dashboard_lists_what_is_missing(last_year, alice, client_for):
    Offering.objects.filter(cycle=last_year).update(evidence_level="")
    body = client_for(alice).get(f"/jaarcycli/{last_year.pk}/").content.decode()
    assert "Bij de activiteit “Stevig Ouderschap” staat geen erkenningsniveau." in body
    assert "1 ambitie" in body and "1 ambities" not in body and "3 verbeteracties" in body


def test_start_page_links_to_the_dashboard_and_starts_a_cycle(last_year, alice, client_for):
    client = client_for(alice)
    body = client.get("/gemeenten/").content.decode()
    assert f'href="/jaarcycli/{last_year.pk}/"' in body
    assert "Nieuwe jaarcyclus starten" in body
    response = client.post(
        f"/gemeenten/{last_year.municipality.code}/jaarcyclus/nieuw/",
        {"year": "2026", "copy_forward": "1"},
    )
    cycle = last_year.municipality.cycles.get(year=2026)
    assert response["Location"] == f"/jaarcycli/{cycle.pk}/"
    assert cycle.ambitions.count() == 1
    again = client.post(
        f"/gemeenten/{last_year.municipality.code}/jaarcyclus/nieuw/",
        {"year": "2026", "copy_forward": "0"},
    )
    assert again.status_code == 200
    assert "heeft al een jaarcyclus voor 2026" in again.content.decode()
