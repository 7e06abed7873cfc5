"""The JSON export of a whole cycle and its import: lossless round trip, and every refusal."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import from_field  # noqa: F401 - documents the option not taken

from compass.models import (
    Ambition,
    Answer,
    ChangeRecord,
    Cycle,
    ImprovementAction,
    Offering,
    Result,
    SelfAssessment,
    TargetGroup,
)
from exports import portable
from exports.models import ExportLog
from tests.exports.cycle_builders import HOSTILE, UNICODE, rich_cycle

pytestmark = pytest.mark.django_db


def roundtrip_equal(first, second):
    return portable.without_provenance(first) == portable.without_provenance(second)


def test_export_holds_every_part_with_local_keys_and_decimal_strings(alice, gemeente_a):
    cycle = rich_cycle(gemeente_a, user=alice)
    data = portable.export_cycle(cycle)
    assert data["format"] == "kwaliteitskompas-jaarcyclus"
    assert data["schema_version"] == 1
    assert data["source"] == {
        "municipality_code": "GM0344",
        "municipality_name": "Utrecht",
        "year": 2026,
    }
    body = data["cycle"]
    assert [a["key"] for a in body["ambitions"]] == ["ambitie-1", "ambitie-2"]
    assert body["results"][0]["ambition"] == "ambitie-1"
    assert body["results"][0]["baseline_value"] == "12.34"
    assert body["results"][0]["indicator"] == "vt-meldingen"
    assert body["results"][0]["values"] == [
        {"year": 2025, "value": "11.00"},
        {"year": 2026, "value": "10.05"},
    ]
    assert body["results"][1]["baseline_value"] is None
    assert body["offerings"][0]["target_groups"] == ["doelgroep-1", "doelgroep-2"]
    assert body["offerings"][0]["results"] == ["resultaat-1", "resultaat-3"]
    assert body["offerings"][0]["valid_until"] == "2028-12-31"
    assert body["quality_checks"][0]["offering"] == "aanbod-1"
    assert body["actions"][1]["result"] is None
    assert body["figures"][1]["label"] == HOSTILE
    assert body["reading"]["explain"] == UNICODE
    versions = body["self_assessments"]
    assert [(s["version"], s["status"]) for s in versions] == [(1, "submitted"), (2, "open")]
    assert versions[0]["measure_set"] == {"name": "Testset", "version": 1}
    assert versions[0]["snapshot"]["result"]["overall"] is not None
    # No database id anywhere (the frozen snapshot is the scoring engine's own record).
    assert not any(key in ("id", "pk", "cycle") for key in keys_of(body, skip="snapshot"))


def keys_of(value, skip):
    if isinstance(value, dict):
        for key, item in value.items():
            if key != skip:
                yield key
                yield from keys_of(item, skip)
    elif isinstance(value, list):
        for item in value:
            yield from keys_of(item, skip)


def test_round_trip_into_another_municipality_and_year_is_lossless(
    alice, carol, gemeente_a, gemeente_b
):
    source = rich_cycle(gemeente_a, user=alice)
    first = portable.export_cycle(source)
    parsed = portable.parse(portable.dumps(first))
    imported, plan = portable.import_cycle(parsed, gemeente_b, 2027, carol)
    assert imported.municipality == gemeente_b and imported.year == 2027
    assert not plan.moved_period
    second = portable.export_cycle(imported)
    assert second["source"]["municipality_code"] == "GM0307"
    assert roundtrip_equal(first, second)
    # And again: the copy of the copy is the same too.
    third_cycle, _plan = portable.import_cycle(
        portable.parse(portable.dumps(second)), gemeente_b, 2028, carol
    )
    assert roundtrip_equal(first, portable.export_cycle(third_cycle))
    # Links point inside the new cycle only.
    offering = imported.offerings.order_by("pk").first()
    assert {g.cycle_id for g in offering.target_groups.all()} == {imported.pk}
    assert {r.cycle_id for r in offering.results.all()} == {imported.pk}
    action = imported.actions.filter(result__isnull=False).get()
    assert action.result.cycle_id == imported.pk and action.offering.cycle_id == imported.pk


def test_import_writes_history_rows(alice, gemeente_a):
    source = rich_cycle(gemeente_a, user=alice)
    data = portable.parse(portable.dumps(portable.export_cycle(source)))
    imported, _plan = portable.import_cycle(data, gemeente_a, 2027, alice)
    rows = ChangeRecord.objects.filter(cycle=imported)
    assert rows.count() == 7
    assert {r.new for r in rows} == {"Utrecht 2026 GM0344"}
    assert imported.previous == source


def test_policy_period_moves_when_it_does_not_include_the_year(alice, gemeente_a):
    source = rich_cycle(gemeente_a, user=alice)  # 2026-2029
    data = portable.parse(portable.dumps(portable.export_cycle(source)))
    imported, plan = portable.import_cycle(data, gemeente_a, 2031, alice)
    assert plan.moved_period
    assert (imported.policy_start_year, imported.policy_end_year) == (2031, 2034)
