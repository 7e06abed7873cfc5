"""Issue 16: the tables, the JSON file and the report read the registry of cycle parts.

Each test changes one declaration in `compass.parts.PARTS` (as a new field would) and checks
that the export follows it without a change in exports/.
"""

import dataclasses
import json

import pytest
from django.utils import translation

from compass import parts
from exports import cycle_tables, portable
from exports.reports import build_cycle_report
from tests.exports.cycle_builders import rich_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


def _declare(monkeypatch, key, **changes):
    part = dataclasses.replace(parts.get(key), **changes)
    monkeypatch.setitem(parts.PARTS, key, part)
    return part


def _without(key, name):
    return tuple(f for f in parts.get(key).fields if f.name != name)


def test_every_part_with_a_table_is_a_table_with_the_declared_columns(alice, gemeente_a):
    cycle = rich_cycle(gemeente_a, user=alice)
    for part in parts.PARTS.values():
        if part.table and not part.single:
            headers, rows = cycle_tables.TABLES[part.table].build(cycle)
            assert headers == part.headers()
            assert rows and all(len(row) == len(headers) for row in rows)


def test_json_tables_and_import_follow_a_declaration(monkeypatch, alice, gemeente_a, gemeente_b):
    _declare(monkeypatch, "target_groups", fields=_without("target_groups", "estimated_size"))
    cycle = rich_cycle(gemeente_a, user=alice)
    data = json.loads(portable.dumps(portable.export_cycle(cycle)))
    declared = {"name", "risk_factor_codes", "protective_factor_codes", "balance", "risk_factors"}
    assert set(data["cycle"]["target_groups"][0]) == {"key"} | declared
    headers, _rows = cycle_tables.TABLES["doelgroepen"].build(cycle)
    group = parts.get("target_groups")
    assert headers == [str(group.field(name).label) for name in group.field_names]
    assert headers[0] == "Doelgroep" and "Geschatte omvang" not in headers
    data["cycle"]["target_groups"][0]["estimated_size"] = 120
    with pytest.raises(portable.ImportRefused) as refused:
        portable.import_cycle(data, gemeente_b, 2027)
    assert refused.value.messages == ["Doelgroep 1: onbekend veld 'estimated_size'"]


def test_a_field_placed_in_the_report_shows_under_its_row(monkeypatch, alice, gemeente_a):
    cycle = rich_cycle(gemeente_a, user=alice)
    before = build_cycle_report(cycle).offerings[0]
    assert before["more"] == []
    offerings = parts.get("offerings")
    place = dataclasses.replace(offerings.report, fields=(*offerings.report.fields, "databank_url"))
    _declare(monkeypatch, "offerings", report=place)
    shown = build_cycle_report(cycle).offerings[0]
    assert shown["more"] == [("Link naar de databank", "https://www.nji.nl/interventies/x")]


def test_the_quality_questions_are_the_declared_choice_fields(monkeypatch, alice, gemeente_a):
    cycle = rich_cycle(gemeente_a, user=alice)
    assert len(build_cycle_report(cycle).quality_questions) == 5
    quality = parts.get("quality")
    fields = tuple(f for f in quality.report.fields if f != "guidelines")
    _declare(monkeypatch, "quality", report=dataclasses.replace(quality.report, fields=fields))
    report = build_cycle_report(cycle)
    assert len(report.quality_questions) == 4
    assert [len(row["answers"]) for row in report.quality] == [4]
