"""The e-mails the app sends: one function per kind of mail, sent by a worker after the commit.

Each function renders its text now (in the language of the request) and hands the sending to
the task queue once the transaction commits (compass/mail.py: one task per recipient, retried
when the mail server fails), so a rolled-back change never mails anyone and the request never
waits for SMTP.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from compass.mail import send_later
from compass.models import Role


def _send_after_commit(subject: str, template: str, context: dict, recipients) -> None:
    recipients = [address for address in recipients if address]
    if not recipients:
        return
    send_later(subject, render_to_string(template, context), recipients)


def coordinator_addresses(municipality_ids) -> list[str]:
    """The e-mail addresses of the active coordinators of these municipalities."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__municipality__in=list(municipality_ids),
            memberships__role=Role.COORDINATOR,
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )


def invitation(invitation, link: str, inviter, days: int) -> None:
    _send_after_commit(
        _("Invitation: team of %(municipality)s in the Quality compass")
        % {"municipality": invitation.municipality.name},
        "mail/invitation.txt",
        {
            "inviter": inviter.get_full_name() or inviter.get_username(),
            "invitation": invitation,
            "link": link,
            "days": days,
        },
        [invitation.email],
    )


def join_requested(join_request, participant_ids, link: str) -> None:
    """Tell the coordinators of every participant that a municipality asks to join."""
    _send_after_commit(
        _("%(municipality)s asks to join %(agreement)s")
        % {
            "municipality": join_request.municipality.name,
            "agreement": join_request.agreement.name,
        },
        "mail/join_requested.txt",
        {"request": join_request, "link": link},
        coordinator_addresses(participant_ids),
    )


def join_decided(join_request, municipality_ids, link: str) -> None:
    """Tell the requester and the participants that a request was accepted or refused."""
    _send_after_commit(
        _("%(municipality)s and %(agreement)s: %(status)s")
        % {
            "municipality": join_request.municipality.name,
            "agreement": join_request.agreement.name,
            "status": join_request.get_status_display(),
        },
        "mail/join_decided.txt",
        {"request": join_request, "link": link},
        coordinator_addresses(municipality_ids),
    )


def email_change(user, new_email: str, link: str, days: int) -> None:
    """Send the confirmation link to the new address (nothing changes until it is opened)."""
    _send_after_commit(
        _("Confirm your new e-mail address for the Quality compass"),
        "mail/email_change.txt",
        {"user": user, "new_email": new_email, "link": link, "days": days},
        [new_email],
    )


def email_changed(user, old_email: str) -> None:
    """Tell the old address that the account's e-mail address was changed."""
    _send_after_commit(
        _("Your e-mail address for the Quality compass was changed"),
        "mail/email_changed.txt",
        {"user": user, "new_email": user.email},
        [old_email],
    )
