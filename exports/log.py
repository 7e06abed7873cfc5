"""Every export is logged: one call per download or import, from the view that serves it."""

from __future__ import annotations

import logging

from exports.models import ExportLog

logger = logging.getLogger("exports")


def record(user, cycle, kind: str, detail: str = "") -> ExportLog:
    """Store who exported what of which cycle, and say it in the application log too."""
    entry = ExportLog.objects.create(
        cycle=cycle,
        user=user if getattr(user, "is_authenticated", False) else None,
        kind=kind,
        detail=detail[:200],
    )
    logger.info(
        "export kind=%s cycle=%s municipality=%s user=%s detail=%s",
        kind,
        cycle.pk,
        cycle.municipality.code,
        getattr(user, "pk", None),
        detail,
    )
    return entry
