"""Issue 20, item 1: lockout per account and per address (django-axes), Dutch, logged."""

import logging
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
LOCKED = "Inloggen is tijdelijk geblokkeerd"


def attempt(client, username, password, url=LOGIN, address="127.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username, times, address="127.0.0.1"):
    for _ in range(times):
        attempt(client, username, "verkeerd-wachtwoord", address=address)


def logged_in(client):
    return "_auth_user_id" in client.session


def test_fifty_wrong_passwords_then_the_right_one_is_refused(client, alice):
    fail(client, "alice", 50)
    response = attempt(client, "alice", TEST_PASSWORD)
    assert response.status_code == 429
    body = response.content.decode()
    assert LOCKED in body and 'lang="nl"' in body
    assert "30 minuten" in body
    assert not logged_in(client)


def test_failures_below_the_limit_do_not_lock(client, alice, settings):
    fail(client, "alice", settings.AXES_FAILURE_LIMIT - 1)
    assert attempt(client, "alice", TEST_PASSWORD).status_code == 302
    assert logged_in(client)


def test_another_account_from_the_same_address_is_refused(client, alice, bob):
    fail(client, "alice", 10)
    response = attempt(client, "bob", TEST_PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)


def test_the_account_is_locked_from_another_address_too(client, alice):
    fail(client, "alice", 10, address="10.0.0.1")
    assert attempt(client, "alice", TEST_PASSWORD, address="10.0.0.2").status_code == 429


def test_another_account_from_another_address_still_logs_in(client, alice, bob):
    fail(client, "alice", 10, address="10.0.0.1")
    assert attempt(client, "bob", TEST_PASSWORD, address="10.0.0.2").status_code == 302


def _without_tokens(body):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def test_an_unknown_account_gets_the_same_answers(client, alice):
    known = attempt(client, "alice", "fout", address="10.0.0.1").content.decode()
    unknown = attempt(client, "niemand", "fout", address="10.0.0.2").content.decode()
    assert _without_tokens(known).replace("alice", "X") == _without_tokens(unknown).replace(
        "niemand", "X"
    )
    fail(client, "alice", 10, address="10.0.0.1")
    fail(client, "niemand", 10, address="10.0.0.2")
    locked_known = attempt(client, "alice", "fout", address="10.0.0.1")
    locked_unknown = attempt(client, "niemand", "fout", address="10.0.0.2")
    assert locked_known.status_code == locked_unknown.status_code == 429
    assert _without_tokens(locked_known.content.decode()) == _without_tokens(
        locked_unknown.content.decode()
    )
    assert b"alice" not in locked_known.content


@pytest.mark.parametrize("url", ["/cms-admin/login/", "/django-admin/login/"])
def test_the_admin_logins_are_protected_too(client, admin_user, url):
    fail(client, admin_user.username, 10)
    response = attempt(client, admin_user.username, TEST_PASSWORD, url=url)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not logged_in(client)


def test_failures_at_the_admin_logins_count_towards_the_lockout(client, admin_user):
    for url in ["/cms-admin/login/", "/django-admin/login/"] * 5:
        attempt(client, admin_user.username, "fout", url=url)
    assert attempt(client, admin_user.username, TEST_PASSWORD).status_code == 429


def test_the_lockout_ends_after_the_cooloff(client, alice):
    fail(client, "alice", 10)
    assert attempt(client, "alice", TEST_PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert attempt(client, "alice", TEST_PASSWORD).status_code == 302


def test_an_administrator_unlocks_with_axes_reset(client, alice):
    fail(client, "alice", 10)
    call_command("axes_reset", verbosity=0)
    assert attempt(client, "alice", TEST_PASSWORD).status_code == 302
    assert logged_in(client)


def test_an_administrator_unlocks_in_the_django_admin(client, alice, admin_user):
    from axes.models import AccessAttempt

    fail(client, "alice", 10)
    admin = type(client)()
    admin.force_login(admin_user)
    changelist = "/django-admin/axes/accessattempt/"
    assert admin.get(changelist).status_code == 200
    ids = [str(pk) for pk in AccessAttempt.objects.values_list("pk", flat=True)]
    response = admin.post(
        changelist, {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert attempt(client, "alice", TEST_PASSWORD).status_code == 302


def test_logins_failures_and_lockouts_are_logged(client, alice, caplog):
    caplog.set_level(logging.INFO, logger="compass.auth")
    attempt(client, "alice", TEST_PASSWORD)
    fail(client, "niemand", 10)
    messages = [r.getMessage() for r in caplog.records if r.name == "compass.auth"]
    assert any(m.startswith("login user=alice address=127.0.0.1") for m in messages)
    assert any(m.startswith("login failed user='niemand'") for m in messages)
    assert any(m.startswith("login locked out user='niemand'") for m in messages)
    assert not any("verkeerd" in m for m in messages)  # never a password


def test_axes_keeps_an_access_log(client, alice):
    from axes.models import AccessFailureLog, AccessLog

    attempt(client, "alice", "fout")
    attempt(client, "alice", TEST_PASSWORD)
    assert AccessLog.objects.filter(username="alice").exists()
    assert AccessFailureLog.objects.filter(username="alice").exists()


def test_a_login_without_a_request_is_not_counted_but_works(client, alice):
    # The test client's login() authenticates without a request: nothing to count it by.
    assert client.login(username="alice", password=TEST_PASSWORD)
    fail(client, "alice", 10)
    assert attempt(client, "alice", TEST_PASSWORD).status_code == 429  # the pages still lock
