"""Every export is logged: one call per download or import, from the view that serves it.

Values a user can choose (an import's source fields, file names, titles) pass through `clean()`
before they reach a log: a line break in them would otherwise start a forged log line.
"""

from __future__ import annotations

import logging
import unicodedata

from exports.models import ExportLog

logger = logging.getLogger("exports")

LOG_VALUE_LIMIT = 200
_NAMED = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def clean(value, limit: int = LOG_VALUE_LIMIT) -> str:
    """The value as one bounded log token: control and line-separator characters escaped.

    Backslashes are doubled, so an escaped line break can never be told apart from a typed
    `\\n`; the result is cut to `limit` characters (before escaping) and marked with `…`.
    """
    text = "" if value is None else str(value)
    cut = len(text) > limit
    escaped = "".join(_escape(char) for char in text[:limit])
    return escaped + "…" if cut else escaped


def _escape(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    # Cc: C0/C1 controls (incl. NEL); Zl/Zp: U+2028/U+2029, which some viewers break on;
    # Cf: invisible format characters (bidi overrides can disguise the rest of a line).
    if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return char


def record(user, cycle, kind: str, detail: str = "") -> ExportLog:
    """Store who exported what of which cycle, and say it in the application log too."""
    detail = clean(detail)
    entry = ExportLog.objects.create(
        cycle=cycle,
        user=user if getattr(user, "is_authenticated", False) else None,
        kind=kind,
        detail=detail[:200],
    )
    logger.info(
        "export kind=%s cycle=%s municipality=%s user=%s detail=%s",
        clean(kind),
        cycle.pk,
        clean(cycle.municipality.code),
        getattr(user, "pk", None),
        detail,
    )
    return entry
