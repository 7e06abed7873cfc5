"""The shape of the JSON file: its name, schema version, fields per part and local keys."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

FORMAT = "kwaliteitskompas-jaarcyclus"
SCHEMA_VERSION = 1

# Plain fields by model field name (the JSON uses the same names); references separately.
CYCLE_FIELDS = ["status", "policy_start_year", "policy_end_year"]
READING_FIELDS = ["recognise", "explain", "appraise", "improve", "signals", "participants"]
FIGURE_FIELDS = ["label", "period", "value", "source", "provisional"]
AMBITION_FIELDS = ["kind", "text", "risk_factors", "protective_factors"]
RESULT_FIELDS = [
    "type",
    "text",
    "baseline_value",
    "baseline_year",
    "target_value",
    "target_year",
    "unit",
    "direction",
]
VALUE_FIELDS = ["year", "value"]
GROUP_FIELDS = ["name", "risk_factors", "estimated_size"]
OFFERING_FIELDS = [
    "name",
    "kind",
    "provider",
    "evidence_level",
    "databank_url",
    "valid_until",
    "capacity",
]
QUALITY_FIELDS = ["well_founded", "trained", "registered", "supervised", "guidelines", "notes"]
OUTCOME_FIELDS = [
    "reach",
    "dropout",
    "usefulness",
    "goal_realisation",
    "improvement_suggestions",
    "respondents",
    "method",
    "story",
]
ACTION_FIELDS = ["what", "who", "due", "status", "decision"]
ANSWER_FIELDS = ["measure_code", "aspect", "value", "note"]

# The lists of the "cycle" object, in the order of the file.
PARTS = [
    "steps",
    "reading",
    "figures",
    "ambitions",
    "results",
    "target_groups",
    "offerings",
    "quality_checks",
    "outcomes",
    "actions",
    "self_assessments",
]
TOP_LEVEL = {"format", "schema_version", "exported_at", "source", "cycle"}

KEY_PREFIX = {
    "ambitions": "ambitie",
    "results": "resultaat",
    "target_groups": "doelgroep",
    "offerings": "aanbod",
}


def json_value(value):
    """A model value as JSON: decimals as strings, times in UTC, dates ISO."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def plain(obj, fields) -> dict:
    return {name: json_value(getattr(obj, name)) for name in fields}


def key_order(key: str):
    """Sort "aanbod-10" after "aanbod-9"."""
    prefix, _sep, number = key.rpartition("-")
    return (prefix, int(number) if number.isdigit() else 0)


def dumps(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def source_of(data: dict) -> dict:
    """The provenance of a parsed file, or {} when it has none (it is never trusted further)."""
    source = data.get("source")
    return source if isinstance(source, dict) else {}


def without_provenance(data: dict) -> dict:
    """The data minus what may differ between two exports of the same content."""
    return {k: v for k, v in data.items() if k not in ("exported_at", "source")}
