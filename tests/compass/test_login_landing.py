"""Where logging in and out lands, per kind of user; `next` only ever on this site."""

import pytest
from django.urls import reverse

from compass.demo import setup_site
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

MY_MUNICIPALITIES = "/gemeenten/"
WAGTAIL_ADMIN = "/cms-admin/"


def _login(client, user, next_url=None):
    data = {"username": user.username, "password": TEST_PASSWORD}
    if next_url is not None:
        data["next"] = next_url
    response = client.post(reverse("login"), data)
    assert response.status_code == 302
    return response.url


@pytest.mark.parametrize("next_url", [None, "", "/", "/accounts/login/"])
@pytest.mark.parametrize(
    "who, landing",
    [
        ("alice", MY_MUNICIPALITIES),  # coordinator
        ("bob", MY_MUNICIPALITIES),  # reader
        ("pia", MY_MUNICIPALITIES),  # partner municipality
        ("erin", WAGTAIL_ADMIN),  # content editor
        ("admin_user", WAGTAIL_ADMIN),  # superuser without a municipal role
    ],
)
def test_login_without_a_place_to_go_lands_by_role(client, request, who, landing, next_url):
    assert _login(client, request.getfixturevalue(who), next_url) == landing


def test_user_without_role_or_admin_access_lands_on_my_municipalities(client):
    assert _login(client, UserFactory(username="nieuw")) == MY_MUNICIPALITIES


@pytest.mark.parametrize("who", ["alice", "erin"])
def test_login_honours_a_same_site_next(client, request, who):
    target = "/kwaliteitskompas/?blok=3"
    assert _login(client, request.getfixturevalue(who), target) == target


@pytest.mark.parametrize(
    "hostile",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        " https://evil.example/",
    ],
)
@pytest.mark.parametrize("who, landing", [("alice", MY_MUNICIPALITIES), ("erin", WAGTAIL_ADMIN)])
def test_login_ignores_a_hostile_next(client, request, who, landing, hostile):
    assert _login(client, request.getfixturevalue(who), hostile) == landing


def test_login_from_the_header_of_the_home_page_lands_on_my_municipalities(client, alice):
    # The header's login link carries the page it is on: on the home page, next=/.
    assert _login(client, alice, "/") == MY_MUNICIPALITIES


def test_logout_says_so_in_dutch(client, alice):
    setup_site()  # the real home page, in the project's layout
    client.force_login(alice)
    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "U bent uitgelogd." in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "who, shown", [("erin", True), ("admin_user", True), ("alice", False), ("bob", False)]
)
def test_header_links_the_wagtail_admin_for_users_with_admin_access(client, request, who, shown):
    client.force_login(request.getfixturevalue(who))
    html = client.get(reverse("password_change")).content.decode()
    assert (f'href="{WAGTAIL_ADMIN}">Inhoud beheren</a>' in html) is shown
