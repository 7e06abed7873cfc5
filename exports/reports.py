"""The council report of an annual cycle: ONE context for the HTML page and the PDF.

`build_cycle_report(cycle)` reads the whole cycle in a constant number of queries (prefetching
every list), turns it into plain values (numbers already formatted in the active language) and
the positions of the inline SVG charts. The HTML report page and the print template render the
same context with the same section includes, so the two never drift apart.

Only the anonymous benchmark depends on who asks (it leaves out the municipalities the reader
knows, as the benchmark page does); the same cycle, reader, release and language give the same
HTML, so the PDF can be cached under a hash of that HTML (exports/views/report.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.choices import Band, Block
from compass import numbers, periods, prevalence, services
from compass.models import (
    Ambition,
    BlockProgress,
    Cycle,
    ImprovementAction,
    Offering,
    OutcomeMeasurement,
    QualityCheck,
    Result,
    ResultValue,
    SelfAssessment,
    SituationFigure,
    SituationReading,
    Step,
    TargetGroup,
)
from exports.on_track import LOWER, Track, on_track
from questionnaire import benchmarking
from questionnaire.assessment import read_result
from questionnaire.benchmark import EMPTY, PeerGroup

MISSING = numbers.MISSING


def num(value, decimals: int = 2, fixed: bool = False) -> str:
    """A number as Dutch (or English) readers write it: 1.234,5; – if None (compass/numbers)."""
    return numbers.decimal(value, decimals, fixed=fixed)


def pct(value) -> str:
    """A percentage with one decimal: 55,5%."""
    return numbers.percent(value, 1)


# --- Charts (SVG user units; never localised numbers in attributes) -----------------------


def _u(value: float) -> str:
    return f"{value:.1f}"


RESULT_CHART_WIDTH = 150
RESULT_CHART_HEIGHT = 48
RESULT_CHART_PAD = 6


def result_chart(result: Result, values: list[tuple[int, Decimal]], status: Track) -> dict | None:
    """A small chart of a result: the straight path from baseline to target and the values."""
    points = list(values)
    if result.baseline_value is not None and result.baseline_year is not None:
        points.append((result.baseline_year, result.baseline_value))
    if result.target_value is not None and result.target_year is not None:
        points.append((result.target_year, result.target_value))
    if len(points) < 2:
        return None
    years = [y for y, _v in points]
    numbers = [float(v) for _y, v in points]
    first, last = min(years), max(years)
    low, high = min(numbers), max(numbers)
    if high == low:
        low, high = low - 1, high + 1
    width, height, pad = RESULT_CHART_WIDTH, RESULT_CHART_HEIGHT, RESULT_CHART_PAD

    def x(year):
        return pad + (year - first) / max(last - first, 1) * (width - 2 * pad)

    def y(value):
        return pad + (high - float(value)) / (high - low) * (height - 2 * pad)

    path = None
    complete = None not in (
        result.baseline_value,
        result.baseline_year,
        result.target_value,
        result.target_year,
    )
    if complete and result.target_year >= result.baseline_year:
        path = {
            "x1": _u(x(result.baseline_year)),
            "y1": _u(y(result.baseline_value)),
            "x2": _u(x(result.target_year)),
            "y2": _u(y(result.target_value)),
        }
        if last > result.target_year:
            path["x3"] = _u(x(last))
    measured = sorted(values)
    colour = {"on_track": "#1d6b2f", "off_track": "#b3261e"}.get(str(status), "#154273")
    return {
        "width": width,
        "height": height,
        "path": path,
        "line": " ".join(f"{_u(x(yr))},{_u(y(v))}" for yr, v in measured),
        "dots": [
            {"x": _u(x(yr)), "y": _u(y(v)), "last": i == len(measured) - 1}
            for i, (yr, v) in enumerate(measured)
        ],
        "colour": colour,
    }


SCORE_LABEL_WIDTH = 230
SCORE_BAR_WIDTH = 380
SCORE_ROW = 34
SCORE_BAR = 18


def score_chart(rows: list[dict]) -> dict:
    """Bars of the own realisation per row, with the national median and quartile band."""

    def x(value):
        return SCORE_LABEL_WIDTH + value / 100 * SCORE_BAR_WIDTH

    bars = []
    for i, row in enumerate(rows):
        top = 6 + i * SCORE_ROW
        bar = {
            "label": row["label"],
            "value": row["value"],
            "y": _u(top),
            "text_y": _u(top + SCORE_BAR * 0.75),
            "width": _u(0 if row["own"] is None else row["own"] / 100 * SCORE_BAR_WIDTH),
            "value_x": _u(SCORE_LABEL_WIDTH + SCORE_BAR_WIDTH + 10),
            "fill": {"low": "#b3261e", "partly": "#9a6700", "high": "#1d6b2f"}.get(
                row["band_code"], "#6b6b6b"
            ),
        }
        if row.get("median") is not None:
            bar["median_x"] = _u(x(row["median"]))
            bar["band_x"] = _u(x(row["q1"]))
            bar["band_w"] = _u(x(row["q3"]) - x(row["q1"]))
            bar["band_y"] = _u(top - 3)
            bar["band_h"] = _u(SCORE_BAR + 6)
        bars.append(bar)
    height = 6 + len(rows) * SCORE_ROW + 22
    return {
        "bars": bars,
        "label_width": SCORE_LABEL_WIDTH,
        "bar_width": SCORE_BAR_WIDTH,
        "bar_height": SCORE_BAR,
        "width": SCORE_LABEL_WIDTH + SCORE_BAR_WIDTH + 70,
        "height": height,
        "axis_y": _u(height - 16),
        # A gridline at every quarter up to and including 100 %; 0 and 100 are the scale's ends.
        "ticks": [
            {"x": _u(x(v)), "value": v, "label": f"{v}%", "edge": v in (0, 100)}
            for v in (0, 25, 50, 75, 100)
        ],
    }


# --- The context -----------------------------------------------------------------------------


@dataclass
class Section:
    id: str
    title: str
    block: int | None = None


@dataclass
class CycleReport:
    cycle: Cycle
    municipality_name: str
    title: str
    subtitle: str
    status: str
    as_of: object
    policy_period: str
    sections: list[Section]
    summary: list[tuple[str, str]]
    missing: list[tuple[str, str]]
    participants: str
    figures: list[dict]
    has_provisional_figures: bool
    reading: list[tuple[str, str]]
    signals: str
    estimates: list[dict]
    target_groups: list[dict]
    ambitions: list[dict]
    track_counts: list[tuple[str, int]]
    offerings: list[dict]
    evidence_counts: list[tuple[str, int]]
    results_without_offering: list[str]
    offerings_without_result: list[str]
    quality: list[dict]
    quality_questions: list[str]
    outcomes: list[dict]
    assessment: dict | None
    actions: list[dict]


def track_label(status: Track) -> str:
    return {
        Track.ON_TRACK: _("On track"),
        Track.OFF_TRACK: _("Not on track"),
        Track.NO_DATA: _("No data"),
        Track.NOT_MEASURABLE: _("Not measurable"),
    }[status]


QUALITY_FIELDS = ("well_founded", "trained", "registered", "supervised", "guidelines")


def _as_of(cycle: Cycle, progress: list[BlockProgress], assessment: SelfAssessment | None):
    moments = [cycle.updated_at, *[p.saved_at for p in progress if p.saved_at]]
    if assessment is not None and assessment.submitted_at:
        moments.append(assessment.submitted_at)
    return timezone.localtime(max(moments)).date()


def build_cycle_report(cycle: Cycle, reader=None) -> CycleReport:
    """Read the cycle (a constant number of queries) into the report's context.

    ``reader``: the user who reads it; the anonymous benchmark leaves out what that user knows
    (None: a member of this municipality only).
    """
    municipality = cycle.municipality
    reading = SituationReading.objects.filter(cycle=cycle).first()
    figures = list(SituationFigure.objects.filter(cycle=cycle).order_by("pk"))
    ambitions = list(Ambition.objects.filter(cycle=cycle).order_by("pk"))
    results = list(
        Result.objects.filter(cycle=cycle)
        .order_by("pk")
        .prefetch_related(Prefetch("values", queryset=ResultValue.objects.order_by("year", "pk")))
    )
    target_groups = list(TargetGroup.objects.filter(cycle=cycle).order_by("pk"))
    offerings = list(
        Offering.objects.filter(cycle=cycle)
        .order_by("pk")
        .select_related("quality")
        .prefetch_related(
            Prefetch("results", queryset=Result.objects.order_by("pk").only("pk", "text")),
            Prefetch("target_groups", queryset=TargetGroup.objects.order_by("pk").only("name")),
        )
    )
    outcomes = list(
        OutcomeMeasurement.objects.filter(cycle=cycle).order_by("pk").select_related("offering")
    )
    actions = list(
        ImprovementAction.objects.filter(cycle=cycle)
        .order_by("due", "pk")
        .select_related("result", "offering")
    )
    progress = list(BlockProgress.objects.filter(cycle=cycle).only("step", "saved_at", "cycle"))
    assessment = (
        SelfAssessment.objects.filter(cycle=cycle, status=SelfAssessment.Status.SUBMITTED)
        .order_by("-version")
        .first()
    )
    missing_by_step = services.missing_items(cycle)
    step_labels = dict(Step.choices)

    # Results, grouped under their ambitions, with the on-track verdict and a small chart.
    offerings_of_result: dict[int, list[str]] = {}
    for offering in offerings:
        for result in offering.results.all():
            offerings_of_result.setdefault(result.pk, []).append(offering.name)
    result_rows: dict[int, list[dict]] = {}
    counts = dict.fromkeys(Track, 0)
    for result in results:
        values = [(v.year, v.value) for v in result.values.all()]
        verdict = on_track(
            result.baseline_value,
            result.baseline_year,
            result.target_value,
            result.target_year,
            result.direction,
            values,
        )
        counts[verdict.status] += 1
        # "%" goes with every number; a longer unit is named once, under the result.
        unit = "%" if result.unit == "%" else ""
        result_rows.setdefault(result.ambition_id, []).append(
            {
                "text": result.text,
                "type": result.get_type_display(),
                "direction": result.get_direction_display(),
                "lower_is_better": result.direction == LOWER,
                "unit": "" if unit else result.unit,
                "baseline": _with_unit(result.baseline_value, unit),
                "baseline_year": result.baseline_year or MISSING,
                "target": _with_unit(result.target_value, unit),
                "target_year": result.target_year or MISSING,
                "latest": _with_unit(verdict.latest_value, unit),
                "latest_year": verdict.latest_year or "",
                "expected": _with_unit(verdict.expected, unit, decimals=1),
                "status": str(verdict.status),
                "status_label": track_label(verdict.status),
                "chart": result_chart(result, values, verdict.status),
                "chart_label": _chart_label(result, verdict, unit),
                "offerings": offerings_of_result.get(result.pk, []),
            }
        )
    ambition_rows = [
        {
            "number": i,
            "text": a.text,
            "kind": a.get_kind_display(),
            "risk_factors": a.risk_factors,
            "protective_factors": a.protective_factors,
            "results": result_rows.get(a.pk, []),
        }
        for i, a in enumerate(ambitions, start=1)
    ]

    # Offering, evidence levels and coverage.
    served = {r.pk for o in offerings for r in o.results.all()}
    evidence: dict[str, int] = {}
    offering_rows = []
    for offering in offerings:
        level = offering.get_evidence_level_display() if offering.evidence_level else ""
        counted = level or _("No evidence level given")
        evidence[counted] = evidence.get(counted, 0) + 1
        offering_rows.append(
            {
                "name": offering.name,
                "kind": offering.get_kind_display(),
                "provider": offering.provider or MISSING,
                "evidence": level or _("not given"),
                "evidence_missing": not level,
                "valid_until": offering.valid_until,
                "capacity": num(offering.capacity),
                "results": len(offering.results.all()),
                "target_groups": [g.name for g in offering.target_groups.all()],
            }
        )
    quality_rows = []
    for offering in offerings:
        check = getattr(offering, "quality", None)
        if check is None:
            continue
        quality_rows.append(
            {
                "offering": offering.name,
                "answers": [
                    {"code": getattr(check, f), "label": getattr(check, f"get_{f}_display")()}
                    for f in QUALITY_FIELDS
                ],
                "notes": check.notes,
            }
        )
    outcome_rows = [
        {
            "offering": o.offering.name,
            "reach": num(o.reach),
            "dropout": pct(o.dropout),
            "usefulness": pct(o.usefulness),
            "goals": pct(o.goal_realisation),
            "respondents": num(o.respondents),
            "method": o.method,
            "story": o.story,
            "suggestions": o.improvement_suggestions,
        }
        for o in outcomes
    ]
    action_rows = [
        {
            "what": a.what,
            "who": a.who,
            "due": a.due,
            "decision": a.get_decision_display(),
            "status": a.get_status_display(),
            "about": a.result.text if a.result else (a.offering.name if a.offering else ""),
        }
        for a in actions
    ]

    estimates = [
        {
            "label": e.rate.label,
            "known": e.known,
            "youth": num(e.youth_population),
            "low_rate": num(e.low_rate),
            "high_rate": num(e.high_rate),
            "low": num(e.low),
            "high": num(e.high),
            "low_rounded": num(e.low_rounded),
            "high_rounded": num(e.high_rounded),
            "source": e.rate.source,
            "source_url": e.rate.source_url,
            "year": e.rate.year,
            "youth_basis": _youth_basis(e),
        }
        for e in prevalence.estimates_for(municipality)
    ]

    assessment_context = _assessment(cycle, assessment, reader)

    sections = [
        Section("samenvatting", _("Summary")),
        Section("blok-0", _block_title(Block.COOPERATION), 0),
        Section("blok-1", _block_title(Block.MONITORING), 1),
        Section("blok-2", _block_title(Block.SOCIETAL_RESULT), 2),
        Section("blok-3", _block_title(Block.ACTIVITIES), 3),
        Section("blok-4", _block_title(Block.QUALITY), 4),
        Section("blok-5", _block_title(Block.OUTCOMES), 5),
        Section("zelfevaluatie", _("Self-assessment")),
        Section("blok-6", _block_title(Block.IMPROVEMENT), 6),
    ]
    track_counts = [(track_label(t), counts[t]) for t in Track if counts[t]]
    summary = [
        (_("Ambitions"), num(len(ambitions))),
        (_("Societal results"), num(len(results))),
        (
            _("Results on track"),
            _("%(on)s of %(all)s") % {"on": num(counts[Track.ON_TRACK]), "all": num(len(results))},
        ),
        (_("Offering"), num(len(offerings))),
        (_("Improvement actions"), num(len(actions))),
        (
            _("Overall realisation (self-assessment)"),
            _("not submitted")
            if not assessment_context
            else assessment_context.get("overall", _("cannot be read")),
        ),
    ]
    missing = [
        (step_labels[step], text) for step, texts in missing_by_step.items() for text in texts
    ]
    return CycleReport(
        cycle=cycle,
        municipality_name=municipality.name,
        title=_("Annual cycle %(year)s of %(name)s")
        % {"year": cycle.year, "name": municipality.name},
        subtitle=_("Quality compass for child abuse and domestic violence"),
        status=cycle.get_status_display(),
        as_of=_as_of(cycle, progress, assessment),
        policy_period=f"{cycle.policy_start_year}–{cycle.policy_end_year}",
        sections=sections,
        summary=summary,
        missing=missing,
        participants=reading.participants if reading else "",
        figures=[
            {
                "label": f.label,
                "period": periods.label(f.period),
                "value": num(f.value),
                "source": f.source,
                "provisional": f.provisional,
            }
            for f in figures
        ],
        has_provisional_figures=any(f.provisional for f in figures),
        reading=[
            (str(SituationReading._meta.get_field(name).verbose_name), getattr(reading, name))
            for name in ("recognise", "explain", "appraise", "improve")
        ]
        if reading
        else [],
        signals=reading.signals if reading else "",
        estimates=estimates,
        target_groups=[
            {
                "name": g.name,
                "risk_factors": g.risk_factors,
                "size": num(g.estimated_size),
            }
            for g in target_groups
        ],
        ambitions=ambition_rows,
        track_counts=track_counts,
        offerings=offering_rows,
        evidence_counts=sorted(evidence.items(), key=lambda item: -item[1]),
        results_without_offering=[r.text for r in results if r.pk not in served],
        offerings_without_result=[o.name for o in offerings if not o.results.all()],
        quality=quality_rows,
        quality_questions=[
            str(QualityCheck._meta.get_field(f).verbose_name) for f in QUALITY_FIELDS
        ],
        outcomes=outcome_rows,
        assessment=assessment_context,
        actions=action_rows,
    )


def _youth_basis(estimate) -> str:
    """Where the youth population comes from, when the estimate says so (source, year)."""
    source = getattr(estimate, "youth_source", "")
    year = getattr(estimate, "youth_year", None)
    basis = " ".join(str(part) for part in (source, year) if part)
    if basis and getattr(estimate, "youth_estimated", False):
        basis = _("%(basis)s, estimated from age groups") % {"basis": basis}
    return basis


def _block_title(block: Block) -> str:
    return _("Block %(number)s: %(title)s") % {"number": block.value, "title": block.label}


def _with_unit(value, unit: str, decimals: int = 2) -> str:
    if value is None:
        return MISSING
    return f"{num(value, decimals)}{unit}"


def _chart_label(result: Result, verdict, unit: str) -> str:
    return _(
        "Path from %(baseline)s (%(baseline_year)s) to %(target)s (%(target_year)s); "
        "latest value %(latest)s"
    ) % {
        "baseline": _with_unit(result.baseline_value, unit),
        "baseline_year": result.baseline_year or MISSING,
        "target": _with_unit(result.target_value, unit),
        "target_year": result.target_year or MISSING,
        "latest": _with_unit(verdict.latest_value, unit),
    }


def _band_label(band) -> tuple[str, str]:
    if band is None:
        return "", ""
    return str(band), str(Band(str(band)).label)


def _assessment(cycle: Cycle, assessment: SelfAssessment | None, reader=None) -> dict | None:
    """The newest submitted self-assessment with the anonymous national benchmark beside it.

    The report shows the national peer group of the latest benchmark release, read for the
    report's reader exactly as the benchmark page reads it (``benchmarking.reader_benchmark``):
    the same municipalities left out, the same minimum, the same figures.
    """
    if assessment is None or not assessment.snapshot:
        return None
    stored = read_result(assessment)
    if not stored.readable:
        return {"error": _("The stored result of the self-assessment cannot be read.")}
    result, labels = stored.result, stored.labels
    theme_titles = labels["themes"]
    national, notes = _national_benchmark(cycle, assessment, reader)
    rows = []
    for kind, code, title, realisation, band in [
        ("overall", None, _("Overall"), result.overall, result.overall_band),
        *[
            ("theme", t.code, theme_titles.get(t.code, t.code), t.realisation, t.band)
            for t in result.themes
        ],
    ]:
        band_code, band_text = _band_label(band)
        cell = national.cell(kind, code) if national is not None else None
        has_peers = cell is not None and cell.has_data
        rows.append(
            {
                "label": title,
                "own": realisation,
                "value": pct(realisation),
                "band_code": band_code,
                "band": band_text,
                "median": cell.median if has_peers else None,
                "q1": cell.q1 if has_peers else None,
                "q3": cell.q3 if has_peers else None,
                "median_text": pct(cell.median) if has_peers else MISSING,
                "quartiles": f"{pct(cell.q1)} – {pct(cell.q3)}" if has_peers else MISSING,
                "count": num(cell.count) if has_peers else MISSING,
            }
        )
    measures = [
        {
            "code": m.code,
            "title": labels["measures"].get(m.code, ""),
            "value": pct(m.realisation),
            "band": _band_label(m.band)[1] or _("not applicable"),
        }
        for m in result.measures
    ]
    overall_band = _band_label(result.overall_band)
    return {
        "version": assessment.version,
        "submitted_at": assessment.submitted_at,
        "measure_set": labels["name"],
        "example_set": labels.get("example", False),
        "overall": pct(result.overall),
        "overall_band": overall_band[1],
        "overall_band_code": overall_band[0],
        "rows": rows,
        "chart": score_chart(rows),
        "measures": measures,
        "has_benchmark": national is not None and any(r["median"] is not None for r in rows),
        "min_size": benchmarking.min_group_size(),
        **notes,
    }


@dataclass(frozen=True)
class NationalCells:
    cells: dict

    def cell(self, kind: str, code: str | None):
        return self.cells.get((kind, code), EMPTY)


def _national_benchmark(cycle: Cycle, assessment: SelfAssessment, reader):
    """The national cells and the release notes, from ``benchmarking.reader_benchmark``: the
    same function, reader and release as the benchmark page, so the figures are the page's."""
    municipality = cycle.municipality
    version = benchmarking.population_key(assessment.measure_set_id, assessment.measure_set_version)
    released = benchmarking.reader_benchmark(
        benchmarking.Reader.of(reader, municipality), municipality, cycle.year, version
    )
    notes = benchmarking.release_notes(released, assessment)
    notes["generated"] = released.generated  # the report says so, as the benchmark page does
    if released.benchmark is None:
        return None, notes
    group = released.benchmark.group(PeerGroup.NATIONAL)
    cells = {
        ("overall", None): group.overall,
        **{("theme", code): cell for code, cell in group.themes.items()},
    }
    return NationalCells(cells), notes
