"""The council report of an annual cycle: ONE context for the HTML page and the PDF.

`build_cycle_report(cycle)` reads the whole cycle in a constant number of queries
(`read_cycle`, prefetching every list), turns it into plain values (numbers already formatted
in the active language; `exports.report_sections`, one function per section) and the positions
of the inline SVG charts (`compass.charts`). The HTML report page and the print template
render the same context with the same section includes, so the two never drift apart.

Only the anonymous benchmark depends on who asks (it leaves out the municipalities the reader
knows, as the benchmark page does; `exports.report_assessment`); the same cycle, reader,
release and language give the same HTML, so the PDF can be cached under a hash of that HTML
(exports/views/report.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.choices import Block
from compass import numbers, purchasing, services
from compass.charts import result_chart, score_chart
from compass.district_cycles import shared_steps
from compass.models import (
    Ambition,
    Cycle,
    ImprovementAction,
    Offering,
    OutcomeMeasurement,
    Result,
    ResultValue,
    SelfAssessment,
    SituationFigure,
    SituationReading,
    Step,
    StepProgress,
    TargetGroup,
    TheoryOfChange,
)
from exports import report_sections as rows
from exports.district_annex import district_annex
from exports.naming import place_label
from exports.on_track import Track
from exports.report_assessment import assessment_section
from exports.report_sections import track_label
from exports.report_sections import youth_basis as _youth_basis

MISSING = numbers.MISSING

__all__ = [
    "CycleReport",
    "Section",
    "_youth_basis",
    "build_cycle_report",
    "read_cycle",
    "result_chart",
    "score_chart",
    "track_label",
]


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
    reading_more: list[tuple[str, str]]
    theory_of_change: str
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
    purchasing: object = None  # compass.purchasing.Check
    # A district cycle (issue 22): its district and what it shares with the municipal cycle.
    district: dict | None = None
    # The municipal report with the district annex: one entry per district cycle
    # (exports.district_annex); None without the annex.
    annex: list | None = None


@dataclass
class CycleData:
    """Every row of the cycle the report shows, read once."""

    reading: SituationReading | None
    figures: list
    ambitions: list
    results: list
    target_groups: list
    offerings: list
    outcomes: list
    actions: list
    progress: list
    assessment: SelfAssessment | None
    theory_of_change: str = ""


def read_cycle(cycle: Cycle) -> CycleData:
    """Read the rows of the report in a constant number of queries, whatever their number."""
    return CycleData(
        reading=SituationReading.objects.filter(cycle=cycle).first(),
        theory_of_change=TheoryOfChange.objects.filter(cycle=cycle)
        .values_list("story", flat=True)
        .first()
        or "",
        figures=list(SituationFigure.objects.filter(cycle=cycle).order_by("pk")),
        ambitions=list(Ambition.objects.filter(cycle=cycle).order_by("pk")),
        results=list(
            Result.objects.filter(cycle=cycle)
            .order_by("pk")
            .prefetch_related(
                Prefetch("values", queryset=ResultValue.objects.order_by("year", "pk"))
            )
        ),
        target_groups=list(TargetGroup.objects.filter(cycle=cycle).order_by("pk")),
        offerings=list(
            Offering.objects.filter(cycle=cycle)
            .order_by("pk")
            .select_related("quality")
            .prefetch_related(
                Prefetch("results", queryset=Result.objects.order_by("pk").only("pk", "text")),
                Prefetch("target_groups", queryset=TargetGroup.objects.order_by("pk").only("name")),
            )
        ),
        outcomes=list(
            OutcomeMeasurement.objects.filter(cycle=cycle).order_by("pk").select_related("offering")
        ),
        actions=list(
            ImprovementAction.objects.filter(cycle=cycle)
            .order_by("due", "pk")
            .select_related("result", "offering")
        ),
        progress=list(StepProgress.objects.filter(cycle=cycle).only("step", "saved_at", "cycle")),
        assessment=(
            SelfAssessment.objects.filter(cycle=cycle, status=SelfAssessment.Status.SUBMITTED)
            .order_by("-version")
            .first()
        ),
    )


def _as_of(cycle: Cycle, progress: list[StepProgress], assessment: SelfAssessment | None):
    moments = [cycle.updated_at, *[p.saved_at for p in progress if p.saved_at]]
    if assessment is not None and assessment.submitted_at:
        moments.append(assessment.submitted_at)
    return timezone.localtime(max(moments)).date()


def _block_title(block: Block) -> str:
    return _("Block %(number)s: %(title)s") % {"number": block.value, "title": block.label}


def _sections(annex: bool = False) -> list[Section]:
    sections = [
        Section("samenvatting", _("Summary")),
        Section("blok-0", _block_title(Block.COOPERATION), 0),
        Section("blok-1", _block_title(Block.MONITORING), 1),
        Section("blok-2", _block_title(Block.SOCIETAL_RESULT), 2),
        Section("blok-3", _block_title(Block.ACTIVITIES), 3),
        Section("inkoopcheck", _("Purchasing check")),
        Section("blok-4", _block_title(Block.QUALITY), 4),
        Section("blok-5", _block_title(Block.OUTCOMES), 5),
        Section("zelfevaluatie", _("Self-assessment")),
        Section("blok-6", _block_title(Block.IMPROVEMENT), 6),
    ]
    if annex:
        sections.append(Section("wijkbijlage", _("Annex: the districts")))
    return sections


def _summary(
    data: CycleData, counts: dict, assessment: dict | None, district: bool = False
) -> list[tuple[str, str]]:
    """The key figures at the top of the report."""
    results = len(data.results)
    # A result without a fixed direction is never on track or off it (DOMAIN-REVIEW M1): it is
    # left out of the count, and the label says so.
    judged = results - counts[Track.NO_DIRECTION]
    return [
        (_("Ambitions"), numbers.count(len(data.ambitions))),
        (_("Societal results"), numbers.count(results)),
        (
            _("Results on track")
            if judged == results
            else _("Results on track (of those with a fixed direction)"),
            _("%(on)s of %(all)s")
            % {"on": numbers.count(counts[Track.ON_TRACK]), "all": numbers.count(judged)},
        ),
        (_("Offering"), numbers.count(len(data.offerings))),
        (_("Improvement actions"), numbers.count(len(data.actions))),
        (
            _("Overall realisation (self-assessment)"),
            _("made for the municipality as a whole")
            if district
            else _("not submitted")
            if not assessment
            else assessment.get("overall", _("cannot be read")),
        ),
    ]


def _missing(cycle: Cycle) -> list[tuple[str, str]]:
    """What is still missing per step (compass.services.missing_items).

    A district cycle leaves out its shared steps (the ambitions): what is missing there is the
    municipality's to fill in, and its own report says so.
    """
    step_labels = dict(Step.choices)
    skipped = shared_steps() if cycle.district_id else set()
    return [
        (step_labels[step], text)
        for step, texts in services.missing_items(cycle).items()
        if step not in skipped
        for text in texts
    ]


def _district(cycle: Cycle) -> dict | None:
    """What a district cycle's report says about its place: the district, its municipality,
    and that the ambitions and results are the municipal cycle's (shared, read-only here)."""
    if not cycle.district_id:
        return None
    district = cycle.district
    return {
        "name": district.name,
        "code": district.code,
        "municipality": cycle.municipality.name,
        "label": place_label(cycle),
        "population": numbers.decimal(district.population),
        "youth_population": numbers.decimal(district.youth_population),
        "parent_year": cycle.year,
    }


def _title(cycle: Cycle) -> str:
    if cycle.district_id:
        return _("Annual cycle %(year)s of district %(district)s (%(code)s), %(municipality)s") % {
            "year": cycle.year,
            "district": cycle.district.name,
            "code": cycle.district.code,
            "municipality": cycle.municipality.name,
        }
    return _("Annual cycle %(year)s of %(name)s") % {
        "year": cycle.year,
        "name": cycle.municipality.name,
    }


def build_cycle_report(cycle: Cycle, reader=None, annex: bool = False) -> CycleReport:
    """Read the cycle (a constant number of queries) into the report's context.

    ``reader``: the user who reads it; the anonymous benchmark leaves out what that user knows
    (None: a member of this municipality only). ``annex``: append the district annex (a
    municipal cycle only; a constant number of queries whatever the number of districts).

    A district cycle's report names its district and municipality, says its ambitions and
    results are the municipality's, and shows no municipal figure as the district's: no
    prevalence estimate from the municipality's population and no municipal self-assessment.
    """
    municipality = cycle.municipality
    data = read_cycle(cycle)
    ambitions, counts = rows.ambition_rows(data.ambitions, data.results, data.offerings)
    offerings, evidence_counts = rows.offering_rows(data.offerings)
    without_offering, without_result = rows.coverage(data.results, data.offerings)
    assessment = None if cycle.district_id else assessment_section(cycle, data.assessment, reader)
    annex_rows = district_annex(cycle) if annex and not cycle.district_id else None
    return CycleReport(
        cycle=cycle,
        municipality_name=municipality.name,
        title=_title(cycle),
        subtitle=_("Quality compass for child abuse and domestic violence"),
        status=cycle.get_status_display(),
        as_of=_as_of(cycle, data.progress, data.assessment),
        policy_period=f"{cycle.policy_start_year}–{cycle.policy_end_year}",
        sections=_sections(annex=bool(annex_rows is not None)),
        summary=_summary(data, counts, assessment, district=cycle.is_district),
        missing=_missing(cycle),
        participants=data.reading.participants if data.reading else "",
        figures=rows.figure_rows(data.figures),
        has_provisional_figures=any(f.provisional for f in data.figures),
        reading=rows.reading_rows(data.reading),
        reading_more=rows.reading_more(data.reading),
        theory_of_change=data.theory_of_change,
        signals=data.reading.signals if data.reading else "",
        # The rates count children 0-17 and people 16+; CBS counts a district's children 0-14
        # only, so a district gets no estimate rather than the municipality's (template note).
        estimates=[] if cycle.district_id else rows.estimate_rows(municipality),
        target_groups=rows.target_group_rows(data.target_groups),
        ambitions=ambitions,
        track_counts=[(track_label(t), counts[t]) for t in Track if counts[t]],
        offerings=offerings,
        evidence_counts=evidence_counts,
        results_without_offering=without_offering,
        offerings_without_result=without_result,
        quality=rows.quality_rows(data.offerings),
        quality_questions=rows.quality_questions(),
        outcomes=rows.outcome_rows(data.outcomes),
        assessment=assessment,
        actions=rows.action_rows(data.actions),
        purchasing=purchasing.check_for(cycle),
        district=_district(cycle),
        annex=annex_rows,
    )
