"""Every step and the dashboard stay within 25 queries, with one item or with many."""

from datetime import date

import pytest

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
    TargetGroup,
)
from questionnaire import steps

pytestmark = pytest.mark.django_db
MAX_QUERIES = 25


def fill(cycle, ambitions, offerings):
    for i in range(ambitions):
        ambition = Ambition.objects.create(cycle=cycle, kind="reduce", text=f"Ambitie {i}")
        for j in range(2):
            result = Result.objects.create(
                cycle=cycle,
                ambition=ambition,
                type="substantive",
                text=f"Resultaat {i}.{j}",
                target_value=10,
                target_year=2030,
            )
            ResultValue.objects.create(cycle=cycle, result=result, year=2025, value=5)
    results = list(cycle.results.all())
    groups = [
        TargetGroup.objects.create(cycle=cycle, name=f"Doelgroep {i}")
        for i in range(max(1, ambitions // 3))
    ]
    for i in range(offerings):
        offering = Offering.objects.create(
            cycle=cycle,
            name=f"Aanbod {i}",
            kind="help",
            evidence_level="goed_beschreven" if i % 2 else "",
        )
        offering.results.set(results[i % len(results) :][:2])
        offering.target_groups.set([groups[i % len(groups)]])
        QualityCheck.objects.create(
            cycle=cycle,
            offering=offering,
            well_founded="yes",
            trained="yes",
            registered="no",
            supervised="partly",
            guidelines="yes",
        )
        OutcomeMeasurement.objects.create(cycle=cycle, offering=offering, reach=20, respondents=5)
    for i in range(max(1, ambitions)):
        SituationFigure.objects.create(
            cycle=cycle, label=f"Cijfer {i}", period="2025", value=i, source="Eigen registratie"
        )
        ImprovementAction.objects.create(
            cycle=cycle,
            what=f"Actie {i}",
            who="Team",
            due=date(2026, 6, 1),
            decision="continue",
            result=results[i % len(results)],
        )
        ChangeRecord.objects.create(
            cycle=cycle,
            step="ambities",
            user=cycle.created_by,
            item=f"Ambitie {i}",
            field="Ambitie",
            old="",
            new="x",
        )


@pytest.mark.parametrize(("ambitions", "offerings"), [(1, 1), (30, 100)])
@pytest.mark.parametrize("who", ["alice", "bob"])
def test_every_step_and_the_dashboard_within_25_queries(
    who,
    ambitions,
    offerings,
    cast,
    client_for,
    gemeente_a,
    alice,
    django_assert_max_num_queries,
):
    cycle = services.start_cycle(gemeente_a, 2026, alice)
    fill(cycle, ambitions, offerings)
    client = client_for(cast[who])
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(f"/jaarcycli/{cycle.pk}/")
    assert response.status_code == 200
    counted = "1 ambitie<" if ambitions == 1 else f"{ambitions} ambities"
    assert counted in response.content.decode().replace(",", "<")
    for step in steps.STEPS:
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(f"/jaarcycli/{cycle.pk}/{step}/")
        assert response.status_code == 200
    body = response.content.decode()
    assert f"Actie {max(1, ambitions) - 1}" in body
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(f"/jaarcycli/{cycle.pk}/ambities/geschiedenis/").status_code == 200
