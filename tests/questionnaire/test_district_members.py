"""Members limited to a district (issue 22, item 4): what "Mijn gemeenten" lists for them, and
how a coordinator limits an editor or reader to a district on the team page (or lifts it)."""

import pytest
from django.utils import translation

from compass.models import Membership, TeamEvent

pytestmark = pytest.mark.django_db


def test_a_district_member_sees_their_districts_cycles_not_the_municipalitys(
    district_cycles, client_for, dina
):
    html = client_for(dina).get("/gemeenten/").content.decode()
    assert f'href="/jaarcycli/{district_cycles.own.pk}/"' in html
    assert "Binnenstad" in html
    assert f'href="/jaarcycli/{district_cycles.municipal.pk}/"' not in html
    assert f'href="/jaarcycli/{district_cycles.other.pk}/"' not in html
    # Nothing they cannot open: no start, import, team, figures, self-assessment.
    for absent in ("/jaarcyclus/nieuw/", "/jaarcyclus/importeren/", "/team/", "/cijfers/"):
        assert absent not in html, absent
    assert "/zelfevaluatie/" not in html and "/vergelijking/" not in html


def test_municipal_members_keep_the_municipal_cycles(district_cycles, client_for, alice):
    html = client_for(alice).get("/gemeenten/").content.decode()
    assert f'href="/jaarcycli/{district_cycles.municipal.pk}/"' in html
    assert f"/jaarcycli/{district_cycles.municipal.pk}/zelfevaluatie/" in html
    # District cycles are reached from the municipal dashboard, not listed here.
    assert f'href="/jaarcycli/{district_cycles.own.pk}/"' not in html


def test_the_team_page_offers_the_districts(districts, client_for, alice, dave):
    html = client_for(alice).get("/gemeenten/GM0344/team/").content.decode()
    assert 'action="/gemeenten/GM0344/team/wijk/"' in html
    assert f'value="{districts.own.pk}"' in html and "Binnenstad" in html


def test_a_coordinator_limits_an_editor_and_lifts_it(districts, client_for, alice, dave):
    client = client_for(alice)
    membership = Membership.objects.get(user=dave)
    response = client.post(
        "/gemeenten/GM0344/team/wijk/",
        {"membership": membership.pk, "district": districts.own.pk},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.district == districts.own
    response = client.post("/gemeenten/GM0344/team/wijk/", {"membership": membership.pk})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.district is None
    events = TeamEvent.objects.filter(action=TeamEvent.Action.DISTRICT_CHANGED)
    assert events.count() == 2
    log = client.get("/gemeenten/GM0344/team/").content.decode()
    assert "Binnenstad" in log


def test_a_limited_editor_loses_the_municipal_cycle_at_once(
    district_cycles, districts, client_for, alice, dave
):
    membership = Membership.objects.get(user=dave)
    client_for(alice).post(
        "/gemeenten/GM0344/team/wijk/",
        {"membership": membership.pk, "district": districts.own.pk},
    )
    client = client_for(dave)
    assert client.get(f"/jaarcycli/{district_cycles.municipal.pk}/").status_code == 404
    assert client.get(f"/jaarcycli/{district_cycles.own.pk}/").status_code == 200


def test_a_coordinator_cannot_be_limited(districts, client_for, alice):
    membership = Membership.objects.get(user=alice)
    with translation.override("nl"):
        response = client_for(alice).post(
            "/gemeenten/GM0344/team/wijk/",
            {"membership": membership.pk, "district": districts.own.pk},
            HTTP_ACCEPT_LANGUAGE="nl",
        )
    assert response.status_code == 200
    assert "utrecht-form-field-error-message" in response.content.decode() or (
        "error" in response.content.decode()
    )
    membership.refresh_from_db()
    assert membership.district is None
    assert not TeamEvent.objects.filter(action=TeamEvent.Action.DISTRICT_CHANGED).exists()


def test_bad_input_is_a_message_not_a_500(districts, gemeente_b, client_for, alice, carol, bob):
    from compass.models import District

    elsewhere = District.objects.create(municipality=gemeente_b, code="WK030701", name="Centrum")
    client = client_for(alice)
    bob_membership = Membership.objects.get(user=bob)
    for data in (
        {"membership": bob_membership.pk, "district": elsewhere.pk},  # another municipality's
        {"membership": bob_membership.pk, "district": "abc"},
        {"membership": Membership.objects.get(user=carol).pk, "district": districts.own.pk},
        {},
    ):
        response = client.post("/gemeenten/GM0344/team/wijk/", data)
        assert response.status_code == 200, data
    bob_membership.refresh_from_db()
    assert bob_membership.district is None
