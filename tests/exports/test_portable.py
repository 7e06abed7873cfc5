"""The JSON export of a whole cycle and its import: lossless round trip, and every refusal."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compass.models import (
    Ambition,
    ChangeRecord,
    Cycle,
    Offering,
    Result,
    SelfAssessment,
)
from exports import portable
from tests.exports.cycle_builders import HOSTILE, UNICODE, rich_cycle
from tests.exports.portable_setup import refused_import, row_counts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dutch")]


def roundtrip_equal(first, second):
    return portable.without_provenance(first) == portable.without_provenance(second)


def test_export_holds_every_part_with_local_keys_and_decimal_strings(alice, gemeente_a):
    cycle = rich_cycle(gemeente_a, user=alice)
    data = portable.export_cycle(cycle)
    assert data["format"] == "kwaliteitskompas-jaarcyclus"
    assert data["schema_version"] == portable.SCHEMA_VERSION == 3
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
    assert body["offerings"][0]["evidence_level"] == "sterke_aanwijzingen"
    assert body["offerings"][0]["databank"] == "jeugd"
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
    third_cycle, plan = portable.import_cycle(
        portable.parse(portable.dumps(second)), gemeente_b, 2028, carol
    )
    third = portable.export_cycle(third_cycle)
    # Amersfoort's 2027 copy is active now: the second copy becomes a draft (one active cycle).
    assert plan.made_draft and third["cycle"]["status"] == "draft"
    third["cycle"]["status"] = first["cycle"]["status"]
    assert roundtrip_equal(first, third)
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
    # Stored as data (event "imported", the origin as the item), shown in the reader's language.
    assert {(r.shown.item, r.shown.new) for r in rows} == {
        ("Geïmporteerd uit een JSON-export", "Utrecht 2026 GM0344")
    }
    assert imported.previous == source


def test_policy_period_moves_when_it_does_not_include_the_year(alice, gemeente_a):
    source = rich_cycle(gemeente_a, user=alice)  # 2026-2029
    data = portable.parse(portable.dumps(portable.export_cycle(source)))
    imported, plan = portable.import_cycle(data, gemeente_a, 2031, alice)
    assert plan.moved_period
    assert (imported.policy_start_year, imported.policy_end_year) == (2031, 2034)


# --- Refusals: each leaves the database unchanged ----------------------------------------------


def upload(content: bytes, name="export.json"):
    return SimpleUploadedFile(name, content, content_type="application/json")


def refused_reading(content: bytes) -> list[str]:
    before = row_counts()
    with pytest.raises(portable.ImportRefused) as refused:
        portable.read_upload(upload(content))
    assert row_counts() == before
    return refused.value.messages


def test_not_json_is_refused(exported):
    assert refused_reading(b"<html>niet json</html>") == [
        "Het bestand is geen geldig JSON-bestand. Kies een JSON-export van een jaarcyclus."
    ]
    assert refused_reading(b"\xff\xfe\x00garbage")[0].startswith("Het bestand is geen geldig")
    assert refused_reading(b'{"a": NaN}')[0].startswith("Het bestand is geen geldig")


def test_a_json_array_or_a_foreign_file_is_refused(exported):
    for content in (b"[1, 2]", b'{"format": "iets-anders", "schema_version": 1, "cycle": {}}'):
        assert "geen JSON-export van een jaarcyclus" in refused_reading(content)[0]


def test_a_newer_schema_version_is_refused(exported):
    exported["schema_version"] = portable.SCHEMA_VERSION + 1
    message = refused_reading(json.dumps(exported).encode())[0]
    assert "nieuwere versie" in message and str(portable.SCHEMA_VERSION + 1) in message


def test_a_file_above_the_limit_is_refused_before_it_is_read(exported, settings):
    settings.EXPORT_JSON_MAX_BYTES = 2048
    content = json.dumps(exported).encode()
    assert len(content) > 2048

    class Unreadable(io.BytesIO):
        def read(self, *args):  # the size alone must be enough to refuse
            raise AssertionError("read although too large")

    file = SimpleUploadedFile("groot.json", b"")
    file.file, file.size = Unreadable(content), len(content)
    with pytest.raises(portable.ImportRefused) as refused:
        portable.read_upload(file)
    assert "groter dan" in refused.value.messages[0]
    # Without a size the read stops one byte after the limit.
    file = SimpleUploadedFile("groot.json", content)
    file.size = None
    with pytest.raises(portable.ImportRefused):
        portable.read_upload(file)


def test_a_bad_choice_is_refused_with_where_it_is(exported, gemeente_b):
    exported["cycle"]["offerings"][2]["evidence_level"] = "x"
    messages = refused_import(exported, gemeente_b)
    assert messages == ["Aanbod 3: Erkenningsniveau: Waarde 'x' is geen geldige keuze."]


def test_a_broken_reference_is_refused(exported, gemeente_b):
    exported["cycle"]["offerings"][0]["results"].append("resultaat-99")
    exported["cycle"]["results"][1]["ambition"] = "ambitie-7"
    messages = refused_import(exported, gemeente_b)
    assert "Resultaat 2: Ambitie: verwijst naar 'ambitie-7', dat niet in het bestand staat" in (
        messages
    )
    assert any(m.startswith("Aanbod 1: Resultaten") and "resultaat-99" in m for m in messages)


def test_text_that_is_too_long_is_refused(exported, gemeente_b):
    exported["cycle"]["ambitions"][0]["text"] = "a" * 501
    exported["cycle"]["reading"]["signals"] = "b" * 4001
    messages = refused_import(exported, gemeente_b)
    assert any(m.startswith("Ambitie 1: Ambitie:") and "500" in m for m in messages)
    assert any("Signalen uit de praktijk" in m and "4000" in m for m in messages)


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("figures", 0, "value"), 4.15, "Cijfer 1: Waarde: moet een getal als tekst zijn"),
        (("figures", 0, "value"), "veel", "Cijfer 1: Waarde: "),
        (("figures", 0, "provisional"), "ja", "Cijfer 1: Voorlopig cijfer: moet true of false"),
        (("target_groups", 0, "estimated_size"), "120", "Doelgroep 1: Geschatte omvang: moet"),
        (("target_groups", 0, "estimated_size"), -5, "Doelgroep 1: Geschatte omvang: "),
        (("target_groups", 0, "estimated_size"), 10**20, "Doelgroep 1: Geschatte omvang: "),
        (("actions", 0, "due"), "2026-02-30", "Verbeteractie 1: Wanneer (datum): "),
        (("ambitions", 0, "text"), ["lijst"], "Ambitie 1: Ambitie: moet tekst zijn"),
        (("ambitions", 0, "text"), "nul\x00teken", "Ambitie 1: Ambitie: bevat een teken"),
        (("ambitions", 0, "colour"), "rood", "Ambitie 1: onbekend veld 'colour'"),
        (("outcomes", 0, "dropout"), "120", "Uitkomst 1: Uitval (%): "),
        (("figures", 0, "indicator"), "bestaat-niet", "Cijfer 1: Indicator: de indicator"),
    ],
)
def test_types_values_and_unknown_fields_are_refused(exported, gemeente_b, path, value, expected):
    *parents, last = path
    target = exported["cycle"]
    for key in parents:
        target = target[key]
    target[last] = value
    messages = refused_import(exported, gemeente_b)
    assert any(m.startswith(expected) for m in messages), messages


def test_two_quality_checks_for_one_offering_are_refused(exported, gemeente_b):
    exported["cycle"]["quality_checks"].append(dict(exported["cycle"]["quality_checks"][0]))
    messages = refused_import(exported, gemeente_b)
    assert messages == ["Kwaliteit 2: Aanbod: dit aanbod heeft al een kwaliteitscheck"]


def test_a_forged_frozen_result_is_never_stored(exported, gemeente_b, carol):
    """The file's frozen result is not trusted: the import scores the answers again (14.2)."""
    honest = exported["cycle"]["self_assessments"][0]["snapshot"]["result"]["overall"]
    exported["cycle"]["self_assessments"][0]["snapshot"]["result"]["overall"] = 99.9
    cycle, _plan = portable.import_cycle(exported, gemeente_b, 2027, carol)
    stored = SelfAssessment.objects.get(cycle=cycle, version=1).snapshot
    assert stored["result"]["overall"] == honest != 99.9


def test_incomplete_answers_of_a_submitted_version_are_refused(exported, gemeente_b):
    answers = exported["cycle"]["self_assessments"][0]["answers"]
    exported["cycle"]["self_assessments"][0]["answers"] = answers[1:]
    messages = refused_import(exported, gemeente_b)
    assert any("Zelfevaluatie 1" in m and "Beantwoord" in m for m in messages), messages


def test_an_unknown_measure_set_is_refused(exported, gemeente_b):
    exported["cycle"]["self_assessments"][1]["measure_set"]["version"] = 9
    messages = refused_import(exported, gemeente_b)
    assert any("Testset" in m and "9" in m for m in messages), messages


def test_an_existing_target_cycle_is_refused(exported, alice, gemeente_a):
    refused = refused_import(exported, gemeente_a, year=2026, user=alice)
    assert refused == ["Utrecht heeft al een jaarcyclus voor 2026."]


def test_all_problems_are_listed_at_once_and_capped(exported, gemeente_b):
    for item in exported["cycle"]["ambitions"]:
        item["kind"] = "x"
    exported["cycle"]["ambitions"] += [
        {"key": f"extra-{n}", "kind": "x", "text": "t"} for n in range(80)
    ]
    messages = refused_import(exported, gemeente_b)
    assert len(messages) == portable.MAX_ERRORS + 1
    assert messages[-1].startswith("… en ")


# --- Random content survives the round trip ----------------------------------------------------

texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)
# Not negative: a result's values are never below zero (the models' rule since issue 16).
decimals = st.decimals(
    min_value=0, max_value=9999999999, places=2, allow_nan=False, allow_infinity=False
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ambitions=st.lists(st.tuples(st.sampled_from(["reduce", "strengthen"]), texts), max_size=4),
    values=st.lists(decimals, max_size=4),
    link=st.booleans(),
)
def test_random_cycles_round_trip(gemeente_a, gemeente_b, ambitions, values, link):
    from compass import services

    Cycle.objects.all().delete()
    cycle = services.start_cycle(gemeente_a, 2026)
    made = [
        Ambition.objects.create(cycle=cycle, kind=kind, text=text or "-")
        for kind, text in ambitions
    ]
    for n, value in enumerate(values):
        if made:
            result = Result.objects.create(
                cycle=cycle,
                ambition=made[n % len(made)],
                type="process",
                text=f"r{n}",
                target_value=value,
            )
            if link:
                offering = Offering.objects.create(cycle=cycle, name=f"o{n}", kind="help")
                offering.results.set([result])
    first = portable.export_cycle(cycle)
    copy, _plan = portable.import_cycle(portable.parse(portable.dumps(first)), gemeente_b, 2026)
    assert roundtrip_equal(first, portable.export_cycle(copy))


def test_odd_provenance_is_ignored_not_trusted(exported, gemeente_b):
    exported["source"] = ["niet", "een", "object"]
    cycle, _plan = portable.import_cycle(exported, gemeente_b, 2027)
    assert cycle.changes.first().shown.new == ""
