"""Issue 20, item 3: two-factor authentication (django-otp): TOTP plus recovery codes."""

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

SETUP = "/mijn-account/tweestapsverificatie/"
VERIFY = "/accounts/code/"
ROOT = Path(__file__).resolve().parents[2]


def login(client, user):
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    return response


def code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def give_device(user):
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="recovery")
    StaticToken.objects.create(device=static, token="herstel01")
    return device


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


@pytest.mark.parametrize("who", ["alice", "erin", "admin_user"])
@pytest.mark.parametrize("url", ["/gemeenten/", "/cms-admin/", "/django-admin/", "/mijn-account/"])
def test_required_roles_set_it_up_before_anything_else(client, request, required, who, url):
    login(client, request.getfixturevalue(who))
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(SETUP + "?next=")


@pytest.mark.parametrize("who", ["bob", "dave", "bert"])
def test_other_roles_are_offered_it_but_not_forced(client, request, required, who):
    login(client, request.getfixturevalue(who))
    assert client.get("/mijn-account/").status_code == 200
    assert SETUP in client.get("/mijn-account/").content.decode()


def test_off_in_development_the_demo_users_log_in_with_a_password(client, alice, settings):
    assert settings.TWO_FACTOR_REQUIRED is False  # the suite runs with DEBUG=1
    login(client, alice)
    assert client.get("/gemeenten/").status_code == 200


@pytest.mark.parametrize(("debug", "expected"), [("1", "False"), ("0", "True")])
def test_required_unless_debug(debug, expected):
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": debug,
        "SECRET_KEY": "x7Rq-a-test-key-with-enough-length-and-variety-93kLmPz0aBcDeF",
        "SQLITE_PATH": "/tmp/kompas-two-factor-test.sqlite3",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "from compass import settings; print(settings.TWO_FACTOR_REQUIRED)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == expected, result.stderr


def test_setting_it_up_gives_recovery_codes_and_opens_the_site(client, alice, required):
    login(client, alice)
    page = client.get(SETUP).content.decode()
    assert "<svg" in page and "Sleutel:" in page
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    wrong = client.post(SETUP, {"action": "confirm", "code": "000000"})
    assert "Deze code klopt niet" in wrong.content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):  # after the throttle
        response = client.post(SETUP, {"action": "confirm", "code": code(device)})
    assert response.status_code == 200
    assert "Uw herstelcodes" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=alice).count() == 10
    assert client.get("/gemeenten/").status_code == 200


@pytest.mark.parametrize("url", ["/gemeenten/", "/cms-admin/", "/django-admin/"])
def test_a_user_with_a_device_enters_a_code_first(client, admin_user, url):
    give_device(admin_user)  # even in development: who turned it on, uses it
    login(client, admin_user)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(VERIFY + "?next=")


def test_the_right_code_opens_the_site_a_wrong_one_does_not(client, alice):
    device = give_device(alice)
    login(client, alice)
    wrong = client.post(VERIFY, {"code": "123456"})
    assert wrong.status_code == 200
    assert "Deze code klopt niet (meer)" in wrong.content.decode()
    assert client.get("/gemeenten/").status_code == 302
    # Each wrong code makes the next try wait longer (django-otp's throttling) ...
    assert client.post(VERIFY, {"code": code(device)}).status_code == 200
    # ... after which the right one works.
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        response = client.post(VERIFY, {"code": code(device), "next": "/mijn-account/"})
    assert response.status_code == 302 and response.url == "/mijn-account/"
    assert client.get("/gemeenten/").status_code == 200


def test_a_recovery_code_works_once(client, alice):
    give_device(alice)
    login(client, alice)
    assert client.post(VERIFY, {"code": "herstel01"}).status_code == 302
    assert client.get("/gemeenten/").status_code == 200
    other = Client()
    login(other, alice)
    refused = other.post(VERIFY, {"code": "herstel01"})
    assert refused.status_code == 200


def test_a_hostile_next_after_the_code_is_ignored(client, alice):
    device = give_device(alice)
    login(client, alice)
    response = client.post(VERIFY, {"code": code(device), "next": "https://evil.example/"})
    assert response.url == "/gemeenten/"


def test_the_django_admin_logs_in_behind_the_code_too(client, admin_user):
    device = give_device(admin_user)
    response = client.post(
        "/django-admin/login/", {"username": admin_user.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/django-admin/").url.startswith(VERIFY)
    client.post(VERIFY, {"code": code(device)})
    assert client.get("/django-admin/").status_code == 200


def test_new_recovery_codes_and_turning_off(client, bob):
    device = give_device(bob)
    login(client, bob)
    client.post(VERIFY, {"code": code(device)})
    page = client.post(SETUP, {"action": "recovery"}).content.decode()
    assert "Uw herstelcodes" in page
    assert not StaticToken.objects.filter(token="herstel01").exists()
    client.post(SETUP, {"action": "off"})
    assert not TOTPDevice.objects.filter(user=bob).exists()
    assert client.get("/gemeenten/").status_code == 200


def test_a_required_role_cannot_turn_it_off(client, alice, required):
    device = give_device(alice)
    login(client, alice)
    client.post(VERIFY, {"code": code(device)})
    client.post(SETUP, {"action": "off"})
    assert TOTPDevice.objects.filter(user=alice).exists()


# The permission matrix of the two new pages.
CAST = ["alice", "dave", "bob", "carol", "pia", "quinn", "erin", "admin_user"]


@pytest.mark.parametrize("url", [SETUP, VERIFY])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("who", CAST)
def test_everyone_may_open_their_own_set_up(client, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(SETUP)
    assert response.status_code == 200
    assert 'lang="nl"' in response.content.decode()


@pytest.mark.parametrize("who", CAST)
def test_the_code_page_is_only_for_a_login_that_owes_a_code(client, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(VERIFY).status_code == 302  # nothing owed: on to the site
    give_device(user)
    client.force_login(user)
    assert client.get(VERIFY).status_code == 200


def test_the_wagtail_account_page_still_writes_its_audit_log_entry(client, erin):
    """django-otp wraps request.user twice; Wagtail's audit log looked one level deep and
    silently logged nothing for an account edit (found by the form round trip in the browser)."""
    from wagtail.models import ModelLogEntry

    client.force_login(erin)
    assert client.get("/cms-admin/account/").status_code == 200
    response = client.post(
        "/cms-admin/account/",
        {
            "name_email-first_name": "Erin",
            "name_email-last_name": "Smit",
            "theme-theme": "system",
            "theme-contrast": "system",
            "theme-density": "default",
        },
    )
    assert response.status_code == 302
    entry = ModelLogEntry.objects.get()
    assert (entry.action, entry.object_id, entry.user_id) == ("wagtail.edit", str(erin.pk), erin.pk)
