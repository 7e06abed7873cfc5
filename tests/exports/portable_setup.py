"""Shared setup of the JSON export and import tests (test_portable, test_portable_rules).

`refused_import` runs an import that must be refused and checks it left no row behind in any
table a cycle touches (the fixtures `exported` and `dutch` are in tests/exports/conftest.py). The
tables come from the registry of cycle parts, so a new part is fingerprinted without a change
here.
"""

import pytest

from compass import parts
from compass.models import Answer, ChangeRecord, Cycle, SelfAssessment
from exports import portable
from exports.models import ExportLog

MODELS = tuple(
    dict.fromkeys(
        [Cycle, *(part.model for part in parts.PARTS.values())]
        + [SelfAssessment, Answer, ChangeRecord, ExportLog]
    )
)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def refused_import(data, municipality, year=2027, user=None) -> list[str]:
    """Import `data` expecting a refusal; return its messages. Nothing may be left behind."""
    before = row_counts()
    with pytest.raises(portable.ImportRefused) as refused:
        portable.import_cycle(data, municipality, year, user)
    assert row_counts() == before, "a refused import must leave nothing behind"
    return refused.value.messages
