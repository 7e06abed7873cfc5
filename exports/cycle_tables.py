"""The tables of one annual cycle, for CSV and the XLSX workbook.

One `Table` per part of the cycle that the registry of cycle parts (`compass.parts`) gives a
table, with the part's declared columns: headers in the active language (Dutch by default; the
models' translated field names), choice labels instead of codes, linked rows by their text and
numbers as numbers. A field added to a part's declaration is a new column without a change
here. Every table is one or a few queries whatever the number of rows, so the
whole workbook costs a constant number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.choices import Aspect, Band
from compass import numbers, parts
from compass.models import Answer, Cycle, SelfAssessment, answer_label
from exports.naming import place_slug
from exports.tabular import Table


def label(model, name: str) -> str:
    """The translated, capitalised verbose name of a model field: a column header."""
    return str(capfirst(model._meta.get_field(name).verbose_name))


# --- The tables of the registry's parts -----------------------------------------------------


def _rows_of(part, cycle: Cycle):
    """The part's rows in the order they were made, links read with them (one query each)."""
    return rows_of_cycles(part, cycle=cycle)


def rows_of_cycles(part, order_first=(), **filters):
    """The part's rows of the cycles `filters` selects (``cycle=...`` or ``cycle__in=...``),
    links read with them: one query per part and per many-link, whatever the number of cycles
    (the district sheets of exports.district_tables read every district at once)."""
    order = [*order_first, "pk"]
    if part.nested_in:  # a result's values: grouped under their result, as in the JSON file
        order = [*order_first] + [f.attname for f in part.links if f.ref == part.nested_in]
        order.append("pk")
    queryset = part.model.objects.filter(**filters).order_by(*order)
    select = [f.name for f in part.links if f.kind != parts.REFERENCES]
    if select:
        queryset = queryset.select_related(*select)
    for item in part.links:
        if item.kind == parts.REFERENCES:
            related = item.model_field.related_model
            queryset = queryset.prefetch_related(
                Prefetch(item.name, queryset=related.objects.order_by("pk"))
            )
    return queryset


def part_table(part, cycle: Cycle) -> tuple[list, list]:
    """A part's table: its declared columns (compass.parts) and one row per item.

    A single part (the reading of the figures) is one question per row instead.
    """
    if part.single:
        found = _rows_of(part, cycle).first()
        rows = [[column.header, column.value(found) if found else ""] for column in part.columns()]
        return [_("Question"), _("Answer")], rows
    return part.headers(), [part.row(obj) for obj in _rows_of(part, cycle)]


def _part_builder(key: str) -> Callable[[Cycle], tuple]:
    def build(cycle: Cycle) -> tuple:
        return part_table(parts.get(key), cycle)

    return build


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
            answer_label(a.aspect, a.value),
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


def purchasing_outcome(cycle: Cycle) -> list:
    """The purchasing check's outcome per kind of help (compass.purchasing, issue 23).

    The inputs are the registry's tables (inkoopcheck, inkoop-hulpsoorten); this is what the
    check makes of them, as the page and the report show it: the demand, the places and the
    verdict. Empty when the check cannot be computed (no set, no expected number).
    """
    from compass import purchasing

    headers = [
        _("Kind of help"),
        _("Demand (families)"),
        _("Places"),
        _("Verdict"),
        _("Shortfall (families)"),
        _("Over-supply (places)"),
        _("Offering, places and evidence level"),
        _("Fitting evidence levels"),
        _("Set of family profiles"),
    ]
    check = purchasing.check_for(cycle)
    if check.problem or check.expected is None:
        return headers, []
    verdicts = {
        purchasing.GAP: _("Gap"),
        purchasing.OVER: _("Over-supply"),
        purchasing.FITS: _("Fits"),
        purchasing.UNKNOWN: _("Places unknown"),
    }
    rows = []
    for line in check.lines:
        offered = "; ".join(
            f"{p.offering}: {p.capacity if p.capacity is not None else _('places unknown')}, "
            f"{p.evidence_label or _('no evidence level')}"
            for p in line.provisions
        )
        verdict = str(verdicts[line.status])
        if line.evidence_gap:
            verdict += "; " + _("no offering with a fitting evidence level")
        rows.append(
            [
                line.name,
                line.demand,
                line.capacity,
                verdict,
                line.shortfall,
                line.surplus,
                offered or _("no offering"),
                ", ".join(line.fitting_labels),
                str(check.profile_set),
            ]
        )
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


# The sheet name and the line on the downloads page of each part's table; the table's slug
# and columns come from the registry. A part with a table but no entry here gets its title.
PART_TABLE_TEXTS = {
    "figures": (
        gettext_lazy("Figures"),
        gettext_lazy("The figures about the situation, with period, value and source."),
    ),
    "reading": (
        gettext_lazy("Reading of the figures"),
        gettext_lazy("How the team discussed the figures: the four questions and signals."),
    ),
    "ambitions": (
        gettext_lazy("Ambitions"),
        gettext_lazy("The ambitions with their risk and protective factors."),
    ),
    "results": (
        gettext_lazy("Results"),
        gettext_lazy("The societal results: baseline, target value and target year."),
    ),
    "values": (
        gettext_lazy("Result values"),
        gettext_lazy("The measured values of the results per year."),
    ),
    "target_groups": (
        gettext_lazy("Target groups"),
        gettext_lazy("The target groups with their risk factors and estimated size."),
    ),
    "offerings": (
        gettext_lazy("Offering"),
        gettext_lazy("The offering with target groups, results and evidence level."),
    ),
    "purchasing": (
        gettext_lazy("Purchasing check"),
        gettext_lazy(
            "The purchasing check's inputs: the set of family profiles and the expected number "
            "of reported families."
        ),
    ),
    "help_provisions": (
        gettext_lazy("Help per offering"),
        gettext_lazy("Which offering provides which kind of help, with its places."),
    ),
    "quality": (
        gettext_lazy("Quality"),
        gettext_lazy("The quality questions per offering."),
    ),
    "outcomes": (
        gettext_lazy("Outcomes"),
        gettext_lazy("Reach, dropout, usefulness and goals reached per offering."),
    ),
    "actions": (
        gettext_lazy("Improvement plan"),
        gettext_lazy("The improvement actions: what, who, when and the decision."),
    ),
}


def _tables() -> dict[str, TableDef]:
    """One table per part of the registry that declares one, then the self-assessment's."""
    found = []
    for part in parts.PARTS.values():
        if part.table:
            title, description = PART_TABLE_TEXTS.get(part.key, (part.title, ""))
            found.append(TableDef(part.table, title, description, _part_builder(part.key)))
    found += [
        TableDef(
            "inkoopcheck-uitkomst",
            gettext_lazy("Purchasing check outcome"),
            gettext_lazy(
                "Per kind of help: the expected demand, the places of the offering and the "
                "verdict (gap, over-supply)."
            ),
            purchasing_outcome,
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
    return {t.slug: t for t in found}


TABLES: dict[str, TableDef] = _tables()


def all_tables(cycle: Cycle) -> list[Table]:
    return [definition.table(cycle) for definition in TABLES.values()]


def file_name(cycle: Cycle, part: str, extension: str) -> str:
    """A Dutch file name: kwaliteitskompas-utrecht-2026-aanbod.csv; a district cycle's names its
    district too: kwaliteitskompas-utrecht-overvecht-2026-aanbod.csv (exports.naming)."""
    pieces = ["kwaliteitskompas", place_slug(cycle), str(cycle.year)]
    if part:
        pieces.append(part)
    return "-".join(pieces) + "." + extension
