"""The Situatie step's figures panel: imported CBS figures to take into the cycle, local figures
from a CSV upload, and the prevalence estimate.

- `panel(cycle)`: what the step shows. Per indicator with a CBS table and imported figures,
  the latest periods of the municipality, its Veilig Thuis region and the Netherlands, with
  period, source, provisional (CBS `*`) and suppressed (CBS `.`, never zero) flags, and whether
  the figure is already in the cycle. Queries do not grow with indicators or periods.
- `take_over(cycle, user, ids)`: copy chosen observations into the cycle as SituationFigure
  rows (source "CBS StatLine <table>", plus the demo marker of a table marked as invented;
  provisional kept).
- `read_local_csv(data, cycle)`: check an uploaded CSV of local figures (police, wijkteams,
  GGD) row by row with Dutch messages; `store_figures` writes them.

Both writes go through `store_figures`: one transaction that adds or updates figures (a
figure with the same indicator, name, period and source is updated, never doubled), records
the history like a saved step, raises the step's version (so an open copy of the step elsewhere
is told that someone saved in between) and adds the new figures to a draft of the step, so a
draft neither hides them nor silently overwrites them.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext

from cms.snippets import Indicator
from compass import figures, numbers, prevalence, services
from compass.cbs.importer import NATIONAL_CODES
from compass.cbs.statline_csv import decode
from compass.demodata import cbs_figure_source
from compass.models import BlockProgress, CbsObservation, SituationFigure, Step
from questionnaire.cycle_forms import MAX_ROWS, FigureForm

PANEL_PERIODS = 3  # the latest periods shown per indicator; the chart page has them all
CBS_SOURCE = "CBS StatLine {table}"
PREFIX = "figures"  # the figures formset of the Situatie step (questionnaire.wizard)
VALUE_PLACES = Decimal("0.01")  # SituationFigure.value


# --- What the panel shows ---------------------------------------------------------------------


@dataclass
class Cell:
    observation: CbsObservation | None
    line: figures.Line
    taken: bool = False

    @property
    def selectable(self) -> bool:
        return (
            self.observation is not None
            and not self.observation.suppressed
            and (self.observation.value is not None)
        )


@dataclass
class PanelIndicator:
    item: figures.IndicatorFigures
    rows: list[dict]  # {"period", "label", "cells": [Cell per line]}

    @property
    def indicator(self):
        return self.item.indicator

    @property
    def lines(self):
        return self.item.lines

    @property
    def sources(self) -> list[str]:
        """The CBS tables with their titles, as the import stored them."""
        return sorted(
            {
                o.source or CBS_SOURCE.format(table=o.table_id)
                for line in self.item.lines
                for o in line.cells.values()
            }
        )


@dataclass
class Panel:
    municipality: object
    indicators: list[PanelIndicator]
    estimates: list
    without_figures: list = field(default_factory=list)

    @property
    def has_provisional(self) -> bool:
        return any(p.item.has_provisional for p in self.indicators)

    @property
    def has_suppressed(self) -> bool:
        return any(p.item.has_suppressed for p in self.indicators)


def cbs_indicators() -> list:
    return list(Indicator.objects.exclude(cbs_table_id="").order_by("name"))


def _stored_names(municipality) -> dict[str, str]:
    """Line names as the cycle stores them: in the site's language, whoever takes them over."""
    with translation.override(settings.LANGUAGE_CODE):
        names = {code: name for _key, code, name in figures.comparison_regions(municipality)}
        national = gettext("the Netherlands")
    names.update(dict.fromkeys(NATIONAL_CODES, national))
    return names


def stored_label(indicator, line_key: str, name: str) -> str:
    label = indicator.name if line_key == "own" else f"{indicator.name} – {name}"
    return label[:200]


def stored_period(code: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return figures.period_label(code)[:40]


def _key(indicator_id, label, period, source) -> tuple:
    return (indicator_id, label, period, source)


def panel(cycle) -> Panel:
    municipality = cycle.municipality
    indicators = cbs_indicators()
    items = figures.figures_for(municipality, indicators)
    names = _stored_names(municipality)
    taken = {
        _key(*row)
        for row in SituationFigure.objects.filter(
            cycle=cycle, source__startswith="CBS StatLine"
        ).values_list("indicator_id", "label", "period", "source")
    }
    shown, without = [], []
    for item in items:
        if not item.has_data:
            without.append(item.indicator)
            continue
        rows = []
        for period in sorted(item.periods, reverse=True)[:PANEL_PERIODS]:
            cells = []
            for line in item.lines:
                obs = line.cells.get(period)
                cell = Cell(obs, line)
                if obs is not None:
                    key = _key(
                        item.indicator.pk,
                        stored_label(item.indicator, line.key, names.get(line.code, line.name)),
                        stored_period(period),
                        cbs_figure_source(obs.table_id, obs.source),
                    )
                    cell.taken = key in taken
                cells.append(cell)
            rows.append({"period": period, "label": figures.period_label(period), "cells": cells})
        shown.append(PanelIndicator(item, rows))
    return Panel(municipality, shown, prevalence.estimates_for(municipality), without)


# --- Writing figures into the cycle ----------------------------------------------------------


@dataclass(frozen=True)
class FigureSpec:
    indicator_id: int | None
    label: str
    period: str
    value: Decimal
    source: str
    provisional: bool

    @property
    def key(self) -> tuple:
        return _key(self.indicator_id, self.label, self.period, self.source)


@dataclass
class StoreResult:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    draft: str = ""  # "" (no draft), "merged" or "kept" (a draft that could not be read)


class TooManyFigures(Exception):
    pass


def _show(value) -> str:
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, Decimal):
        return numbers.exact(value)
    return "" if value is None else str(value)


def _field_label(name: str) -> str:
    return str(SituationFigure._meta.get_field(name).verbose_name).capitalize()


@transaction.atomic
def store_figures(cycle, user, specs: list[FigureSpec]) -> StoreResult:
    """Add or update the figures of the Situatie step; see the module docstring."""
    progress = services.progress_for(cycle, Step.SITUATION)
    progress = BlockProgress.objects.select_for_update().get(pk=progress.pk)
    existing = {}
    for figure in SituationFigure.objects.filter(cycle=cycle).order_by("pk"):
        existing.setdefault(
            _key(figure.indicator_id, figure.label, figure.period, figure.source), figure
        )
    new_keys = {spec.key for spec in specs} - set(existing)
    if SituationFigure.objects.filter(cycle=cycle).count() + len(new_keys) > MAX_ROWS:
        raise TooManyFigures
    result = StoreResult()
    history = []
    row = gettext("Figure")
    to_create, changed_old = [], []
    for spec in specs:
        figure = existing.get(spec.key)
        if figure is None:
            figure = SituationFigure(
                cycle=cycle,
                indicator_id=spec.indicator_id,
                label=spec.label,
                period=spec.period,
                value=spec.value,
                source=spec.source,
                provisional=spec.provisional,
            )
            existing[spec.key] = figure
            to_create.append(figure)
            item = f"{row}: {figure.label}"
            for name in ("label", "period", "value", "source", "provisional"):
                history.append((item, _field_label(name), "", _show(getattr(figure, name))))
            continue
        if figure in to_create:
            continue  # the same figure twice in one request
        if figure.value == spec.value and figure.provisional == spec.provisional:
            result.unchanged.append(figure)
            continue
        item = f"{row}: {figure.label}"
        old = (figure.value, figure.provisional)
        for name, before, after in (
            ("value", figure.value, spec.value),
            ("provisional", figure.provisional, spec.provisional),
        ):
            if before != after:
                history.append((item, _field_label(name), _show(before), _show(after)))
        figure.value, figure.provisional = spec.value, spec.provisional
        figure.save(update_fields=["value", "provisional"])
        changed_old.append((figure, old))
        result.updated.append(figure)
    # One INSERT for all; PostgreSQL and SQLite (3.35+) return the ids the draft needs.
    SituationFigure.objects.bulk_create(to_create)
    result.created = to_create
    if not to_create and not changed_old:
        return result
    services.record_changes(cycle, Step.SITUATION, user, history)
    draft = progress.draft
    if draft:
        merged = merge_into_draft(draft, to_create, changed_old)
        result.draft = "merged" if merged is not None else "kept"
        draft = merged if merged is not None else draft
    done = BlockProgress.Status.DONE
    BlockProgress.objects.filter(pk=progress.pk).update(
        version=F("version") + 1,
        saved_at=timezone.now(),
        saved_by=user,
        draft=draft,
        status=Case(
            When(status=done, then=Value(done)), default=Value(BlockProgress.Status.IN_PROGRESS)
        ),
    )
    return result


ROW_KEY = re.compile(rf"^{PREFIX}-(\d+)-(.+)$")


def _number(text) -> Decimal | None:
    try:
        return Decimal(formats.sanitize_separators(str(text).strip()))
    except (InvalidOperation, ValueError):
        return None


def merge_into_draft(draft: dict, created, changed_old) -> dict | None:
    """Return the draft with the new figures as saved rows, or None if it cannot be read.

    A draft is the raw POST of the step. New figures become saved rows right after the draft's
    saved rows (typed, unsaved rows move down), so they show in the formset and the next save
    keeps them. An updated figure's value in the draft follows the update only where the user
    had not changed it: what somebody typed is never overwritten.
    """
    try:
        total = int(draft[f"{PREFIX}-TOTAL_FORMS"][0])
        initial = int(draft[f"{PREFIX}-INITIAL_FORMS"][0])
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    if not 0 <= initial <= total <= MAX_ROWS:
        return None
    count = len(created)
    if total + count > MAX_ROWS:
        return None
    merged: dict[str, list] = {}
    rows: dict[int, dict[str, list]] = defaultdict(dict)
    for key, values in draft.items():
        match = ROW_KEY.match(key)
        if match:
            rows[int(match.group(1))][match.group(2)] = values
        else:
            merged[key] = values
    by_id = {}
    for index, fields in rows.items():
        if index < initial and fields.get("id"):
            by_id[str(fields["id"][0])] = fields
    for figure, (old_value, old_provisional) in changed_old:
        fields = by_id.get(str(figure.pk))
        if fields is None:
            continue
        typed = _number((fields.get("value") or [""])[0])
        if typed is not None and typed == old_value:
            fields["value"] = [formats.localize_input(figure.value)]
        typed_provisional = bool(fields.get("provisional"))
        if typed_provisional == old_provisional:
            if figure.provisional:
                fields["provisional"] = ["on"]
            else:
                fields.pop("provisional", None)
    for index, fields in rows.items():
        target = index if index < initial else index + count
        for name, values in fields.items():
            merged[f"{PREFIX}-{target}-{name}"] = values
    for offset, figure in enumerate(created):
        index = initial + offset
        values = {
            "id": [str(figure.pk)],
            "label": [figure.label],
            "indicator": [str(figure.indicator_id) if figure.indicator_id else ""],
            "period": [figure.period],
            "value": [formats.localize_input(figure.value)],
            "source": [figure.source],
        }
        if figure.provisional:
            values["provisional"] = ["on"]
        for name, value in values.items():
            merged[f"{PREFIX}-{index}-{name}"] = value
    merged[f"{PREFIX}-TOTAL_FORMS"] = [str(total + count)]
    merged[f"{PREFIX}-INITIAL_FORMS"] = [str(initial + count)]
    return merged


def _value(value: Decimal) -> Decimal:
    return Decimal(value).quantize(VALUE_PLACES, rounding=ROUND_HALF_UP)


def take_over(cycle, user, observation_ids) -> tuple[StoreResult, int]:
    """Take the chosen CBS observations into the cycle; return the result and how many of the
    ids were left out (suppressed, unknown, or not of this municipality's comparison)."""
    ids = set()
    for raw in observation_ids:
        try:
            ids.add(int(raw))
        except (TypeError, ValueError):
            continue
    ids = {pk for pk in ids if 0 < pk < 2**31}
    names = _stored_names(cycle.municipality)
    keys = {code: key for key, code, _name in figures.comparison_regions(cycle.municipality)}
    observations = (
        CbsObservation.objects.filter(pk__in=ids, region_code__in=list(names))
        .exclude(indicator__cbs_table_id="")
        .select_related("indicator")
        .order_by("indicator__name", "region_code", "period")
    )
    specs = []
    for obs in observations:
        if obs.suppressed or obs.value is None:
            continue
        line_key = keys.get(obs.region_code, "national")
        specs.append(
            FigureSpec(
                indicator_id=obs.indicator_id,
                label=stored_label(obs.indicator, line_key, names[obs.region_code]),
                period=stored_period(obs.period),
                value=_value(obs.value),
                source=cbs_figure_source(obs.table_id, obs.source),
                provisional=obs.provisional,
            )
        )
    result = store_figures(cycle, user, specs) if specs else StoreResult()
    return result, len(ids) - len(specs)


# --- Local figures from a CSV upload ----------------------------------------------------------

MAX_UPLOAD_BYTES = 256 * 1024
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


def _delimiter(text: str) -> str | None:
    first = next((line for line in text.splitlines() if line.strip()), "")
    if ";" in first:
        return ";"
    if "," in first:
        return ","
    if "\t" in first:
        return "\t"
    return None


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
    delimiter = _delimiter(text)
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
            value=_value(data_["value"]),
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
