"""The CBS importer: folder fixtures end to end (paging), CSV downloads, provisional and
suppressed values, idempotency, dry runs, failures (Dutch message, nothing written), the
command's options."""

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cms.snippets import Indicator
from compass.cbs import importer
from compass.cbs.errors import (
    AmbiguousIndicator,
    MalformedData,
    NetworkFailure,
    NoIndicator,
    NoRegionDimension,
    UnknownKey,
    UnknownTable,
)
from compass.cbs.odata import FolderTransport
from compass.models import CbsObservation, ImportRun

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cbs"
VT_FOLDER = FIXTURES / "veilig_thuis_84849NED"
CSV_FOLDER = FIXTURES / "statline_csv"


def indicator(code="vt-meldingen", key="Meldingen_2", filters=None, table="84849NED", **extra):
    return Indicator.objects.create(
        code=code,
        name=extra.pop("name", code),
        unit="aantal",
        direction="higher",
        cbs_table_id=table,
        measure_key=key,
        dimension_filters={"RolVanMelder": "T001000"} if filters is None else filters,
        **extra,
    )


def snapshot():
    return sorted(
        CbsObservation.objects.values_list(
            "indicator__code", "region_code", "period", "value", "provisional", "suppressed"
        )
    )


def values(code, region):
    return {
        o.period: o for o in CbsObservation.objects.filter(indicator__code=code, region_code=region)
    }


@pytest.fixture
def vt_indicators(db):
    return [
        indicator("vt-meldingen", "Meldingen_2"),
        indicator("vt-adviezen-politie", "Adviezen_1", {"RolVanMelder": "A049100"}),
        indicator("vt-meldingen-onderwijs", "Meldingen_2", {"RolVanMelder": "A049101"}),
    ]


def test_folder_import_reads_both_pages_and_strips_padded_region_keys(vt_indicators):
    result = importer.import_table("84849NED", VT_FOLDER)
    rows = json.loads((VT_FOLDER / "84849NED_TypedDataSet.json").read_text())["value"]
    rows += json.loads((VT_FOLDER / "84849NED_TypedDataSet_skip31.json").read_text())["value"]
    expected = {
        code: sum(1 for r in rows if r["RolVanMelder"] == role)
        for code, role in (
            ("vt-meldingen", "T001000"),
            ("vt-adviezen-politie", "A049100"),
            ("vt-meldingen-onderwijs", "A049101"),
        )
    }
    assert result.per_indicator == expected
    assert result.created == sum(expected.values()) == CbsObservation.objects.count()
    # the police rows of Utrecht are only on the second page
    police = values("vt-adviezen-politie", "GM0344")
    assert police["2023JJ00"].value == Decimal(374)
    assert set(CbsObservation.objects.values_list("region_code", flat=True)) >= {"NL01", "VT09"}
    national = values("vt-meldingen", "NL01")["2023JJ00"]
    assert national.value == Decimal(93000) and national.table_id == "84849NED"
    assert "TESTFIXTUUR" in national.source


def test_provisional_period_and_suppressed_cell_are_kept_as_such(vt_indicators):
    importer.import_table("84849NED", VT_FOLDER)
    rows = json.loads((VT_FOLDER / "84849NED_TypedDataSet.json").read_text())["value"]
    rows += json.loads((VT_FOLDER / "84849NED_TypedDataSet_skip31.json").read_text())["value"]
    nulls = [r for r in rows if r["Meldingen_2"] is None and r["RolVanMelder"] == "A049101"]
    assert nulls, "the fixture has suppressed cells for reports by schools"
    cell = values("vt-meldingen-onderwijs", nulls[0]["RegioS"].strip())[nulls[0]["Perioden"]]
    assert cell.suppressed and cell.value is None
    provisional = CbsObservation.objects.filter(period="2024HJ01")
    assert provisional.exists() and all(o.provisional for o in provisional)
    assert not CbsObservation.objects.filter(period="2023JJ00", provisional=True).exists()
    assert not CbsObservation.objects.filter(suppressed=False, value__isnull=True).exists()


def test_second_import_creates_nothing_and_reports_everything_unchanged(vt_indicators):
    first = importer.import_table("84849NED", VT_FOLDER)
    before = snapshot()
    second = importer.import_table("84849NED", VT_FOLDER)
    assert (second.created, second.updated, second.unchanged) == (0, 0, first.created)
    assert snapshot() == before


def test_changed_value_is_updated_not_duplicated(vt_indicators, tmp_path):
    importer.import_table("84849NED", VT_FOLDER)
    folder = tmp_path / VT_FOLDER.name  # the same source label: only the value differs
    shutil.copytree(VT_FOLDER, folder)
    page = folder / "84849NED_TypedDataSet.json"
    data = json.loads(page.read_text())
    row = next(r for r in data["value"] if r["RegioS"].strip() == "NL01")
    row["Meldingen_2"] = 12345
    page.write_text(json.dumps(data))
    result = importer.import_table("84849NED", folder)
    assert (result.created, result.updated) == (0, 1)
    assert values("vt-meldingen", "NL01")[row["Perioden"]].value == Decimal(12345)


def test_dry_run_counts_but_writes_no_figure_and_no_log(vt_indicators):
    result = importer.import_table("84849NED", VT_FOLDER, dry_run=True)
    assert result.created > 0
    assert CbsObservation.objects.count() == 0
    assert ImportRun.objects.count() == 0


def test_municipality_option_adds_its_veilig_thuis_region_and_the_netherlands(
    vt_indicators, gemeente_a
):
    importer.import_table("84849NED", VT_FOLDER, municipalities=["GM0344"], periods=["2023JJ00"])
    regions = set(CbsObservation.objects.values_list("region_code", flat=True))
    # Utrecht is in VT20 in the 2024 area table; the fixture only has VT09, so no region rows
    assert regions == {"GM0344", "NL01"}
    assert set(CbsObservation.objects.values_list("period", flat=True)) == {"2023JJ00"}


def test_table_id_matches_indicators_case_insensitively(db):
    indicator(table="84849ned")
    assert importer.import_table("84849NED", VT_FOLDER).created > 0


def test_progress_is_reported_per_indicator_and_page(vt_indicators):
    events = []
    importer.import_table("84849NED", VT_FOLDER, progress=lambda *e: events.append(e))
    assert (1, 3, "vt-adviezen-politie") in events and (2, 3, "vt-meldingen") in events
    pages = [text for _s, _t, text in events if text.startswith("page")]
    assert len(pages) == 6  # two pages per indicator
    assert any(isinstance(event[2], str) and event[2].startswith("page 2") for event in events)


def test_successful_import_is_logged(vt_indicators):
    result = importer.import_table("84849NED", VT_FOLDER)
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.SUCCESS and run.created == result.created
    assert run.provisional == result.provisional > 0 and run.suppressed == result.suppressed > 0


# --- failures: nothing written ---------------------------------------------------------------


def test_missing_second_page_rolls_back_the_first_indicator(vt_indicators, tmp_path):
    importer.import_table("84849NED", VT_FOLDER, periods=["2022JJ00"])
    before = snapshot()
    folder = tmp_path / "vt"
    shutil.copytree(VT_FOLDER, folder)
    (folder / "84849NED_TypedDataSet_skip31.json").unlink()
    with pytest.raises(MalformedData):
        importer.import_table("84849NED", folder)
    assert snapshot() == before
    assert ImportRun.objects.filter(status=ImportRun.Status.FAILED).count() == 1


def test_unknown_key_in_the_second_indicator_writes_nothing_of_the_first(db):
    indicator("a-first", "Meldingen_2")
    indicator("b-second", "Meldingen_3")  # the old demo key: not a topic of the table
    with pytest.raises(UnknownKey):
        importer.import_table("84849NED", VT_FOLDER)
    assert CbsObservation.objects.count() == 0


def test_unknown_dimension_code_is_an_unknown_key(db):
    indicator(filters={"RolVanMelder": "T001070"})
    with pytest.raises(UnknownKey):
        importer.import_table("84849NED", VT_FOLDER)


def test_indicator_without_filter_on_a_breakdown_is_refused_as_ambiguous(db):
    indicator(filters={})
    with pytest.raises(AmbiguousIndicator):
        importer.import_table("84849NED", VT_FOLDER)
    assert CbsObservation.objects.count() == 0


def test_unknown_table_and_table_without_indicator(db, tmp_path):
    indicator(table="84851NED")
    with pytest.raises(UnknownTable):
        importer.import_table("84851NED", VT_FOLDER)
    with pytest.raises(NoIndicator):
        importer.import_table("84853NED", VT_FOLDER)
    with pytest.raises(UnknownTable):
        importer.import_table("not-a-table", VT_FOLDER)


def test_malformed_json_page_writes_nothing(vt_indicators, tmp_path):
    folder = tmp_path / "vt"
    shutil.copytree(VT_FOLDER, folder)
    (folder / "84849NED_TypedDataSet_skip31.json").write_text("{not json")
    with pytest.raises(MalformedData):
        importer.import_table("84849NED", folder)
    assert CbsObservation.objects.count() == 0


class FailingTransport:
    """A live transport double: answers metadata from the folder, then the network drops."""

    def __init__(self):
        self.folder = FolderTransport(VT_FOLDER)

    def get_json(self, url):
        if "skip" in url:
            raise NetworkFailure(f"{url}: connection reset")
        return self.folder.get_json(url)


def test_network_failure_half_way_writes_nothing(vt_indicators):
    with pytest.raises(NetworkFailure):
        importer.import_table("84849NED", FailingTransport())
    assert CbsObservation.objects.count() == 0


def test_live_path_builds_cbs_urls_with_the_exact_padded_keys(vt_indicators):
    seen = []

    class Recording(FolderTransport):
        def get_json(self, url):
            seen.append(url)
            return super().get_json(url)

    importer.import_table("84849NED", Recording(VT_FOLDER), municipalities=["GM0344"])
    data_urls = [u for u in seen if "TypedDataSet" in u]
    assert data_urls[0].startswith("https://opendata.cbs.nl/ODataApi/odata/84849NED/TypedDataSet")
    assert "NL01%20%20" in data_urls[0]  # padded key from the code list


# --- StatLine CSV downloads ------------------------------------------------------------------


def test_real_latin1_csv_with_codes_imports_one_period(db, gemeente_a):
    indicator("inwoners", "", {}, table="70072NED", name="Inwonertal")
    data = (CSV_FOLDER / "Gebieden_in_Nederland_2019.csv").read_bytes()
    result = importer.import_csv("70072NED", data, "inwoners", periods=["2019JJ00"])
    assert result.created == CbsObservation.objects.count() > 300
    utrecht = CbsObservation.objects.get(region_code="GM0344")
    assert utrecht.period == "2019JJ00" and utrecht.value > 300_000
    assert not utrecht.provisional


def test_real_latin1_csv_with_names_maps_names_to_codes(db, gemeente_a, gemeente_b):
    indicator("bevolking", "", {}, table="70072NED", name="Totale bevolking")
    data = (CSV_FOLDER / "Regionale_kerncijfers_Nederland_2019.csv").read_bytes()
    result = importer.import_csv(
        "70072NED", data, "bevolking", column="Totale bevolking", periods=["2019JJ00"]
    )
    assert set(CbsObservation.objects.values_list("region_code", flat=True)) == {
        "GM0344",
        "GM0307",
    }
    assert "Aa en Hunze" in result.unmatched_regions


def test_csv_without_period_column_needs_exactly_one_period(db):
    indicator("inwoners", "", {}, table="70072NED", name="Inwonertal")
    data = (CSV_FOLDER / "Gebieden_in_Nederland_2019.csv").read_bytes()
    with pytest.raises(MalformedData):
        importer.import_csv("70072NED", data, "inwoners")
    assert CbsObservation.objects.count() == 0


VT_CSV = (
    "Rol van melder;Regio's;Perioden;Adviezen (aantal);Meldingen (aantal)\r\n"
    "Totaal rol van melder;Nederland;2023;89000;93000\r\n"
    "Totaal rol van melder;NL01;2024 1e halfjaar*;64500;58000\r\n"
    "Totaal rol van melder;Utrecht (gemeente);2023;1430;1690\r\n"
    "Totaal rol van melder;GM0344;2024 1e halfjaar*;720;.\r\n"
    "Bron: CBS;;;;\r\n"
).encode("cp1252")


def test_veilig_thuis_shaped_csv_keeps_provisional_and_suppressed(db, gemeente_a):
    indicator("vt-meldingen", "Meldingen_2", name="Meldingen (aantal)")
    result = importer.import_csv("84849NED", VT_CSV, "vt-meldingen")
    assert result.unmatched_regions == ["Nederland"]
    utrecht = values("vt-meldingen", "GM0344")
    assert utrecht["2023JJ00"].value == Decimal(1690) and not utrecht["2023JJ00"].provisional
    assert utrecht["2024HJ01"].suppressed and utrecht["2024HJ01"].provisional
    assert values("vt-meldingen", "NL01")["2024HJ01"].provisional
    again = importer.import_csv("84849NED", VT_CSV, "vt-meldingen")
    assert (again.created, again.unchanged) == (0, 3)


def test_csv_with_unknown_column_or_broken_rows_writes_nothing(db, gemeente_a):
    indicator("vt-meldingen", "Meldingen_2", name="Meldingen (aantal)")
    with pytest.raises(MalformedData):
        importer.import_csv("84849NED", VT_CSV, "vt-meldingen", column="Onderzoeken")
    with pytest.raises(MalformedData):
        importer.import_csv("84849NED", VT_CSV + b"GM0344;2022\r\n", "vt-meldingen")
    assert CbsObservation.objects.count() == 0


def test_period_titles_become_cbs_codes():
    assert importer.period_code("2023") == ("2023JJ00", False)
    assert importer.period_code("2024 1e halfjaar*") == ("2024HJ01", True)
    assert importer.period_code("2024 2e halfjaar") == ("2024HJ02", False)
    assert importer.period_code("2023JJ00") == ("2023JJ00", False)
    with pytest.raises(MalformedData):
        importer.period_code("vorig jaar")


# --- the command -----------------------------------------------------------------------------


def test_command_imports_a_folder_with_options_and_a_progress_bar(vt_indicators, capsys):
    call_command(
        "import_cbs", "84849NED", folder=str(VT_FOLDER), periods=["2023JJ00"],
        indicators=["vt-meldingen"],
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert "aangemaakt" in out and "vt-meldingen" in out
    assert "[" in err and "1/1" in err and "page 2" in err
    assert set(CbsObservation.objects.values_list("period", flat=True)) == {"2023JJ00"}
    assert set(CbsObservation.objects.values_list("indicator__code", flat=True)) == {"vt-meldingen"}


def test_command_dry_run_writes_nothing(vt_indicators, capsys):
    call_command("import_cbs", "84849NED", folder=str(VT_FOLDER), dry_run=True)
    assert "Proefdraai" in capsys.readouterr().out
    assert CbsObservation.objects.count() == 0


def test_command_reads_a_csv_for_one_indicator(db, gemeente_a, tmp_path, capsys):
    indicator("vt-meldingen", "Meldingen_2", name="Meldingen (aantal)")
    path = tmp_path / "vt.csv"
    path.write_bytes(VT_CSV)
    call_command("import_cbs", "84849NED", csv=str(path), indicators=["vt-meldingen"])
    assert CbsObservation.objects.count() == 3
    assert "Nederland" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"folder": "/nonexistent"}, "kan niet worden gelezen"),
        ({"folder": str(FIXTURES / "odata_v3_80137ned")}, "De CBS-tabel is onbekend"),
        ({"csv": "/nonexistent.csv", "indicators": ["vt-meldingen"]}, "bestaat niet"),
        ({"csv": str(CSV_FOLDER / "Gebieden_in_Nederland_2019.csv")}, "precies één indicator"),
    ],
)
def test_command_failures_give_a_dutch_message_and_write_nothing(vt_indicators, kwargs, message):
    with pytest.raises(CommandError) as failure:
        call_command("import_cbs", "84849NED", **kwargs)
    assert message in str(failure.value)
    assert CbsObservation.objects.count() == 0


def test_command_unknown_key_says_which_indicator_to_correct(db):
    indicator("vt-meldingen", "Meldingen_3")
    with pytest.raises(CommandError) as failure:
        call_command("import_cbs", "84849NED", folder=str(VT_FOLDER))
    assert "Er is niets geïmporteerd" in str(failure.value)
    assert "Meldingen_3" in str(failure.value)


def test_command_municipality_option_limits_the_regions(vt_indicators, gemeente_a):
    call_command(
        "import_cbs", "84849NED", folder=str(VT_FOLDER), municipalities=["GM0344"],
        indicators=["vt-meldingen"],
    )  # fmt: skip
    assert set(CbsObservation.objects.values_list("region_code", flat=True)) == {
        "GM0344",
        "NL01",
    }


def test_values_are_stored_as_the_database_keeps_them_so_reimport_is_unchanged(db, gemeente_a):
    indicator("aandeel", "Meldingen_2", name="Meldingen (aantal)")
    data = VT_CSV.replace(b"1690", b"16,123456")
    importer.import_csv("84849NED", data, "aandeel")
    assert values("aandeel", "GM0344")["2023JJ00"].value == Decimal("16.1235")
    again = importer.import_csv("84849NED", data, "aandeel")
    assert (again.created, again.updated) == (0, 0)


def test_too_large_value_or_filters_that_are_no_mapping_write_nothing(db, gemeente_a):
    indicator("groot", "Meldingen_2", name="Meldingen (aantal)")
    with pytest.raises(MalformedData):
        importer.import_csv("84849NED", VT_CSV.replace(b"1690", b"99999999999"), "groot")
    indicator("lijst", filters=["RolVanMelder"])
    with pytest.raises(UnknownKey):
        importer.import_table("84849NED", VT_FOLDER, indicators=["lijst"])
    assert CbsObservation.objects.count() == 0


# --- messages a user can act on (issue 13 item 11) -------------------------------------------

TABLE_80137 = Path("/work/shared/data/cbs/odata_v3_80137ned")
if not TABLE_80137.is_dir():  # the same real files, kept in the repository for CI
    TABLE_80137 = FIXTURES / "odata_v3_80137ned"


def national_indicator():
    """An indicator on the real 80137ned, a national table without a region dimension."""
    return indicator("arbeid", "Totaal_1", filters={}, table="80137ned")


def test_table_without_region_dimension_says_so_instead_of_blaming_the_key(db):
    national_indicator()
    with pytest.raises(NoRegionDimension):
        importer.import_table("80137ned", TABLE_80137)
    with pytest.raises(CommandError) as failure:
        call_command("import_cbs", "80137ned", folder=str(TABLE_80137))
    message = str(failure.value)
    assert "geen regiodimensie" in message and "per gemeente" in message
    assert "onderwerpsleutel" not in message and "dimensiefilters" not in message


@pytest.mark.parametrize("how", ["function", "command"])
def test_failed_dry_run_leaves_no_trace(db, how):
    national_indicator()
    if how == "function":
        with pytest.raises(NoRegionDimension):
            importer.import_table("80137ned", TABLE_80137, dry_run=True)
        with pytest.raises(MalformedData):
            importer.import_csv("80137ned", b"", "arbeid", dry_run=True)
    else:
        with pytest.raises(CommandError):
            call_command("import_cbs", "80137ned", folder=str(TABLE_80137), dry_run=True)
    assert ImportRun.objects.count() == 0
    assert CbsObservation.objects.count() == 0


def test_a_failed_real_import_is_still_logged(db):
    national_indicator()
    with pytest.raises(NoRegionDimension):
        importer.import_table("80137ned", TABLE_80137)
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


@pytest.mark.parametrize(
    ("label", "code", "provisional"),
    [
        ("1e halfjaar 2025", "2025HJ01", False),
        ("2e halfjaar 2024*", "2024HJ02", True),
        ("2e kwartaal 2024", "2024KW02", False),
        ("2024 4e kwartaal", "2024KW04", False),
        ("januari 2024", "2024MM01", False),
        ("December 2023", "2023MM12", False),
        ("2023*", "2023JJ00", True),
        ("2023", "2023JJ00", False),
        ("2024 1e halfjaar", "2024HJ01", False),
        ("2024HJ02", "2024HJ02", False),
        ("2024KW03", "2024KW03", False),
        ("2024MM11", "2024MM11", False),
    ],
)
def test_cbs_period_labels_and_codes_are_both_accepted(label, code, provisional):
    assert importer.period_code(label) == (code, provisional)


@pytest.mark.parametrize("text", ["3e halfjaar 2024", "5e kwartaal 2024", "2024MM13", "halfjaar"])
def test_impossible_periods_are_refused_with_examples(text):
    with pytest.raises(MalformedData) as refused:
        importer.period_code(text)
    assert "2e kwartaal 2024" in refused.value.detail


def test_csv_with_cbs_period_labels_imports(db, gemeente_a):
    indicator("vt-meldingen", "Meldingen_2", name="Meldingen (aantal)")
    data = (
        "Regio's;Perioden;Meldingen (aantal)\r\n"
        "GM0344;1e halfjaar 2025;720\r\n"
        "GM0344;2e kwartaal 2024;310\r\n"
        "GM0344;januari 2024;95\r\n"
        "GM0344;2023*;1690\r\n"
    ).encode("cp1252")
    importer.import_csv("84849NED", data, "vt-meldingen")
    assert {p: (v.value, v.provisional) for p, v in values("vt-meldingen", "GM0344").items()} == {
        "2025HJ01": (Decimal("720"), False),
        "2024KW02": (Decimal("310"), False),
        "2024MM01": (Decimal("95"), False),
        "2023JJ00": (Decimal("1690"), True),
    }


def test_technical_details_of_cbs_errors_are_dutch(db, tmp_path):
    from django.utils import translation

    national_indicator()
    with translation.override("nl"), pytest.raises(NoRegionDimension) as no_region:
        importer.import_table("80137ned", TABLE_80137)
    assert no_region.value.detail == "tabel 80137ned heeft geen regiodimensie"
    with translation.override("nl"), pytest.raises(MalformedData) as empty:
        importer.import_csv("80137ned", b"", "arbeid")
    assert empty.value.detail == "het bestand is leeg"
    assert ImportRun.objects.filter(message__contains="het bestand is leeg").exists()
    with translation.override("nl"), pytest.raises(MalformedData) as missing:
        importer.import_table("80137ned", tmp_path / "bestaat-niet")
    assert "is geen map" in missing.value.detail
    with translation.override("en"), pytest.raises(MalformedData) as english:
        importer.import_csv("80137ned", b"", "arbeid")
    assert english.value.detail == "the file is empty"
