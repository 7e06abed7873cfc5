"""Issue 13.9: an import never makes a second active cycle, and the dashboard follows progress."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from compass.models import Cycle, Step
from tests.exports.cycle_builders import rich_cycle
from tests.questionnaire.assessment_helpers import make_cycle

pytestmark = pytest.mark.django_db


def _import(client, code, data, year):
    return client.post(
        f"/gemeenten/{code}/jaarcyclus/importeren/",
        {"year": year, "file": SimpleUploadedFile("export.json", json.dumps(data).encode())},
    )


@pytest.fixture
def exported(alice, gemeente_a, client_for):
    source = rich_cycle(gemeente_a, user=alice)  # active
    data = json.loads(
        client_for(alice).get(f"/jaarcycli/{source.pk}/downloads/jaarcyclus.json").content
    )
    assert data["cycle"]["status"] == "active"
    return data


def test_an_import_never_makes_a_second_active_cycle(exported, alice, client_for, gemeente_a):
    client = client_for(alice)
    response = _import(client, gemeente_a.code, exported, 2027)
    assert response.status_code == 302
    imported = Cycle.objects.municipal().get(municipality=gemeente_a, year=2027)
    assert imported.status == Cycle.Status.DRAFT
    assert Cycle.objects.municipal().filter(municipality=gemeente_a, status="active").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Utrecht heeft al een actieve jaarcyclus" in page


def test_an_import_into_a_municipality_without_an_active_cycle_stays_active(
    exported, carol, client_for, gemeente_b
):
    assert _import(client_for(carol), gemeente_b.code, exported, 2027).status_code == 302
    assert Cycle.objects.municipal().get(municipality=gemeente_b, year=2027).status == "active"


def test_the_database_refuses_two_active_cycles(gemeente_a):
    make_cycle(gemeente_a, 2025)
    Cycle.objects.municipal().filter(municipality=gemeente_a).update(status="active")
    with pytest.raises(IntegrityError), transaction.atomic():
        Cycle.objects.create(
            municipality=gemeente_a,
            year=2026,
            policy_start_year=2025,
            policy_end_year=2028,
            status="active",
        )


def test_an_imported_cycle_with_every_step_done_does_not_say_start(
    exported, carol, client_for, gemeente_b
):
    exported["cycle"]["steps"] = [{"step": step, "status": "done"} for step in Step.values]
    client = client_for(carol)
    response = _import(client, gemeente_b.code, exported, 2027)
    page = client.get(response["Location"]).content.decode()
    assert "Begin met stap 1" not in page
    assert "Alle stappen van deze jaarcyclus zijn klaar." in page


def test_the_dashboard_points_to_the_first_step_not_done(exported, carol, client_for, gemeente_b):
    exported["cycle"]["steps"] = [{"step": step, "status": "done"} for step in Step.values[:3]]
    client = client_for(carol)
    response = _import(client, gemeente_b.code, exported, 2027)
    cycle = Cycle.objects.municipal().get(municipality=gemeente_b, year=2027)
    page = client.get(response["Location"]).content.decode()
    assert "Begin met stap 1" not in page
    assert f'href="/jaarcycli/{cycle.pk}/{Step.values[3]}/">Ga verder met stap 4' in page


def test_a_cycle_with_later_steps_done_continues_with_step_1(
    exported, carol, client_for, gemeente_b
):
    exported["cycle"]["steps"] = [{"step": step, "status": "done"} for step in Step.values[1:]]
    client = client_for(carol)
    response = _import(client, gemeente_b.code, exported, 2027)
    cycle = Cycle.objects.municipal().get(municipality=gemeente_b, year=2027)
    page = client.get(response["Location"]).content.decode()
    assert "Begin met stap 1" not in page
    assert f'href="/jaarcycli/{cycle.pk}/{Step.values[0]}/">Ga verder met stap 1' in page
