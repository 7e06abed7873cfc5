"""CBS period codes as people read them: the one place that turns 2023JJ00 into a label.

CBS codes a period as the year plus a part: JJ00 (the whole year), HJ01-HJ02 (half years),
KW01-KW04 (quarters) and MM01-MM12 (months). Provisional (*) and revised (**) markers are data,
kept apart by the importer; a code that still carries them keeps them after its label.
"""

from __future__ import annotations

import re
from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _

CODE = re.compile(r"^(\d{4})(JJ00|HJ0[12]|KW0[1-4]|MM(?:0[1-9]|1[0-2]))(\**)$")
# Anything that looks like a raw code in shown text (the guard tests look for it).
RAW_CODE = re.compile(r"\d{4}(?:JJ|KW|HJ|MM)\d\d")


def is_code(text: str) -> bool:
    return bool(CODE.match(text or ""))


def label(code: str) -> str:
    """'2023JJ00' -> '2023', '2024HJ01' -> '1e halfjaar 2024', '2024KW03' -> '3e kwartaal
    2024', '2024MM03' -> 'maart 2024' (in the active language); other text stays as it is."""
    match = CODE.match((code or "").strip())
    if not match:
        return code
    year, part, markers = match.groups()
    number = int(part[2:])
    if part == "JJ00":
        text = year
    elif part.startswith("HJ"):
        text = _("H%(half)s %(year)s") % {"year": year, "half": number}
    elif part.startswith("KW"):
        text = _("Q%(quarter)s %(year)s") % {"year": year, "quarter": number}
    else:
        text = formats.date_format(date(int(year), number, 1), "YEAR_MONTH_FORMAT")
    return text + markers
