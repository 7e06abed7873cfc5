"""Issue 20: every new page of logging in speaks Dutch by default and English when chosen."""

import pytest
from django.conf import settings
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_back_to_the_default():
    """A request in English leaves English active in this thread: later tests expect Dutch."""
    yield
    translation.deactivate()


# (address, who, a Dutch phrase, the English one)
PAGES = [
    ("/accounts/password/reset/", None, "Wachtwoord vergeten", "Forgot your password"),
    ("/accounts/password/reset/sent/", None, "Kijk in uw e-mail", "Check your e-mail"),
    ("/accounts/password/reset/done/", None, "Wachtwoord ingesteld", "Password set"),
    (
        "/accounts/password/reset/MQ/ongeldig-token/",
        None,
        "Deze link werkt niet (meer)",
        "This link does not work (any more)",
    ),
    ("/mijn-account/tweestapsverificatie/", "bob", "Tweestapsverificatie", "Two-factor"),
    ("/accounts/code/", "alice", "Vul uw code in", "Enter your code"),
]


@pytest.mark.parametrize(("url", "who", "dutch", "english"), PAGES)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_page_in_both_languages(client, request, url, who, dutch, english, language):
    if who is not None:
        user = request.getfixturevalue(who)
        if url == "/accounts/code/":
            TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'lang="{language}"' in body
    assert (dutch if language == "nl" else english) in body
    assert (english if language == "nl" else dutch) not in body


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_lockout_page_in_both_languages(client, alice, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for _ in range(11):
        response = client.post("/accounts/login/", {"username": "alice", "password": "fout"})
    assert response.status_code == 429
    body = response.content.decode()
    expected = "Inloggen is tijdelijk geblokkeerd" if language == "nl" else "Logging in is blocked"
    assert expected in body
