"""Login, logout and password change in the project's own layout, in Dutch and English."""

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_is_dutch_with_skip_link_and_landmarks(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nl"' in html
    assert '<h1 class="utrecht-heading-1">Inloggen</h1>' in html
    assert 'href="#main">Direct naar de inhoud</a>' in html
    for landmark in ("<header", '<main id="main"', "<footer", '<nav class="site-nav"'):
        assert landmark in html
    assert 'name="language" value="en" lang="en"' in html


def test_login_page_in_english_after_switching_language(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en"' in html
    assert '<h1 class="utrecht-heading-1">Log in</h1>' in html
    assert 'value="nl" lang="nl"' in html


def test_wrong_password_gives_dutch_error_summary_linked_to_fields(client):
    UserFactory(username="alice")
    response = client.post(reverse("login"), {"username": "alice", "password": "fout"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in html
    assert "Voer een juiste gebruikersnaam en wachtwoord in" in html


def test_missing_fields_are_linked_from_the_error_summary(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    html = response.content.decode()
    assert 'href="#id_username">Gebruikersnaam: Dit is een verplicht veld.' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_username_error"' in html


def test_login_then_logout_by_post(client):
    UserFactory(username="alice", first_name="Alice", last_name="de Vries")
    response = client.post(reverse("login"), {"username": "alice", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert "Ingelogd als Alice de Vries" in client.get(reverse("login")).content.decode()
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_requires_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_password_change_page_and_done_in_dutch(client):
    user = UserFactory(username="alice")
    client.force_login(user)
    html = client.get(reverse("password_change")).content.decode()
    assert "Wachtwoord wijzigen" in html
    assert "Oud wachtwoord" in html
    response = client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Een-nieuw-lang-wachtwoord-2026",
            "new_password2": "Een-nieuw-lang-wachtwoord-2026",
        },
    )
    assert response.status_code == 302
    assert "Uw wachtwoord is gewijzigd" in client.get(response.url).content.decode()
    user.refresh_from_db()
    assert user.check_password("Een-nieuw-lang-wachtwoord-2026")


def test_password_change_with_wrong_old_password_keeps_the_old_one(client):
    user = UserFactory(username="alice")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "fout", "new_password1": "Abc-def-ghi-2026", "new_password2": "x"},
    )
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_unknown_page_gives_dutch_404(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_healthz_answers_get_only(client):
    assert client.get(reverse("healthz")).json()["status"] == "ok"  # the queue: tests/tasks
    assert client.post(reverse("healthz")).status_code == 405


def test_english_browser_still_gets_dutch_until_the_user_switches(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="nl"' in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="nl-NL")
    assert '<html lang="en"' in response.content.decode()


def test_unknown_language_cookie_falls_back_to_dutch(client):
    client.cookies["django_language"] = "fr"
    assert '<html lang="nl"' in client.get(reverse("login")).content.decode()
