"""Reading an upload: the size limit, JSON syntax, our format and a schema version we read."""

from __future__ import annotations

import json

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from exports.portable.format import FORMAT, SCHEMA_VERSION
from exports.portable.problems import ImportRefused

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


def max_bytes() -> int:
    return getattr(settings, "EXPORT_JSON_MAX_BYTES", DEFAULT_MAX_BYTES)


def _refuse_constant(name):
    raise ValueError(name)


def parse(raw: bytes) -> dict:
    """Parse and check the outer shape: JSON object, our format, a schema version we read."""
    try:
        text = raw.decode("utf-8-sig")
        data = json.loads(text, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ImportRefused(
            [_("The file is not a valid JSON file. Choose a JSON export of an annual cycle.")]
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportRefused(
            [
                _(
                    "This file is not a JSON export of an annual cycle from the Quality compass. "
                    "Choose a file made with 'Download JSON'."
                )
            ]
        )
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportRefused([_("The file has no valid schema version.")])
    if version > SCHEMA_VERSION:
        raise ImportRefused(
            [
                _(
                    "The file was made by a newer version of the Quality compass (schema "
                    "%(found)s; this version reads up to %(max)s)."
                )
                % {"found": version, "max": SCHEMA_VERSION}
            ]
        )
    if not isinstance(data.get("cycle"), dict):
        raise ImportRefused([_("The file holds no annual cycle.")])
    return data


def too_large_message() -> str:
    return _("The file is larger than %(size)s. Choose a JSON export of one annual cycle.") % {
        "size": filesizeformat(max_bytes())
    }


def read_upload(upload) -> dict:
    """Read an uploaded file within the size limit (checked before reading it whole), parse it."""
    limit = max_bytes()
    too_large = ImportRefused([too_large_message()])
    if upload.size is not None and upload.size > limit:
        raise too_large
    upload.seek(0)
    raw = upload.read(limit + 1)
    if len(raw) > limit:
        raise too_large
    return parse(raw)
