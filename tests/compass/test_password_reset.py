"""Issue 20, item 2: password reset by e-mail, rate limited, one answer for known and unknown."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

RESET = "/accounts/password/reset/"
SENT = "/accounts/password/reset/sent/"
NEW_PASSWORD = "Een lange zin als wachtwoord 42"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def request_reset(client, email, address="127.0.0.1"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def reset_link():
    match = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[-1].body)
    return match.group(1)


def test_the_login_page_links_to_the_reset(client):
    assert f'href="{RESET}"' in client.get("/accounts/login/").content.decode()


@pytest.mark.parametrize("url", [RESET, SENT, "/accounts/password/reset/done/"])
def test_the_reset_pages_are_dutch_and_open_to_anyone(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert 'lang="nl"' in response.content.decode()


def test_a_known_address_gets_a_dutch_mail_with_a_link(client, alice):
    response = request_reset(client, alice.email)
    assert response.status_code == 302 and response.url == SENT
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [alice.email]
    assert message.subject == "Nieuw wachtwoord instellen voor het Kwaliteitskompas"
    assert "alice" in message.body and "/accounts/password/reset/" in message.body


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, alice):
    known = request_reset(client, alice.email)
    unknown = request_reset(client, "niemand@example.nl")
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert len(mail.outbox) == 1


def test_requests_are_limited_per_address(client, alice, bob):
    for i in range(5):
        request_reset(client, f"iemand{i}@example.nl")
    response = request_reset(client, alice.email)
    assert response.status_code == 302 and response.url == SENT  # the same answer ...
    assert mail.outbox == []  # ... but nothing sent
    request_reset(client, bob.email, address="10.0.0.9")  # another address still works
    assert [m.to for m in mail.outbox] == [[bob.email]]


def test_requests_are_limited_per_email_address(client, alice):
    for i in range(5):
        request_reset(client, alice.email, address=f"10.0.0.{i}")
    assert len(mail.outbox) == 5
    response = request_reset(client, alice.email.upper(), address="10.0.1.1")
    assert response.url == SENT
    assert len(mail.outbox) == 5


def test_the_link_sets_a_new_password_and_ends_other_sessions(client, alice):
    elsewhere = Client()
    elsewhere.force_login(alice)
    assert elsewhere.get("/mijn-account/").status_code == 200
    request_reset(client, alice.email)
    form_url = client.get(reset_link(), follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert elsewhere.get("/mijn-account/").status_code == 302  # logged out there
    # The link works once.
    page = client.get(reset_link(), follow=True).content.decode()
    assert "Deze link werkt niet (meer)" in page


@pytest.mark.parametrize(
    "password, message",
    [
        ("Kort1!ab", "Dit wachtwoord is te kort"),
        ("123456789012345", "Dit wachtwoord bevat alleen cijfers"),
        ("password12345", "Dit wachtwoord is te algemeen"),
        ("alice.devries@example.nl", "lijkt te veel op"),
    ],
)
def test_reset_applies_the_password_validators(client, alice, password, message):
    alice.email = "alice.devries@example.nl"
    alice.save()
    request_reset(client, alice.email)
    form_url = client.get(reset_link(), follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(TEST_PASSWORD)


def test_change_applies_the_password_validators(client, alice):
    client.force_login(alice)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": TEST_PASSWORD, "new_password1": "kort", "new_password2": "kort"},
    )
    assert response.status_code == 200
    assert "Dit wachtwoord is te kort" in response.content.decode()


def test_the_wagtail_admin_reset_leads_to_ours(client):
    response = client.get("/cms-admin/password_reset/")
    assert response.status_code == 302 and response.url == RESET
    assert client.get("/cms-admin/password_reset/done/").url == RESET
