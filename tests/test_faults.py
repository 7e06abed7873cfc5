"""Faults against the real PostgreSQL (issue 20, item 8).

The database connection of a request is killed (pg_terminate_backend from a second connection)
in the middle of a step save: the user gets the Dutch error page, the transaction rolls back,
no row of the step is half-saved and the draft saved before survives. Double submits (the same
POST twice) never store anything twice.

The connection kill needs PostgreSQL; on SQLite those tests are skipped (CI runs the suite on
PostgreSQL with DATABASE_URL set).
"""

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from compass.models import (
    Invitation,
    JoinRequest,
    SelfAssessment,
    SituationFigure,
    StepProgress,
)
from tests.questionnaire.cycle_helpers import post_data, start, step_url, version_of

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="killing a request's database connection needs PostgreSQL (set DATABASE_URL)",
)
STEP = "situatie"
ROW = {"label": "Eigen telling", "period": "2025", "value": "12", "source": "GGD"}


def _kill_on_insert_into(table):
    """An execute wrapper that terminates its own connection at the first INSERT into `table`."""
    state = {"fired": False}

    def wrapper(execute, sql, params, many, context):
        if not state["fired"] and sql.startswith("INSERT") and f'"{table}"' in sql:
            state["fired"] = True
            pid = context["connection"].connection.info.backend_pid
            settings = connection.settings_dict
            with psycopg.connect(
                dbname=settings["NAME"],
                user=settings["USER"],
                password=settings["PASSWORD"] or None,
                host=settings["HOST"] or None,
                port=settings["PORT"] or None,
                autocommit=True,
            ) as killer:
                killer.execute("SELECT pg_terminate_backend(%s)", [pid])
        return execute(sql, params, many, context)

    return wrapper, state


def _client(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@needs_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_connection_lost_mid_save_rolls_back_and_keeps_the_draft(gemeente_a, alice):
    cycle = start(gemeente_a, user=alice)
    client = _client(alice)
    draft = post_data(cycle, STEP, rows={"figures": [ROW]}, action="draft")
    assert client.post(step_url(cycle, STEP), draft).status_code == 302
    progress = StepProgress.objects.get(cycle=cycle, step=STEP)
    assert progress.draft, "the draft was not stored"
    kept_draft, kept_version = progress.draft, progress.version

    save = post_data(cycle, STEP, rows={"figures": [ROW]}, action="save")
    wrapper, state = _kill_on_insert_into(SituationFigure._meta.db_table)
    with connection.execute_wrapper(wrapper):
        response = client.post(step_url(cycle, STEP), save, HTTP_ACCEPT_LANGUAGE="nl")
    assert state["fired"], "the save never inserted a figure: the fault was not injected"
    assert response.status_code == 500
    page = response.content.decode()
    assert "Er ging iets mis" in page and "Wat u eerder hebt opgeslagen, is bewaard" in page

    connection.close()  # the killed connection; the next query opens a fresh one
    assert SituationFigure.objects.filter(cycle=cycle).count() == 0, "half-saved step"
    progress = StepProgress.objects.get(cycle=cycle, step=STEP)
    assert progress.draft == kept_draft, "the draft was lost"
    assert progress.version == kept_version
    assert progress.status != StepProgress.Status.DONE

    # The same save, now that the database is back, works and stores the row once.
    again = client.post(step_url(cycle, STEP), save)
    assert again.status_code == 302
    assert SituationFigure.objects.filter(cycle=cycle).count() == 1


def test_the_fault_wrapper_only_fires_on_its_table():
    wrapper, state = _kill_on_insert_into("compass_situationfigure")
    calls = []

    def execute(sql, params, many, context):
        calls.append(sql)

    wrapper(execute, 'SELECT * FROM "compass_situationfigure"', None, False, {})
    wrapper(execute, 'INSERT INTO "compass_ambition" VALUES (1)', None, False, {})
    assert not state["fired"] and len(calls) == 2


@pytest.mark.django_db
def test_the_same_step_save_twice_stores_the_row_once(gemeente_a, alice):
    cycle = start(gemeente_a, user=alice)
    client = _client(alice)
    save = post_data(cycle, STEP, rows={"figures": [ROW]}, action="save")
    first = client.post(step_url(cycle, STEP), save)
    second = client.post(step_url(cycle, STEP), save)
    assert first.status_code == 302
    assert second.status_code in (302, 409), second.status_code
    assert SituationFigure.objects.filter(cycle=cycle).count() == 1
    assert version_of(cycle, STEP) == save["version"] + 1


@pytest.mark.django_db
def test_the_same_invitation_twice_makes_one_invitation(gemeente_a, alice):
    client = _client(alice)
    url = reverse("questionnaire:team_add", args=[gemeente_a.code])
    data = {"email": "nieuw@utrecht.example", "role": "reader"}
    responses = [client.post(url, data) for _ in range(2)]
    assert all(r.status_code < 500 for r in responses)
    assert Invitation.objects.filter(municipality=gemeente_a).count() == 1


@pytest.mark.django_db
def test_the_same_join_request_twice_makes_one_request(gemeente_b, carol, regio_utrecht):
    client = _client(carol)
    url = reverse("questionnaire:agreement_join", args=[regio_utrecht.pk])
    data = {"municipality": gemeente_b.code}
    responses = [client.post(url, data) for _ in range(2)]
    assert all(r.status_code < 500 for r in responses)
    assert JoinRequest.objects.filter(municipality=gemeente_b).count() == 1


@pytest.mark.django_db
def test_the_same_self_assessment_submit_twice_submits_once(gemeente_a, alice):
    from tests.questionnaire.assessment_helpers import form_data, make_measure_set

    measure_set = make_measure_set()
    cycle = start(gemeente_a, user=alice)
    client = _client(alice)
    url = f"/jaarcycli/{cycle.pk}/zelfevaluatie/"
    client.get(url)
    submit = form_data(measure_set, default="3") | {"action": "submit"}
    first = client.post(url, submit)
    assert first.status_code == 302, first.status_code
    second = client.post(url, submit)
    assert second.status_code < 500
    assessments = SelfAssessment.objects.filter(cycle=cycle)
    assert assessments.count() == 1
    assert assessments.get().is_submitted
