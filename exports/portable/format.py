"""The shape of the JSON file: its name, schema version and the keys beside the registry's parts."""

from __future__ import annotations

import json

from compass.parts import json_value

__all__ = ["json_value"]

FORMAT = "kwaliteitskompas-jaarcyclus"
# 1: the first format (issue 8). 2: the rows are written and read through the registry of cycle
# parts, and an import checks each row with the models' rules and each part's row limit
# (issue 16). The lists and fields are the same, so a version-1 file is read as it is.
# 3: an offering names the databank that judged it ("databank"), and its evidence levels are
# the databanks' own words (issue 19). A file of version 1 or 2 is read with the old codes
# mapped to the new ones and, for a level of the youth databank, that databank (the parts'
# `legacy` codes and `upgrade`, compass/parts/declarations.py).
SCHEMA_VERSION = 3
READABLE_VERSIONS = (1, 2, 3)

# The cycle's own fields and the answers of a self-assessment: not parts of the registry.
# Every other list of the file is a part of the registry (compass.parts), under its json_key.
CYCLE_FIELDS = ["status", "policy_start_year", "policy_end_year"]
ANSWER_FIELDS = ["measure_code", "aspect", "value", "note"]
# "district": only in the file of a district cycle (issue 22): {"code", "name",
# "municipal_cycle_year"}. Code before issue 22 refuses such a file (an unknown top-level key),
# so the schema version did not change; this code refuses it too, with its own message
# (portable.write.refuse_district_file).
TOP_LEVEL = {"format", "schema_version", "exported_at", "source", "cycle", "district"}


def cycle_keys() -> list[str]:
    """The keys of the file's "cycle" object besides the cycle's own fields, in file order."""
    from compass import parts

    listed = [p.json_key for p in parts.PARTS.values() if not p.nested_in]
    return ["steps", *listed, "self_assessments"]


def plain(obj, fields) -> dict:
    return {name: json_value(getattr(obj, name)) for name in fields}


def dumps(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def source_of(data: dict) -> dict:
    """The provenance of a parsed file, or {} when it has none (it is never trusted further)."""
    source = data.get("source")
    return source if isinstance(source, dict) else {}


def without_provenance(data: dict) -> dict:
    """The data minus what may differ between two exports of the same content."""
    return {k: v for k, v in data.items() if k not in ("exported_at", "source")}
