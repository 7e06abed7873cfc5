"""Benchmark releases: the anonymous benchmark as published on reference dates.

A release freezes, per year and measure-set version, the submitted results as they stood at the
start of its reference date, the Veilig Thuis region and size class of every municipality, and
the sharing agreements in force. Every output (page, report, exports) reads the latest release
through ``questionnaire.benchmarking.reader_benchmarks``; nothing a user sees changes between
releases. Server-side only: the stored values are what suppression hides (docs/benchmark.md).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BenchmarkRelease(models.Model):
    """One publication of the benchmark, made by ``manage.py publish_benchmark``."""

    reference_date = models.DateField(
        _("reference date"),
        unique=True,
        help_text=_("Submissions made before this date are part of the release."),
    )
    cutoff = models.DateTimeField(
        _("submissions until"),
        help_text=_("Submissions made before this moment are part of the release."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    min_size = models.PositiveIntegerField(_("minimum group size"))
    municipality_count = models.PositiveIntegerField(
        _("municipalities"), help_text=_("Municipalities with a submission in the release.")
    )
    # code -> [Veilig Thuis region code, size class] of every municipality on the reference date
    places = models.JSONField(_("regions and size classes"), default=dict, editable=False)
    # the participants (codes) of every sharing agreement in force on the reference date
    agreements = models.JSONField(_("sharing agreements"), default=list, editable=False)

    class Meta:
        verbose_name = _("benchmark release")
        verbose_name_plural = _("benchmark releases")
        ordering = ["-reference_date"]

    def __str__(self):
        return str(self.reference_date)


class BenchmarkPopulation(models.Model):
    """The frozen records of one year and measure-set version, stored when they changed."""

    release = models.ForeignKey(
        BenchmarkRelease, on_delete=models.CASCADE, related_name="populations"
    )
    year = models.PositiveIntegerField(_("year"))
    version = models.CharField(_("measure-set version"), max_length=40)
    size = models.PositiveIntegerField(_("municipalities"))
    generated = models.BooleanField(_("contains generated demo data"), default=False)
    # [[code, region, size class, overall], ...]: what the trend chart reads
    members = models.JSONField(default=list, editable=False)
    # code -> [{theme: realisation}, {measure: realisation}]
    details = models.JSONField(default=dict, editable=False)
    # {"themes": [...], "measures": [...], "measure_themes": {...}}: the row order
    layout = models.JSONField(default=dict, editable=False)

    class Meta:
        verbose_name = _("benchmark population")
        verbose_name_plural = _("benchmark populations")
        constraints = [
            models.UniqueConstraint(
                fields=["release", "year", "version"], name="benchmarkpopulation_one_per_release"
            )
        ]
        indexes = [models.Index(fields=["year", "version"])]

    def __str__(self):
        return f"{self.release} {self.year} {self.version}"
