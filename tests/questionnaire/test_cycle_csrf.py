"""Issue 13, item 4: a step POST refused for a missing CSRF cookie keeps the input."""

import pytest
from django.test import Client

from compass.models import TargetGroup
from tests.factories import TEST_PASSWORD
from tests.questionnaire.cycle_helpers import post_data, start, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(gemeente_a, alice):
    return start(gemeente_a, 2026, alice)


def strict():
    return Client(enforce_csrf_checks=True)


def test_every_cookie_gone_keeps_the_input_for_after_login(cycle, alice):
    client = strict()  # no session cookie, no CSRF cookie: everything was cleared
    rows = {"target_groups": [{"name": "Getypt voor het wissen"}]}
    response = client.post(
        step_url(cycle, "doelgroepen"), post_data(cycle, "doelgroepen", rows, owner=alice)
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert 'lang="nl"' in body
    assert "beveiligingscookie" in body and "Uw invoer is bewaard" in body
    assert "Log in en krijg uw invoer terug" in body
    assert f"/accounts/login/?next={step_url(cycle, 'doelgroepen')}" in body
    for english in ("Forbidden", "CSRF verification failed", "Your input"):
        assert english not in body
    assert not TargetGroup.objects.exists()
    client.handler.enforce_csrf_checks = False  # the login page gives a new token
    client.post("/accounts/login/", {"username": "alice", "password": TEST_PASSWORD})
    page = client.get(step_url(cycle, "doelgroepen")).content.decode()
    assert 'value="Getypt voor het wissen"' in page
    assert "teruggezet" in page


def test_a_missing_csrf_cookie_while_logged_in_keeps_the_input(cycle, alice):
    client = strict()
    client.force_login(alice)
    rows = {"target_groups": [{"name": "Alleen de CSRF-cookie weg"}]}
    response = client.post(
        step_url(cycle, "doelgroepen"), post_data(cycle, "doelgroepen", rows, owner=alice)
    )
    assert response.status_code == 403
    assert "Open de stap met uw invoer" in response.content.decode()
    page = client.get(step_url(cycle, "doelgroepen")).content.decode()
    assert 'value="Alleen de CSRF-cookie weg"' in page


def test_a_refused_autosave_answers_in_dutch_json(cycle, alice):
    data = post_data(
        cycle, "doelgroepen", {"target_groups": [{"name": "X"}]}, action="autosave", owner=alice
    )
    response = strict().post(step_url(cycle, "doelgroepen"), data)
    assert response.status_code == 403
    body = response.json()
    assert body["saved"] is False and "beveiligingscookie" in body["message"]
    assert "bewaard" in body["message"]


def test_an_unsigned_post_is_not_kept(cycle, alice):
    client = strict()
    data = post_data(cycle, "doelgroepen", {"target_groups": [{"name": "Zonder eigenaar"}]})
    response = client.post(step_url(cycle, "doelgroepen"), data)
    assert response.status_code == 403
    assert "Uw invoer is bewaard" not in response.content.decode()
    client.handler.enforce_csrf_checks = False
    client.post("/accounts/login/", {"username": "alice", "password": TEST_PASSWORD})
    assert "Zonder eigenaar" not in client.get(step_url(cycle, "doelgroepen")).content.decode()


def test_kept_input_is_not_given_to_someone_else_who_logs_in(cycle, alice, dave):
    client = strict()
    rows = {"target_groups": [{"name": "Van Alice"}]}
    client.post(step_url(cycle, "doelgroepen"), post_data(cycle, "doelgroepen", rows, owner=alice))
    client.handler.enforce_csrf_checks = False
    client.post("/accounts/login/", {"username": "dave", "password": TEST_PASSWORD})
    assert "Van Alice" not in client.get(step_url(cycle, "doelgroepen")).content.decode()


def test_the_generic_csrf_page_is_dutch(db):
    response = strict().post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "beveiligingscookie" in body and "Open de pagina opnieuw" in body
    assert "Forbidden" not in body and "CSRF verification failed" not in body
