"""THE access rules: roles -> object permissions on Municipality, grants, revokes and checks.

Every view that touches a municipality's data gets it through `get_municipality_for` or
`get_cycle_for` (a cycle follows its municipality); every list filters with
`municipalities_for` or `cycles_for`. Permissions are
only ever granted or revoked here, by the service functions below.

- A role is a django-guardian group per municipality and role ("GM0344 coordinator") that
  holds that role's permissions on the municipality; a membership is a place in that group.
- A sharing agreement grants `view_cycle` on each participant to the groups (all roles) of
  the other participants, and that grant is revoked as soon as one of them leaves.
- Global (model-level) permissions never grant access to a municipality's data; superusers
  are the only exception (see docs/access.md).
- A merged municipality stays readable, but its cycles can no longer be changed.
- A closed cycle is read-only: every write reaches its cycle through `get_cycle_for_write` or
  `check_cycle_write`, which refuse it (403 with a message) whatever the user's role.
- A district member (a `Membership` with a district, editor or reader) holds no permission on
  the municipality: only their role's `DISTRICT_PERMISSIONS` on that district's cycles
  (`perms_on_cycle`). Checks of a cycle go through `perms_on_cycle`, never `perms_on` alone.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import get_objects_for_user

from compass.models import (
    AgreementParticipation,
    Cycle,
    District,
    JoinApproval,
    JoinRequest,
    Membership,
    Municipality,
    MunicipalityGroupObjectPermission,
    Role,
    SharingAgreement,
    TeamEvent,
)
from compass.models.organisations import may_hold_municipal_role

VIEW_CYCLE = "view_cycle"
CHANGE_CYCLE = "change_cycle"
MANAGE_TEAM = "manage_team"
SUBMIT_ASSESSMENT = "submit_assessment"
EXPORT_CYCLE = "export_cycle"

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.COORDINATOR: (VIEW_CYCLE, CHANGE_CYCLE, MANAGE_TEAM, SUBMIT_ASSESSMENT, EXPORT_CYCLE),
    Role.EDITOR: (VIEW_CYCLE, CHANGE_CYCLE, EXPORT_CYCLE),
    Role.READER: (VIEW_CYCLE, EXPORT_CYCLE),
}
# What the participants of a sharing agreement get on each other's municipality.
PARTNER_PERMISSIONS: tuple[str, ...] = (VIEW_CYCLE,)
# Refused on a merged municipality: its cycles stay readable but are closed.
WRITE_PERMISSIONS = frozenset({CHANGE_CYCLE, SUBMIT_ASSESSMENT})
ALL_PERMISSIONS = (VIEW_CYCLE, CHANGE_CYCLE, MANAGE_TEAM, SUBMIT_ASSESSMENT, EXPORT_CYCLE)
# What a role limited to one district can hold there (on that district's cycles only): never
# the team, the self-assessment or the municipal cycle; a coordinator is never limited.
DISTRICT_PERMISSIONS = (VIEW_CYCLE, CHANGE_CYCLE, EXPORT_CYCLE)
DISTRICT_ROLES = (Role.EDITOR, Role.READER)


class LastCoordinatorError(ValidationError):
    """Raised when a change would leave a municipality without a coordinator."""


# --- Groups and permissions --------------------------------------------------------------


def group_name(municipality: Municipality, role: str) -> str:
    return f"{municipality.code} {role}"


def _permission_objects(codenames: Iterable[str]) -> dict[str, Permission]:
    perms = Permission.objects.filter(
        content_type__app_label="compass",
        content_type__model="municipality",
        codename__in=list(codenames),
    )
    return {perm.codename: perm for perm in perms}


def role_groups(municipality: Municipality) -> dict[str, Group]:
    """Return the municipality's role groups, creating them with their permissions if needed."""
    names = {role: group_name(municipality, role) for role in Role.values}
    existing = {g.name: g for g in Group.objects.filter(name__in=names.values())}
    missing = [role for role, name in names.items() if name not in existing]
    if missing:
        perms = _permission_objects(ALL_PERMISSIONS)
        for role in missing:
            group = Group.objects.create(name=names[role])
            MunicipalityGroupObjectPermission.objects.bulk_create(
                [
                    MunicipalityGroupObjectPermission(
                        group=group, permission=perms[codename], content_object=municipality
                    )
                    for codename in ROLE_PERMISSIONS[role]
                ],
                ignore_conflicts=True,
            )
            existing[group.name] = group
        if municipality.participations.filter(left_at__isnull=True).exists():
            sync_sharing([municipality.pk])
    return {role: existing[name] for role, name in names.items()}


def sync_membership_groups(user, municipality: Municipality) -> None:
    """Put the user in exactly the role group that matches their membership (or in none)."""
    groups = role_groups(municipality)
    membership = Membership.objects.filter(user=user, municipality=municipality).first()
    # A membership row of a staff or content-editor account (e.g. from before this rule) opens
    # nothing: such accounts never hold a municipal role. A district member holds nothing on
    # the municipality either (their district's cycles: `perms_on_cycle`).
    wanted = (
        groups[membership.role]
        if membership and not membership.district_id and may_hold_municipal_role(user)
        else None
    )
    user.groups.remove(*[g for g in groups.values() if g != wanted])
    if wanted is not None:
        user.groups.add(wanted)
    _forget_checker(user)


# --- Checks --------------------------------------------------------------------------------


def checker_for(user) -> ObjectPermissionChecker:
    """Return the one permission checker of this user object (one per request)."""
    checker = getattr(user, "_compass_checker", None)
    if checker is None:
        checker = ObjectPermissionChecker(user)
        user._compass_checker = checker
    return checker


def _forget_checker(user) -> None:
    for name in ("_compass_checker", "_compass_district_roles"):
        if hasattr(user, name):
            delattr(user, name)


def district_roles(user) -> dict[int, str]:
    """District id -> role, for the user's memberships limited to a district (one query per
    request, kept on the user object like the checker)."""
    roles = getattr(user, "_compass_district_roles", None)
    if roles is None:
        roles = {}
        if user.is_authenticated and user.is_active and may_hold_municipal_role(user):
            rows = Membership.objects.filter(user=user, district__isnull=False).values_list(
                "district_id", "role"
            )
            roles = {district: role for district, role in rows if role in DISTRICT_ROLES}
        user._compass_district_roles = roles
    return roles


def perms_on_cycle(user, cycle: Cycle) -> set[str]:
    """The codenames the user holds on one cycle: those on its municipality, and on a district
    cycle also what a member limited to that district holds there."""
    perms = perms_on(user, cycle.municipality)
    if cycle.district_id:
        role = district_roles(user).get(cycle.district_id)
        if role:
            extra = set(ROLE_PERMISSIONS[role]) & set(DISTRICT_PERMISSIONS)
            if not cycle.municipality.is_active:
                extra -= WRITE_PERMISSIONS
            perms |= extra
    return perms


def has_cycle_perm(user, perm: str, cycle: Cycle) -> bool:
    return perm in perms_on_cycle(user, cycle)


def check_cycle(user, perm: str, cycle: Cycle) -> None:
    """As `check`, for one cycle: 404 without any access to it, 403 without `perm`."""
    perms = perms_on_cycle(user, cycle)
    if not perms:
        raise Http404
    if perm not in perms:
        raise PermissionDenied


def _own_districts(user, perm: str) -> list[int]:
    """The ids of the districts a district member holds `perm` on (their role allows it)."""
    return [
        district
        for district, role in district_roles(user).items()
        if perm in ROLE_PERMISSIONS[role] and perm in DISTRICT_PERMISSIONS
    ]


def districts_for(user, perm: str = VIEW_CYCLE) -> QuerySet[District]:
    """The districts whose cycles the user reaches with `perm`: every district of the
    municipalities they hold `perm` on, and the district they are limited to."""
    if not user.is_authenticated or not user.is_active:
        return District.objects.none()
    own = _own_districts(user, perm)
    queryset = District.objects.filter(
        Q(municipality__in=municipalities_for(user, perm)) | Q(pk__in=own)
    )
    if perm in WRITE_PERMISSIONS:
        queryset = queryset.filter(municipality__status=Municipality.Status.ACTIVE)
    return queryset


def perms_on(user, municipality: Municipality) -> set[str]:
    """Return the codenames the user holds on the municipality (object permissions only)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    # Only our five: a superuser's checker also lists the model's add/change/delete/view.
    perms = set(checker_for(user).get_perms(municipality)) & set(ALL_PERMISSIONS)
    if not municipality.is_active:
        perms -= WRITE_PERMISSIONS
    return perms


def has_perm(user, perm: str, municipality: Municipality) -> bool:
    return perm in perms_on(user, municipality)


def check(user, perm: str, municipality: Municipality) -> None:
    """Raise 404 when the user has no access at all, 403 when the access is too small."""
    perms = perms_on(user, municipality)
    if not perms:
        raise Http404
    if perm not in perms:
        raise PermissionDenied


def get_municipality_for(user, code_or_pk, perm: str = VIEW_CYCLE) -> Municipality:
    """Return the municipality (by CBS code or primary key) if the user holds `perm` on it."""
    lookup = {"code": code_or_pk} if str(code_or_pk).upper().startswith("GM") else None
    if lookup is None:
        try:
            lookup = {"pk": int(code_or_pk)}
        except (TypeError, ValueError):
            raise Http404 from None
    try:
        municipality = Municipality.objects.get(**lookup)
    except Municipality.DoesNotExist:
        raise Http404 from None
    check(user, perm, municipality)
    return municipality


def municipalities_for(user, perm: str = VIEW_CYCLE) -> QuerySet[Municipality]:
    """Return a queryset of the municipalities on which the user holds `perm`."""
    if not user.is_authenticated or not user.is_active:
        return Municipality.objects.none()
    queryset = get_objects_for_user(
        user,
        f"compass.{perm}",
        klass=Municipality.objects.all(),
        with_superuser=True,
        accept_global_perms=False,
    )
    if perm in WRITE_PERMISSIONS:
        queryset = queryset.filter(status=Municipality.Status.ACTIVE)
    return queryset


def get_cycle_for(user, pk, perm: str = VIEW_CYCLE) -> Cycle:
    """Return the cycle if the user holds `perm` on it (`perms_on_cycle`): 404 for outsiders."""
    try:
        cycle = Cycle.objects.select_related("municipality", "district").get(pk=int(pk))
    except (TypeError, ValueError, OverflowError, Cycle.DoesNotExist):
        raise Http404 from None
    check_cycle(user, perm, cycle)
    return cycle


class CycleClosed(PermissionDenied):
    """A write to a closed cycle: refused with a message that says why (HTTP 403)."""


def closed_message() -> str:
    return _(
        "This annual cycle is closed: it can be read and downloaded, but nothing in it can be "
        "changed any more."
    )


def check_cycle_write(user, cycle: Cycle, perm: str = CHANGE_CYCLE) -> None:
    """THE check before any write to a cycle: 404 for outsiders, 403 without `perm`, and 403
    with a message when the cycle is closed (a closed cycle is read-only for everyone)."""
    check_cycle(user, perm, cycle)
    if cycle.status == Cycle.Status.CLOSED:
        raise CycleClosed(closed_message())


def can_write_cycle(user, cycle: Cycle, perm: str = CHANGE_CYCLE) -> bool:
    """Whether `check_cycle_write` lets the user write (for showing or hiding buttons)."""
    return cycle.status != Cycle.Status.CLOSED and has_cycle_perm(user, perm, cycle)


def get_cycle_for_write(user, pk, perm: str = CHANGE_CYCLE) -> Cycle:
    """Return the cycle for a write: as `get_cycle_for`, and refused when it is closed."""
    cycle = get_cycle_for(user, pk, VIEW_CYCLE)
    check_cycle_write(user, cycle, perm)
    return cycle


def get_municipal_cycle_for(user, pk, perm: str = VIEW_CYCLE) -> Cycle:
    """As `get_cycle_for`, for what only a municipal cycle has (the self-assessment and its
    benchmark): a district cycle answers 404."""
    cycle = get_cycle_for(user, pk, perm)
    if cycle.district_id:
        raise Http404
    return cycle


def get_municipal_cycle_for_write(user, pk, perm: str = CHANGE_CYCLE) -> Cycle:
    """As `get_cycle_for_write`; a district cycle answers 404 to everyone, before the write
    permission is looked at (the page does not exist there, so it cannot be forbidden)."""
    cycle = get_municipal_cycle_for(user, pk, VIEW_CYCLE)
    check_cycle_write(user, cycle, perm)
    return cycle


def get_municipality_as_coordinator(user, code_or_pk) -> Municipality:
    """Return the municipality if the user is its coordinator (holds every coordinator permission).

    A coordinator is the role that holds all of ROLE_PERMISSIONS[coordinator]; superusers too.
    Outsiders get 404, other members 403; a merged municipality has no write permissions left,
    so nobody is its coordinator here (403).
    """
    municipality = get_municipality_for(user, code_or_pk, VIEW_CYCLE)
    if not is_coordinator(user, municipality):
        raise PermissionDenied
    return municipality


def get_municipality_as_member(user, code_or_pk) -> Municipality:
    """Return the municipality for its own team's lists that are not one cycle (its districts):
    members of the whole municipality and superusers.

    Outsiders and members limited to one district hold nothing on the municipality (404);
    partners in a sharing agreement hold `view_cycle` to read cycles, not the team's own
    lists (403).
    """
    municipality = get_municipality_for(user, code_or_pk, VIEW_CYCLE)
    if (
        user.is_superuser
        or Membership.objects.filter(
            user=user, municipality=municipality, district__isnull=True
        ).exists()
    ):
        return municipality
    raise PermissionDenied


def is_coordinator(user, municipality: Municipality) -> bool:
    """Whether the user holds every coordinator permission on the municipality."""
    return set(ROLE_PERMISSIONS[Role.COORDINATOR]) <= perms_on(user, municipality)


def cycles_for(user, perm: str = VIEW_CYCLE) -> QuerySet[Cycle]:
    """Return a queryset of the cycles the user holds `perm` on: every cycle of the
    municipalities they hold it on, and the cycles of the district they are limited to."""
    own = _own_districts(user, perm)
    return Cycle.objects.filter(
        Q(municipality__in=municipalities_for(user, perm)) | Q(district__in=own)
    )


# --- Team changes --------------------------------------------------------------------------


def member_label(user) -> str:
    name = user.get_full_name() or user.get_username()
    return f"{name} ({user.email})" if user.email else name


def log_event(municipality, actor, action, subject="", old_role="", new_role="") -> TeamEvent:
    return TeamEvent.objects.create(
        municipality=municipality,
        actor=actor,
        action=action,
        subject=subject,
        old_role=old_role,
        new_role=new_role,
    )


@transaction.atomic
def grant(
    user,
    municipality: Municipality,
    role: str,
    actor=None,
    action=TeamEvent.Action.MEMBER_ADDED,
    district: District | None = None,
) -> Membership:
    """Make the user a member with `role`; refuse a duplicate, and staff or content editors.

    The only place a membership is created: adding a person is an invitation that the person
    accepts (compass.invitations), which ends here. Staff, superusers and content editors never
    hold a municipal role (content editors never see municipal data).
    """
    if role not in Role.values:
        raise ValidationError(_("Choose a role."), code="invalid_role")
    if not may_hold_municipal_role(user):
        raise ValidationError(
            _("Staff, administrators and content editors cannot join a team."),
            code="not_for_staff",
        )
    if Membership.objects.filter(user=user, municipality=municipality).exists():
        raise ValidationError(
            _("%(name)s is already a member of this team.") % {"name": member_label(user)},
            code="duplicate_membership",
        )
    membership = Membership(user=user, municipality=municipality, role=role, district=district)
    membership.clean()
    membership.save()
    sync_membership_groups(user, municipality)
    log_event(municipality, actor, action, member_label(user), new_role=role)
    return membership


def _other_coordinators(membership: Membership) -> bool:
    return (
        Membership.objects.select_for_update()
        .filter(municipality=membership.municipality_id, role=Role.COORDINATOR)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def change_role(membership: Membership, role: str, actor=None) -> Membership:
    """Give the member another role; the last coordinator cannot be demoted."""
    if role not in Role.values:
        raise ValidationError(_("Choose a role."), code="invalid_role")
    old_role = membership.role
    if old_role == role:
        return membership
    if old_role == Role.COORDINATOR and not _other_coordinators(membership):
        raise LastCoordinatorError(
            _("A team needs at least one coordinator: make someone else coordinator first."),
            code="last_coordinator",
        )
    if membership.district_id and role not in DISTRICT_ROLES:
        raise ValidationError(
            _("A coordinator sees the whole municipality: first lift the district limit."),
            code="coordinator_not_in_district",
        )
    membership.role = role
    membership.save(update_fields=["role"])
    sync_membership_groups(membership.user, membership.municipality)
    log_event(
        membership.municipality,
        actor,
        TeamEvent.Action.ROLE_CHANGED,
        member_label(membership.user),
        old_role=old_role,
        new_role=role,
    )
    return membership


@transaction.atomic
def revoke(membership: Membership, actor=None) -> None:
    """Remove the member from the team; the last coordinator cannot be removed."""
    if membership.role == Role.COORDINATOR and not _other_coordinators(membership):
        raise LastCoordinatorError(
            _("A team needs at least one coordinator: make someone else coordinator first."),
            code="last_coordinator",
        )
    user, municipality, role = membership.user, membership.municipality, membership.role
    membership.delete()
    sync_membership_groups(user, municipality)
    log_event(
        municipality, actor, TeamEvent.Action.MEMBER_REMOVED, member_label(user), old_role=role
    )


@transaction.atomic
def limit_to_district(membership: Membership, district: District | None, actor=None) -> Membership:
    """Limit the member to one district's cycles, or (None) open the whole municipality again.

    Only editors and readers can be limited; the district lies in the membership's municipality.
    """
    if membership.district_id == (district.pk if district else None):
        return membership
    membership.district = district
    membership.full_clean(exclude=["user", "municipality"], validate_unique=False)
    membership.save(update_fields=["district"])
    sync_membership_groups(membership.user, membership.municipality)
    scope = district.name if district else _("whole municipality")
    log_event(
        membership.municipality,
        actor,
        TeamEvent.Action.DISTRICT_CHANGED,
        f"{member_label(membership.user)}: {scope}",
    )
    return membership


# --- Sharing agreements --------------------------------------------------------------------


def open_participations(day=None) -> QuerySet[AgreementParticipation]:
    """Participations that share data today: not left, in an agreement that is in force."""
    day = day or timezone.localdate()
    return AgreementParticipation.objects.filter(
        Q(agreement__end_date__isnull=True) | Q(agreement__end_date__gte=day),
        left_at__isnull=True,
        agreement__start_date__lte=day,
    )


def partners_of(municipality_ids: Iterable[int], day=None) -> dict[int, set[int]]:
    """Map each municipality id to the ids of the municipalities that share with it."""
    ids = set(municipality_ids)
    rows = open_participations(day).values_list("agreement_id", "municipality_id")
    by_agreement: dict[int, set[int]] = {}
    for agreement_id, municipality_id in rows:
        by_agreement.setdefault(agreement_id, set()).add(municipality_id)
    partners: dict[int, set[int]] = {pk: set() for pk in ids}
    for members in by_agreement.values():
        for pk in members & ids:
            partners[pk] |= members - {pk}
    return partners


def sync_sharing(municipality_ids: Iterable[int], day=None) -> None:
    """Make the partner grants of these municipalities match their open participations."""
    ids = set(municipality_ids)
    if not ids:
        return
    partners = partners_of(ids, day)
    view = _permission_objects(PARTNER_PERMISSIONS)
    municipalities = {
        m.pk: m for m in Municipality.objects.filter(pk__in=ids | set().union(*partners.values()))
    }
    for pk in ids:
        groups = role_groups(municipalities[pk])
        group_ids = [g.pk for g in groups.values()]
        wanted = partners[pk]
        current = MunicipalityGroupObjectPermission.objects.filter(
            group_id__in=group_ids, permission__codename__in=PARTNER_PERMISSIONS
        ).exclude(content_object_id=pk)
        current.exclude(content_object_id__in=wanted).delete()
        have = set(current.values_list("group_id", "permission_id", "content_object_id"))
        MunicipalityGroupObjectPermission.objects.bulk_create(
            [
                MunicipalityGroupObjectPermission(
                    group_id=group_id, permission=perm, content_object_id=partner_id
                )
                for partner_id in wanted
                for group_id in group_ids
                for perm in view.values()
                if (group_id, perm.pk, partner_id) not in have
            ],
            ignore_conflicts=True,
        )


def _affected(municipality: Municipality, agreement: SharingAgreement) -> set[int]:
    before = partners_of([municipality.pk])[municipality.pk]
    others = set(
        agreement.participations.filter(left_at__isnull=True).values_list(
            "municipality_id", flat=True
        )
    )
    return {municipality.pk} | before | others


def can_join(agreement: SharingAgreement, municipality: Municipality) -> bool:
    if agreement.region_id is None:
        return True
    return agreement.region.municipalities.filter(pk=municipality.pk).exists()


def _check_may_join(agreement: SharingAgreement, municipality: Municipality) -> None:
    if not municipality.is_active:
        raise ValidationError(_("A merged municipality cannot join an agreement."), code="merged")
    if not agreement.in_force():
        raise ValidationError(_("This agreement is not in force."), code="not_in_force")
    if not can_join(agreement, municipality):
        raise ValidationError(
            _("Only municipalities of %(region)s can join this agreement.")
            % {"region": agreement.region.name},
            code="outside_region",
        )
    if agreement.participations.filter(municipality=municipality, left_at__isnull=True).exists():
        raise ValidationError(
            _("%(name)s already takes part in this agreement.") % {"name": municipality.name},
            code="already_joined",
        )


@transaction.atomic
def join_agreement(agreement: SharingAgreement, municipality: Municipality, actor=None):
    """Admit the municipality: its partners can read its cycles (and it theirs) from now on.

    Called when every participant accepted a request to join (`approve_join`), for an empty
    agreement, and by an administrator (Django admin, demo); never directly from a member's
    view: a member asks with `request_join`.
    """
    _check_may_join(agreement, municipality)
    participation = AgreementParticipation.objects.create(
        agreement=agreement, municipality=municipality, joined_by=actor
    )
    partners = set(
        agreement.participations.filter(left_at__isnull=True)
        .exclude(municipality=municipality)
        .values_list("municipality_id", flat=True)
    )
    sync_sharing(_affected(municipality, agreement))
    log_event(municipality, actor, TeamEvent.Action.AGREEMENT_JOINED, agreement.name)
    for partner in Municipality.objects.filter(pk__in=partners):
        log_event(
            partner,
            actor,
            TeamEvent.Action.PARTNER_JOINED,
            f"{agreement.name}: {municipality.name}",
        )
    return participation


def _participant_ids(agreement: SharingAgreement) -> set[int]:
    return set(
        agreement.participations.filter(left_at__isnull=True).values_list(
            "municipality_id", flat=True
        )
    )


def _agreements_link() -> str:
    from django.conf import settings
    from django.urls import reverse

    return settings.SITE_URL.rstrip("/") + reverse("questionnaire:agreements")


@transaction.atomic
def request_join(agreement: SharingAgreement, municipality: Municipality, actor=None):
    """Ask to join: nothing is shared until a coordinator of every participant accepted.

    The participants are told by e-mail and on the agreements page; the request is in the team
    log of the municipality that asks. An agreement without participants admits at once (there
    is nobody to ask and nothing to read).
    """
    from compass import notifications

    _check_may_join(agreement, municipality)
    if JoinRequest.objects.filter(
        agreement=agreement, municipality=municipality, status=JoinRequest.Status.OPEN
    ).exists():
        raise ValidationError(
            _("%(name)s has already asked to join this agreement; the participants decide.")
            % {"name": municipality.name},
            code="already_requested",
        )
    join_request = JoinRequest.objects.create(
        agreement=agreement, municipality=municipality, requested_by=actor
    )
    log_event(municipality, actor, TeamEvent.Action.AGREEMENT_REQUESTED, agreement.name)
    participants = _participant_ids(agreement)
    for participant in Municipality.objects.filter(pk__in=participants):
        log_event(
            participant,
            actor,
            TeamEvent.Action.AGREEMENT_REQUESTED,
            f"{agreement.name}: {municipality.name}",
        )
    if not participants:
        _admit(join_request, actor)
    else:
        notifications.join_requested(join_request, participants, _agreements_link())
    return join_request


def _open_request(join_request: JoinRequest) -> JoinRequest:
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.OPEN:
        raise ValidationError(
            _("This request has already been decided or withdrawn."), code="request_closed"
        )
    return join_request


def _admit(join_request: JoinRequest, actor) -> None:
    from compass import notifications

    join_agreement(join_request.agreement, join_request.municipality, actor=actor)
    join_request.status = JoinRequest.Status.ACCEPTED
    join_request.decided_at = timezone.now()
    join_request.decided_by = actor
    join_request.save(update_fields=["status", "decided_at", "decided_by"])
    notifications.join_decided(
        join_request, _participant_ids(join_request.agreement), _agreements_link()
    )


@transaction.atomic
def approve_join(join_request: JoinRequest, participant: Municipality, actor=None) -> bool:
    """Accept the request on behalf of one participant; admit once every participant did.

    Returns whether the municipality now takes part.
    """
    join_request = _open_request(join_request)
    agreement = join_request.agreement
    participants = _participant_ids(agreement)
    if participant.pk not in participants:
        raise ValidationError(
            _("%(name)s does not take part in this agreement.") % {"name": participant.name},
            code="not_joined",
        )
    JoinApproval.objects.get_or_create(
        request=join_request, municipality=participant, defaults={"approved_by": actor}
    )
    log_event(
        participant,
        actor,
        TeamEvent.Action.AGREEMENT_APPROVED,
        f"{agreement.name}: {join_request.municipality.name}",
    )
    approved = set(join_request.approvals.values_list("municipality_id", flat=True))
    if participants <= approved:
        _admit(join_request, actor)
        return True
    return False


@transaction.atomic
def refuse_join(join_request: JoinRequest, participant: Municipality, actor=None) -> None:
    """Refuse the request on behalf of one participant: it is closed, nothing is shared."""
    from compass import notifications

    join_request = _open_request(join_request)
    agreement = join_request.agreement
    participants = _participant_ids(agreement)
    if participant.pk not in participants:
        raise ValidationError(
            _("%(name)s does not take part in this agreement.") % {"name": participant.name},
            code="not_joined",
        )
    join_request.status = JoinRequest.Status.REFUSED
    join_request.decided_at = timezone.now()
    join_request.decided_by = actor
    join_request.save(update_fields=["status", "decided_at", "decided_by"])
    log_event(
        participant,
        actor,
        TeamEvent.Action.AGREEMENT_REFUSED,
        f"{agreement.name}: {join_request.municipality.name}",
    )
    notifications.join_decided(
        join_request, participants | {join_request.municipality_id}, _agreements_link()
    )


@transaction.atomic
def withdraw_join(join_request: JoinRequest, actor=None) -> None:
    """Withdraw the municipality's own open request."""
    join_request = _open_request(join_request)
    join_request.status = JoinRequest.Status.WITHDRAWN
    join_request.decided_at = timezone.now()
    join_request.decided_by = actor
    join_request.save(update_fields=["status", "decided_at", "decided_by"])
    log_event(
        join_request.municipality,
        actor,
        TeamEvent.Action.AGREEMENT_REQUEST_WITHDRAWN,
        join_request.agreement.name,
    )


@transaction.atomic
def leave_agreement(agreement: SharingAgreement, municipality: Municipality, actor=None):
    """End the municipality's participation; all sharing through it stops at once."""
    participation = agreement.participations.filter(
        municipality=municipality, left_at__isnull=True
    ).first()
    if participation is None:
        raise ValidationError(
            _("%(name)s does not take part in this agreement.") % {"name": municipality.name},
            code="not_joined",
        )
    affected = _affected(municipality, agreement)
    participation.left_at = timezone.now()
    participation.left_by = actor
    participation.save(update_fields=["left_at", "left_by"])
    sync_sharing(affected)
    log_event(municipality, actor, TeamEvent.Action.AGREEMENT_LEFT, agreement.name)
    for partner in Municipality.objects.filter(pk__in=_participant_ids(agreement)):
        log_event(
            partner, actor, TeamEvent.Action.PARTNER_LEFT, f"{agreement.name}: {municipality.name}"
        )
    return participation


def sync_all_sharing(day=None) -> None:
    """Recompute every partner grant, e.g. daily, so agreements end on their end date."""
    with transaction.atomic():
        ids = set(AgreementParticipation.objects.values_list("municipality_id", flat=True))
        sync_sharing(ids, day)
