"""Districts from CBS "Wijken en buurten" files, and district figures through the importer
(issue 22, items 1 and 3).

The real files are in compass/fixtures/cbs/wijken/ (see its README): CBS's kwb-2023
spreadsheet of Utrecht and a StatLine CSV of "Nabijheid voorzieningen 2023" for Utrecht. The
OData TypedDataSet and StatLine CSV with population columns are written here in CBS's shape,
as labelled examples (EXAMPLE, not CBS figures): no saved copy was found.
"""

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cms.snippets import Indicator
from compass import districts as service
from compass.cbs import importer
from compass.cbs.districts import read_districts
from compass.cbs.errors import (
    BadDistrictRows,
    DistrictOutsideMunicipality,
    MalformedData,
    NoDistricts,
)
from compass.cbs.statline_csv import column_names
from compass.models import CbsObservation, Cycle, District

WIJKEN = Path(__file__).resolve().parents[2] / "compass" / "fixtures" / "cbs" / "wijken"
KWB_2023 = WIJKEN / "CBS-Utrecht-kwb-2023.xlsx"
NABIJHEID_2023 = WIJKEN / "CBS-Utrecht_Nabijheid_voorzieningen__buurt_2023_14102024_164034.csv"
VT_FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "cbs" / "veilig_thuis_84849NED"
UTRECHT_DISTRICTS = {
    "WK034401": "Wijk 01 West",
    "WK034402": "Wijk 02 Noordwest",
    "WK034403": "Wijk 03 Overvecht",
    "WK034404": "Wijk 04 Noordoost",
    "WK034405": "Wijk 05 Oost",
    "WK034406": "Wijk 06 Binnenstad",
    "WK034407": "Wijk 07 Zuid",
    "WK034408": "Wijk 08 Zuidwest",
    "WK034409": "Wijk 09 Leidsche Rijn",
    "WK034410": "Wijk 10 Vleuten-De Meern",
}

# EXAMPLE in the shape of a raw OData v3 TypedDataSet of 84583NED (padded strings, numbered
# keys); the numbers are invented, the codes and names are Utrecht's real ones.
TYPED_DATASET = {
    "odata.metadata": "https://opendata.cbs.nl/ODataApi/OData/84583NED/$metadata#Cbs.OData.WebAPI.TypedDataSet",
    "value": [
        {
            "ID": 0,
            "WijkenEnBuurten": "GM0344    ",
            "Gemeentenaam_1": "Utrecht                                 ",
            "SoortRegio_2": "Gemeente  ",
            "Codering_3": "GM0344    ",
            "AantalInwoners_5": 1000,
            "k_0Tot15Jaar_8": 100,
        },
        {
            "ID": 1,
            "WijkenEnBuurten": "WK034401  ",
            "Gemeentenaam_1": "Utrecht                                 ",
            "SoortRegio_2": "Wijk      ",
            "Codering_3": "WK034401  ",
            "AantalInwoners_5": 600,
            "k_0Tot15Jaar_8": 60,
        },
        {
            "ID": 2,
            "WijkenEnBuurten": "BU03440100",
            "Gemeentenaam_1": "Utrecht                                 ",
            "SoortRegio_2": "Buurt     ",
            "Codering_3": "BU03440100",
            "AantalInwoners_5": 300,
            "k_0Tot15Jaar_8": None,
        },
    ],
}


def kwb_table():
    return read_districts(KWB_2023.read_bytes())


# --- Reading the files -------------------------------------------------------------------


def test_the_real_kwb_spreadsheet_gives_utrechts_ten_districts_with_population():
    table = kwb_table()
    assert table.form == "spreadsheet"
    assert table.has_names and table.has_population and table.has_youth
    rows = {row.code: row for row in table.for_municipality("GM0344", "Utrecht")}
    assert {code: row.name for code, row in rows.items()} == UTRECHT_DISTRICTS
    assert (rows["WK034403"].population, rows["WK034403"].youth_population) == (34910, 6245)
    assert (rows["WK034409"].population, rows["WK034409"].youth_population) == (47100, 11005)
    # CBS rounds district counts to fives; together they are about the municipality's 367,947
    assert abs(sum(row.population for row in rows.values()) - 367_947) < 500
    assert all(row.municipality_name == "Utrecht" for row in rows.values())


def test_the_real_statline_csv_gives_the_same_districts_by_content_not_position():
    table = read_districts(NABIJHEID_2023.read_bytes())
    assert table.form == "statline_csv"
    rows = table.for_municipality("GM0344", "Utrecht")
    assert {row.code: row.name for row in rows} == UTRECHT_DISTRICTS
    assert not table.has_population and rows[0].population is None
    assert rows[0].line == "regel 4"  # the header, the Netherlands and Utrecht come first


def test_a_raw_typed_dataset_is_read_with_padding_stripped():
    table = read_districts(json.dumps(TYPED_DATASET).encode())
    assert table.form == "odata"
    (row,) = table.for_municipality("GM0344", "Utrecht")
    assert (row.code, row.population, row.youth_population) == ("WK034401", 600, 60)
    # The raw TypedDataSet names no district (the name is in the code list): the code is used.
    assert not table.has_names and row.name == "WK034401"


def test_the_cbsodata_list_has_the_title_in_wijken_en_buurten_and_other_key_numbers():
    rows = [
        {
            "WijkenEnBuurten": "Wijk 01 West",
            "Gemeentenaam_1": "Utrecht",
            "SoortRegio_2": "Wijk",
            "Codering_3": "WK034401",
            "AantalInwoners_5": 600,
            "k_0Tot15Jaar_9": 60,  # another edition numbers the same topic differently
        }
    ]
    (row,) = read_districts(json.dumps(rows).encode()).rows
    assert (row.name, row.population, row.youth_population) == ("Wijk 01 West", 600, 60)


def test_a_statline_csv_with_population_columns_in_another_order_latin1():
    # EXAMPLE in StatLine's CSV shape: titles with path and unit, Latin-1, "." suppressed.
    text = (
        '"Bevolking/Leeftijdsgroepen/0 tot 15 jaar (aantal)";"Regioaanduiding/Codering (code)";'
        '"Wijken en buurten";"Regioaanduiding/Soort regio (omschrijving)";'
        '"Bevolking/Aantal inwoners (aantal)"\n'
        '"   60";"WK034401  ";"Wijk 01 West";"Wijk      ";"   600"\n'
        '"    .";"WK034402  ";"Wijk 02 Noordwest";"Wijk      ";"   700"\n'
        '"   12";"BU03440100";"Lombok-Oost";"Buurt     ";"   250"\n'
    )
    table = read_districts(text.encode("latin-1"))
    assert [(r.code, r.population, r.youth_population) for r in table.rows] == [
        ("WK034401", 600, 60),
        ("WK034402", 700, None),  # suppressed stays unknown, never 0
    ]


def test_column_names_drop_path_unit_and_edition_number_but_keep_short_names():
    assert "codering" in column_names("Regioaanduiding/Codering (code)")
    assert "k_0tot15jaar" in column_names("k_0Tot15Jaar_8")
    assert "a_00_14" in column_names("a_00_14")


# --- Errors: malformed, no districts, a district outside the municipality -----------------


@pytest.mark.parametrize(
    "data",
    [b"", b"{not json", b'{"value": 3}', b"PK\x03\x04broken spreadsheet", b"just one column\n1\n"],
)
def test_a_malformed_file_is_refused(data):
    with pytest.raises(MalformedData):
        read_districts(data)


def test_bad_numbers_are_listed_per_line():
    text = (
        "Wijken en buurten;Codering;Soort regio;Aantal inwoners\n"
        "Wijk 01 West;WK034401;Wijk;veel\n"
        "Wijk 02 Noordwest;WK034402;Wijk;12,5\n"
        "Wijk 03 Overvecht;WK034403;Wijk;-4\n"
        "Wijk 04 Noordoost;WK034404;Wijk;400\n"
    )
    with pytest.raises(BadDistrictRows) as error:
        read_districts(text.encode())
    problems = error.value.problems
    assert len(problems) == 3
    assert [p.split(":")[0] for p in problems] == ["regel 2", "regel 3", "regel 4"]


def test_a_district_twice_is_refused():
    text = "Naam;Codering;Soort regio\nWest;WK034401;Wijk\nWest;WK034401;Wijk\n"
    with pytest.raises(BadDistrictRows, match="WK034401"):
        read_districts(text.encode())


def test_a_file_without_districts_is_refused():
    text = "Naam;Codering;Soort regio\nUtrecht;GM0344;Gemeente\nLombok;BU03440100;Buurt\n"
    with pytest.raises(NoDistricts):
        read_districts(text.encode())
    with pytest.raises(NoDistricts):
        kwb_table().for_municipality("GM0307", "Amersfoort")


def test_a_district_of_another_municipality_listed_under_this_one_is_refused():
    text = "Naam;Gemeentenaam;Codering;Soort regio\nWest;Utrecht;WK030701;Wijk\n"
    with pytest.raises(DistrictOutsideMunicipality, match="WK030701"):
        read_districts(text.encode()).for_municipality("GM0344", "Utrecht")


def test_a_broken_spreadsheet_or_one_that_unpacks_too_large_is_refused():
    import io
    import zipfile

    for name, content in [("[Content_Types].xml", b"<bad"), ("xl/big.xml", b"0" * 60_000_000)]:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(name, content)
        with pytest.raises(MalformedData):
            read_districts(buffer.getvalue())


def test_a_file_over_the_limit_is_refused_before_reading():
    with pytest.raises(MalformedData):
        read_districts(b"x" * 2048, max_bytes=1024)


# --- The service: upsert, all or nothing, never deleting a district in use ----------------


@pytest.mark.django_db
def test_loading_creates_then_changes_nothing_then_updates(gemeente_a):
    rows = kwb_table().for_municipality("GM0344", "Utrecht")
    result = service.load_districts(gemeente_a, rows, "CBS, CBS-Utrecht-kwb-2023.xlsx")
    assert len(result.created) == 10
    overvecht = District.objects.get(code="WK034403")
    assert (overvecht.name, overvecht.population, overvecht.youth_population) == (
        "Overvecht",  # stored without CBS's numbering (plain_name)
        34910,
        6245,
    )
    assert overvecht.source == District.Source.CBS and "kwb-2023" in overvecht.source_detail
    again = service.load_districts(gemeente_a, rows, "CBS, CBS-Utrecht-kwb-2023.xlsx")
    assert len(again.unchanged) == 10 and not again.created and not again.updated
    District.objects.filter(code="WK034403").update(population=1)
    third = service.load_districts(gemeente_a, rows, "CBS, CBS-Utrecht-kwb-2023.xlsx")
    assert third.updated == ["WK034403"]
    assert District.objects.get(code="WK034403").population == 34910


@pytest.mark.django_db
def test_a_district_missing_from_the_file_is_removed_unless_in_use_or_typed(gemeente_a, alice):
    from compass import district_cycles, services

    rows = kwb_table().for_municipality("GM0344", "Utrecht")
    service.load_districts(gemeente_a, rows, "CBS")
    services.start_cycle(gemeente_a, 2026, alice)
    used = District.objects.get(code="WK034401")
    district_cycles.start_district_cycle(used, 2026, alice)
    typed = service.add_district(gemeente_a, "wk034499", "Rijnenburg (getypt)")
    result = service.load_districts(
        gemeente_a, [r for r in rows if r.code not in {"WK034401", "WK034402"}], "CBS"
    )
    assert result.removed == ["WK034402"]
    assert [d.code for d in result.kept_in_use] == ["WK034401"]
    assert [d.code for d in result.kept_typed] == [typed.code]
    assert set(District.objects.values_list("code", flat=True)) == (
        set(UTRECHT_DISTRICTS) - {"WK034402"}
    ) | {"WK034499"}
    assert Cycle.objects.filter(district=used).exists()


@pytest.mark.django_db
def test_a_row_of_another_municipality_writes_nothing(gemeente_a, gemeente_b):
    rows = kwb_table().for_municipality("GM0344", "Utrecht")
    with pytest.raises(DistrictOutsideMunicipality):
        service.load_districts(gemeente_b, rows, "CBS")
    assert not District.objects.exists()


@pytest.mark.django_db
def test_typed_districts_are_validated(gemeente_a):
    from django.core.exceptions import ValidationError

    for code, name in [("WK0344", "Kort"), ("WK030701", "Amersfoort"), ("WK034401", "")]:
        with pytest.raises(ValidationError):
            service.add_district(gemeente_a, code, name)
    service.add_district(gemeente_a, "WK034401", "West")
    with pytest.raises(ValidationError, match="WK034401"):
        service.add_district(gemeente_a, "WK034401", "West again")
    with pytest.raises(ValidationError):
        service.rename_district(District.objects.get(code="WK034401"), "  ")


# --- The command -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_loads_a_municipality_from_the_real_spreadsheet(gemeente_a, capsys):
    call_command("load_districts", str(KWB_2023), municipality=["GM0344"])
    assert District.objects.filter(municipality=gemeente_a).count() == 10
    assert "10" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("load_districts", str(KWB_2023), municipality=["GM0307"])  # not in file
    with pytest.raises(CommandError):
        call_command("load_districts", str(WIJKEN / "missing.csv"))


# --- District figures through the same importer -------------------------------------------


def kinderdagverblijf():
    return Indicator.objects.create(
        code="wijk-afstand-kinderdagverblijf",
        name="Afstand tot kinderdagverblijf",
        unit="km",
        direction="lower",
        cbs_table_id="85830NED",
    )


@pytest.mark.django_db
def test_district_figures_of_defined_districts_are_stored_from_the_real_csv(gemeente_a):
    service.load_districts(gemeente_a, kwb_table().for_municipality("GM0344", "Utrecht"), "CBS")
    kinderdagverblijf()
    result = importer.import_csv(
        "85830NED",
        NABIJHEID_2023.read_bytes(),
        "wijk-afstand-kinderdagverblijf",
        periods=["2023JJ00"],
        source_name=NABIJHEID_2023.name,
    )
    stored = dict(
        CbsObservation.objects.filter(indicator__code="wijk-afstand-kinderdagverblijf").values_list(
            "region_code", "value"
        )
    )
    assert set(stored) == set(UTRECHT_DISTRICTS) | {"GM0344", "NL00"}
    assert result.created == 12
    assert str(stored["WK034403"]) == "0.5000"  # Overvecht, as in the file
    assert str(stored["GM0344"]) == "0.5000"
    # neighbourhoods are never stored; they are reported as not recognised
    assert any(name.startswith("BU0344") for name in result.unmatched_regions)


@pytest.mark.django_db
def test_figures_of_districts_nobody_defined_are_not_stored(gemeente_a):
    kinderdagverblijf()
    importer.import_csv(
        "85830NED",
        NABIJHEID_2023.read_bytes(),
        "wijk-afstand-kinderdagverblijf",
        periods=["2023JJ00"],
    )
    stored = set(CbsObservation.objects.values_list("region_code", flat=True))
    assert stored == {"GM0344", "NL00"}


@pytest.mark.django_db
def test_the_municipality_option_brings_its_districts(gemeente_a, gemeente_b):
    service.add_district(gemeente_a, "WK034403", "Overvecht")
    assert "WK034403" in importer.regions_for(["GM0344"])
    assert "WK034403" not in importer.regions_for(["GM0307"])
    kinderdagverblijf()
    importer.import_csv(
        "85830NED",
        NABIJHEID_2023.read_bytes(),
        "wijk-afstand-kinderdagverblijf",
        municipalities=["GM0344"],
        periods=["2023JJ00"],
    )
    assert set(CbsObservation.objects.values_list("region_code", flat=True)) == {
        "NL00",
        "GM0344",
        "WK034403",
    }


@pytest.mark.django_db
def test_an_odata_table_keeps_defined_districts_and_drops_neighbourhoods(gemeente_a, tmp_path):
    """The OData path: the saved Veilig Thuis test folder with district and neighbourhood rows
    added (EXAMPLE values)."""
    folder = tmp_path / VT_FOLDER.name
    shutil.copytree(VT_FOLDER, folder)
    page = folder / "84849NED_TypedDataSet_skip31.json"
    data = json.loads(page.read_text())
    template = next(r for r in data["value"] if r["RegioS"].strip() == "GM0344")
    for n, region in enumerate(["WK034403  ", "WK034499  ", "BU03440300"]):
        data["value"].append({**template, "ID": 900 + n, "RegioS": region})
    page.write_text(json.dumps(data))
    service.add_district(gemeente_a, "WK034403", "Overvecht")
    Indicator.objects.create(
        code="vt-meldingen",
        name="Meldingen",
        unit="aantal",
        direction="neutral",
        cbs_table_id="84849NED",
        measure_key="Meldingen_2",
        dimension_filters={"RolVanMelder": template["RolVanMelder"]},
    )
    importer.import_table("84849NED", folder)
    regions = set(CbsObservation.objects.values_list("region_code", flat=True))
    assert "WK034403" in regions
    assert not {"WK034499", "BU03440300"} & regions


@pytest.mark.django_db
def test_the_demo_gives_utrecht_its_real_districts_and_their_figure_once(gemeente_a):
    from compass.demo_districts import setup_districts

    first = setup_districts()
    assert (first.districts, first.figures) == (10, 12)  # + Utrecht and the Netherlands
    assert District.objects.filter(municipality=gemeente_a).count() == 10
    again = setup_districts()
    assert again.figures == 12 and CbsObservation.objects.count() == 12
    overvecht = CbsObservation.objects.get(region_code="WK034403")
    assert (overvecht.period, str(overvecht.value)) == ("2023JJ00", "0.5000")


@pytest.mark.parametrize(
    "cbs, stored",
    [
        ("Wijk 03 Overvecht", "Overvecht"),
        ("wijk 10 Vleuten-De Meern", "Vleuten-De Meern"),
        ("Burgwallen-Oude Zijde", "Burgwallen-Oude Zijde"),
        ("Wijk 03", "Wijk 03"),
        ("Wijkersloot", "Wijkersloot"),
    ],
)
def test_a_district_is_stored_under_its_name_without_cbs_numbering(cbs, stored):
    from compass.districts import plain_name

    assert plain_name(cbs) == stored
