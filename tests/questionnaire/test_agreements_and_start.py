"""Sharing agreements through the pages, and the "Mijn gemeenten" start page."""

import pytest
from django.urls import reverse

from compass import access
from compass.models import AgreementParticipation, JoinRequest, TeamEvent

pytestmark = pytest.mark.django_db


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_login_lands_on_mijn_gemeenten(client, alice):
    from tests.factories import TEST_PASSWORD

    response = client.post(reverse("login"), {"username": "alice", "password": TEST_PASSWORD})
    assert response.url == reverse("questionnaire:start")
    html = client.get(response.url).content.decode()
    assert "<h1" in html and "Mijn gemeenten" in html
    assert 'aria-current="page">Mijn gemeenten' in html


def test_start_page_lists_municipalities_role_and_team_link(client_for, alice, bob, gemeente_a):
    html = client_for(alice).get(reverse("questionnaire:start")).content.decode()
    assert "Utrecht" in html and "coördinator" in html
    assert reverse("questionnaire:team", args=["GM0344"]) in html
    assert "Jaarcycli" in html and "nog geen" in html
    reader = client_for(bob).get(reverse("questionnaire:start")).content.decode()
    assert "lezer" in reader
    assert reverse("questionnaire:team", args=["GM0344"]) not in reader


def test_start_page_for_someone_without_a_team(client_for, erin):
    html = client_for(erin).get(reverse("questionnaire:start")).content.decode()
    assert "U bent nog geen lid van een gemeentelijk team" in html


def test_start_page_lists_what_is_shared_through_an_agreement(
    client_for, alice, pia, quinn, regio_utrecht
):
    html = client_for(alice).get(reverse("questionnaire:start")).content.decode()
    assert "Met u gedeeld" in html and "Nieuwegein" in html
    assert "IJsselstein" not in html
    assert (
        "Met u gedeeld"
        not in client_for(quinn).get(reverse("questionnaire:start")).content.decode()
    )


def test_joining_waits_for_every_participant_then_leaving_is_immediate_both_ways(
    client_for, alice, carol, pia, gemeente_a, gemeente_b, gemeente_p, regio_utrecht
):
    client = client_for(carol)
    page = client.get(reverse("questionnaire:agreements")).content.decode()
    assert "Regio Utrecht" in page and "Deelname aanvragen namens Amersfoort" in page
    assert not access.has_perm(fresh(carol), access.VIEW_CYCLE, gemeente_a)

    response = client.post(
        reverse("questionnaire:agreement_join", args=[regio_utrecht.pk]),
        {"municipality": gemeente_b.code},
    )
    assert response.status_code == 302
    assert "Amersfoort heeft gevraagd om deel te nemen" in client.get(response.url).content.decode()
    assert access.perms_on(fresh(carol), gemeente_a) == set()
    join_request = JoinRequest.objects.get(municipality=gemeente_b)

    for coordinator, participant in ((alice, gemeente_a), (pia, gemeente_p)):
        assert access.perms_on(fresh(carol), gemeente_a) == set()  # not yet: every one decides
        response = client_for(coordinator).post(
            reverse("questionnaire:agreement_accept", args=[regio_utrecht.pk]),
            {"request": join_request.pk, "municipality": participant.code},
        )
        assert response.status_code == 302
    assert access.perms_on(fresh(carol), gemeente_a) == {"view_cycle"}
    assert access.perms_on(fresh(alice), gemeente_b) == {"view_cycle"}
    assert "Amersfoort" in client_for(alice).get(reverse("questionnaire:start")).content.decode()

    response = client.post(
        reverse("questionnaire:agreement_leave", args=[regio_utrecht.pk]),
        {"municipality": gemeente_b.code},
    )
    assert response.status_code == 302
    assert access.perms_on(fresh(carol), gemeente_a) == set()
    assert access.perms_on(fresh(alice), gemeente_b) == set()
    assert AgreementParticipation.objects.get(municipality=gemeente_b).left_at is not None
    actions = list(
        TeamEvent.objects.filter(
            municipality=gemeente_b, action__startswith="agreement"
        ).values_list("action", flat=True)
    )
    assert sorted(actions) == ["agreement_joined", "agreement_left", "agreement_requested"]
    utrecht_log = set(
        TeamEvent.objects.filter(municipality=gemeente_a).values_list("action", flat=True)
    )
    assert {"agreement_approved", "agreement_partner_joined", "agreement_partner_left"} <= (
        utrecht_log
    )


def test_forged_municipality_in_agreement_post_changes_nothing(
    client_for, carol, gemeente_a, regio_utrecht
):
    before = list(AgreementParticipation.objects.values_list("pk", "left_at"))
    not_yours = "Kies een gemeente waarvan u coördinator bent. Er is niets gewijzigd."
    cases = {
        gemeente_a.code: not_yours,
        "GM9999": not_yours,
        "x' OR 1=1": not_yours,
        "": "Kies de gemeente namens wie u handelt.",
    }
    for code, message in cases.items():
        response = client_for(carol).post(
            reverse("questionnaire:agreement_leave", args=[regio_utrecht.pk]),
            {"municipality": code},
        )
        assert response.status_code == 200
        assert message in response.content.decode()
    assert list(AgreementParticipation.objects.values_list("pk", "left_at")) == before


def test_joining_twice_gets_a_dutch_message(client_for, alice, gemeente_a, regio_utrecht):
    response = client_for(alice).post(
        reverse("questionnaire:agreement_join", args=[regio_utrecht.pk]),
        {"municipality": gemeente_a.code},
    )
    assert response.status_code == 200
    assert "Utrecht neemt al deel aan deze samenwerkingsafspraak." in response.content.decode()


def test_closed_agreement_is_invisible_to_non_participants(
    client_for, alice, carol, pia, closed_agreement_b
):
    assert (
        "Afspraak-geheim-7731"
        in client_for(carol).get(reverse("questionnaire:agreements")).content.decode()
    )
    assert (
        "Afspraak-geheim-7731"
        in client_for(pia).get(reverse("questionnaire:agreements")).content.decode()
    )
    assert (
        "Afspraak-geheim-7731"
        not in client_for(alice).get(reverse("questionnaire:agreements")).content.decode()
    )
    response = client_for(alice).post(
        reverse("questionnaire:agreement_join", args=[closed_agreement_b.pk]),
        {"municipality": "GM0344"},
    )
    assert response.status_code == 404


def test_start_page_marks_a_merged_municipality(client_for, alice, gemeente_a):
    gemeente_a.status = "merged"
    gemeente_a.save()
    html = client_for(alice).get(reverse("questionnaire:start")).content.decode()
    assert "Utrecht" in html and "(opgeheven na fusie)" in html
