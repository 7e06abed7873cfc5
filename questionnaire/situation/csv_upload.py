"""Local figures from a CSV upload: the template to download, and checking an upload row by
row with Dutch messages (any error: none are stored)."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext, ngettext

from cms.snippets import Indicator
from compass.csv_sniff import decode, sniff_delimiter
from questionnaire.cycle_forms import MAX_ROWS, FigureForm
from questionnaire.situation.cbs_takeover import stored_value
from questionnaire.situation.storing import FigureSpec

MAX_UPLOAD_BYTES = settings.FIGURES_CSV_MAX_BYTES
MAX_ERRORS = 25
TEMPLATE_COLUMNS = ["indicator", "periode", "waarde", "bron", "voorlopig"]
REQUIRED_COLUMNS = {"indicator", "periode", "waarde", "bron"}
COLUMN_ALIASES = {
    "indicator": "indicator",
    "cijfer": "indicator",
    "figure": "indicator",
    "periode": "periode",
    "period": "periode",
    "waarde": "waarde",
    "value": "waarde",
    "bron": "bron",
    "source": "bron",
    "voorlopig": "voorlopig",
    "provisional": "voorlopig",
}
YES = {"ja", "j", "yes", "y", "1", "x", "*", "waar", "true", "voorlopig"}
NO = {"", "nee", "n", "no", "0", "onwaar", "false", "definitief"}
TEMPLATE_ROWS = [
    ["Aangiften huiselijk geweld", "2025", "312", "Politie, eenheid Midden-Nederland", "nee"],
    [
        "Gezinnen met zorgen over veiligheid in het buurtteam",
        "2025 1e halfjaar",
        "148",
        "Buurtteams",
        "ja",
    ],
    [
        "Jongeren die zich thuis veilig voelen (%)",
        "2023",
        "87,4",
        "GGD, Gezondheidsmonitor Jeugd",
        "nee",
    ],
]
AMBIGUOUS = re.compile(r"^[1-9]\d{0,2}(\.\d{3})+$")
NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")


def template_csv() -> bytes:
    """The downloadable template: a Dutch header and sample rows, `;`, UTF-8 with a BOM so
    spreadsheet programs read the accents."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(TEMPLATE_COLUMNS)
    writer.writerows(TEMPLATE_ROWS)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def parse_number(text: str) -> Decimal | None | str:
    """'148,5', '148.5', '1.234,5', '1,234.5', '1234' -> Decimal; None if it is no number;
    "ambiguous" for '41.287' (a Dutch thousands point or a decimal point?)."""
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if AMBIGUOUS.match(text):
        return "ambiguous"
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        grouped = re.fullmatch(rf"-?\d{{1,3}}(\{thousands}\d{{3}})+(\{decimal_mark}\d+)?", text)
        if not grouped:
            return None
        text = text.replace(thousands, "")
    if not NUMBER.match(text):
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def _line(number: int, message: str) -> str:
    return gettext("line %(n)s: %(message)s") % {"n": number, "message": message}


def read_local_csv(data: bytes, cycle) -> tuple[list[FigureSpec], list[str]]:
    """Check an uploaded CSV of local figures; return (figures, errors). Any error: store none."""
    if not data.strip():
        return [], [gettext("The file is empty.")]
    if len(data) > MAX_UPLOAD_BYTES:
        return [], [
            gettext("The file is larger than %(kb)s kB: upload at most %(rows)s figures at a time.")
            % {"kb": MAX_UPLOAD_BYTES // 1024, "rows": MAX_ROWS}
        ]
    if b"\x00" in data:
        return [], [gettext("The file is not a text (CSV) file. Save it as CSV and try again.")]
    try:
        text, _encoding = decode(data)
    except UnicodeDecodeError:
        return [], [gettext("The file is not a text (CSV) file. Save it as CSV and try again.")]
    delimiter = sniff_delimiter(text)
    if delimiter is None:
        return [], [
            gettext(
                "The first line is not a header with columns separated by ; or ,. Use the "
                "template: %(columns)s."
            )
            % {"columns": ";".join(TEMPLATE_COLUMNS)}
        ]
    try:
        lines = [
            (number, line)
            for number, line in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)
            if any(cell.strip() for cell in line)
        ]
    except csv.Error:
        return [], [gettext("The file is not a readable CSV file. Use the template.")]
    _header_number, header = lines[0]
    columns = [COLUMN_ALIASES.get(cell.strip().lower().rstrip("*").strip()) for cell in header]
    errors = []
    unknown = [cell.strip() for cell, column in zip(header, columns, strict=True) if not column]
    if unknown:
        errors.append(
            gettext("Unknown column %(names)s. Use the columns %(columns)s (see the template).")
            % {
                "names": ", ".join(f"'{name[:40]}'" for name in unknown[:5]),
                "columns": ";".join(TEMPLATE_COLUMNS),
            }
        )
    missing = sorted(REQUIRED_COLUMNS - set(columns))
    if missing:
        errors.append(
            gettext("Missing column %(names)s. Use the columns %(columns)s (see the template).")
            % {"names": ", ".join(missing), "columns": ";".join(TEMPLATE_COLUMNS)}
        )
    if len({c for c in columns if c}) != len([c for c in columns if c]):
        errors.append(gettext("A column occurs twice in the header."))
    if errors:
        return [], errors
    rows = lines[1:]
    if not rows:
        return [], [gettext("The file has a header but no figures.")]
    if len(rows) > MAX_ROWS:
        return [], [
            gettext("The file has %(n)s figures; upload at most %(max)s at a time.")
            % {"n": len(rows), "max": MAX_ROWS}
        ]
    indicators = list(Indicator.objects.order_by("name").values_list("pk", "code", "name"))
    by_text = {}
    for pk, code, name in indicators:
        by_text.setdefault(code.lower(), (pk, name))
        by_text.setdefault(name.lower(), (pk, name))
    choices = {"indicators": [(pk, name) for pk, _code, name in indicators]}
    specs, seen = [], {}
    for number, line in rows:
        if len(errors) >= MAX_ERRORS:
            errors.append(gettext("There are more errors; fix these first."))
            break
        if len(line) != len(header):
            errors.append(
                _line(
                    number,
                    ngettext(
                        "%(n)s field, the header has %(m)s.",
                        "%(n)s fields, the header has %(m)s.",
                        len(line),
                    )
                    % {"n": len(line), "m": len(header)},
                )
            )
            continue
        cells = {column: cell.strip() for column, cell in zip(columns, line, strict=True)}
        row_errors = []
        name = cells["indicator"]
        indicator_id, label = None, name
        if name.lower() in by_text:
            indicator_id, known = by_text[name.lower()]
            label = known if name.lower() != known.lower() else name
        number_text = cells["waarde"]
        value = parse_number(number_text)
        if number_text == "":
            row_errors.append(gettext("the value is empty."))
        elif value == "ambiguous":
            row_errors.append(
                gettext(
                    "value '%(value)s' is ambiguous: write %(plain)s without a thousands point, "
                    "or use a decimal comma."
                )
                % {"value": number_text[:40], "plain": number_text.replace(".", "")}
            )
        elif value is None:
            row_errors.append(
                gettext("value '%(value)s' is not a number.") % {"value": number_text[:40]}
            )
        provisional_text = cells.get("voorlopig", "").lower()
        if provisional_text not in YES | NO:
            row_errors.append(
                gettext("provisional '%(value)s' is not yes or no (ja/nee).")
                % {"value": cells.get("voorlopig", "")[:40]}
            )
        errors += [_line(number, message) for message in row_errors]
        # The step's own form checks the other fields too, so one upload shows every problem.
        value_ok = isinstance(value, Decimal)
        form = FigureForm(
            {
                "label": label,
                "indicator": str(indicator_id or ""),
                "period": cells["periode"],
                "value": formats.localize_input(value if value_ok else Decimal(0)),
                "source": cells["bron"],
                "provisional": "on" if provisional_text in YES else "",
            },
            cycle=cycle,
            choices=choices,
        )
        if not form.is_valid() or row_errors:
            for field_name, messages in form.errors.items():
                if field_name == "value" and not value_ok:
                    continue
                label_text = form.fields[field_name].label if field_name in form.fields else ""
                for message in messages:
                    errors.append(_line(number, f"{label_text}: {message}".lstrip(": ")))
            continue
        data_ = form.cleaned_data
        spec = FigureSpec(
            indicator_id=data_.get("indicator"),
            label=data_["label"],
            period=data_["period"],
            value=stored_value(data_["value"]),
            source=data_["source"],
            provisional=data_["provisional"],
        )
        if spec.key in seen:
            errors.append(
                _line(
                    number,
                    gettext("the same figure, period and source is also on line %(n)s.")
                    % {"n": seen[spec.key]},
                )
            )
            continue
        seen[spec.key] = number
        specs.append(spec)
    return ([] if errors else specs), errors
