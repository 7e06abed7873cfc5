"""The tables of one annual cycle, for CSV and the XLSX workbook.

One `Table` per part of the cycle, with column headers in the active language (Dutch by
default; the headers are the models' translated field names), choice labels instead of codes,
and numbers as numbers. Every table is one or a few queries whatever the number of rows, so the
whole workbook costs a constant number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.choices import Aspect, Band
from compass import numbers, periods
from compass.models import (
    Ambition,
    Answer,
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
    TargetGroup,
)
from exports.tabular import Table


def label(model, name: str) -> str:
    """The translated, capitalised verbose name of a model field: a column header."""
    return str(capfirst(model._meta.get_field(name).verbose_name))


def _join(names) -> str:
    return "; ".join(names)


# --- One builder per table ------------------------------------------------------------------


def figures(cycle: Cycle) -> list:
    fields = ["label", "indicator", "period", "value", "source", "provisional"]
    rows = [
        [
            f.label,
            f.indicator.name if f.indicator else None,
            periods.label(f.period),
            f.value,
            f.source,
        ]
        + [f.provisional]
        for f in SituationFigure.objects.filter(cycle=cycle).select_related("indicator")
    ]
    return [label(SituationFigure, n) for n in fields], rows


READING_FIELDS = ["recognise", "explain", "appraise", "improve", "signals", "participants"]


def reading(cycle: Cycle) -> list:
    found = SituationReading.objects.filter(cycle=cycle).first()
    rows = [
        [label(SituationReading, name), getattr(found, name) if found else ""]
        for name in READING_FIELDS
    ]
    return [_("Question"), _("Answer")], rows


def ambitions(cycle: Cycle) -> list:
    fields = ["kind", "text", "risk_factors", "protective_factors"]
    rows = [
        [a.get_kind_display(), a.text, a.risk_factors, a.protective_factors]
        for a in Ambition.objects.filter(cycle=cycle)
    ]
    return [label(Ambition, n) for n in fields], rows


RESULT_FIELDS = [
    "ambition",
    "type",
    "text",
    "indicator",
    "baseline_value",
    "baseline_year",
    "target_value",
    "target_year",
    "unit",
    "direction",
]


def results(cycle: Cycle) -> list:
    rows = [
        [
            r.ambition.text,
            r.get_type_display(),
            r.text,
            r.indicator.name if r.indicator else None,
            r.baseline_value,
            r.baseline_year,
            r.target_value,
            r.target_year,
            r.unit,
            r.get_direction_display(),
        ]
        for r in Result.objects.filter(cycle=cycle).select_related("ambition", "indicator")
    ]
    return [label(Result, n) for n in RESULT_FIELDS], rows


def result_values(cycle: Cycle) -> list:
    rows = [
        [v.result.text, v.year, v.value]
        for v in ResultValue.objects.filter(cycle=cycle)
        .select_related("result")
        .order_by("result_id", "year", "pk")
    ]
    return [label(ResultValue, n) for n in ("result", "year", "value")], rows


def target_groups(cycle: Cycle) -> list:
    fields = ["name", "risk_factors", "estimated_size"]
    rows = [
        [g.name, g.risk_factors, g.estimated_size] for g in TargetGroup.objects.filter(cycle=cycle)
    ]
    return [label(TargetGroup, n) for n in fields], rows


OFFERING_FIELDS = [
    "name",
    "kind",
    "provider",
    "target_groups",
    "results",
    "evidence_level",
    "databank_url",
    "valid_until",
    "capacity",
]


def offerings(cycle: Cycle) -> list:
    queryset = Offering.objects.filter(cycle=cycle).prefetch_related(
        Prefetch("target_groups", queryset=TargetGroup.objects.order_by("pk")),
        Prefetch("results", queryset=Result.objects.order_by("pk")),
    )
    rows = [
        [
            o.name,
            o.get_kind_display(),
            o.provider,
            _join(g.name for g in o.target_groups.all()),
            _join(r.text for r in o.results.all()),
            o.get_evidence_level_display(),
            o.databank_url,
            o.valid_until,
            o.capacity,
        ]
        for o in queryset
    ]
    return [label(Offering, n) for n in OFFERING_FIELDS], rows


QUALITY_FIELDS = ["offering", "well_founded", "trained", "registered", "supervised"]
QUALITY_FIELDS += ["guidelines", "notes"]


def quality(cycle: Cycle) -> list:
    rows = [
        [q.offering.name]
        + [getattr(q, f"get_{name}_display")() for name in QUALITY_FIELDS[1:-1]]
        + [q.notes]
        for q in QualityCheck.objects.filter(cycle=cycle).select_related("offering")
    ]
    return [label(QualityCheck, n) for n in QUALITY_FIELDS], rows


OUTCOME_FIELDS = [
    "offering",
    "reach",
    "dropout",
    "usefulness",
    "goal_realisation",
    "improvement_suggestions",
    "respondents",
    "method",
    "story",
]


def outcomes(cycle: Cycle) -> list:
    rows = [
        [o.offering.name] + [getattr(o, name) for name in OUTCOME_FIELDS[1:]]
        for o in OutcomeMeasurement.objects.filter(cycle=cycle).select_related("offering")
    ]
    return [label(OutcomeMeasurement, n) for n in OUTCOME_FIELDS], rows


ACTION_FIELDS = ["what", "who", "due", "status", "decision", "result", "offering"]


def actions(cycle: Cycle) -> list:
    rows = [
        [
            a.what,
            a.who,
            a.due,
            a.get_status_display(),
            a.get_decision_display(),
            a.result.text if a.result else None,
            a.offering.name if a.offering else None,
        ]
        for a in ImprovementAction.objects.filter(cycle=cycle).select_related("result", "offering")
    ]
    return [label(ImprovementAction, n) for n in ACTION_FIELDS], rows


def _measure_titles(assessment: SelfAssessment) -> dict[str, str]:
    if assessment.snapshot:
        from questionnaire.assessment import read_result

        return dict(read_result(assessment).labels["measures"])
    from cms.snippets import Measure

    return dict(
        Measure.objects.filter(theme__measure_set_id=assessment.measure_set_id).values_list(
            "code", "title"
        )
    )


def answers(cycle: Cycle) -> list:
    """The answers of the newest version of the self-assessment (open or submitted)."""
    headers = [
        label(SelfAssessment, "version"),
        label(SelfAssessment, "status"),
        label(Answer, "measure_code"),
        _("Measure"),
        label(Answer, "aspect"),
        label(Answer, "value"),
        label(Answer, "note"),
    ]
    assessment = cycle.self_assessments.order_by("-version").first()
    if assessment is None:
        return headers, []
    titles = _measure_titles(assessment)
    aspects = dict(Aspect.choices)
    rows = [
        [
            assessment.version,
            assessment.get_status_display(),
            a.measure_code,
            titles.get(a.measure_code, ""),
            str(aspects.get(a.aspect, a.aspect)),
            a.get_value_display(),
            a.note,
        ]
        for a in assessment.answers.order_by("measure_code", "aspect")
    ]
    return headers, rows


def scores(cycle: Cycle) -> list:
    """Realisation overall, per theme and per measure of the newest submitted version."""
    headers = [
        label(SelfAssessment, "version"),
        _("Level"),
        _("Code"),
        _("Title"),
        _("Realisation (%)"),
        _("Band"),
    ]
    assessment = (
        cycle.self_assessments.filter(status=SelfAssessment.Status.SUBMITTED)
        .order_by("-version")
        .first()
    )
    if assessment is None or not assessment.snapshot:
        return headers, []
    from questionnaire.assessment import read_result

    stored = read_result(assessment)
    if not stored.readable:
        return headers, []
    result, labels = stored.result, stored.labels
    bands = dict(Band.choices)

    def band(value):
        return str(bands[value]) if value else ""

    def pct(value):
        return numbers.round_half_up(value, 1)

    v = assessment.version
    rows = [[v, _("Overall"), "", labels.get("name", ""), pct(result.overall)]]
    rows[0].append(band(result.overall_band))
    for t in result.themes:
        title = labels.get("themes", {}).get(t.code, "")
        rows.append([v, _("Theme"), t.code, title, pct(t.realisation), band(t.band)])
    for m in result.measures:
        title = labels.get("measures", {}).get(m.code, "")
        rows.append([v, _("Measure"), m.code, title, pct(m.realisation), band(m.band)])
    return headers, rows


# --- The list of tables ---------------------------------------------------------------------


@dataclass(frozen=True)
class TableDef:
    slug: str  # Dutch, in URLs and file names whatever the language
    title: str  # lazy: the sheet name
    description: str  # lazy: one line on the downloads page
    build: Callable[[Cycle], tuple]

    def table(self, cycle: Cycle) -> Table:
        headers, rows = self.build(cycle)
        return Table(str(self.title), headers, rows)


TABLES: dict[str, TableDef] = {
    t.slug: t
    for t in [
        TableDef(
            "situatie-cijfers",
            gettext_lazy("Figures"),
            gettext_lazy("The figures about the situation, with period, value and source."),
            figures,
        ),
        TableDef(
            "bespreking",
            gettext_lazy("Reading of the figures"),
            gettext_lazy("How the team discussed the figures: the four questions and signals."),
            reading,
        ),
        TableDef(
            "ambities",
            gettext_lazy("Ambitions"),
            gettext_lazy("The ambitions with their risk and protective factors."),
            ambitions,
        ),
        TableDef(
            "resultaten",
            gettext_lazy("Results"),
            gettext_lazy("The societal results: baseline, target value and target year."),
            results,
        ),
        TableDef(
            "resultaatwaarden",
            gettext_lazy("Result values"),
            gettext_lazy("The measured values of the results per year."),
            result_values,
        ),
        TableDef(
            "doelgroepen",
            gettext_lazy("Target groups"),
            gettext_lazy("The target groups with their risk factors and estimated size."),
            target_groups,
        ),
        TableDef(
            "aanbod",
            gettext_lazy("Offering"),
            gettext_lazy("The offering with target groups, results and evidence level."),
            offerings,
        ),
        TableDef(
            "kwaliteit",
            gettext_lazy("Quality"),
            gettext_lazy("The quality questions per offering."),
            quality,
        ),
        TableDef(
            "uitkomsten",
            gettext_lazy("Outcomes"),
            gettext_lazy("Reach, dropout, usefulness and goals reached per offering."),
            outcomes,
        ),
        TableDef(
            "verbeterplan",
            gettext_lazy("Improvement plan"),
            gettext_lazy("The improvement actions: what, who, when and the decision."),
            actions,
        ),
        TableDef(
            "zelfevaluatie",
            gettext_lazy("Self-assessment"),
            gettext_lazy("The answers of the newest version of the self-assessment."),
            answers,
        ),
        TableDef(
            "zelfevaluatie-scores",
            gettext_lazy("Self-assessment scores"),
            gettext_lazy("Realisation per measure and theme of the newest submitted version."),
            scores,
        ),
    ]
}


def all_tables(cycle: Cycle) -> list[Table]:
    return [definition.table(cycle) for definition in TABLES.values()]


def file_name(cycle: Cycle, part: str, extension: str) -> str:
    """A Dutch file name: kwaliteitskompas-utrecht-2026-aanbod.csv."""
    pieces = ["kwaliteitskompas", slugify(cycle.municipality.name), str(cycle.year)]
    if part:
        pieces.append(part)
    return "-".join(pieces) + "." + extension
