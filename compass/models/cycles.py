"""The annual cycle (jaarcyclus) of one municipality; its parts arrive with the guided flow."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 2000
LAST_YEAR = 2100
year_validators = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]


class Cycle(models.Model):
    """One municipality's pass through the Kwaliteitskompas for one year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ACTIVE = "active", _("active")
        CLOSED = "closed", _("closed")

    municipality = models.ForeignKey(
        "compass.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="cycles",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    policy_start_year = models.PositiveSmallIntegerField(
        _("policy period from"),
        validators=year_validators,
        help_text=_("First year of the policy period the ambitions run over (about four years)."),
    )
    policy_end_year = models.PositiveSmallIntegerField(
        _("policy period to"), validators=year_validators
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous cycle"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_cycles",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["municipality__name", "-year"]
        verbose_name = _("annual cycle")
        verbose_name_plural = _("annual cycles")
        # Access to a cycle follows its municipality (compass.access). Django's default
        # "view_cycle"/"change_cycle" would clash with Municipality's custom permissions of the
        # same codename in this app, and guardian looks permissions up by app and codename.
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="cycle_one_per_municipality_per_year"
            ),
            models.CheckConstraint(
                condition=Q(policy_start_year__lte=F("policy_end_year")),
                name="cycle_policy_period_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.municipality} {self.year}"

    def clean(self):
        super().clean()
        start, end = self.policy_start_year, self.policy_end_year
        if start is not None and end is not None and start > end:
            raise ValidationError(
                {"policy_end_year": _("The policy period cannot end before it starts.")}
            )
        if start is not None and self.year is not None and not start <= self.year <= (end or 0):
            raise ValidationError(
                {"policy_start_year": _("The policy period must include the cycle year.")}
            )
        if self.previous_id and self.previous.municipality_id != self.municipality_id:
            raise ValidationError(
                {"previous": _("The previous cycle must belong to the same municipality.")}
            )
        if self.previous_id and self.previous.year >= (self.year or 0):
            raise ValidationError({"previous": _("The previous cycle must be of an earlier year.")})
