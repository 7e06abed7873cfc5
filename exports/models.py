"""The export log: every download or import of a cycle's data, who and when."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportLog(models.Model):
    """One export (or JSON import) of a cycle; written by `exports.log.record`."""

    class Kind(models.TextChoices):
        HTML = "html", _("HTML report")
        PDF = "pdf", _("PDF report")
        CSV = "csv", _("CSV table")
        XLSX = "xlsx", _("XLSX workbook")
        JSON = "json", _("JSON export")
        JSON_IMPORT = "json_import", _("JSON import")

    cycle = models.ForeignKey(
        "compass.Cycle",
        verbose_name=_("cycle"),
        on_delete=models.CASCADE,
        related_name="export_logs",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        default_permissions = ()
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [models.Index(fields=["cycle", "-created_at"], name="exportlog_cycle_recent")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.cycle_id} {self.created_at:%Y-%m-%d %H:%M}"


class PdfRender(models.Model):
    """One requested render of a cycle's council PDF: the durable state the waiting page reads.

    Written by exports/pdf_tasks.py. The content key is a SHA-256 of the print HTML, its language
    and the renderer version; the HTML is kept until the render is done (the worker renders
    exactly what the requester would see, without the requester). At most one render waits per
    cycle, language and variant: a newer request supersedes one that has not started.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("being made")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")
        SUPERSEDED = "superseded", _("superseded")

    cycle = models.ForeignKey(
        "compass.Cycle",
        verbose_name=_("cycle"),
        on_delete=models.CASCADE,
        related_name="pdf_renders",
    )
    language = models.CharField(_("language"), max_length=10)
    content_key = models.CharField(_("content key"), max_length=64, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    html = models.TextField(_("print HTML"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    render_seconds = models.FloatField(_("render time in seconds"), null=True, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    # Which report of the cycle (issue 22): "" the report, "wijkbijlage" the municipal report
    # with the district annex. Part of the key, the waiting-row constraint and every lookup, so
    # a render of one variant is never served, superseded or pruned for the other.
    variant = models.CharField(_("variant"), max_length=20, blank=True, default="")

    class Meta:
        default_permissions = ()
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("PDF render")
        verbose_name_plural = _("PDF renders")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "language", "variant"],
                condition=models.Q(status="pending"),
                name="pdfrender_one_pending_per_cycle_language_variant",
            ),
            models.UniqueConstraint(
                fields=["content_key"],
                condition=models.Q(status__in=["pending", "running"]),
                name="pdfrender_one_active_per_content",
            ),
        ]
        indexes = [
            models.Index(fields=["cycle", "language", "-requested_at"], name="pdfrender_recent"),
            models.Index(fields=["status", "finished_at"], name="pdfrender_status_finished"),
        ]

    def __str__(self):
        return f"PDF {self.cycle_id} {self.language} {self.status} {self.content_key[:12]}"

    @property
    def is_done(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED, self.Status.SUPERSEDED)
