"""Indicator definitions resolve against the saved table shapes (issue 19 H4): every demo
indicator whose table (or Veilig Thuis-region twin table) is saved in the demo folder names a
topic, dimensions and codes that exist there; the others say they are unverified examples. The
twin table gives the Veilig Thuis-region line; "nader voorlopig" (**) is kept apart from "*"."""

import json
from decimal import Decimal

import pytest

from cms.demo_content import INDICATORS
from cms.snippets import Indicator
from compass.cbs import importer
from compass.cbs.odata import FolderTransport, ODataTable
from compass.demo import DEMO_FIGURES
from compass.models import CbsObservation

SAVED = {p.name.split("_")[0].upper() for p in DEMO_FIGURES.glob("*_TableInfos.json")}


def shape(table_id):
    return ODataTable(table_id, FolderTransport(DEMO_FIGURES))


def test_the_demo_folder_holds_the_municipality_table_and_its_region_twin():
    assert {"84849NED", "84848NED"} <= SAVED
    regions = {c.code for c in shape("84849NED").code_list("RegioS")}
    twin = {c.code for c in shape("84848NED").code_list("RegioS")}
    assert not any(code.startswith("VT") for code in regions)  # as in the real 85361NED/84849NED
    assert twin == {"NL01", "VT20"}
    assert "Veilig Thuis-regio" in shape("84848NED").table_info().title
    assert "DEMODATA" in shape("84848NED").table_info().title


@pytest.mark.parametrize("spec", INDICATORS, ids=[s["code"] for s in INDICATORS])
def test_every_demo_indicator_resolves_against_a_saved_shape_or_says_it_is_an_example(spec):
    tables = [spec["cbs_table_id"], spec.get("region_table_id", "")]
    saved = [t for t in tables if t and t.upper() in SAVED]
    if not saved:
        assert "Voorbeelddefinitie: controleer de sleutels" in spec["description"]
        return
    assert set(saved) == {t for t in tables if t}  # a twin is saved beside its table
    for table_id in saved:
        table = shape(table_id)
        topics = {t.key: t for t in table.topics()}
        assert spec["measure_key"] in topics, table_id
        assert topics[spec["measure_key"]].unit == spec["unit"]  # counts shown as counts
        dimensions = {d.key for d in table.dimensions()}
        region, period = table.region_dimension(), table.period_dimension()
        assert region is not None and period is not None
        # every other dimension is fixed, so each region and period has one value
        assert set(spec["dimension_filters"]) == dimensions - {region.key, period.key}
        for key, code in spec["dimension_filters"].items():
            assert code in {c.code for c in table.code_list(key)}, (table_id, key, code)


def test_demo_titles_use_the_real_words():
    props = {p.title for p in shape("84848NED").data_properties()}
    assert {"Kenmerken adviezen/meldingen", "Gestarte adviezen", "Ontvangen meldingen"} <= props
    titles = {c.title for c in shape("84849NED").code_list("RolVanMelder")}
    assert titles == {"Totaal", "Beroepsmatig totaal"}


@pytest.mark.django_db
def test_the_twin_table_adds_only_the_region_line():
    indicator = Indicator.objects.create(
        code="vt-meldingen",
        name="Meldingen",
        unit="aantal",
        cbs_table_id="84849NED",
        region_table_id="84848NED",
        measure_key="Meldingen_2",
        dimension_filters={"RolVanMelder": "T001000"},
    )
    importer.import_table("84849NED", DEMO_FIGURES)
    assert not CbsObservation.objects.filter(region_code__startswith="VT").exists()
    national = dict(
        CbsObservation.objects.filter(region_code="NL01").values_list("period", "value")
    )
    result = importer.import_table("84848NED", DEMO_FIGURES)
    rows = CbsObservation.objects.filter(indicator=indicator, region_code="VT20")
    assert rows.count() == 6 and set(rows.values_list("table_id", flat=True)) == {"84848NED"}
    assert result.created == 6  # the twin's national rows are not read again
    assert (
        dict(CbsObservation.objects.filter(region_code="NL01").values_list("period", "value"))
        == national
    )
    assert set(
        CbsObservation.objects.filter(region_code="NL01").values_list("table_id", flat=True)
    ) == {"84849NED"}


@pytest.mark.django_db
def test_nader_voorlopig_is_kept_apart_from_voorlopig():
    Indicator.objects.create(
        code="vt-meldingen",
        name="Meldingen",
        unit="aantal",
        cbs_table_id="84849NED",
        measure_key="Meldingen_2",
        dimension_filters={"RolVanMelder": "T001000"},
    )
    importer.import_table("84849NED", DEMO_FIGURES)
    utrecht = {o.period: o for o in CbsObservation.objects.filter(region_code="GM0344")}
    assert utrecht["2023JJ00"].provisional and utrecht["2023JJ00"].revised_provisional
    assert utrecht["2024HJ01"].provisional and not utrecht["2024HJ01"].revised_provisional
    assert not utrecht["2022JJ00"].provisional and not utrecht["2022JJ00"].revised_provisional


@pytest.mark.django_db
def test_a_csv_marks_nader_voorlopig_in_the_value_or_the_period():
    from compass.cbs.statline_csv import read_statline_csv

    data = "Perioden;Regio's;Meldingen\n2023**;GM0344;1235\n2024 1e halfjaar*;GM0344;600**\n"
    csv = read_statline_csv(data.encode("utf-8"))
    indicator = Indicator(code="x", name="Meldingen", measure_key="Meldingen")
    observations, _unmatched = importer.csv_observations(csv, indicator, None, None)
    marks = {o.period: (o.provisional, o.revised_provisional) for o in observations}
    assert marks == {"2023JJ00": (True, True), "2024HJ01": (True, True)}
    assert {o.value for o in observations} == {Decimal(1235), Decimal(600)}


def test_demo_values_stay_multiples_of_five():
    for path in DEMO_FIGURES.glob("*_TypedDataSet*.json"):
        for row in json.loads(path.read_text())["value"]:
            for key in ("Adviezen_1", "Meldingen_2"):
                assert row[key] is None or row[key] % 5 == 0, (path.name, row)


def test_a_region_table_needs_the_municipality_table_beside_it():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        Indicator(code="x", name="x", region_table_id="84848NED").clean()
    assert "region_table_id" in raised.value.message_dict
    Indicator(code="x", name="x", cbs_table_id="84849NED", region_table_id="84848NED").clean()


@pytest.mark.django_db
def test_importing_the_twin_table_leaves_indicators_without_a_twin_alone():
    Indicator.objects.create(
        code="vt-meldingen",
        name="Meldingen",
        unit="aantal",
        cbs_table_id="84849NED",
        measure_key="Meldingen_2",
        dimension_filters={"RolVanMelder": "T001000"},
    )
    with pytest.raises(importer.NoIndicator):
        importer.indicators_for("84848NED")
    assert [i.code for i in importer.indicators_for("84849NED")] == ["vt-meldingen"]
