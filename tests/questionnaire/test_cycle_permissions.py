"""Every view of the annual cycle against the whole cast (target: Gemeente A, Utrecht).

Readers and partners with an agreement (pia) read everything and change nothing (403 on a
write); outsiders get 404, so the existence of a cycle is not leaked.
"""

import pytest

from compass import services
from compass.models import Ambition, StepProgress, TargetGroup
from tests.questionnaire.cycle_helpers import post_data

pytestmark = pytest.mark.django_db

CAST = ["alice", "dave", "bob", "carol", "pia", "quinn", "erin", "admin", "anonymous"]
LOGIN = "login"
READ = {
    "alice": 200,
    "dave": 200,
    "bob": 200,
    "carol": 404,
    "pia": 200,
    "quinn": 404,
    "erin": 404,
    "admin": 200,
    "anonymous": LOGIN,
}
WRITE = {
    "alice": 302,
    "dave": 302,
    "bob": 403,
    "carol": 404,
    "pia": 403,
    "quinn": 404,
    "erin": 404,
    "admin": 302,
    "anonymous": LOGIN,
}
START = {
    "alice": 200,
    "dave": 200,
    "bob": 403,
    "carol": 404,
    "pia": 403,
    "quinn": 404,
    "erin": 404,
    "admin": 200,
    "anonymous": LOGIN,
}


@pytest.fixture
def cycle_a(gemeente_a, alice):
    cycle = services.start_cycle(gemeente_a, 2026, alice)
    Ambition.objects.create(cycle=cycle, kind="reduce", text="Ambitie van Utrecht")
    return cycle


def _status(response):
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("who", CAST)
def test_cycle_views_permission_matrix(who, cast, client_for, cycle_a, gemeente_a):
    client = client_for(cast[who])
    base = f"/jaarcycli/{cycle_a.pk}/"
    assert _status(client.get(base)) == READ[who]
    assert _status(client.get(base + "ambities/")) == READ[who]
    assert _status(client.get(base + "ambities/geschiedenis/")) == READ[who]
    assert _status(client.get(f"/gemeenten/{gemeente_a.code}/jaarcyclus/nieuw/")) == START[who]
    assert client.get("/jaarcycli/hulp/").status_code == 200
    data = post_data(cycle_a, "doelgroepen", {"target_groups": [{"name": f"Van {who}"}]})
    assert _status(client.post(base + "doelgroepen/", data)) == WRITE[who]
    saved = TargetGroup.objects.filter(name=f"Van {who}").exists()
    assert saved == (WRITE[who] == 302)
    start = client.post(
        f"/gemeenten/{gemeente_a.code}/jaarcyclus/nieuw/", {"year": "2027", "copy_forward": "0"}
    )
    expected = 302 if START[who] == 200 else START[who]
    assert _status(start) == expected
    assert gemeente_a.cycles.filter(year=2027).exists() == (expected == 302)


@pytest.mark.parametrize("who", ["bob", "pia"])
def test_readers_see_the_step_read_only(who, cast, client_for, cycle_a):
    body = client_for(cast[who]).get(f"/jaarcycli/{cycle_a.pk}/ambities/").content.decode()
    assert "Ambitie van Utrecht" in body
    assert 'name="version"' not in body and "<textarea" not in body
    assert "U kunt deze stap lezen" in body


@pytest.mark.parametrize("who", ["bob", "pia"])
def test_readers_draft_posts_are_refused_and_store_nothing(who, cast, client_for, cycle_a):
    data = post_data(cycle_a, "doelgroepen", {"target_groups": [{"name": "x"}]}, action="draft")
    response = client_for(cast[who]).post(f"/jaarcycli/{cycle_a.pk}/doelgroepen/", data)
    assert response.status_code == 403
    assert not StepProgress.objects.filter(cycle=cycle_a).exclude(draft={}).exists()


def test_an_unknown_step_or_cycle_is_404(alice, client_for, cycle_a):
    client = client_for(alice)
    assert client.get(f"/jaarcycli/{cycle_a.pk}/bestaat-niet/").status_code == 404
    assert client.get("/jaarcycli/999999/ambities/").status_code == 404
    assert client.get(f"/jaarcycli/{cycle_a.pk}/bestaat-niet/geschiedenis/").status_code == 404


def test_wrong_method_is_405(alice, client_for, cycle_a):
    client = client_for(alice)
    assert client.put(f"/jaarcycli/{cycle_a.pk}/ambities/").status_code == 405
    assert client.post(f"/jaarcycli/{cycle_a.pk}/").status_code == 405


def test_dashboard_links_the_self_assessment_and_the_figures(alice, client_for, cycle_a):
    html = client_for(alice).get(f"/jaarcycli/{cycle_a.pk}/").content.decode()
    assert f'href="/jaarcycli/{cycle_a.pk}/zelfevaluatie/">Zelfevaluatie</a>' in html
    assert 'href="/gemeenten/GM0344/cijfers/">Cijfers van Utrecht</a>' in html
