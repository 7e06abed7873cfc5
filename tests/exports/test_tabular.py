"""CSV and XLSX exports: Dutch headers, numbers as numbers, no formula injection."""

import csv
import io
import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from exports.tabular import Table, escape_cell, normalise_text, sheet_name, to_csv, to_xlsx

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
    # Nothing is lost but the control characters a workbook cannot hold.
    assert escaped in (normalise_text(text), "'" + normalise_text(text))


# What may come before a formula: control characters (which openpyxl drops), all kinds of
# Unicode whitespace, invisible format characters, and ordinary text.
LEADING = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0, max_codepoint=0x1F),
        st.characters(min_codepoint=0x7F, max_codepoint=0x9F),
        st.sampled_from(" \u00a0\u1680\u2000\u2007\u200a\u2028\u2029\u202f\u205f\u3000\x85"),
        st.sampled_from("\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"),
        st.characters(exclude_categories=("Cs",)),
    ),
    max_size=8,
)
STARTERS = st.sampled_from(
    ["=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\ufe66", "\u2212"]
)
HOSTILE_TEXT = st.builds(
    lambda lead, start, rest: lead + start + rest,
    LEADING,
    STARTERS,
    st.sampled_from(["1+2", "SUM(A1:A9)", 'HYPERLINK("http://evil")', "cmd|' /C calc'!A0", ""]),
)
FORMULA_CHARACTERS = ("=", "+", "-", "@", "\u2212", "\t", "\r")


def _visible_start(text: str) -> str:
    """The first character a spreadsheet would look at, the way the escape must see it."""
    text = normalise_text(text)
    if text.startswith(("\t", "\r")):
        return text[0]
    stripped = "".join(
        c
        for c in text
        if not (c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Zs", "Zl", "Zp"))
    )
    return unicodedata.normalize("NFKC", stripped[:1])[:1]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(HOSTILE_TEXT, min_size=1, max_size=10))
def test_no_leading_characters_smuggle_a_formula_into_the_workbook(values):
    table = Table("Vijandig", values, [values, values])
    workbook = load_workbook(io.BytesIO(to_xlsx([table])))
    for row in workbook["Vijandig"].iter_rows():
        for cell in row:
            assert cell.data_type != "f", repr(cell.value)
            assert _visible_start(cell.value) not in FORMULA_CHARACTERS, repr(cell.value)


@settings(max_examples=300, deadline=None)
@given(st.lists(HOSTILE_TEXT, min_size=1, max_size=10))
def test_no_leading_characters_smuggle_a_formula_into_the_csv(values):
    data = to_csv(Table("Vijandig", values, [values]))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    for cell in [c for row in rows for c in row]:
        assert _visible_start(cell) not in FORMULA_CHARACTERS, repr(cell)


@pytest.mark.parametrize(
    "value", ["\x01=1+2", "\x00\x1f+1", " \x0b@SUM(A1)", "\u200b=1", "\uff1d1+2", "\u3000\uff0d3"]
)
def test_formula_behind_invisible_characters_is_escaped(value):
    escaped = escape_cell(value)
    assert escaped.startswith("'")
    sheet = load_workbook(io.BytesIO(to_xlsx([Table("t", ["a"], [[value]])])))["t"]
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("'")


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
