"""A whole annual cycle as JSON, and back: export, validate, import (docs/exports.md).

The file names its format and schema version, says where it came from (municipality code and
year: provenance only), and holds every part of the cycle. Items refer to each other by local
keys ("ambitie-1", "aanbod-3"), never by database ids; decimals are strings so nothing is
rounded; indicators are named by their code and measure sets by name and version.

An import is checked completely before anything is written (syntax, format, size, types,
choices, lengths, references, the models' own validators) and then written in one
transaction: a refused file leaves the database as it was. Export, import and export again
gives the same JSON apart from the provenance and the export time.

One module per job: `format` (the file's shape and names), `export` (cycle -> data),
`upload` (bytes -> parsed data, refusals), `items` (one JSON object -> an unsaved, checked
model instance), `validate` (parsed data -> a checked `Plan`), `assessments` (the
self-assessment versions of a plan), `write` (a plan -> a new cycle, in one transaction).
"""

from exports.portable.export import export_cycle
from exports.portable.format import (
    FORMAT,
    SCHEMA_VERSION,
    dumps,
    source_of,
    without_provenance,
)
from exports.portable.problems import MAX_ERRORS, ImportRefused
from exports.portable.upload import max_bytes, parse, read_upload, too_large_message
from exports.portable.validate import Plan, validate
from exports.portable.write import import_cycle

__all__ = [
    "FORMAT",
    "MAX_ERRORS",
    "SCHEMA_VERSION",
    "ImportRefused",
    "Plan",
    "dumps",
    "export_cycle",
    "import_cycle",
    "max_bytes",
    "parse",
    "read_upload",
    "source_of",
    "too_large_message",
    "validate",
    "without_provenance",
]
