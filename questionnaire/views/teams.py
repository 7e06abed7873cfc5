"""Team management for coordinators: invite by e-mail, change a role, remove, see the log."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compass import access, invitations
from compass.models import Invitation, Role
from questionnaire.forms import (
    AcceptInvitationForm,
    AddMemberForm,
    ChangeRoleForm,
    DistrictLimitForm,
    InvitationChoiceForm,
    MemberForm,
)

LOG_LENGTH = 50


def _team_page(
    request,
    municipality,
    *,
    add_form=None,
    role_form=None,
    remove_form=None,
    withdraw_form=None,
    district_form=None,
):
    members = list(
        municipality.memberships.select_related("user", "district").order_by(
            "user__last_name", "user__first_name", "user__username"
        )
    )
    open_invitations = list(invitations.open_invitations(municipality).order_by("-created_at"))
    for invitation in open_invitations:
        invitation.link = request.build_absolute_uri(
            reverse("questionnaire:invitation", args=[invitations.token_for(invitation)])
        )
    events = list(
        municipality.team_events.select_related("actor").order_by("-created_at", "-pk")[:LOG_LENGTH]
    )
    return render(
        request,
        "questionnaire/team.html",
        {
            "municipality": municipality,
            "members": members,
            "invitations": open_invitations,
            "events": events,
            "roles": Role.choices,
            "add_form": add_form or AddMemberForm(),
            "role_form": role_form,
            "remove_form": remove_form,
            "withdraw_form": withdraw_form,
            "district_form": district_form,
            # Editors and readers can be limited to one district (compass.access).
            "districts": list(municipality.districts.order_by("name")),
            "new_link": request.session.pop("invitation_link", ""),
        },
    )


def _back(municipality):
    return redirect("questionnaire:team", code=municipality.code)


@require_GET
@login_required
def team(request, code):
    municipality = access.get_municipality_for(request.user, code, access.MANAGE_TEAM)
    return _team_page(request, municipality)


@require_POST
@login_required
def add_member(request, code):
    municipality = access.get_municipality_for(request.user, code, access.MANAGE_TEAM)
    form = AddMemberForm(request.POST)
    if form.is_valid():
        try:
            result = invitations.add_member_by_email(
                municipality,
                form.cleaned_data["email"],
                form.cleaned_data["role"],
                request.user,
                request.build_absolute_uri,
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            # The same reply whether or not the address has an account: no look-ups.
            messages.success(
                request,
                _(
                    "We sent an invitation to %(email)s. The person joins the team as %(role)s "
                    "once they accept it; you can also pass on the link below."
                )
                % {"email": result.invitation.email, "role": result.invitation.get_role_display()},
            )
            request.session["invitation_link"] = result.link
            return _back(municipality)
    return _team_page(request, municipality, add_form=form)


@require_POST
@login_required
def change_role(request, code):
    municipality = access.get_municipality_for(request.user, code, access.MANAGE_TEAM)
    form = ChangeRoleForm(request.POST, municipality=municipality)
    if form.is_valid():
        membership = form.cleaned_data["membership"]
        try:
            access.change_role(membership, form.cleaned_data["role"], actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The role of %(name)s is now %(role)s.")
                % {
                    "name": access.member_label(membership.user),
                    "role": membership.get_role_display(),
                },
            )
            return _back(municipality)
    return _team_page(request, municipality, role_form=form)


@require_POST
@login_required
def limit_district(request, code):
    """Limit an editor or reader to one district's cycles, or lift the limit (the log says so)."""
    municipality = access.get_municipality_for(request.user, code, access.MANAGE_TEAM)
    form = DistrictLimitForm(request.POST, municipality=municipality)
    if form.is_valid():
        membership, district = form.cleaned_data["membership"], form.cleaned_data["district"]
        try:
            access.limit_to_district(membership, district, actor=request.user)
        except ValidationError as error:
            form.add_error("district", ValidationError(error.messages))
        else:
            name = access.member_label(membership.user)
            if district is None:
                text = _("%(name)s now works for the whole municipality.") % {"name": name}
            else:
                text = _("%(name)s now works only for district %(district)s.") % {
                    "name": name,
                    "district": district.name,
                }
            messages.success(request, text)
            return _back(municipality)
    return _team_page(request, municipality, district_form=form)


@require_POST
@login_required
def remove_member(request, code):
    municipality = access.get_municipality_for(request.user, code, access.MANAGE_TEAM)
    form = MemberForm(request.POST, municipality=municipality)
    if form.is_valid():
        membership = form.cleaned_data["membership"]
        try:
            access.revoke(membership, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s has been removed from the team.")
                % {"name": access.member_label(membership.user)},
            )
            if membership.user_id == request.user.pk:
                return redirect("questionnaire:start")
            return _back(municipality)
    return _team_page(request, municipality, remove_form=form)


@require_POST
@login_required
def withdraw_invitation(request, code):
    municipality = access.get_municipality_for(request.user, code, access.MANAGE_TEAM)
    form = InvitationChoiceForm(request.POST, municipality=municipality)
    if form.is_valid():
        invitation = form.cleaned_data["invitation"]
        try:
            invitations.withdraw_invitation(invitation, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The invitation to %(email)s has been withdrawn; its link no longer works.")
                % {"email": invitation.email},
            )
            return _back(municipality)
    return _team_page(request, municipality, withdraw_form=form)


def _welcome(request, invitation):
    messages.success(
        request,
        _("Welcome! You are now %(role)s in the team of %(municipality)s.")
        % {
            "role": Invitation(role=invitation.role).get_role_display(),
            "municipality": invitation.municipality.name,
        },
    )
    return redirect("questionnaire:start")


def _accept_logged_in(request, invitation):
    """An existing account accepts: only the one whose e-mail address was invited."""
    matches = invitations.address_matches(request.user, invitation)
    error = ""
    if request.method == "POST" and matches:
        try:
            invitations.accept_as(invitation, request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return _welcome(request, invitation)
    return render(
        request,
        "questionnaire/invitation.html",
        {"invitation": invitation, "form": None, "matches": matches, "error": error},
        status=400 if error or (request.method == "POST" and not matches) else 200,
    )


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    invitation = invitations.invitation_from_token(token)
    if invitation is None:
        return render(request, "questionnaire/invitation_invalid.html", status=404)
    if request.user.is_authenticated:
        return _accept_logged_in(request, invitation)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.accept_invitation(
                invitation,
                form.cleaned_data["username"],
                form.cleaned_data["password1"],
                form.cleaned_data.get("first_name", ""),
                form.cleaned_data.get("last_name", ""),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return _welcome(request, invitation)
    return render(
        request, "questionnaire/invitation.html", {"invitation": invitation, "form": form}
    )
