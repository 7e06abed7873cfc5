"""Team management: add by e-mail, invitations, roles, removal, the log; bad input in Dutch."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from compass import access, invitations
from compass.models import Invitation, Membership, TeamEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def team_url(municipality, name="team"):
    return reverse(f"questionnaire:{name}", args=[municipality.code])


def test_coordinator_sees_members_and_the_log(client_for, alice, dave, bob, gemeente_a):
    html = client_for(alice).get(team_url(gemeente_a)).content.decode()
    assert "Team van Utrecht" in html
    for name in ("Alice de Vries", "Dave Jansen", "Bob Bakker"):
        assert name in html
    assert "Logboek van wijzigingen" in html


def test_existing_account_is_invited_and_joins_only_after_accepting(
    client_for, alice, gemeente_a, django_capture_on_commit_callbacks
):
    newcomer = UserFactory(email="Noor.Smits@Utrecht.example", first_name="Noor", last_name="Smits")
    client = client_for(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            team_url(gemeente_a, "team_add"),
            {"email": "noor.smits@utrecht.EXAMPLE", "role": "editor"},
        )
    assert response.status_code == 302
    assert not Membership.objects.filter(user=newcomer).exists()
    html = client.get(response.url).content.decode()
    assert "We hebben een uitnodiging gestuurd naar noor.smits@utrecht.EXAMPLE" in html
    assert "Noor Smits" not in html  # the reply never names an account
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/uitnodiging/\S+/)", mail.outbox[0].body).group(1)

    # Noor logs in with her existing account and accepts: the address matches (any case)
    noor = client_for(newcomer)
    assert "Accepteren en lid worden" in noor.get(link).content.decode()
    response = noor.post(link)
    assert response.status_code == 302
    assert Membership.objects.get(user=newcomer).role == "editor"
    event = TeamEvent.objects.get(action="invitation_accepted", actor=newcomer)
    assert event.new_role == "editor"
    assert TeamEvent.objects.filter(action="member_invited", actor=alice).exists()


def test_unknown_email_gets_an_invitation_link_by_mail_and_on_screen(
    client, client_for, alice, gemeente_a, django_capture_on_commit_callbacks
):
    coordinator = client_for(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            team_url(gemeente_a, "team_add"), {"email": "Nieuw@Utrecht.example", "role": "reader"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("Nieuw@Utrecht.example", "reader")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["Nieuw@Utrecht.example"]
    assert "team van Utrecht" in mail.outbox[0].body
    link = re.search(r"http://testserver(/uitnodiging/\S+/)", mail.outbox[0].body).group(1)
    html = coordinator.get(response.url).content.decode()
    assert "We hebben een uitnodiging gestuurd" in html
    assert link in html  # the coordinator can pass the link on without mail

    # the invitee chooses a username and password and lands on Mijn gemeenten
    page = client.get(link)
    assert "U bent uitgenodigd voor het team van Utrecht, als lezer" in page.content.decode()
    response = client.post(
        link,
        {
            "username": "nieuw",
            "first_name": "Nina",
            "last_name": "Nieuw",
            "password1": "een-lang-wachtwoord-42",
            "password2": "een-lang-wachtwoord-42",
        },
    )
    assert response.status_code == 302 and response.url == reverse("questionnaire:start")
    user = Membership.objects.get(
        municipality=gemeente_a, role="reader", user__username="nieuw"
    ).user
    assert user.email == "Nieuw@utrecht.example"  # create_user lowercases the domain
    assert (
        "Welkom! U bent nu lezer in het team van Utrecht"
        in client.get(response.url).content.decode()
    )
    assert TeamEvent.objects.filter(action="invitation_accepted", actor=user).exists()
    # the link works once
    assert (
        client.get(link).status_code == 404 or "Log eerst uit" in client.get(link).content.decode()
    )
    client.logout()
    assert client.get(link).status_code == 404


def test_expired_or_forged_invitation_link_is_refused(client, alice, gemeente_a, monkeypatch):
    invitation = Invitation.objects.create(municipality=gemeente_a, email="x@y.nl", role="reader")
    token = invitations.token_for(invitation)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(reverse("questionnaire:invitation", args=[forged])).status_code == 404
    monkeypatch.setattr(invitations, "INVITATION_MAX_AGE", -1)
    response = client.get(reverse("questionnaire:invitation", args=[token]))
    assert response.status_code == 404
    assert "verlopen" in response.content.decode()


def test_bad_email_gets_a_dutch_message_and_changes_nothing(client_for, alice, gemeente_a):
    response = client_for(alice).post(
        team_url(gemeente_a, "team_add"), {"email": "geen-adres", "role": "reader"}
    )
    assert response.status_code == 200
    assert "Vul een e-mailadres in zoals naam@gemeente.nl." in response.content.decode()
    assert not Invitation.objects.exists() and Membership.objects.count() == 1
    assert len(mail.outbox) == 0


def test_missing_role_gets_a_dutch_message(client_for, alice, gemeente_a):
    response = client_for(alice).post(team_url(gemeente_a, "team_add"), {"email": "a@b.nl"})
    assert "Kies een rol." in response.content.decode()
    assert not Invitation.objects.exists()


def test_duplicate_membership_gets_a_dutch_message_and_changes_nothing(
    client_for, alice, bob, gemeente_a
):
    response = client_for(alice).post(
        team_url(gemeente_a, "team_add"), {"email": bob.email.upper(), "role": "editor"}
    )
    assert response.status_code == 200
    assert "Bob Bakker (bob@example.org) is al lid van dit team." in response.content.decode()
    assert Membership.objects.get(user=bob).role == "reader"
    assert not TeamEvent.objects.filter(action="member_added", actor=alice).exists()


def test_duplicate_invitation_is_refused(client_for, alice, gemeente_a):
    client = client_for(alice)
    client.post(team_url(gemeente_a, "team_add"), {"email": "n@u.nl", "role": "reader"})
    response = client.post(team_url(gemeente_a, "team_add"), {"email": "N@U.nl", "role": "editor"})
    assert "N@U.nl is al uitgenodigd voor dit team." in response.content.decode()
    assert Invitation.objects.count() == 1


def test_change_role_and_see_it_in_the_log(client_for, alice, bob, gemeente_a):
    client = client_for(alice)
    membership = Membership.objects.get(user=bob)
    response = client.post(
        team_url(gemeente_a, "team_role"), {"membership": membership.pk, "role": "editor"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "editor"
    html = client.get(response.url).content.decode()
    assert "De rol van Bob Bakker (bob@example.org) is nu redacteur." in html
    assert "Rol gewijzigd: Bob Bakker (bob@example.org) (lezer → redacteur)" in html
    assert "Alice de Vries" in html


def test_remove_member(client_for, alice, bob, gemeente_a):
    client = client_for(alice)
    membership = Membership.objects.get(user=bob)
    response = client.post(team_url(gemeente_a, "team_remove"), {"membership": membership.pk})
    assert response.status_code == 302
    assert not Membership.objects.filter(user=bob).exists()
    assert client_for(bob).get(team_url(gemeente_a)).status_code == 404
    assert "Verwijderd: Bob Bakker" in client.get(response.url).content.decode()


def test_last_coordinator_cannot_be_removed_or_demoted(client_for, alice, gemeente_a):
    client = client_for(alice)
    membership = Membership.objects.get(user=alice)
    for name, data in [
        ("team_remove", {"membership": membership.pk}),
        ("team_role", {"membership": membership.pk, "role": "reader"}),
    ]:
        response = client.post(team_url(gemeente_a, name), data)
        assert response.status_code == 200
        assert "Een team heeft altijd minstens één coördinator" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "coordinator"
    assert not TeamEvent.objects.filter(actor=alice).exists()


def test_forged_member_id_of_another_municipality_changes_nothing(
    client_for, alice, carol, gemeente_a, gemeente_b
):
    foreign = Membership.objects.get(user=carol)
    client = client_for(alice)
    for name, data in [
        ("team_remove", {"membership": foreign.pk}),
        ("team_role", {"membership": foreign.pk, "role": "reader"}),
    ]:
        response = client.post(team_url(gemeente_a, name), data)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Deze persoon is geen lid van dit team. Er is niets gewijzigd." in html
        assert "Carol" not in html
    foreign.refresh_from_db()
    assert foreign.role == "coordinator"
    assert access.has_perm(carol, access.MANAGE_TEAM, gemeente_b)
    for junk in ("abc", "", "99999999"):
        response = client.post(team_url(gemeente_a, "team_remove"), {"membership": junk})
        assert response.status_code == 200


def test_coordinator_removing_themselves_goes_to_start(client_for, alice, bob, gemeente_a):
    access.change_role(Membership.objects.get(user=bob), "coordinator")
    response = client_for(alice).post(
        team_url(gemeente_a, "team_remove"), {"membership": Membership.objects.get(user=alice).pk}
    )
    assert response.url == reverse("questionnaire:start")
    assert not Membership.objects.filter(user=alice).exists()
