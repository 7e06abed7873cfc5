"""Adding people to a team by e-mail: always an invitation that the person accepts.

The reply to the coordinator is the same whether or not an account with the address exists,
so the team page cannot be used to look up accounts. An invitation is bound to the address it
was sent to: it is accepted by the account whose (confirmed) e-mail address is that address,
or by creating a new account through the link. The membership itself is granted by
`access.grant`, which refuses staff, superusers and content editors.

The invitation link carries a signed, timestamped token around the invitation's random key, so
a link expires after INVITATION_MAX_AGE and cannot be forged; the key is stored, so a link also
dies once it has been used or withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from compass import access, notifications
from compass.models import Invitation, Membership, Municipality, TeamEvent

INVITATION_MAX_AGE = timedelta(days=14)
# Invitations per hour: a coordinator cannot mail-bomb addresses, nor a team be used to.
INVITATIONS_PER_COORDINATOR_PER_HOUR = 10
INVITATIONS_PER_MUNICIPALITY_PER_HOUR = 20
_SALT = "compass.invitation"


@dataclass
class AddResult:
    invitation: Invitation
    link: str = ""


def token_for(invitation: Invitation) -> str:
    return signing.TimestampSigner(salt=_SALT).sign(invitation.key)


def invitation_from_token(token: str) -> Invitation | None:
    """Return the open invitation behind a valid, unexpired token, or None."""
    try:
        key = signing.TimestampSigner(salt=_SALT).unsign(token, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    return (
        Invitation.objects.select_related("municipality")
        .filter(key=key, accepted_at__isnull=True, withdrawn_at__isnull=True)
        .first()
    )


def open_invitations(municipality: Municipality):
    return municipality.invitations.filter(accepted_at__isnull=True, withdrawn_at__isnull=True)


def _check_rate(municipality: Municipality, actor) -> None:
    since = timezone.now() - timedelta(hours=1)
    recent = Invitation.objects.filter(created_at__gte=since)
    if (
        actor is not None
        and recent.filter(invited_by=actor).count() >= INVITATIONS_PER_COORDINATOR_PER_HOUR
    ) or recent.filter(municipality=municipality).count() >= INVITATIONS_PER_MUNICIPALITY_PER_HOUR:
        raise ValidationError(
            _(
                "You have sent many invitations in the last hour. Wait an hour and try again; "
                "nothing has been sent."
            ),
            code="rate_limited",
        )


@transaction.atomic
def add_member_by_email(
    municipality: Municipality, email: str, role: str, actor, build_absolute_uri
) -> AddResult:
    """Invite the address to the team; whether it has an account is never revealed."""
    email = email.strip()
    # Only the team's own members are looked up: the coordinator sees their addresses anyway.
    member = (
        Membership.objects.filter(municipality=municipality, user__email__iexact=email)
        .select_related("user")
        .first()
    )
    if member is not None:
        raise ValidationError(
            _("%(name)s is already a member of this team.")
            % {"name": access.member_label(member.user)},
            code="duplicate_membership",
        )
    if open_invitations(municipality).filter(email__iexact=email).exists():
        raise ValidationError(
            _("%(email)s has already been invited to this team.") % {"email": email},
            code="duplicate_invitation",
        )
    _check_rate(municipality, actor)
    invitation = Invitation.objects.create(
        municipality=municipality, email=email, role=role, invited_by=actor
    )
    link = build_absolute_uri(reverse("questionnaire:invitation", args=[token_for(invitation)]))
    notifications.invitation(invitation, link, actor, INVITATION_MAX_AGE.days)
    access.log_event(
        municipality, actor, TeamEvent.Action.MEMBER_INVITED, email, new_role=invitation.role
    )
    return AddResult(invitation=invitation, link=link)


@transaction.atomic
def withdraw_invitation(invitation: Invitation, actor) -> None:
    """Withdraw an open invitation: its link stops working at once."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.withdrawn_at is not None:
        raise ValidationError(
            _("This invitation has already been used or withdrawn."), code="closed"
        )
    invitation.withdrawn_at = timezone.now()
    invitation.withdrawn_by = actor
    invitation.save(update_fields=["withdrawn_at", "withdrawn_by"])
    access.log_event(
        invitation.municipality,
        actor,
        TeamEvent.Action.INVITATION_WITHDRAWN,
        invitation.email,
        old_role=invitation.role,
    )


def address_matches(user, invitation: Invitation) -> bool:
    """Whether the account's e-mail address is the one the invitation was sent to."""
    return bool(user.email) and user.email.strip().lower() == invitation.email.strip().lower()


def _claim(invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.withdrawn_at is not None:
        raise ValidationError(_("This invitation has already been used or withdrawn."), code="used")
    return invitation


def _accepted(invitation: Invitation, user) -> None:
    access.grant(
        user,
        invitation.municipality,
        invitation.role,
        actor=user,
        action=TeamEvent.Action.INVITATION_ACCEPTED,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])


@transaction.atomic
def accept_as(invitation: Invitation, user):
    """Accept the invitation for an existing account whose address is the invited address."""
    invitation = _claim(invitation)
    if not address_matches(user, invitation):
        raise ValidationError(
            _(
                "This invitation was sent to another e-mail address than the one of your "
                "account. Log out and open the link again to create an account, or ask the "
                "coordinator to invite the address of your account."
            ),
            code="other_address",
        )
    _accepted(invitation, user)
    return user


@transaction.atomic
def accept_invitation(
    invitation: Invitation, username: str, password: str, first_name="", last_name=""
):
    """Create the invitee's account and membership; the invitation cannot be used again."""
    invitation = _claim(invitation)
    user = get_user_model().objects.create_user(
        username=username,
        email=invitation.email,
        password=password,
        first_name=first_name,
        last_name=last_name,
    )
    _accepted(invitation, user)
    return user
