"""Figures about the situation (block 1): CBS observations per indicator, region and period.

An observation belongs to an editor-maintained `cms.Indicator`. Region codes stay plain strings
(`GM0344`, `VT20`, `NL01`), so figures of merged municipalities and of regions stay readable.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CbsObservation(models.Model):
    """One value of an indicator for one region and period, as CBS published it."""

    indicator = models.ForeignKey(
        "cms.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="observations",
    )
    region_code = models.CharField(_("region code"), max_length=10)
    period = models.CharField(_("period"), max_length=10)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    provisional = models.BooleanField(_("provisional"), default=False)
    # CBS marks provisional figures "*" and revised provisional ones ("nader voorlopig") "**";
    # a revised provisional figure is also provisional (issue 19 H4).
    revised_provisional = models.BooleanField(_("revised provisional"), default=False)
    suppressed = models.BooleanField(_("suppressed"), default=False)
    table_id = models.CharField(_("CBS table"), max_length=20)
    source = models.CharField(_("source"), max_length=300, blank=True)
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        default_permissions = ()
        ordering = ["indicator", "region_code", "period"]
        verbose_name = _("CBS figure")
        verbose_name_plural = _("CBS figures")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region_code", "period"],
                name="one_observation_per_indicator_region_period",
            )
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.region_code} {self.period}"


class ImportRun(models.Model):
    """The log of one import: what was read, from where, and how it ended."""

    class Status(models.TextChoices):
        SUCCESS = "success", _("succeeded")
        FAILED = "failed", _("failed")

    table_id = models.CharField(_("CBS table"), max_length=20)
    source = models.CharField(_("source"), max_length=300)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    suppressed = models.PositiveIntegerField(_("suppressed"), default=0)
    provisional = models.PositiveIntegerField(_("provisional"), default=0)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        default_permissions = ()
        ordering = ["-started_at"]
        verbose_name = _("CBS import")
        verbose_name_plural = _("CBS imports")

    def __str__(self):
        return f"{self.table_id} {self.started_at:%Y-%m-%d %H:%M} {self.status}"
