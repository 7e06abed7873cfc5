"""Issue 20, item 5: sessions end after a time without requests; a password change logs out
every other session; the guided flow keeps a step POST sent after the session expired."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from compass.models import TargetGroup
from tests.factories import TEST_PASSWORD
from tests.questionnaire.cycle_helpers import post_data, start, step_url

pytestmark = pytest.mark.django_db

ACCOUNT = "/mijn-account/"


def test_the_idle_timeout_defaults_to_sixty_minutes(settings):
    assert settings.SESSION_IDLE_MINUTES == 60
    assert settings.SESSION_COOKIE_AGE == 60 * 60


def test_a_session_in_use_stays_an_idle_one_ends(client, alice):
    begin = timezone.now()
    with time_machine.travel(begin, tick=False) as clock:
        client.post("/accounts/login/", {"username": "alice", "password": TEST_PASSWORD})
        for _ in range(4):  # 4 × 50 minutes in use: longer than the timeout in all
            clock.shift(timedelta(minutes=50))
            assert client.get(ACCOUNT).status_code == 200
        clock.shift(timedelta(minutes=61))  # then idle for longer than the timeout
        response = client.get(ACCOUNT)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")


def test_the_idle_timeout_is_a_setting(client, alice, settings):
    settings.SESSION_COOKIE_AGE = 10 * 60  # what SESSION_IDLE_MINUTES=10 sets
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(alice)
        clock.shift(timedelta(minutes=9))
        assert client.get(ACCOUNT).status_code == 200
        clock.shift(timedelta(minutes=11))
        assert client.get(ACCOUNT).status_code == 302


def test_a_step_posted_after_the_timeout_is_kept_for_after_login(client, gemeente_a, alice):
    cycle = start(gemeente_a, 2026, alice)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.post("/accounts/login/", {"username": "alice", "password": TEST_PASSWORD})
        data = post_data(
            cycle, "doelgroepen", {"target_groups": [{"name": "Na de pauze"}]}, owner=alice
        )
        clock.shift(timedelta(minutes=61))
        response = client.post(step_url(cycle, "doelgroepen"), data)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
        assert not TargetGroup.objects.exists()
        client.post("/accounts/login/", {"username": "alice", "password": TEST_PASSWORD})
        page = client.get(step_url(cycle, "doelgroepen")).content.decode()
    assert 'value="Na de pauze"' in page
    assert "teruggezet" in page


def test_a_password_change_logs_out_every_other_session(client, alice):
    elsewhere = Client()
    elsewhere.force_login(alice)
    client.force_login(alice)
    new = "Een nieuwe lange zin 2026"
    response = client.post(
        "/accounts/password/change/",
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert client.get(ACCOUNT).status_code == 200  # this session stays
    assert elsewhere.get(ACCOUNT).status_code == 302  # the other one ended
