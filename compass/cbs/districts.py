"""Read the districts (wijken) of a CBS "Wijken en buurten" table, without the database.

CBS publishes the same table in three forms and a coordinator may have any of them:

- the OData **TypedDataSet** (JSON: `{"value": [...]}`, or the plain list the `cbsodata`
  client saves), keys such as `WijkenEnBuurten`, `Gemeentenaam_1`, `SoortRegio_2`,
  `Codering_3`, `AantalInwoners_5`, `k_0Tot15Jaar_8`, strings padded with spaces;
- a **StatLine CSV** download (`;`, UTF-8 or Latin-1), headers such as `Wijken en buurten`,
  `Regioaanduiding/Codering (code)`, `Bevolking/Aantal inwoners (aantal)`;
- the **kwb spreadsheet** cbs.nl offers beside the table (`kwb-2023.xlsx`): `gwb_code_10`,
  `regio`, `gm_naam`, `recs`, `a_inw`, `a_00_14`.

The numbers in the keys and the order of the columns change with every yearly edition, so
columns are found by what they hold (the code column is the one whose values are region codes,
the kind column the one that says Gemeente/Wijk/Buurt) and by their names without the number,
path and unit, never by position. Only district rows are kept: kind "Wijk" and a `WK` code.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from compass.cbs.errors import (
    BadDistrictRows,
    DistrictOutsideMunicipality,
    MalformedData,
    NoDistricts,
)
from compass.cbs.odata import parse_value
from compass.cbs.statline_csv import column_names, read_statline_csv
from compass.models.districts import district_code_belongs_to

MAX_PROBLEMS = 25
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a kwb spreadsheet of one municipality is ~1 MB unpacked
REGION_CODE = re.compile(r"^(NL\d{2}|PV\d{2}|GM\d{4}|WK\d{6}|BU\d{8})$")
DISTRICT_CODE = re.compile(r"^WK\d{6}$")
KINDS = {"land", "nederland", "provincie", "gemeente", "wijk", "buurt"}
# Column names without CBS's number suffix, path and unit, lower case.
NAME_COLUMNS = ("wijkenenbuurten", "wijken en buurten", "regio", "regio's", "naam", "wijknaam")
MUNICIPALITY_COLUMNS = ("gemeentenaam", "gm_naam", "gemeente")
POPULATION_COLUMNS = ("aantalinwoners", "aantal inwoners", "a_inw", "inwoners")
YOUTH_COLUMNS = ("k_0tot15jaar", "0 tot 15 jaar", "a_00_14", "jonger dan 15 jaar")


@dataclass(frozen=True)
class DistrictRow:
    """One district as the file gives it; `line` is where it is, for messages."""

    code: str
    name: str
    municipality_name: str = ""
    population: int | None = None
    youth_population: int | None = None
    line: str = ""


@dataclass
class DistrictTable:
    """Every district row of a file, and what the file could tell about them."""

    rows: list[DistrictRow]
    form: str  # "odata", "statline_csv" or "spreadsheet"
    has_names: bool = True
    has_population: bool = False
    has_youth: bool = False
    source: list[str] = field(default_factory=list)

    def for_municipality(self, code: str, name: str = "") -> list[DistrictRow]:
        """The districts of the municipality with this GM code (WK + its four digits).

        A row that names the municipality (by its name in the file) but carries the code of
        another one is an error, not a row to skip: the file is not what it claims to be.
        """
        if not self.rows:
            raise NoDistricts(_("the file holds no districts (rows of the kind Wijk)"))
        own = [row for row in self.rows if district_code_belongs_to(row.code, code)]
        wrong = [
            row
            for row in self.rows
            if name
            and row.municipality_name.lower() == name.lower()
            and not district_code_belongs_to(row.code, code)
        ]
        if wrong:
            raise DistrictOutsideMunicipality(
                _("%(line)s: district %(code)s is listed under %(name)s but lies outside it")
                % {"line": wrong[0].line, "code": wrong[0].code, "name": name}
            )
        if not own:
            raise NoDistricts(
                _("the file holds no districts of %(name)s (codes WK%(digits)s..)")
                % {"name": name or code, "digits": code[2:]}
            )
        return own


def read_districts(data: bytes, max_bytes: int | None = None) -> DistrictTable:
    """Read the district rows of a CBS file in any of its three forms (see the module)."""
    if max_bytes is not None and len(data) > max_bytes:
        raise MalformedData(
            _("the file is larger than %(kb)s kB") % {"kb": max(1, max_bytes // 1024)}
        )
    if not data.strip():
        raise MalformedData(_("the file is empty"))
    if data.startswith(b"PK\x03\x04"):
        header, records = _spreadsheet(data)
        form, source = "spreadsheet", []
    elif data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        header, records = _json_rows(data)
        form, source = "odata", []
    else:
        csv = read_statline_csv(data)
        header = csv.header
        records = [(_("line %(n)s") % {"n": n}, row) for n, row in enumerate(csv.rows, start=2)]
        form, source = "statline_csv", csv.source
    return _districts(header, records, form, source)


def _text(value) -> str:
    return "" if value is None else " ".join(str(value).split())


def _spreadsheet(data: bytes):
    from openpyxl import load_workbook

    unreadable = MalformedData(_("the spreadsheet cannot be read (save it as .xlsx)"))
    try:
        # A small upload must not unpack into a huge one (a "zip bomb").
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise unreadable from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise unreadable
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # broken XML inside a zip: whatever openpyxl raises
        raise unreadable from None
    try:
        sheet = book.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    except Exception:  # as above, while reading the rows
        raise unreadable from None
    finally:
        book.close()
    # The header is the first row with at least two texts (a title row may come before it).
    for index, row in enumerate(rows):
        texts = [cell for cell in row if isinstance(cell, str) and cell.strip()]
        if len(texts) >= 2:
            header = [_text(cell) for cell in row]
            records = [
                (_("row %(n)s") % {"n": number}, dict(zip(header, values, strict=False)))
                for number, values in enumerate(rows[index + 1 :], start=index + 2)
                if any(_text(cell) for cell in values)
            ]
            return header, records
    raise MalformedData(_("the spreadsheet has no header row"))


def _json_rows(data: bytes):
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise MalformedData(_("the file is not valid JSON")) from None
    rows = document.get("value") if isinstance(document, dict) else document
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise MalformedData(
            _('the JSON is not a CBS TypedDataSet: expected {"value": [...]} or a list of rows')
        )
    header: list[str] = []
    for row in rows:
        header.extend(key for key in row if key not in header)
    return header, [(_("row %(n)s") % {"n": n}, row) for n, row in enumerate(rows, start=1)]


def _find(header: Iterable[str], names: Iterable[str], skip: Iterable[str] = ()) -> str | None:
    wanted = list(names)
    plain = {h: column_names(h) for h in header if h not in set(skip)}
    for name in wanted:
        for column, texts in plain.items():
            if name in texts:
                return column
    return None


def _code_column(header, records) -> str | None:
    """The column whose every filled value is a CBS region code, with at least one WK code."""
    for column in header:
        values = [_text(row.get(column)).upper() for _line, row in records]
        values = [value for value in values if value]
        if (
            values
            and all(REGION_CODE.match(v) for v in values)
            and any(v.startswith("WK") for v in values)
        ):
            return column
    return None


def _kind_column(header, records) -> str | None:
    for column in header:
        values = {_text(row.get(column)).lower() for _line, row in records} - {""}
        if values and values <= KINDS and "wijk" in values:
            return column
    return None


def _count(value, line: str, what: str, problems: list[str]) -> int | None:
    """A count of people; empty, "." (suppressed) and "x" (secret) are unknown, not zero."""
    try:
        number = parse_value(value)
    except MalformedData:
        number = None
        whole = False
    else:
        whole = number is None or (number == number.to_integral_value() and number >= 0)
    if not whole:
        problems.append(
            _("%(line)s: %(what)s %(value)s is not a whole number of people")
            % {"line": line, "what": what, "value": repr(_text(value))}
        )
        return None
    return None if number is None else int(number)


def _districts(header, records, form: str, source: list[str]) -> DistrictTable:
    code_column = _code_column(header, records)
    if code_column is None:
        raise NoDistricts(
            _("no column of the file holds district codes (WK followed by six digits)")
        )
    kind_column = _kind_column(header, records)
    name_column = _find(header, NAME_COLUMNS, skip=[code_column])
    if name_column is not None and all(
        REGION_CODE.match(_text(row.get(name_column)).upper()) for _line, row in records
    ):
        name_column = None  # a raw TypedDataSet: WijkenEnBuurten holds the code, no name
    municipality_column = _find(header, MUNICIPALITY_COLUMNS)
    population_column = _find(header, POPULATION_COLUMNS)
    youth_column = _find(header, YOUTH_COLUMNS)
    rows, seen, problems = [], {}, []
    for line, record in records:
        code = _text(record.get(code_column)).upper()
        kind = _text(record.get(kind_column)).lower() if kind_column else ""
        if not DISTRICT_CODE.match(code) or (kind_column and kind != "wijk"):
            continue
        name = _text(record.get(name_column)) if name_column else code
        if not name:
            problems.append(_("%(line)s: district %(code)s has no name") % _where(line, code))
        elif len(name) > 120:
            problems.append(
                _("%(line)s: the name of district %(code)s is longer than 120 characters")
                % _where(line, code)
            )
        if code in seen:
            problems.append(
                _("%(line)s: district %(code)s occurs twice (also %(first)s)")
                % {**_where(line, code), "first": seen[code]}
            )
        seen.setdefault(code, line)
        rows.append(
            DistrictRow(
                code=code,
                name=name[:120],
                municipality_name=(
                    _text(record.get(municipality_column)) if municipality_column else ""
                ),
                population=(
                    _count(record.get(population_column), line, _("population"), problems)
                    if population_column
                    else None
                ),
                youth_population=(
                    _count(record.get(youth_column), line, _("children 0-14"), problems)
                    if youth_column
                    else None
                ),
                line=line,
            )
        )
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise BadDistrictRows(problems[:MAX_PROBLEMS])
    return DistrictTable(
        rows=rows,
        form=form,
        has_names=name_column is not None,
        has_population=population_column is not None,
        has_youth=youth_column is not None,
        source=source,
    )


def _where(line: str, code: str) -> dict[str, str]:
    return {"line": line, "code": code}
