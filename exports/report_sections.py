"""The rows of the report's sections, one function per section, from rows already read.

Every function takes what `exports.reports.read_cycle` read (no queries of its own, except the
prevalence estimates) and returns plain values: numbers formatted in the active language.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from compass import numbers, parts, periods, prevalence
from compass.charts import result_chart
from compass.models import Result, SituationReading
from exports.on_track import LOWER, Track, on_track

MISSING = numbers.MISSING
READING_QUESTIONS = ("recognise", "explain", "appraise", "improve")

# The fields of each part that its section's template lays out itself. Every other field that
# the registry (compass.parts, `report=ReportPlace(...)`) places in the report is listed under
# the row's name (`more`), so a field added to a part's report place shows without a change
# here. The quality questions are the choice fields of the quality part's report place.
LAID_OUT = {
    "reading": {"recognise", "explain", "appraise", "improve", "signals", "participants"},
    "figures": {"label", "period", "value", "source", "provisional"},
    "target_groups": {"name", "risk_factors", "estimated_size"},
    "ambitions": {"kind", "text", "risk_factors", "protective_factors"},
    "results": {"type", "text", "direction", "unit"}
    | {"baseline_value", "baseline_year", "target_value", "target_year"},
    "offerings": {"name", "kind", "provider", "target_groups", "evidence_level", "databank"}
    | {"valid_until", "capacity"},
    "quality": {"offering", "notes"},
    "outcomes": {"offering", "reach", "dropout", "usefulness", "goal_realisation"}
    | {"respondents", "method", "story", "improvement_suggestions"},
    "actions": {"what", "who", "due", "decision", "status", "result", "offering"},
}


def quality_fields() -> list[str]:
    """The quality questions: the choice fields the registry places in the report, in order."""
    part = parts.get("quality")
    placed = part.report.fields if part.report else ()
    return [f.name for f in part.fields if f.kind == parts.CHOICE and f.name in placed]


def more(part_key: str, obj) -> list[tuple[str, str]]:
    """(label, value) of the fields the registry places in the report beyond the laid-out ones."""
    part = parts.get(part_key)
    if part.report is None:
        return []
    laid_out = LAID_OUT.get(part_key, set()) | set(
        quality_fields() if part_key == "quality" else ()
    )
    return [
        (str(f.label), shown(f, obj))
        for f in part.fields
        if f.name in part.report.fields and f.name not in laid_out
    ]


def shown(field, obj) -> str:
    """A field's value as the report writes it: labels, numbers in the reader's language."""
    value = field.cell(obj)
    if value is None or value == "":
        return MISSING
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field.kind == parts.YEAR:
        return str(value)
    if isinstance(value, int | Decimal):
        return numbers.decimal(value)
    if isinstance(value, date):
        return date_format(value, "j F Y")
    return str(value)


def track_label(status: Track) -> str:
    return {
        Track.ON_TRACK: _("On track"),
        Track.OFF_TRACK: _("Not on track"),
        Track.NO_DATA: _("No data"),
        Track.NOT_MEASURABLE: _("Not measurable"),
        Track.NO_DIRECTION: _("No verdict: no fixed direction, interpret the value"),
    }[status]


# --- Block 1: the situation -----------------------------------------------------------------


def figure_rows(figures) -> list[dict]:
    return [
        {
            "label": f.label,
            "period": periods.label(f.period),
            "value": numbers.decimal(f.value),
            "source": f.source,
            "provisional": f.provisional,
            "more": more("figures", f),
        }
        for f in figures
    ]


def reading_rows(reading) -> list[tuple[str, str]]:
    if reading is None:
        return []
    return [
        (str(SituationReading._meta.get_field(name).verbose_name), getattr(reading, name))
        for name in READING_QUESTIONS
    ]


def reading_more(reading) -> list[tuple[str, str]]:
    """The reading's other fields the registry places in the report (risk and protective
    factors, the balance, the regional vision), those filled in only."""
    if reading is None:
        return []
    return [(label, value) for label, value in more("reading", reading) if value != MISSING]


def estimate_rows(municipality) -> list[dict]:
    """The prevalence estimates with their arithmetic and source."""
    return [
        {
            "label": e.rate.label,
            "adults": e.adults,
            "known": e.known,
            "single": e.single,
            "youth": numbers.decimal(e.youth_population),
            "low_rate": numbers.decimal(e.low_rate),
            "high_rate": numbers.decimal(e.high_rate),
            "low": numbers.decimal(e.low),
            "high": numbers.decimal(e.high),
            "low_rounded": numbers.decimal(e.low_rounded),
            "high_rounded": numbers.decimal(e.high_rounded),
            "source": e.rate.source,
            "source_url": e.rate.source_url,
            "year": e.rate.year,
            "youth_basis": youth_basis(e),
        }
        for e in prevalence.estimates_for(municipality)
    ]


def youth_basis(estimate) -> str:
    """Where the youth population comes from, when the estimate says so (source, year)."""
    source = getattr(estimate, "youth_source", "")
    year = getattr(estimate, "youth_year", None)
    basis = " ".join(str(part) for part in (source, year) if part)
    if basis and getattr(estimate, "youth_estimated", False):
        basis = _("%(basis)s, estimated from age groups") % {"basis": basis}
    return basis


def target_group_rows(target_groups) -> list[dict]:
    return [
        {
            "name": g.name,
            "risk_factors": g.risk_factors,
            "size": numbers.decimal(g.estimated_size),
            "more": more("target_groups", g),
        }
        for g in target_groups
    ]


# --- Block 2: ambitions and results ---------------------------------------------------------


def ambition_rows(ambitions, results, offerings) -> tuple[list[dict], dict]:
    """The ambitions with their results (on-track verdict, chart); and the count per verdict."""
    offerings_of_result: dict[int, list[str]] = {}
    for offering in offerings:
        for result in offering.results.all():
            offerings_of_result.setdefault(result.pk, []).append(offering.name)
    result_rows: dict[int, list[dict]] = {}
    counts = dict.fromkeys(Track, 0)
    for result in results:
        row, status = result_row(result, offerings_of_result.get(result.pk, []))
        counts[status] += 1
        result_rows.setdefault(result.ambition_id, []).append(row)
    rows = [
        {
            "number": i,
            "text": a.text,
            "kind": a.get_kind_display(),
            "risk_factors": a.risk_factors,
            "protective_factors": a.protective_factors,
            "results": result_rows.get(a.pk, []),
            "more": more("ambitions", a),
        }
        for i, a in enumerate(ambitions, start=1)
    ]
    return rows, counts


def result_row(result: Result, offering_names: list[str]) -> tuple[dict, Track]:
    """One result's row (values, verdict, chart) and its on-track verdict."""
    values = [(v.year, v.value) for v in result.values.all()]
    verdict = on_track(
        result.baseline_value,
        result.baseline_year,
        result.target_value,
        result.target_year,
        result.direction,
        values,
    )
    # "%" goes with every number; a longer unit is named once, under the result.
    unit = "%" if result.unit == "%" else ""
    row = {
        "text": result.text,
        "type": result.get_type_display(),
        "direction": result.get_direction_display(),
        "lower_is_better": result.direction == LOWER,
        "unit": "" if unit else result.unit,
        "baseline": with_unit(result.baseline_value, unit),
        "baseline_year": result.baseline_year or MISSING,
        "target": with_unit(result.target_value, unit),
        "target_year": result.target_year or MISSING,
        "latest": with_unit(verdict.latest_value, unit),
        "latest_year": verdict.latest_year or "",
        "expected": with_unit(verdict.expected, unit, decimals=1),
        "status": str(verdict.status),
        "status_label": track_label(verdict.status),
        "chart": result_chart(result, values, verdict.status),
        "chart_label": chart_label(result, verdict, unit),
        "offerings": offering_names,
        "more": more("results", result),
    }
    return row, verdict.status


def with_unit(value, unit: str, decimals: int = 2) -> str:
    if value is None:
        return MISSING
    return f"{numbers.decimal(value, decimals)}{unit}"


def chart_label(result: Result, verdict, unit: str) -> str:
    return _(
        "Path from %(baseline)s (%(baseline_year)s) to %(target)s (%(target_year)s); "
        "latest value %(latest)s"
    ) % {
        "baseline": with_unit(result.baseline_value, unit),
        "baseline_year": result.baseline_year or MISSING,
        "target": with_unit(result.target_value, unit),
        "target_year": result.target_year or MISSING,
        "latest": with_unit(verdict.latest_value, unit),
    }


# --- Block 3: the offering ------------------------------------------------------------------


def offering_rows(offerings) -> tuple[list[dict], list[tuple[str, int]]]:
    """The offering rows and the number of offerings per evidence level (most first)."""
    evidence: dict[str, int] = {}
    rows = []
    for offering in offerings:
        level = offering.get_evidence_level_display() if offering.evidence_level else ""
        counted = level or _("No evidence level given")
        evidence[counted] = evidence.get(counted, 0) + 1
        rows.append(
            {
                "name": offering.name,
                "kind": offering.get_kind_display(),
                "provider": offering.provider or MISSING,
                "evidence": level or _("not given"),
                "evidence_missing": not level,
                # The databank that judged it: the level is in that databank's words.
                "databank": offering.get_databank_display() if offering.databank else "",
                "databank_missing": offering.needs_databank,
                "valid_until": offering.valid_until,
                "capacity": numbers.decimal(offering.capacity),
                "results": len(offering.results.all()),
                "target_groups": [g.name for g in offering.target_groups.all()],
                "more": more("offerings", offering),
            }
        )
    return rows, sorted(evidence.items(), key=lambda item: -item[1])


def coverage(results, offerings) -> tuple[list[str], list[str]]:
    """Results that no offering serves, and offerings that serve no result."""
    served = {r.pk for o in offerings for r in o.results.all()}
    return (
        [r.text for r in results if r.pk not in served],
        [o.name for o in offerings if not o.results.all()],
    )


# --- Blocks 4, 5 and 6 ----------------------------------------------------------------------


def quality_rows(offerings) -> list[dict]:
    questions = quality_fields()
    rows = []
    for offering in offerings:
        check = getattr(offering, "quality", None)
        if check is None:
            continue
        rows.append(
            {
                "offering": offering.name,
                "answers": [
                    {"code": getattr(check, f), "label": getattr(check, f"get_{f}_display")()}
                    for f in questions
                ],
                "notes": check.notes,
                "more": more("quality", check),
            }
        )
    return rows


def quality_questions() -> list[str]:
    part = parts.get("quality")
    return [str(part.field(name).model_field.verbose_name) for name in quality_fields()]


def outcome_rows(outcomes) -> list[dict]:
    return [
        {
            "offering": o.offering.name,
            "reach": numbers.decimal(o.reach),
            "dropout": numbers.percent(o.dropout, 1),
            "usefulness": numbers.percent(o.usefulness, 1),
            "goals": numbers.percent(o.goal_realisation, 1),
            "respondents": numbers.decimal(o.respondents),
            "method": o.method,
            "story": o.story,
            "suggestions": o.improvement_suggestions,
            "more": more("outcomes", o),
        }
        for o in outcomes
    ]


def action_rows(actions) -> list[dict]:
    return [
        {
            "what": a.what,
            "who": a.who,
            "due": a.due,
            "decision": a.get_decision_display(),
            "status": a.get_status_display(),
            "about": a.result.text if a.result else (a.offering.name if a.offering else ""),
            "more": more("actions", a),
        }
        for a in actions
    ]
