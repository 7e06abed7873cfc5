"""Issue 14, items 3, 4, 5 and 10: each attack performed through HTTP as the attacker would.

3. add-by-e-mail looked accounts up and added them at once (also the superuser and content
   editors); 4. an unconfirmed e-mail address caught invitations; 5. a coordinator joined another
   municipality's agreement unilaterally; 10. partners saw the staff names of other
   municipalities.
"""

import re

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from compass import access, invitations
from compass.models import (
    AccountSettings,
    Invitation,
    JoinRequest,
    Membership,
    TeamEvent,
)
from tests.factories import UserFactory, member
from tests.questionnaire.cycle_helpers import post_data, start, step_url

pytestmark = pytest.mark.django_db


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def team_url(municipality, name="team"):
    return reverse(f"questionnaire:{name}", args=[municipality.code])


def invite(client, municipality, email, role="reader"):
    return client.post(team_url(municipality, "team_add"), {"email": email, "role": role})


def link_in(message) -> str:
    return re.search(r"http://testserver(/uitnodiging/\S+/)", message.body).group(1)


def reply_text(client, response) -> str:
    """The success message the coordinator sees after the redirect, without the address."""
    html = client.get(response.url).content.decode()
    return re.search(r"We hebben een uitnodiging gestuurd naar [^<]*", html).group(0)


# --- 3. Add-by-e-mail ------------------------------------------------------------------------


def test_add_by_email_neither_reveals_nor_adds_an_existing_account(
    client_for, carol, erin, gemeente_b, django_capture_on_commit_callbacks
):
    coordinator = client_for(carol)
    replies = []
    for address in (erin.email, "niemand@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            response = invite(coordinator, gemeente_b, address)
        assert response.status_code == 302
        replies.append(reply_text(coordinator, response).replace(address, "ADDRESS"))
    assert replies[0] == replies[1]
    page = coordinator.get(team_url(gemeente_b)).content.decode()
    assert "Erin" not in page and "Smit" not in page
    assert not Membership.objects.filter(user=erin).exists()
    assert access.perms_on(fresh(erin), gemeente_b) == set()
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("who", ["erin", "admin_user"])
def test_content_editor_and_superuser_cannot_accept_a_municipal_role(
    who, request, client_for, carol, gemeente_b, django_capture_on_commit_callbacks
):
    target = request.getfixturevalue(who)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client_for(carol), gemeente_b, target.email)
    link = link_in(mail.outbox[-1])
    response = client_for(target).post(link)
    assert response.status_code == 400
    assert "kunnen geen lid worden van een team" in response.content.decode()
    assert not Membership.objects.filter(user=target).exists()
    if who == "erin":
        assert access.perms_on(fresh(target), gemeente_b) == set()
        assert access.municipalities_for(fresh(target)).count() == 0


def test_the_grant_function_and_the_model_refuse_staff_and_content_editors(
    erin, admin_user, gemeente_a
):
    from django.core.exceptions import ValidationError

    for user in (erin, admin_user, UserFactory(username="staff", is_staff=True)):
        with pytest.raises(ValidationError):
            access.grant(user, gemeente_a, "reader")
        with pytest.raises(ValidationError):
            Membership(user=user, municipality=gemeente_a, role="reader").full_clean()
    assert not Membership.objects.filter(user__in=[erin, admin_user]).exists()


def test_django_admin_cannot_give_a_content_editor_a_role(client_for, admin_user, erin, gemeente_a):
    response = client_for(admin_user).post(
        "/django-admin/compass/membership/add/",
        {"user": erin.pk, "municipality": gemeente_a.pk, "role": "reader"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert not Membership.objects.filter(user=erin).exists()


def test_withdrawn_invitation_link_stops_working(
    client, client_for, alice, gemeente_a, django_capture_on_commit_callbacks
):
    coordinator = client_for(alice)
    with django_capture_on_commit_callbacks(execute=True):
        invite(coordinator, gemeente_a, "weg@utrecht.example")
    link = link_in(mail.outbox[0])
    invitation = Invitation.objects.get()
    response = coordinator.post(
        team_url(gemeente_a, "team_withdraw"), {"invitation": invitation.pk}
    )
    assert response.status_code == 302
    assert "is ingetrokken" in coordinator.get(response.url).content.decode()
    assert client.get(link).status_code == 404
    assert TeamEvent.objects.filter(action="invitation_withdrawn", actor=alice).exists()
    assert "invitation-link" not in coordinator.get(team_url(gemeente_a)).content.decode()


def test_withdrawing_another_teams_invitation_changes_nothing(
    client_for, alice, carol, gemeente_a, gemeente_b
):
    theirs = Invitation.objects.create(municipality=gemeente_b, email="b@x.nl", role="reader")
    response = client_for(alice).post(
        team_url(gemeente_a, "team_withdraw"), {"invitation": theirs.pk}
    )
    assert response.status_code == 200
    assert "Dit is geen openstaande uitnodiging van dit team." in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.withdrawn_at is None


@pytest.mark.parametrize(
    ("who", "expected"),
    [("alice", 302), ("bob", 403), ("carol", 404), ("erin", 404), ("anonymous", "login")],
)
def test_withdraw_permission_matrix(who, expected, cast, client_for, gemeente_a):
    invitation = Invitation.objects.create(municipality=gemeente_a, email="p@x.nl", role="reader")
    response = client_for(cast[who]).post(
        team_url(gemeente_a, "team_withdraw"), {"invitation": invitation.pk}
    )
    if expected == "login":
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected
    invitation.refresh_from_db()
    assert (invitation.withdrawn_at is not None) == (expected == 302)


def test_invitations_are_rate_limited_per_coordinator_and_per_municipality(
    client_for, alice, gemeente_a, django_capture_on_commit_callbacks
):
    second = UserFactory(username="tweede")
    member(second, gemeente_a, "coordinator")
    limit = invitations.INVITATIONS_PER_COORDINATOR_PER_HOUR
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(limit):
            assert invite(client_for(alice), gemeente_a, f"a{n}@x.nl").status_code == 302
        refused = invite(client_for(alice), gemeente_a, "one-more@x.nl")
    assert refused.status_code == 200
    assert "U hebt het afgelopen uur veel uitnodigingen verstuurd" in refused.content.decode()
    assert len(mail.outbox) == limit and Invitation.objects.count() == limit

    # the team as a whole: a second coordinator fills the municipality's limit, then stops
    rest = invitations.INVITATIONS_PER_MUNICIPALITY_PER_HOUR - limit
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(rest):
            invite(client_for(second), gemeente_a, f"b{n}@x.nl")
        refused = invite(client_for(second), gemeente_a, "b-more@x.nl")
    assert "U hebt het afgelopen uur veel uitnodigingen verstuurd" in refused.content.decode()
    assert Invitation.objects.count() == invitations.INVITATIONS_PER_MUNICIPALITY_PER_HOUR
    # a withdrawn invitation still counts
    Invitation.objects.update(withdrawn_at="2026-01-01T00:00Z")
    assert invite(client_for(second), gemeente_a, "c@x.nl").status_code == 200


# --- 4. Unverified e-mail change ---------------------------------------------------------------


def _wagtail_account_post(user, **changes):
    """The Wagtail account page's own POST, every panel as the page renders it, with changes."""
    from wagtail.admin.views.account import AccountView

    request = RequestFactory().get("/cms-admin/account/")
    request.user = user
    view = AccountView()
    view.setup(request)
    data = {}
    for panel in view.get_panels():
        form = panel.get_form()
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or field.widget.input_type == "file":
                continue
            data[form.add_prefix(name)] = value
    data.update(changes)
    return data


def test_wagtail_account_page_cannot_change_the_email_address(client_for, erin):
    data = _wagtail_account_post(erin, **{"name_email-email": "alice.nieuw@utrecht.example"})
    client_for(erin).post("/cms-admin/account/", data)
    assert fresh(erin).email == "erin@example.org"


def test_email_change_applies_only_through_the_link_sent_to_the_new_address(
    client_for, alice, bob, django_capture_on_commit_callbacks
):
    client = client_for(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("questionnaire:account"), {"form": "email", "email": "wethouder@utrecht.nl"}
        )
    assert response.status_code == 302
    assert fresh(bob).email == "bob@example.org"  # not yet
    assert mail.outbox[-1].to == ["wethouder@utrecht.nl"]
    link = re.search(r"http://testserver(/mijn-account/e-mail/\S+/)", mail.outbox[-1].body)[1]

    # someone else's session cannot use the link; a forged one is refused
    assert client_for(alice).get(link).status_code == 404
    assert client.get(link[:-3] + "xx/").status_code == 404
    assert fresh(alice).email == "alice@example.org"

    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(link).status_code == 302
    assert fresh(bob).email == "wethouder@utrecht.nl"
    assert mail.outbox[-1].to == ["bob@example.org"]  # the old address is told
    assert client.get(link).status_code == 404  # once


def test_invitation_is_bound_to_the_address_it_was_sent_to(
    client_for, alice, carol, gemeente_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client_for(alice), gemeente_a, "nieuw@utrecht.example", "editor")
    link = link_in(mail.outbox[0])
    attacker = client_for(
        carol
    )  # has the link (forwarded, guessed from a screen) but not the address
    page = attacker.get(link).content.decode()
    assert "naar een ander e-mailadres gestuurd" in page
    assert attacker.post(link).status_code == 400
    assert access.perms_on(fresh(carol), gemeente_a) == set()
    assert Invitation.objects.get().accepted_at is None


# --- 5. Agreements joined unilaterally -------------------------------------------------------


def test_joining_an_agreement_is_a_request_the_participants_are_told_about(
    client_for, alice, carol, pia, gemeente_a, gemeente_b, regio_utrecht,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(carol).post(
            reverse("questionnaire:agreement_join", args=[regio_utrecht.pk]),
            {"municipality": gemeente_b.code},
        )
    assert response.status_code == 302
    # carol reads nothing of Utrecht, nor Utrecht of Amersfoort
    assert access.perms_on(fresh(carol), gemeente_a) == set()
    assert access.perms_on(fresh(alice), gemeente_b) == set()
    cycle = start(gemeente_a, 2026, alice)
    assert client_for(carol).get(f"/jaarcycli/{cycle.pk}/").status_code == 404
    # told by e-mail, on the page, and in the team log
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "pia@example.org"]
    assert "Amersfoort vraagt om deel te nemen" in mail.outbox[0].subject
    page = client_for(alice).get(reverse("questionnaire:agreements")).content.decode()
    assert "Amersfoort accepteren namens Utrecht" in page
    assert TeamEvent.objects.filter(municipality=gemeente_a, action="agreement_requested").exists()


def test_one_participant_refusing_closes_the_request(
    client_for, alice, carol, pia, gemeente_a, gemeente_b, gemeente_p, regio_utrecht,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    join_request = access.request_join(regio_utrecht, gemeente_b, actor=carol)
    client_for(alice).post(
        reverse("questionnaire:agreement_accept", args=[regio_utrecht.pk]),
        {"request": join_request.pk, "municipality": gemeente_a.code},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(pia).post(
            reverse("questionnaire:agreement_refuse", args=[regio_utrecht.pk]),
            {"request": join_request.pk, "municipality": gemeente_p.code},
        )
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.REFUSED
    assert access.perms_on(fresh(carol), gemeente_a) == set()
    assert "carol@example.org" in {m.to[0] for m in mail.outbox}


def test_a_request_cannot_be_accepted_for_someone_elses_municipality(
    client_for, carol, quinn, gemeente_a, gemeente_b, regio_utrecht
):
    join_request = access.request_join(regio_utrecht, gemeente_b, actor=carol)
    # carol accepts her own request on behalf of Utrecht; quinn (same region, no participant)
    for user, code in ((carol, gemeente_a.code), (carol, gemeente_b.code), (quinn, "GM0353")):
        response = client_for(user).post(
            reverse("questionnaire:agreement_accept", args=[regio_utrecht.pk]),
            {"request": join_request.pk, "municipality": code},
        )
        assert response.status_code == 200
    assert not join_request.approvals.exists()
    assert access.perms_on(fresh(carol), gemeente_a) == set()


@pytest.mark.parametrize(
    ("who", "expected"),
    [("alice", 302), ("bob", 403), ("dave", 403), ("erin", 404), ("anonymous", "login")],
)
def test_accept_permission_matrix(who, expected, cast, client_for, gemeente_a, regio_utrecht):
    join_request = access.request_join(regio_utrecht, cast["quinn"].memberships.get().municipality)
    response = client_for(cast[who]).post(
        reverse("questionnaire:agreement_accept", args=[regio_utrecht.pk]),
        {"request": join_request.pk, "municipality": gemeente_a.code},
    )
    if expected == "login":
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected
    assert join_request.approvals.exists() == (expected == 302)


def test_the_asker_can_withdraw_its_request(client_for, carol, gemeente_b, regio_utrecht):
    join_request = access.request_join(regio_utrecht, gemeente_b, actor=carol)
    response = client_for(carol).post(
        reverse("questionnaire:agreement_withdraw", args=[regio_utrecht.pk]),
        {"request": join_request.pk, "municipality": gemeente_b.code},
    )
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.WITHDRAWN


# --- 10. Partners see staff names ------------------------------------------------------------


@pytest.fixture
def saved_by_alice(gemeente_a, alice):
    cycle = start(gemeente_a, 2026, alice)
    rows = {"ambitions": [{"kind": "strengthen", "text": "Op tijd steun", "direction": "higher"}]}
    response = client_for_user(alice).post(
        step_url(cycle, "ambities"), post_data(cycle, "ambities", rows, owner=alice)
    )
    assert response.status_code == 302
    return cycle


def client_for_user(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _pages(cycle):
    return [
        f"/jaarcycli/{cycle.pk}/",
        step_url(cycle, "ambities"),
        f"/jaarcycli/{cycle.pk}/ambities/geschiedenis/",
    ]


def test_partners_see_the_municipality_instead_of_the_staff_name(
    client_for, pia, bob, regio_utrecht, saved_by_alice
):
    for url in _pages(saved_by_alice):
        partner_page = client_for(pia).get(url)
        assert partner_page.status_code == 200, url
        html = partner_page.content.decode()
        assert "Alice" not in html and "de Vries" not in html, url
        assert "gemeente Utrecht" in html, url
        assert "Alice de Vries" in client_for(bob).get(url).content.decode(), url


def test_a_person_who_chose_to_be_visible_is_named_to_partners(
    client_for, alice, pia, regio_utrecht, saved_by_alice
):
    page = client_for(alice).get(reverse("questionnaire:account")).content.decode()
    assert "Zichtbaar voor partnergemeenten" in page
    response = client_for(alice).post(
        reverse("questionnaire:account"), {"form": "settings", "visible_to_partners": "on"}
    )
    assert response.status_code == 302
    assert AccountSettings.objects.get(user=alice).visible_to_partners
    for url in _pages(saved_by_alice):
        assert "Alice de Vries" in client_for(pia).get(url).content.decode(), url


def test_account_page_needs_a_login(client):
    response = client.get(reverse("questionnaire:account"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
