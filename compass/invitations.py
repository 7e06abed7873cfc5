"""Adding people to a team by e-mail: a membership for an existing account, else an invitation.

The invitation link carries a signed, timestamped token around the invitation's random key, so
a link expires after INVITATION_MAX_AGE and cannot be forged; the key is stored, so a link also
dies once it has been used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from compass import access
from compass.models import Invitation, Membership, Municipality, TeamEvent

INVITATION_MAX_AGE = timedelta(days=14)
_SALT = "compass.invitation"


@dataclass
class AddResult:
    membership: Membership | None = None
    invitation: Invitation | None = None
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
        .filter(key=key, accepted_at__isnull=True)
        .first()
    )


def user_with_email(email: str):
    return (
        get_user_model()
        .objects.filter(email__iexact=email.strip(), is_active=True)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def add_member_by_email(
    municipality: Municipality, email: str, role: str, actor, build_absolute_uri
) -> AddResult:
    """Add the account with this e-mail to the team, or invite the address by e-mail."""
    email = email.strip()
    user = user_with_email(email)
    if user is not None:
        return AddResult(membership=access.grant(user, municipality, role, actor=actor))
    if municipality.invitations.filter(email__iexact=email, accepted_at__isnull=True).exists():
        raise ValidationError(
            _("%(email)s has already been invited to this team.") % {"email": email},
            code="duplicate_invitation",
        )
    invitation = Invitation.objects.create(
        municipality=municipality, email=email, role=role, invited_by=actor
    )
    link = build_absolute_uri(reverse("questionnaire:invitation", args=[token_for(invitation)]))
    inviter = actor.get_full_name() or actor.get_username()
    send_mail(
        _("Invitation: team of %(municipality)s in the Quality compass")
        % {"municipality": municipality.name},
        _(
            "%(inviter)s invites you to join the team of %(municipality)s in the Quality "
            "compass as %(role)s.\n\nChoose a username and password with this link (valid for "
            "%(days)s days):\n%(link)s\n"
        )
        % {
            "inviter": inviter,
            "municipality": municipality.name,
            "role": invitation.get_role_display(),
            "days": INVITATION_MAX_AGE.days,
            "link": link,
        },
        None,
        [email],
    )
    access.log_event(
        municipality, actor, TeamEvent.Action.MEMBER_INVITED, email, new_role=invitation.role
    )
    return AddResult(invitation=invitation, link=link)


@transaction.atomic
def accept_invitation(
    invitation: Invitation, username: str, password: str, first_name="", last_name=""
):
    """Create the invitee's account and membership; the invitation cannot be used again."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."), code="used")
    user = get_user_model().objects.create_user(
        username=username,
        email=invitation.email,
        password=password,
        first_name=first_name,
        last_name=last_name,
    )
    Membership.objects.create(user=user, municipality=invitation.municipality, role=invitation.role)
    access.sync_membership_groups(user, invitation.municipality)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    access.log_event(
        invitation.municipality,
        user,
        TeamEvent.Action.INVITATION_ACCEPTED,
        access.member_label(user),
        new_role=invitation.role,
    )
    return user
