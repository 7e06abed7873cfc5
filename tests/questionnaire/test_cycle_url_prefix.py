"""One URL prefix for everything of a cycle; the old /cycli/<id>/ URLs redirect permanently.

Issue 16.6: a GET or HEAD answers 301, any other method 308 (a POST must not be turned into a
GET), the query string is kept, and nothing is written by the redirect itself.
"""

import pytest
from django.urls import reverse

from compass import services

pytestmark = pytest.mark.django_db

# old path (after /cycli/7/) -> new path (after /jaarcycli/7/)
TABLE = [
    ("zelfevaluatie/", "zelfevaluatie/"),
    ("zelfevaluatie/heropenen/", "zelfevaluatie/heropenen/"),
    ("zelfevaluatie/uitslag/", "zelfevaluatie/uitslag/"),
    ("zelfevaluatie/versies/3/", "zelfevaluatie/versies/3/"),
    ("vergelijking/", "vergelijking/"),
]


@pytest.mark.parametrize(("old", "new"), TABLE)
def test_get_redirects_permanently_keeping_the_query(client, old, new):
    response = client.get(f"/cycli/7/{old}?thema=2&a=%C3%A9")
    assert response.status_code == 301
    assert response["Location"] == f"/jaarcycli/7/{new}?thema=2&a=%C3%A9"
    assert client.head(f"/cycli/7/{old}").status_code == 301


@pytest.mark.parametrize(("old", "new"), TABLE)
def test_post_redirects_with_308_so_it_stays_a_post(client, old, new):
    client.enforce_csrf_checks = True  # the redirect itself is no write: the target checks
    response = client.post(f"/cycli/7/{old}?x=1", {"action": "save"})
    assert response.status_code == 308
    assert response["Location"] == f"/jaarcycli/7/{new}?x=1"


def test_every_old_route_is_in_the_table():
    from questionnaire.views import moved

    tested = {f"cycli/<int:cycle_pk>/{old}".replace("/3/", "/<int:version>/") for old, _ in TABLE}
    assert tested == set(moved.OLD_ROUTES)


def test_the_new_urls_are_the_ones_reversed(gemeente_a, alice):
    cycle = services.start_cycle(gemeente_a, 2026, alice)
    names = {
        "questionnaire:self_assessment": [],
        "questionnaire:self_assessment_reopen": [],
        "questionnaire:self_assessment_results": [],
        "questionnaire:self_assessment_version": [1],
        "questionnaire:benchmark": [],
    }
    for name, extra in names.items():
        assert reverse(name, args=[cycle.pk, *extra]).startswith(f"/jaarcycli/{cycle.pk}/")


def test_the_redirect_ends_on_the_page_for_a_member(client_for, alice, gemeente_a):
    cycle = services.start_cycle(gemeente_a, 2026, alice)
    response = client_for(alice).get(f"/cycli/{cycle.pk}/zelfevaluatie/", follow=True)
    assert response.redirect_chain == [(f"/jaarcycli/{cycle.pk}/zelfevaluatie/", 301)]
    assert response.status_code == 200
