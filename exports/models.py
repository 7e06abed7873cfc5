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
