"""CSV and XLSX of cycle tables, safe to open in a spreadsheet.

A table is a title, Dutch column headers and rows of plain values. Text that a spreadsheet
would read as a formula (starting with =, +, -, @, or a tab or carriage return, also after
leading spaces, invisible characters or in a full-width spelling) is prefixed with an
apostrophe, so a value typed into the app can never run as a formula (CSV injection, OWASP).
The check runs on the text as it is written: control characters that openpyxl (and XML) cannot
hold are dropped first, so a value like "\x01=1+2" cannot become "=1+2" after the check.
Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from compass import numbers

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# After NFKC (which maps full-width and small forms such as ＝ ＋ － ＠ to ASCII), a visible first
# character in this set starts a formula; U+2212 (minus sign) too, which NFKC keeps.
_FORMULA_CHARACTERS = frozenset("=+-@\u2212")
# The characters openpyxl drops or refuses (XML 1.0 cannot hold them): C0 controls except
# tab, LF and CR. Its own pattern, so the check and the writer always agree.
_ILLEGAL_CHARACTERS = ILLEGAL_CHARACTERS_RE
# Excel limits a sheet name to 31 characters without []:*?/\
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass
class Table:
    title: str
    headers: Sequence[str]
    rows: list[Sequence] = field(default_factory=list)


def escape_cell(value):
    """Return the value as a spreadsheet may safely show it; text never starts a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float | Decimal | date | datetime):
        return value
    text = normalise_text(str(value))
    if starts_formula(text):
        return "'" + text
    return text


def normalise_text(text: str) -> str:
    """The text as it will be written: without the control characters a workbook cannot hold."""
    return _ILLEGAL_CHARACTERS.sub("", text)


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet could read the text as a formula.

    Spreadsheets ignore leading spaces and may drop invisible characters before a formula, so
    look past whitespace, control and format characters (zero-width space, BOM, direction
    marks) and compare the first visible character in its NFKC form.
    """
    if text.startswith(("\t", "\r")):
        return True
    for char in text:
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp"):
            continue
        return bool(_FORMULA_CHARACTERS & set(unicodedata.normalize("NFKC", char)[:1]))
    return False


def to_csv(table: Table) -> bytes:
    """One table as CSV for Dutch spreadsheets: UTF-8 with BOM, `;`-separated, decimal comma."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([escape_cell(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([_csv_text(escape_cell(v)) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_text(value) -> str:
    if isinstance(value, float | Decimal):
        return numbers.plain(value, ",")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name for the title."""
    base = _SHEET_NAME_FORBIDDEN.sub(" ", title).strip()[:31] or _("Sheet")
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def to_xlsx(tables: Iterable[Table]) -> bytes:
    """One workbook with a sheet per table, bold frozen headers and sensible column widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(sheet_name(table.title, taken))
        sheet.append([escape_cell(h) for h in table.headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_xlsx_value(escape_cell(v)) for v in row])
        sheet.freeze_panes = "A2"
        for index, header in enumerate(table.headers, start=1):
            longest = max(
                [len(str(header))] + [len(str(r[index - 1] or "")) for r in table.rows[:200]]
            )
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(
                60, max(10, longest + 2)
            )
    if not workbook.worksheets:
        workbook.create_sheet(_("Empty"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value):
    if isinstance(value, str):
        # openpyxl refuses control characters (a pasted text can hold them); escape_cell has
        # dropped them before its formula check, this only guards a value that skipped it.
        return normalise_text(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones; values are local already
    return value
