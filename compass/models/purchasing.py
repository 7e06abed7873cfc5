"""The purchasing check of a cycle (issue 23): expected reported families and who provides
which kind of help.

Two parts of the registry (compass/parts/declarations.py), both in the offering step:
`PurchasingCheck` (one per cycle: the set of family profiles used and the expected number of
reported families, with its source) and `HelpProvision` (an offering linked to a kind of
help, with the places it has for that help). The arithmetic and the gap analysis are
compass.purchasing. Kinds of help and profile sets are content (cms.family_profiles) and are
referred to by their fixed code, so a JSON export names them the same in every installation.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from compass.models.cycles import MAX_CAPACITY, MAX_PEOPLE, Cycle, CyclePart, Offering


class PurchasingCheck(models.Model):
    """The inputs of the purchasing check: which profile set and how many reported families."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="purchasing")
    profile_set = models.CharField(
        _("set of family profiles"),
        max_length=60,
        blank=True,
        help_text=_("Empty: the newest published set."),
    )
    expected_families = models.PositiveIntegerField(
        _("expected number of reported families"),
        null=True,
        blank=True,
        help_text=_("Families reported to Veilig Thuis in a year, e.g. from the figures."),
        validators=[MaxValueValidator(MAX_PEOPLE, message=_("At most %(limit_value)s families."))],
    )
    families_source = models.CharField(_("source of the number"), max_length=300, blank=True)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return str(_("Purchasing check"))

    def clean(self):
        super().clean()
        if self.profile_set:
            from cms.family_profiles import FamilyProfileSet

            if not FamilyProfileSet.objects.filter(code=self.profile_set, live=True).exists():
                raise ValidationError(
                    {
                        "profile_set": _(
                            "There is no published set of family profiles with this code."
                        )
                    }
                )


class HelpProvision(CyclePart):
    """An offering of the cycle that provides a kind of help, with its places for it."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="help_provisions")
    help_kind = models.CharField(_("kind of help"), max_length=40)
    offering = models.ForeignKey(
        Offering,
        verbose_name=_("offering"),
        on_delete=models.CASCADE,
        related_name="help_provisions",
    )
    capacity = models.PositiveIntegerField(
        _("places for this help"),
        null=True,
        blank=True,
        help_text=_("Families a year. Empty: the offering's capacity."),
        validators=[
            MaxValueValidator(
                MAX_CAPACITY,
                message=_("At most %(limit_value)s places or participants a year."),
            )
        ],
    )

    def __str__(self):
        from cms.family_profiles import HelpKind

        kind = HelpKind.objects.filter(code=self.help_kind).values_list("name", flat=True).first()
        offering = self.offering.name if self.offering_id else ""
        return f"{kind or self.help_kind} – {offering}"

    def clean(self):
        super().clean()
        if self.help_kind:
            from cms.family_profiles import HelpKind

            if not HelpKind.objects.filter(code=self.help_kind).exists():
                raise ValidationError({"help_kind": _("There is no kind of help with this code.")})
