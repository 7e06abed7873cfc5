"""CSV and XLSX exports: Dutch headers, numbers as numbers, no formula injection."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from exports.tabular import Table, escape_cell, sheet_name, to_csv, to_xlsx

HOSTILE = ["=1+1", "+31 6 1234", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd", '=HYPERLINK("x")']


def results_table():
    return Table(
        title="Resultaten",
        headers=["Resultaat", "Beginwaarde", "Streefwaarde", "Jaar", "Op koers"],
        rows=[
            ["Minder meldingen van huiselijk geweld", Decimal("12.5"), 9, 2029, True],
            ['=HYPERLINK("http://evil")', None, -3, date(2026, 1, 1), False],
        ],
    )


@pytest.mark.parametrize("value", HOSTILE)
def test_text_that_starts_a_formula_is_escaped(value):
    assert escape_cell(value) == "'" + value


@pytest.mark.parametrize("value", [-3, Decimal("-1.5"), 0, 2.5])
def test_negative_numbers_stay_numbers(value):
    assert escape_cell(value) == value


@given(st.text())
def test_no_escaped_text_ever_starts_a_formula(text):
    escaped = escape_cell(text)
    assert not str(escaped).startswith(("=", "+", "-", "@", "\t", "\r"))
    assert str(escaped).removeprefix("'") == text or escaped == text


def test_csv_is_utf8_with_bom_semicolons_and_decimal_comma():
    data = to_csv(results_table())
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Resultaat", "Beginwaarde", "Streefwaarde", "Jaar", "Op koers"]
    assert rows[1] == ["Minder meldingen van huiselijk geweld", "12,5", "9", "2029", "ja"]
    assert rows[2][0] == '\'=HYPERLINK("http://evil")'
    assert rows[2][1:] == ["", "-3", "2026-01-01", "nee"]


def test_xlsx_has_a_sheet_per_table_with_bold_headers_and_real_numbers():
    other = Table("Aanbod", ["Aanbod", "Capaciteit"], [["@Huisbezoek", 40]])
    workbook = load_workbook(io.BytesIO(to_xlsx([results_table(), other])))
    assert workbook.sheetnames == ["Resultaten", "Aanbod"]
    sheet = workbook["Resultaten"]
    assert [c.value for c in sheet[1]] == [
        "Resultaat",
        "Beginwaarde",
        "Streefwaarde",
        "Jaar",
        "Op koers",
    ]
    assert sheet["A1"].font.bold
    assert sheet["B2"].value == 12.5 and sheet["C3"].value == -3
    assert sheet["A3"].value == '\'=HYPERLINK("http://evil")'
    assert sheet["A3"].data_type == "s"  # text, not a formula
    assert workbook["Aanbod"]["A2"].value == "'@Huisbezoek"
    assert sheet.freeze_panes == "A2"


def test_no_cell_in_the_workbook_is_a_formula():
    rows = [[value, value] for value in HOSTILE]
    workbook = load_workbook(io.BytesIO(to_xlsx([Table("Vijandig", ["a", "b"], rows)])))
    for row in workbook["Vijandig"].iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value


def test_sheet_names_are_valid_and_unique():
    taken: set[str] = set()
    first = sheet_name("Verbeteracties: wie/wat/wanneer? [2026]", taken)
    assert len(first) <= 31 and not set("[]:*?/\\") & set(first)
    assert sheet_name("Resultaten", taken) == "Resultaten"
    assert sheet_name("resultaten", taken) == "resultaten (2)"
    assert sheet_name("", taken) == "Blad"


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield
