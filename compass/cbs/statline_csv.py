"""StatLine CSV downloads: semicolon-separated, Latin-1 (or UTF-8), decimal comma, a source footer.

A download has a header row, data rows and often a last line starting with "Bron: CBS" that
names the source. Empty fields are missing values, "." is unknown or suppressed, "-" is nil;
a period or column title ending in "*" marks provisional figures.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from compass.cbs.errors import MalformedData
from compass.cbs.odata import parse_value
from compass.csv_sniff import decode

MAX_BYTES = 20 * 1024 * 1024


@dataclass
class StatlineCsv:
    header: list[str]
    rows: list[dict[str, str]]
    encoding: str
    source: list[str] = field(default_factory=list)

    def column(self, *names: str) -> str:
        """Return the first header matching one of `names` (case-insensitive, * ignored), else
        the first whose title without its StatLine path and unit matches: "Codering" finds
        "Regioaanduiding/Codering (code)"."""
        normal = {h.rstrip("*").strip().lower(): h for h in self.header}
        for name in names:
            if name.lower() in normal:
                return normal[name.lower()]
        for name in names:
            for header in self.header:
                if name.lower() in column_names(header):
                    return header
        raise MalformedData(
            _("none of the columns %(names)s is in the file (%(header)s)")
            % {"names": ", ".join(names), "header": ", ".join(self.header)}
        )

    def number(self, row: dict[str, str], column: str) -> Decimal | None:
        return parse_value(row.get(column, ""))


def column_names(title: str) -> set[str]:
    """The names a column answers to besides its title: "Regioaanduiding/Codering (code)" ->
    "codering"; "k_0Tot15Jaar_8" -> "k_0tot15jaar_8" and "k_0tot15jaar" (OData keys end in a
    number that changes per edition, while CBS's short name "a_00_14" must stay itself)."""
    text = str(title).strip().rstrip("*").strip()
    text = text.rsplit("/", 1)[-1]
    text = re.sub(r"\s*\([^)]*\)\s*$", "", text)
    text = " ".join(text.split()).lower()
    return {text, re.sub(r"_\d+$", "", text)}


def read_statline_csv(data: bytes) -> StatlineCsv:
    if len(data) > MAX_BYTES:
        raise MalformedData(
            _("the file is larger than %(size)s MB") % {"size": MAX_BYTES // (1024 * 1024)}
        )
    try:
        text, encoding = decode(data)
    except UnicodeDecodeError:
        raise MalformedData(_("the file is neither UTF-8 nor Latin-1 text")) from None
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    lines = [line for line in lines if any(cell.strip() for cell in line)]
    if not lines:
        raise MalformedData(_("the file is empty"))
    source: list[str] = []
    if lines[-1] and lines[-1][0].strip().lower().startswith("bron:"):
        source = [cell for cell in lines.pop() if cell.strip()]
    header = [cell.strip() for cell in lines[0]]
    if len(header) < 2 or len(set(header)) != len(header):
        raise MalformedData(_("the first line is not a header of distinct column names"))
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if len(line) != len(header):
            raise MalformedData(
                _("line %(line)s has %(fields)s fields, the header %(header)s")
                % {"line": number, "fields": len(line), "header": len(header)}
            )
        rows.append({h: cell.strip() for h, cell in zip(header, line, strict=True)})
    return StatlineCsv(header=header, rows=rows, encoding=encoding, source=source)
