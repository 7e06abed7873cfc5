"""Districts (wijken) of a municipality: the level below it in CBS's "Wijken en buurten".

A district has CBS's code, `WK` followed by the four digits of its municipality and two of its
own (WK034401 is a district of GM0344), so figures CBS publishes per district join on it like
municipal figures join on `GM` codes (`CbsObservation.region_code`). A municipality defines its
districts by loading them from a CBS table (`compass.districts.load_districts`) or by typing
them in; a district is never deleted while a cycle points at it (PROTECT).
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

DISTRICT_CODE_PATTERN = r"^WK\d{6}$"
validate_district_code = RegexValidator(
    DISTRICT_CODE_PATTERN,
    _("Enter a CBS district code: WK followed by six digits, for example WK034401."),
    code="invalid_district_code",
)


def district_code_belongs_to(code: str, municipality_code: str) -> bool:
    """Whether a WK code lies in the municipality with this GM code (WK0344xx in GM0344)."""
    return len(code) == 8 and len(municipality_code) == 6 and code[2:6] == municipality_code[2:]


class District(models.Model):
    """One district (wijk) of a municipality, with CBS's code and name."""

    class Source(models.TextChoices):
        CBS = "cbs", _("CBS table")
        TYPED = "typed", _("typed in")

    municipality = models.ForeignKey(
        "compass.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="districts",
    )
    code = models.CharField(
        _("district code"), max_length=8, unique=True, validators=[validate_district_code]
    )
    name = models.CharField(_("name"), max_length=120)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    youth_population = models.PositiveIntegerField(
        _("children 0-14"),
        null=True,
        blank=True,
        help_text=_("Inhabitants younger than 15, as CBS counts them per district."),
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.TYPED
    )
    source_detail = models.CharField(
        _("source detail"),
        max_length=200,
        blank=True,
        help_text=_("The CBS table and year the district was loaded from."),
    )

    class Meta:
        ordering = ["municipality__name", "code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        default_permissions = ()

    def __str__(self):
        return f"{self.name} ({self.code})"

    def clean(self):
        super().clean()
        if self.code:
            self.code = self.code.strip().upper()
        if (
            self.code
            and self.municipality_id
            and not district_code_belongs_to(self.code, self.municipality.code)
        ):
            raise ValidationError(
                {
                    "code": _(
                        "District %(code)s does not lie in %(municipality)s: its code must "
                        "start with WK%(digits)s."
                    )
                    % {
                        "code": self.code,
                        "municipality": self.municipality.name,
                        "digits": self.municipality.code[2:],
                    }
                }
            )
