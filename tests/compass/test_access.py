"""compass/access.py: roles, groups, agreements and the 404/403 rules."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from compass import access
from compass.models import Membership, MunicipalityGroupObjectPermission, TeamEvent
from tests.factories import SharingAgreementFactory, UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    """The same user as a new request would load it: no cached permissions."""
    return type(user).objects.get(pk=user.pk)


COORDINATOR = {"view_cycle", "change_cycle", "manage_team", "submit_assessment", "export_cycle"}


def test_roles_map_to_object_permissions(alice, dave, bob, gemeente_a):
    assert access.perms_on(alice, gemeente_a) == COORDINATOR
    assert access.perms_on(dave, gemeente_a) == {"view_cycle", "change_cycle", "export_cycle"}
    assert access.perms_on(bob, gemeente_a) == {"view_cycle", "export_cycle"}


def test_roles_are_held_by_one_group_per_municipality_and_role(alice, bob, gemeente_a):
    assert list(alice.groups.values_list("name", flat=True)) == ["GM0344 coordinator"]
    assert list(bob.groups.values_list("name", flat=True)) == ["GM0344 reader"]
    # the permission rows are on the group, with the direct foreign key model
    rows = MunicipalityGroupObjectPermission.objects.filter(group__name="GM0344 reader")
    assert {r.permission.codename for r in rows} == {"view_cycle", "export_cycle"}
    assert {r.content_object_id for r in rows} == {gemeente_a.pk}


def test_outsider_gets_404_and_reader_403_on_write(carol, bob, gemeente_a):
    with pytest.raises(Http404):
        access.get_municipality_for(carol, gemeente_a.code)
    assert access.get_municipality_for(bob, gemeente_a.code) == gemeente_a
    assert access.get_municipality_for(bob, gemeente_a.pk) == gemeente_a
    with pytest.raises(PermissionDenied):
        access.get_municipality_for(bob, gemeente_a.code, access.CHANGE_CYCLE)
    with pytest.raises(Http404):
        access.get_municipality_for(bob, "GM9999")
    with pytest.raises(Http404):
        access.get_municipality_for(bob, "not-a-code")


def test_superuser_gets_everything(admin_user, gemeente_a, gemeente_b):
    assert access.perms_on(admin_user, gemeente_b) == COORDINATOR
    assert set(access.municipalities_for(admin_user)) == {gemeente_a, gemeente_b}


def test_content_editor_gets_no_municipal_data(erin, gemeente_a):
    assert erin.has_perm("wagtailadmin.access_admin")
    assert access.perms_on(erin, gemeente_a) == set()
    assert not access.municipalities_for(erin).exists()
    with pytest.raises(Http404):
        access.get_municipality_for(erin, gemeente_a.code)


def test_global_permission_does_not_grant_object_access(gemeente_a):
    """Decision: a model-level permission never opens a municipality (see docs/access.md)."""
    user = UserFactory()
    user.user_permissions.add(
        Permission.objects.get(codename="view_cycle", content_type__app_label="compass")
    )
    user = type(user).objects.get(pk=user.pk)  # fresh permission caches
    assert user.has_perm("compass.view_cycle")
    assert access.perms_on(user, gemeente_a) == set()
    assert not access.municipalities_for(user).exists()
    with pytest.raises(Http404):
        access.get_municipality_for(user, gemeente_a.code)


def test_municipalities_for_filters_by_permission(alice, bob, gemeente_a, gemeente_b):
    assert list(access.municipalities_for(alice, access.MANAGE_TEAM)) == [gemeente_a]
    assert list(access.municipalities_for(bob, access.VIEW_CYCLE)) == [gemeente_a]
    assert not access.municipalities_for(bob, access.MANAGE_TEAM).exists()


def test_duplicate_membership_is_refused_in_dutch(alice, gemeente_a):
    with translation.override("nl"), pytest.raises(ValidationError) as error:
        access.grant(alice, gemeente_a, "reader")
    assert "is al lid van dit team" in error.value.messages[0]
    assert Membership.objects.get(user=alice).role == "coordinator"


def test_change_role_moves_the_user_to_the_other_group(alice, bob, gemeente_a):
    membership = Membership.objects.get(user=bob)
    access.change_role(membership, "editor", actor=alice)
    assert access.perms_on(fresh(bob), gemeente_a) == {"view_cycle", "change_cycle", "export_cycle"}
    assert list(bob.groups.values_list("name", flat=True)) == ["GM0344 editor"]
    event = TeamEvent.objects.get(action="role_changed")
    assert (event.actor, event.old_role, event.new_role) == (alice, "reader", "editor")
    assert "Bob Bakker" in event.subject


def test_revoke_removes_access_at_once(alice, bob, gemeente_a):
    access.revoke(Membership.objects.get(user=bob), actor=alice)
    assert access.perms_on(bob, gemeente_a) == set()
    assert not bob.groups.exists()
    assert TeamEvent.objects.filter(action="member_removed", actor=alice).exists()


def test_last_coordinator_cannot_be_demoted_or_removed(alice, gemeente_a):
    membership = Membership.objects.get(user=alice)
    with translation.override("nl"):
        with pytest.raises(access.LastCoordinatorError, match="minstens één coördinator"):
            access.change_role(membership, "reader", actor=alice)
        with pytest.raises(access.LastCoordinatorError):
            access.revoke(membership, actor=alice)
    membership.refresh_from_db()
    assert membership.role == "coordinator"
    assert access.has_perm(alice, access.MANAGE_TEAM, gemeente_a)


def test_a_second_coordinator_makes_demotion_possible(alice, bob, gemeente_a):
    access.change_role(Membership.objects.get(user=bob), "coordinator")
    access.change_role(Membership.objects.get(user=alice), "reader")
    assert not access.has_perm(fresh(alice), access.MANAGE_TEAM, gemeente_a)


def test_agreement_grants_reading_both_ways_and_leaving_revokes_at_once(
    alice, bob, carol, gemeente_a, gemeente_b
):
    agreement = SharingAgreementFactory()
    access.join_agreement(agreement, gemeente_a, actor=alice)
    assert access.perms_on(carol, gemeente_a) == set()
    access.join_agreement(agreement, gemeente_b, actor=carol)
    # every role of each participant reads the other, and only reads
    assert access.perms_on(fresh(carol), gemeente_a) == {"view_cycle"}
    assert access.perms_on(fresh(bob), gemeente_b) == {"view_cycle"}
    assert access.perms_on(fresh(alice), gemeente_b) == {"view_cycle"}
    access.leave_agreement(agreement, gemeente_b, actor=carol)
    for user, municipality in [(carol, gemeente_a), (bob, gemeente_b), (alice, gemeente_b)]:
        assert access.perms_on(fresh(user), municipality) == set()
    # own rights are untouched
    assert access.perms_on(fresh(alice), gemeente_a) == COORDINATOR


def test_sharing_through_two_agreements_survives_leaving_one(carol, gemeente_a, gemeente_b):
    first, second = SharingAgreementFactory(), SharingAgreementFactory()
    for agreement in (first, second):
        access.join_agreement(agreement, gemeente_a)
        access.join_agreement(agreement, gemeente_b)
    access.leave_agreement(first, gemeente_a)
    assert access.perms_on(fresh(carol), gemeente_a) == {"view_cycle"}
    access.leave_agreement(second, gemeente_a)
    assert access.perms_on(fresh(carol), gemeente_a) == set()


def test_a_member_added_later_gets_the_partner_rights(alice, gemeente_a, gemeente_b):
    agreement = SharingAgreementFactory()
    access.join_agreement(agreement, gemeente_a)
    access.join_agreement(agreement, gemeente_b)
    newcomer = UserFactory()
    access.grant(newcomer, gemeente_b, "reader")
    assert access.perms_on(fresh(newcomer), gemeente_a) == {"view_cycle"}


def test_region_agreement_refuses_outsiders(regio_utrecht, gemeente_a):
    from tests.factories import real_municipality

    amsterdam = real_municipality("GM0363")
    with translation.override("nl"), pytest.raises(ValidationError, match="Alleen gemeenten uit"):
        access.join_agreement(regio_utrecht, amsterdam)
    with pytest.raises(ValidationError):
        access.join_agreement(regio_utrecht, gemeente_a)  # already in


def test_ended_agreement_stops_sharing_after_daily_sync(carol, gemeente_a, gemeente_b):
    import datetime

    agreement = SharingAgreementFactory(end_date=datetime.date(2099, 12, 31))
    access.join_agreement(agreement, gemeente_a)
    access.join_agreement(agreement, gemeente_b)
    assert access.perms_on(fresh(carol), gemeente_a) == {"view_cycle"}
    access.sync_all_sharing(day=datetime.date(2100, 1, 1))
    assert access.perms_on(fresh(carol), gemeente_a) == set()


def test_sync_sharing_command_applies_an_end_date_that_has_passed(carol, gemeente_a, gemeente_b):
    import datetime

    from django.core.management import call_command

    agreement = SharingAgreementFactory()
    access.join_agreement(agreement, gemeente_a)
    access.join_agreement(agreement, gemeente_b)
    assert access.perms_on(fresh(carol), gemeente_a) == {"view_cycle"}
    agreement.end_date = datetime.date(2025, 6, 30)
    agreement.save()
    call_command("sync_sharing", verbosity=0)
    assert access.perms_on(fresh(carol), gemeente_a) == set()


def test_django_admin_changes_go_through_access(client_for, admin_user, gemeente_a, gemeente_b):
    user = UserFactory()
    client = client_for(admin_user)
    response = client.post(
        "/django-admin/compass/membership/add/",
        {"user": user.pk, "municipality": gemeente_a.pk, "role": "editor"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert access.perms_on(fresh(user), gemeente_a) == {
        "view_cycle",
        "change_cycle",
        "export_cycle",
    }
    membership = Membership.objects.get(user=user)
    client.post(
        f"/django-admin/compass/membership/{membership.pk}/change/",
        {"user": user.pk, "municipality": gemeente_b.pk, "role": "reader"},
    )
    assert access.perms_on(fresh(user), gemeente_a) == set()
    assert access.perms_on(fresh(user), gemeente_b) == {"view_cycle", "export_cycle"}
    client.post(f"/django-admin/compass/membership/{membership.pk}/delete/", {"post": "yes"})
    assert access.perms_on(fresh(user), gemeente_b) == set()


def test_an_agreement_that_has_ended_or_not_started_cannot_be_joined(gemeente_a):
    import datetime

    ended = SharingAgreementFactory(
        start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 1, 1)
    )
    future = SharingAgreementFactory(start_date=datetime.date(2099, 1, 1))
    for agreement in (ended, future):
        with translation.override("nl"), pytest.raises(ValidationError, match="niet van kracht"):
            access.join_agreement(agreement, gemeente_a)
        assert not agreement.participations.exists()
