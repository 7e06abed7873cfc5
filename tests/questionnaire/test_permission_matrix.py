"""Every view of the team pages against the whole cast (target: Gemeente A, Utrecht).

coordinator (alice), editor (dave), reader (bob), member of another municipality (carol),
regional partner with agreement (pia), regional partner without agreement (quinn),
content editor (erin), superuser (admin), anonymous.
"""

import pytest
from django.urls import reverse

from compass.models import Membership

pytestmark = pytest.mark.django_db

CAST = ["alice", "dave", "bob", "carol", "pia", "quinn", "erin", "admin", "anonymous"]
LOGIN = "login"

# (view, method) -> expected status per cast member. 302 on a POST is a successful change.
MATRIX = {
    ("start", "get"): dict.fromkeys(CAST, 200) | {"anonymous": LOGIN},
    ("team", "get"): {
        "alice": 200, "dave": 403, "bob": 403, "carol": 404, "pia": 403, "quinn": 404,
        "erin": 404, "admin": 200, "anonymous": LOGIN,
    },
    ("team_add", "post"): {
        "alice": 302, "dave": 403, "bob": 403, "carol": 404, "pia": 403, "quinn": 404,
        "erin": 404, "admin": 302, "anonymous": LOGIN,
    },
    ("team_role", "post"): {
        "alice": 302, "dave": 403, "bob": 403, "carol": 404, "pia": 403, "quinn": 404,
        "erin": 404, "admin": 302, "anonymous": LOGIN,
    },
    ("team_remove", "post"): {
        "alice": 302, "dave": 403, "bob": 403, "carol": 404, "pia": 403, "quinn": 404,
        "erin": 404, "admin": 302, "anonymous": LOGIN,
    },
    ("team_district", "post"): {
        "alice": 302, "dave": 403, "bob": 403, "carol": 404, "pia": 403, "quinn": 404,
        "erin": 404, "admin": 302, "anonymous": LOGIN,
    },
    ("agreements", "get"): dict.fromkeys(CAST, 200) | {"anonymous": LOGIN},
    # leaving "Regio Utrecht" on behalf of Utrecht; carol and quinn see the agreement (same
    # region) but Utrecht is not theirs: a form error (200) that changes nothing.
    ("agreement_leave", "post"): {
        "alice": 302, "dave": 403, "bob": 403, "carol": 200, "pia": 403, "quinn": 200,
        "erin": 404, "admin": 302, "anonymous": LOGIN,
    },
    ("agreement_join", "post"): {
        "alice": 200, "dave": 403, "bob": 403, "carol": 200, "pia": 403, "quinn": 200,
        "erin": 404, "admin": 200, "anonymous": LOGIN,
    },
}  # fmt: skip
WRONG_METHOD = {"get": "post", "post": "get"}


def _request(view, method, cast, gemeente_a, regio_utrecht, client):
    if view in {"start", "agreements"}:
        url = reverse(f"questionnaire:{view}")
    elif view.startswith("agreement_"):
        url = reverse(f"questionnaire:{view}", args=[regio_utrecht.pk])
    else:
        url = reverse(f"questionnaire:{view}", args=[gemeente_a.code])
    data = {
        "team_add": {"email": "nieuw@utrecht.example", "role": "reader"},
        "team_role": {
            "membership": Membership.objects.get(user=cast["bob"]).pk,
            "role": "editor",
        },
        "team_remove": {"membership": Membership.objects.get(user=cast["dave"]).pk},
        "team_district": {"membership": Membership.objects.get(user=cast["bob"]).pk},
        "agreement_leave": {"municipality": gemeente_a.code},
        "agreement_join": {"municipality": gemeente_a.code},
    }.get(view, {})
    return url, getattr(client, method)(url, data)


@pytest.mark.parametrize("who", CAST)
@pytest.mark.parametrize(("view", "method"), list(MATRIX))
def test_permission_matrix(view, method, who, cast, client_for, gemeente_a, regio_utrecht):
    client = client_for(cast[who])
    url, response = _request(view, method, cast, gemeente_a, regio_utrecht, client)
    expected = MATRIX[(view, method)][who]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected, (view, who, response.status_code)


@pytest.mark.parametrize(("view", "method"), list(MATRIX))
def test_wrong_method_is_405(view, method, cast, client_for, gemeente_a, regio_utrecht):
    client = client_for(cast["alice"])
    url, _response = _request(view, "get", cast, gemeente_a, regio_utrecht, client)
    response = getattr(client, WRONG_METHOD[method])(url)
    assert response.status_code == 405


def test_invitation_page_is_public_but_needs_a_valid_token(client):
    response = client.get(reverse("questionnaire:invitation", args=["niet-geldig"]))
    assert response.status_code == 404
    assert "Uitnodiging niet geldig" in response.content.decode()


def test_pages_for_a_municipality_that_does_not_exist_are_404(client_for, alice):
    response = client_for(alice).get(reverse("questionnaire:team", args=["GM9999"]))
    assert response.status_code == 404
