"""Forms of the team pages: every message in Dutch through gettext, never a 500 on bad input."""

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from compass.models import AccountSettings, District, Invitation, JoinRequest, Membership, Role


class AddMemberForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_(
            "The person gets an invitation by e-mail and joins the team once they accept it."
        ),
        error_messages={
            "required": _("Enter the e-mail address of the new member."),
            "invalid": _("Enter an e-mail address like name@gemeente.nl."),
        },
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a role."),
            "invalid_choice": _("Choose a role."),
        },
    )


class MemberForm(forms.Form):
    """Names one member of this team; a member of another team is refused with a message."""

    membership = forms.ModelChoiceField(
        queryset=Membership.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose a member of this team."),
            "invalid_choice": _("This person is not a member of this team."),
        },
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = Membership.objects.filter(
            municipality=municipality
        ).select_related("user", "municipality")


class ChangeRoleForm(MemberForm):
    role = forms.ChoiceField(
        label=_("New role"),
        choices=Role.choices,
        error_messages={"required": _("Choose a role."), "invalid_choice": _("Choose a role.")},
    )


class DistrictLimitForm(MemberForm):
    """Limit a member to one district of this municipality, or (empty) lift the limit."""

    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("Whole municipality"),
        error_messages={"invalid_choice": _("Choose a district of this municipality.")},
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, municipality=municipality, **kwargs)
        self.fields["district"].queryset = District.objects.filter(municipality=municipality)

    def clean(self):
        cleaned = super().clean()
        membership, district = cleaned.get("membership"), cleaned.get("district")
        if membership is not None and district is not None and membership.role == Role.COORDINATOR:
            self.add_error(
                "district",
                _(
                    "A coordinator cannot be limited to a district: a coordinator always sees "
                    "the whole municipality. Give them another role first."
                ),
            )
        return cleaned


class AgreementMunicipalityForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=None,
        to_field_name="code",
        error_messages={
            "required": _("Choose the municipality you act for."),
            "invalid_choice": _("Choose a municipality of which you are coordinator."),
        },
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities


class InvitationChoiceForm(forms.Form):
    """Names one open invitation of this team; another team's invitation is refused."""

    invitation = forms.ModelChoiceField(
        queryset=Invitation.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose an open invitation of this team."),
            "invalid_choice": _("This is not an open invitation of this team. Nothing changed."),
        },
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitation"].queryset = Invitation.objects.filter(
            municipality=municipality, accepted_at__isnull=True, withdrawn_at__isnull=True
        ).select_related("municipality")


class JoinRequestDecisionForm(AgreementMunicipalityForm):
    """A decision on an open request to join, on behalf of one municipality the user manages."""

    request = forms.ModelChoiceField(
        queryset=JoinRequest.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose an open request to join."),
            "invalid_choice": _("This request is no longer open. Nothing changed."),
        },
    )

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].queryset = JoinRequest.objects.filter(
            agreement=agreement, status=JoinRequest.Status.OPEN
        ).select_related("agreement", "municipality")


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label=_("New e-mail address"),
        help_text=_("We send a link to this address; the change applies once you open it."),
        error_messages={
            "required": _("Enter the new e-mail address."),
            "invalid": _("Enter an e-mail address like name@gemeente.nl."),
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email.lower() == (self.user.email or "").lower():
            raise forms.ValidationError(_("This is already your e-mail address."), code="unchanged")
        return email


class AccountSettingsForm(forms.ModelForm):
    class Meta:
        model = AccountSettings
        fields = ["visible_to_partners"]


class AcceptInvitationForm(UserCreationForm):
    """Choose a username and password to accept an invitation."""

    class Meta(UserCreationForm.Meta):
        fields = ("username", "first_name", "last_name")
