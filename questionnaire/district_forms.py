"""Forms of the districts page: every message in Dutch through gettext, never a 500.

The forms only carry the input; what a district may be (a WK code of this municipality, not
yet used) is decided by `compass.districts`, whose ValidationError lands on these fields.
"""

from django import forms
from django.utils.translation import gettext_lazy as _


class DistrictFileForm(forms.Form):
    file = forms.FileField(
        label=_("CBS file with districts"),
        help_text=_(
            "A 'Wijken en buurten' table of CBS: a StatLine CSV download, the OData "
            "TypedDataSet (JSON) or CBS's kwb spreadsheet (.xlsx). Districts are the rows of "
            "the kind Wijk with a code WK followed by six digits."
        ),
        error_messages={
            "required": _("Choose a file."),
            "empty": _("The file is empty."),
            "invalid": _("Choose a file."),
        },
    )


class DistrictForm(forms.Form):
    code = forms.CharField(
        label=_("District code"),
        max_length=8,
        help_text=_("WK followed by six digits, for example WK034401."),
        error_messages={
            "required": _("Enter the district code."),
            "max_length": _("A district code is WK followed by six digits."),
        },
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        error_messages={
            "required": _("Enter the name of the district."),
            "max_length": _("The name can be at most 120 characters long."),
        },
    )


class DistrictNameForm(forms.Form):
    name = forms.CharField(
        label=_("New name"),
        max_length=120,
        error_messages={
            "required": _("Enter the name of the district."),
            "max_length": _("The name can be at most 120 characters long."),
        },
    )
