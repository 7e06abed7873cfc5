"""Forms of the team pages: every message in Dutch through gettext, never a 500 on bad input."""

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from compass.models import Membership, Role


class AddMemberForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_(
            "An existing account is added at once; anyone else gets an invitation by e-mail."
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


class AcceptInvitationForm(UserCreationForm):
    """Choose a username and password to accept an invitation."""

    class Meta(UserCreationForm.Meta):
        fields = ("username", "first_name", "last_name")
