"""Reading CBS StatLine tables from the real CBS files and the Veilig Thuis fixture."""

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from compass.cbs.errors import MalformedData, NetworkFailure, UnknownKey, UnknownTable
from compass.cbs.odata import FolderTransport, HttpTransport, ODataTable, parse_value
from compass.cbs.statline_csv import read_statline_csv

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cbs"
TABLE_80137 = FIXTURES / "odata_v3_80137ned"
VEILIG_THUIS = FIXTURES / "veilig_thuis_84849NED"


@pytest.fixture(autouse=True)
def _english_details():
    """The details are matched in English here; test_cbs_import checks the Dutch ones."""
    with translation.override("en"):
        yield


def table_80137():
    return ODataTable("80137ned", FolderTransport(TABLE_80137))


def veilig_thuis(folder=VEILIG_THUIS):
    return ODataTable("84849NED", FolderTransport(folder))


def test_table_info_of_the_real_80137ned():
    info = table_80137().table_info()
    assert info.identifier == "80137ned"
    assert info.title == "Arbeidsrekeningen; leeftijd en opleidingsniveau"
    assert info.period == "2001-2005"


def test_data_properties_split_into_dimensions_and_topics():
    table = table_80137()
    assert [d.key for d in table.dimensions()] == [
        "Persoonskenmerken",
        "BedrijfstakkenSBI93",
        "Perioden",
    ]
    topics = table.topics()
    assert len(topics) == 12
    assert topics[0].key == "Totaal_1" and topics[0].unit == "1 000 banen"
    assert table.period_dimension().key == "Perioden"


def test_code_list_keeps_cbs_padding_in_key_and_strips_code():
    codes = table_80137().code_list("Persoonskenmerken")
    assert codes[0].key == "1 " and codes[0].code == "1" and codes[0].title == "Totaal"


def test_all_675_rows_of_the_real_typed_dataset():
    rows = list(table_80137().rows())
    assert len(rows) == 675
    assert rows[0]["Perioden"] == "2001JJ00" and rows[0]["Totaal_1"] == 8811.0


def test_paging_follows_next_link_over_the_real_rows(tmp_path):
    """Split the real 675 rows over three pages joined by odata.nextLink, as CBS serves them."""
    folder = tmp_path / "paged"
    shutil.copytree(TABLE_80137, folder)
    data = json.loads((TABLE_80137 / "80137ned_TypedDataSet.json").read_text())
    rows, base = data["value"], "https://opendata.cbs.nl/ODataApi/odata/80137ned/TypedDataSet"
    pages = [rows[0:300], rows[300:600], rows[600:]]
    for number, page in enumerate(pages):
        skip = number * 300
        name = (
            "80137ned_TypedDataSet.json" if skip == 0 else f"80137ned_TypedDataSet_skip{skip}.json"
        )
        body = {"value": page}
        if number < len(pages) - 1:
            body["odata.nextLink"] = f"{base}?$skip={skip + 300}"
        (folder / name).write_text(json.dumps(body))
    paged = list(ODataTable("80137ned", FolderTransport(folder)).rows())
    assert paged == rows


def test_a_next_link_that_loops_is_refused(tmp_path):
    folder = tmp_path / "loop"
    shutil.copytree(TABLE_80137, folder)
    base = "https://opendata.cbs.nl/ODataApi/odata/80137ned/TypedDataSet"
    (folder / "80137ned_TypedDataSet.json").write_text(
        json.dumps({"value": [], "odata.nextLink": f"{base}?$skip=5"})
    )
    (folder / "80137ned_TypedDataSet_skip5.json").write_text(
        json.dumps({"value": [], "odata.nextLink": f"{base}?$skip=5"})
    )
    with pytest.raises(MalformedData, match="loops"):
        list(ODataTable("80137ned", FolderTransport(folder)).rows())


def test_padded_region_keys_of_the_real_84489ned_dataset():
    data = json.loads((FIXTURES / "odata_v3_84489NED" / "84489NED_TypedDataSet.json").read_text())
    rows = data["value"]
    assert len(rows) == 2500
    assert rows[0]["Code_3"] == "GM0141    "
    municipalities = {row["Code_3"].strip() for row in rows}
    assert len(municipalities) == 355
    assert all(len(code) == 6 and code.startswith("GM") for code in municipalities)


def test_veilig_thuis_observations_over_two_pages():
    observations = list(
        veilig_thuis().observations(
            "Meldingen_2",
            regions=["GM0344", "VT09", "NL01"],
            dimension_filters={"RolVanMelder": "T001000"},
        )
    )
    assert {(o.region, o.period) for o in observations} == {
        (region, period)
        for region in ("GM0344", "VT09", "NL01")
        for period in ("2022JJ00", "2023JJ00", "2024HJ01")
    }
    provisional = {o.period for o in observations if o.provisional}
    assert provisional == {"2024HJ01"}
    assert all(isinstance(o.value, Decimal) for o in observations)


def test_suppressed_cell_is_kept_as_suppressed_not_zero():
    observations = list(
        veilig_thuis().observations(
            "Meldingen_2", regions=["GM1992"], dimension_filters={"RolVanMelder": "A049101"}
        )
    )
    assert len(observations) == 3
    assert all(o.suppressed and o.value is None for o in observations)


def test_observations_filter_on_periods():
    observations = list(
        veilig_thuis().observations(
            "Adviezen_1",
            regions=["GM0307"],
            periods=["2023JJ00"],
            dimension_filters={"RolVanMelder": "T001000"},
        )
    )
    assert [(o.region, o.period, o.provisional) for o in observations] == [
        ("GM0307", "2023JJ00", False)
    ]


def test_asking_for_a_region_not_in_the_table_yields_nothing():
    assert list(veilig_thuis().observations("Adviezen_1", regions=["GM9999"])) == []


def test_filter_uses_the_exact_padded_keys_from_the_code_list():
    class Recorder:
        def __init__(self):
            self.urls = []
            self.folder = FolderTransport(VEILIG_THUIS)

        def get_json(self, url):
            self.urls.append(url)
            return self.folder.get_json(url)

    recorder = Recorder()
    table = ODataTable("84849NED", recorder)
    list(table.observations("Adviezen_1", regions=["NL01"], periods=["2023JJ00"]))
    data_url = next(u for u in recorder.urls if "TypedDataSet" in u)
    assert "RegioS%20eq%20%27NL01%20%20%27" in data_url
    assert "Perioden%20eq%20%272023JJ00%27" in data_url
    assert "%24select=RegioS%2CPerioden%2CAdviezen_1" in data_url


def test_a_measure_key_that_no_longer_exists_is_named():
    with pytest.raises(UnknownKey, match="'Meldingen_9' is not a topic of table 84849NED"):
        list(veilig_thuis().observations("Meldingen_9"))


def test_an_unknown_dimension_filter_is_named():
    with pytest.raises(UnknownKey, match="'Geslacht' is not a dimension"):
        list(veilig_thuis().observations("Adviezen_1", dimension_filters={"Geslacht": "T001038"}))
    with pytest.raises(UnknownKey, match="'X1' is not a code of RolVanMelder"):
        list(veilig_thuis().observations("Adviezen_1", dimension_filters={"RolVanMelder": "X1"}))


def test_unknown_table_in_a_folder():
    with pytest.raises(UnknownTable):
        ODataTable("84851NED", FolderTransport(VEILIG_THUIS)).table_info()


def test_an_invalid_table_id_is_refused_before_any_request():
    with pytest.raises(UnknownTable, match="not a CBS table id"):
        ODataTable("../../etc", FolderTransport(VEILIG_THUIS))


def test_malformed_json_is_refused(tmp_path):
    folder = tmp_path / "bad"
    shutil.copytree(VEILIG_THUIS, folder)
    (folder / "84849NED_DataProperties.json").write_text("{not json")
    with pytest.raises(MalformedData, match="not JSON"):
        veilig_thuis(folder).data_properties()
    (folder / "84849NED_DataProperties.json").write_text('{"rows": []}')
    with pytest.raises(MalformedData, match="no 'value' list"):
        veilig_thuis(folder).data_properties()


def test_a_missing_page_is_malformed_not_silently_short(tmp_path):
    folder = tmp_path / "short"
    shutil.copytree(VEILIG_THUIS, folder)
    (folder / "84849NED_TypedDataSet_skip31.json").unlink()
    with pytest.raises(MalformedData, match="missing"):
        list(veilig_thuis(folder).rows())


def test_network_failure_is_reported_without_leaving_the_machine():
    transport = HttpTransport(timeout=2)
    with pytest.raises(NetworkFailure):
        transport.get_json("http://opendata.cbs.nl/ODataApi/odata/84849NED/TableInfos")
    with pytest.raises(NetworkFailure):
        # Port 9 on loopback: nothing listens, the connection is refused at once.
        transport.get_json("https://127.0.0.1:9/ODataApi/odata/84849NED/TableInfos")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (12.0, Decimal("12.0")),
        (3, Decimal(3)),
        (None, None),
        (".", None),
        ("       .", None),
        ("x", None),
        ("-", Decimal(0)),
        ("278,87", Decimal("278.87")),
        ("", None),
    ],
)
def test_cbs_value_notation(raw, expected):
    assert parse_value(raw) == expected


def test_a_value_that_is_no_number_is_malformed():
    with pytest.raises(MalformedData):
        parse_value("twaalf")


def test_statline_csv_in_latin1_with_decimal_comma_and_source_footer():
    data = (FIXTURES / "statline_csv" / "Regionale_kerncijfers_Nederland_2019.csv").read_bytes()
    table = read_statline_csv(data)
    assert table.encoding == "cp1252"
    assert table.header[:2] == ["Naam", "Totale bevolking"]
    assert len(table.rows) == 722
    assert table.source[0] == "Bron: CBS"
    assert "70072ned" in table.source[2]
    zwolle = next(r for r in table.rows if r["Naam"] == "Zwolle")
    assert table.number(zwolle, "Totale bevolking") == Decimal(127497)
    assert table.number(zwolle, table.column("Totale oppervlakte km2")) == Decimal("119.36")
    aalburg = next(r for r in table.rows if r["Naam"] == "Aalburg")  # merged in 2019
    assert table.number(aalburg, "Totale bevolking") is None


def test_statline_csv_names_with_accents_survive_latin1():
    data = (FIXTURES / "statline_csv" / "Gebieden_in_Nederland_2019.csv").read_bytes()
    table = read_statline_csv(data)
    names = {row["Naam"] for row in table.rows}
    assert len(table.rows) == 355
    assert "Súdwest-Fryslân" in names
    assert table.column("code") == "Code"


def test_statline_csv_in_utf8_is_read_too():
    text = "Naam;Code;Inwonertal\nUtrecht;GM0344;374238\nSúdwest-Fryslân;GM1900;90700\n"
    table = read_statline_csv(text.encode("utf-8"))
    assert table.encoding == "utf-8"
    assert table.rows[1]["Naam"] == "Súdwest-Fryslân"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"Naam;Naam\nA;B\n", "distinct column names"),
        (b"Naam;Code\nUtrecht;GM0344;extra\n", "line 2 has 3 fields"),
        (b"\x81\x8d\x8f\x90\x9d", "neither UTF-8 nor Latin-1"),
    ],
)
def test_malformed_statline_csv_is_refused(data, message):
    with pytest.raises(MalformedData, match=message):
        read_statline_csv(data)
