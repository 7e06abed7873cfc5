"""Issue 16: the JSON import refuses what the steps refuse, and still reads version-1 files.

Every imported row goes through the registry of cycle parts (`compass.parts`): the models'
own rules (`part.validate`) and each part's row limit (`part.check_row_count`). The values are
the ones the unchecked import used to store (and that reached the council report as
"Verwacht 177,5 %").
"""

import copy
import json
from pathlib import Path

import pytest

from compass import parts
from compass.models import (
    Result,
)
from exports import portable
from tests.exports.cycle_builders import indicator
from tests.exports.portable_setup import refused_import
from tests.questionnaire.assessment_helpers import make_measure_set

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dutch")]

FIXTURES = Path(__file__).parent / "fixtures"


def _set(data, path, value):
    *parents, last = path
    target = data["cycle"]
    for key in parents:
        target = target[key]
    target[last] = value


# (the changes, where the message must say it is: part row: field)
ISSUE_VALUES = [
    ([(("results", 0, "baseline_value"), "-5")], "Resultaat 1: Beginwaarde: "),
    ([(("results", 0, "baseline_year"), 1999)], "Resultaat 1: Beginjaar: "),
    ([(("results", 0, "target_value"), "250")], "Resultaat 1: Streefwaarde: "),  # unit "%"
    ([(("results", 0, "target_year"), 2090)], "Resultaat 1: Streefjaar: "),
    (
        [(("outcomes", 0, "reach"), 3), (("outcomes", 0, "respondents"), 40)],
        "Uitkomst 1: Aantal respondenten: ",
    ),
    ([(("offerings", 0, "capacity"), 10**15)], "Aanbod 1: Capaciteit: "),
    ([(("target_groups", 0, "estimated_size"), 2**40)], "Doelgroep 1: Geschatte omvang: "),
    ([(("results", 0, "values", 0, "value"), "-1")], "Resultaat 1, Resultaatwaarde 1: Waarde: "),
]


@pytest.mark.parametrize(("changes", "where"), ISSUE_VALUES)
def test_each_value_the_steps_refuse_is_refused_saying_where(exported, gemeente_b, changes, where):
    for path, value in changes:
        _set(exported, path, value)
    messages = refused_import(exported, gemeente_b)
    assert all(m.startswith(where) and len(m) > len(where) for m in messages), messages


def test_the_file_as_exported_imports(exported, gemeente_b):
    """The refusals above are about the changed values: the file as exported is accepted."""
    cycle, _plan = portable.import_cycle(exported, gemeente_b, 2027)
    assert cycle.outcomes.get(offering__name="-Huisbezoek").respondents == 40


def test_all_issue_values_at_once_are_listed_and_none_is_stored(exported, gemeente_b):
    for changes, _where in ISSUE_VALUES:
        for path, value in changes:
            _set(exported, path, value)
    messages = refused_import(exported, gemeente_b)
    for _changes, where in ISSUE_VALUES:
        assert any(m.startswith(where) for m in messages), (where, messages)
    # Nothing was stored, so no council report can show the impossible "Verwacht 177,5 %".
    assert not Result.objects.filter(target_value=250).exists()


def test_more_rows_than_the_steps_allow_are_refused_once(exported, gemeente_b):
    figure = exported["cycle"]["figures"][0]
    exported["cycle"]["figures"] = [dict(figure) for _n in range(20_000)]
    messages = refused_import(exported, gemeente_b)
    assert messages == [parts.get("figures").check_row_count(20_000)]
    assert "300" in messages[0] and "20000" in messages[0]


def test_the_row_limit_holds_for_result_values_across_results(exported, gemeente_b):
    value = exported["cycle"]["results"][0]["values"][0]
    for result in exported["cycle"]["results"]:
        result["values"] = [dict(value) for _n in range(101)]
    messages = refused_import(exported, gemeente_b)
    assert messages == [parts.get("values").check_row_count(303)]


# --- Schema versions ---------------------------------------------------------------------------


def _version_one():
    return json.loads((FIXTURES / "cycle_schema_v1.json").read_text(encoding="utf-8"))


@pytest.fixture
def for_the_old_file():
    """What the old file names on the server: the measure set and the indicator."""
    make_measure_set()
    indicator()


def test_the_version_one_fixture_is_what_main_wrote_before_this_change():
    data = _version_one()
    assert data["schema_version"] == 1 < portable.SCHEMA_VERSION
    assert data["format"] == portable.FORMAT


def test_a_version_one_file_is_imported_and_exported_as_version_two(for_the_old_file, gemeente_b):
    data = _version_one()
    # Version 1 exported a negative figure that the rules now refuse: refused with the reason.
    assert refused_import(copy.deepcopy(data), gemeente_b) == [
        "Cijfer 2: Waarde: Een cijfer kan niet negatief zijn."
    ]
    data["cycle"]["figures"][1]["value"] = "0.50"
    cycle, _plan = portable.import_cycle(portable.parse(portable.dumps(data)), gemeente_b, 2027)
    again = portable.export_cycle(cycle)
    assert again["schema_version"] == portable.SCHEMA_VERSION
    # The server re-scores submitted versions (never the file's snapshot): the snapshot holds
    # the ids of this server's suggestions (on PostgreSQL they need not be 1, 2, ...), and
    # since issue 19 its labels say whether the measure set was an example set (it is not).
    server_ids = {
        old["id"]: new["id"]
        for old, new in zip(_suggestions(data), _suggestions(again), strict=True)
    }
    assert server_ids
    for version in data["cycle"]["self_assessments"]:
        _renumber_suggestions(version["snapshot"], server_ids)
    for version in data["cycle"]["self_assessments"]:
        if version["snapshot"]:
            version["snapshot"]["labels"]["example"] = False
    # Fields added since (issue 19) are not in the old file: they come back empty.
    assert _added_since(again["cycle"]) == ADDED_EMPTY
    # Issue 19: the old evidence codes are read as the new ones, and a level that the old list
    # called the youth databank's keeps that databank ("goed beschreven" never was one).
    assert [(o["evidence_level"], o["databank"]) for o in again["cycle"]["offerings"]] == [
        ("sterke_aanwijzingen", "jeugd"),
        ("", ""),
        ("goed_beschreven", ""),
    ]
    assert [o["evidence_level"] for o in data["cycle"]["offerings"]] == [
        "effectief_sterke",
        "",
        "goed_beschreven",
    ]
    for offering, upgraded in zip(
        data["cycle"]["offerings"], again["cycle"]["offerings"], strict=True
    ):
        offering["evidence_level"] = upgraded["evidence_level"]
        offering["databank"] = upgraded["databank"]
    # The purchasing check's parts (issue 23) came after version 1: the old file has none, the
    # re-export has them, empty.
    assert "purchasing_check" not in data["cycle"] and "help_provisions" not in data["cycle"]
    assert again["cycle"]["purchasing_check"] is None
    assert again["cycle"]["help_provisions"] == []
    data["cycle"].update(purchasing_check=None, help_provisions=[])
    assert again["cycle"] == data["cycle"]


# Fields added after the old file was written, with the value an imported row gets.
ADDED = {
    "reading": {
        "risk_factor_codes": [],
        "protective_factor_codes": [],
        "balance": "",
        "regional_vision_url": "",
        "regional_vision": "",
    },
    "target_groups": {"risk_factor_codes": [], "protective_factor_codes": [], "balance": ""},
    "outcomes": {"violence_stopped": None, "feels_safe": None},
}
ADDED_EMPTY = {"reading": True, "target_groups": True, "outcomes": True, "theory_of_change": None}


def _added_since(cycle: dict) -> dict:
    """Take the fields added since the old file out of an export; say whether they were empty."""
    found = {}
    for key, fields in ADDED.items():
        rows = cycle[key] if isinstance(cycle[key], list) else [cycle[key]]
        found[key] = all(row.pop(name) == empty for row in rows for name, empty in fields.items())
    found["theory_of_change"] = cycle.pop("theory_of_change")
    return found


def _renumber_suggestions(value, server_ids: dict) -> None:
    """Give every suggestion in a snapshot (the measure set's and the result's) the server's id."""
    if isinstance(value, dict):
        if {"id", "measure", "text"} <= value.keys():
            value["id"] = server_ids[value["id"]]
        for item in value.values():
            _renumber_suggestions(item, server_ids)
    elif isinstance(value, list):
        for item in value:
            _renumber_suggestions(item, server_ids)


def _suggestions(exported) -> list[dict]:
    return [
        suggestion
        for version in exported["cycle"]["self_assessments"]
        if version["snapshot"]
        for suggestion in version["snapshot"]["measure_set"]["suggestions"]
    ]
