"""CSV and XLSX of cycle tables, safe to open in a spreadsheet.

A table is a title, Dutch column headers and rows of plain values. Text that a spreadsheet
would read as a formula (starting with =, +, -, @, or a tab or carriage return, also after
leading spaces) is prefixed with an apostrophe, so a value typed into the app can never run
as a formula (CSV injection, OWASP).
Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from compass import numbers

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
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
    text = str(value)
    # Spreadsheets may ignore leading spaces before a formula: look past them too.
    if text.startswith(FORMULA_START) or text.lstrip().startswith(FORMULA_START):
        return "'" + text
    return text


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
        # openpyxl refuses control characters (a pasted text can hold them): drop them.
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones; values are local already
    return value
