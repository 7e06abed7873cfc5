"""The parts of an annual cycle, each declared once, in the order of the steps.

The order matters: a part comes after every part it points at, so copy-forward, the JSON
import and the history can walk the list from top to bottom.
"""

from django.utils.translation import gettext_lazy as _

from cms.choices import LEGACY_EVIDENCE_LEVELS, LEGACY_YOUTH_DATABANK_LEVELS, Databank
from compass.models import (
    Ambition,
    ImprovementAction,
    Offering,
    OutcomeMeasurement,
    QualityCheck,
    Result,
    ResultValue,
    SituationFigure,
    SituationReading,
    Step,
    TargetGroup,
)
from compass.parts.base import PERIOD, Copy, Field, Part, ReportPlace


def _offering_of_an_older_file(raw: dict) -> dict:
    """An offering of a file written before the databank field (schema 1 and 2): its levels
    were those of the youth databank, so a youth level (or "niet erkend") keeps that databank;
    "goed beschreven" and "niet beoordeeld" leave it open (the data migration does the same)."""
    if isinstance(raw, dict) and "databank" not in raw:
        level = raw.get("evidence_level")
        youth = isinstance(level, str) and level in LEGACY_YOUTH_DATABANK_LEVELS
        raw = {**raw, "databank": Databank.YOUTH.value if youth else ""}
    return raw


DECLARATIONS = (
    Part(
        key="figures",
        model=SituationFigure,
        step=Step.SITUATION,
        order=1,
        title=_("Figures"),
        row_label=_("Figure"),
        fields=(
            Field("label"),
            Field("indicator"),
            Field("period", PERIOD),
            Field("value"),
            Field("source"),
            Field("provisional"),
        ),
        table="situatie-cijfers",
        report=ReportPlace("situation", ("label", "period", "value", "source", "provisional")),
    ),
    Part(
        key="reading",
        model=SituationReading,
        step=Step.SITUATION,
        order=2,
        title=_("How we read the figures"),
        row_label=_("Reading of the figures"),
        fields=(
            Field("recognise"),
            Field("explain"),
            Field("appraise"),
            Field("improve"),
            Field("signals"),
            Field("participants"),
        ),
        single=True,
        max_rows=1,
        table="bespreking",
        report=ReportPlace(
            "situation", ("recognise", "explain", "appraise", "improve", "signals", "participants")
        ),
    ),
    Part(
        key="ambitions",
        model=Ambition,
        step=Step.AMBITIONS,
        order=1,
        title=_("Ambitions"),
        row_label=_("Ambition"),
        fields=(
            Field("kind"),
            Field("text"),
            Field("risk_factors"),
            Field("protective_factors"),
        ),
        copy=Copy.ALL,
        key_prefix="ambitie",
        table="ambities",
        report=ReportPlace("ambitions", ("kind", "text", "risk_factors", "protective_factors")),
    ),
    Part(
        key="results",
        model=Result,
        step=Step.AMBITIONS,
        order=2,
        title=_("Societal results"),
        row_label=_("Result"),
        fields=(
            Field("ambition", ref="ambitions"),
            Field("type"),
            Field("text"),
            Field("indicator"),
            Field("baseline_value"),
            Field("baseline_year"),
            Field("target_value"),
            Field("target_year"),
            Field("unit"),
            Field("direction"),
        ),
        copy=Copy.ALL,
        key_prefix="resultaat",
        table="resultaten",
        report=ReportPlace(
            "ambitions",
            (
                "type",
                "text",
                "baseline_value",
                "baseline_year",
                "target_value",
                "target_year",
                "unit",
                "direction",
            ),
        ),
    ),
    Part(
        key="values",
        model=ResultValue,
        step=Step.AMBITIONS,
        order=3,
        title=_("Measured values per year"),
        row_label=_("Value"),
        fields=(Field("result", ref="results"), Field("year"), Field("value")),
        json_key="values",
        nested_in="results",
        table="resultaatwaarden",
        report=ReportPlace("ambitions", ("year", "value")),
    ),
    Part(
        key="target_groups",
        model=TargetGroup,
        step=Step.TARGET_GROUPS,
        order=1,
        title=_("Target groups"),
        row_label=_("Target group"),
        fields=(Field("name"), Field("risk_factors"), Field("estimated_size")),
        copy=Copy.ALL,
        key_prefix="doelgroep",
        table="doelgroepen",
        report=ReportPlace("target_groups", ("name", "risk_factors", "estimated_size")),
    ),
    Part(
        key="offerings",
        model=Offering,
        step=Step.OFFERING,
        order=1,
        title=_("Offering"),
        row_label=_("Offering"),
        fields=(
            Field("name"),
            Field("kind"),
            Field("provider"),
            Field("target_groups", ref="target_groups"),
            Field("results", ref="results"),
            Field("evidence_level", legacy=LEGACY_EVIDENCE_LEVELS),
            Field("databank"),
            Field("databank_url"),
            Field("valid_until"),
            Field("capacity"),
        ),
        copy=Copy.ALL,
        upgrade=_offering_of_an_older_file,
        key_prefix="aanbod",
        table="aanbod",
        report=ReportPlace(
            "offering",
            (
                "name",
                "kind",
                "provider",
                "target_groups",
                "evidence_level",
                "databank",
                "valid_until",
                "capacity",
            ),
        ),
    ),
    Part(
        key="quality",
        model=QualityCheck,
        step=Step.QUALITY,
        order=1,
        title=_("Quality per offering"),
        row_label=_("Quality check"),
        fields=(
            Field("offering", ref="offerings"),
            Field("well_founded"),
            Field("trained"),
            Field("registered"),
            Field("supervised"),
            Field("guidelines"),
            Field("notes"),
        ),
        json_key="quality_checks",
        unique_reference="offering",
        table="kwaliteit",
        report=ReportPlace(
            "quality",
            (
                "offering",
                "well_founded",
                "trained",
                "registered",
                "supervised",
                "guidelines",
                "notes",
            ),
        ),
    ),
    Part(
        key="outcomes",
        model=OutcomeMeasurement,
        step=Step.OUTCOMES,
        order=1,
        title=_("Outcomes per offering"),
        row_label=_("Outcome"),
        fields=(
            Field("offering", ref="offerings"),
            Field("reach"),
            Field("dropout"),
            Field("usefulness"),
            Field("goal_realisation"),
            Field("improvement_suggestions"),
            Field("respondents"),
            Field("method"),
            Field("story"),
        ),
        table="uitkomsten",
        report=ReportPlace(
            "outcomes",
            (
                "offering",
                "reach",
                "dropout",
                "usefulness",
                "goal_realisation",
                "respondents",
                "method",
                "story",
                "improvement_suggestions",
            ),
        ),
    ),
    Part(
        key="actions",
        model=ImprovementAction,
        step=Step.IMPROVEMENT,
        order=1,
        title=_("Improvement actions"),
        row_label=_("Action"),
        fields=(
            Field("what"),
            Field("who"),
            Field("due"),
            Field("status"),
            Field("decision"),
            Field("result", ref="results"),
            Field("offering", ref="offerings"),
        ),
        copy=Copy.OPEN,
        table="verbeterplan",
        report=ReportPlace(
            "improvement", ("what", "who", "due", "decision", "status", "result", "offering")
        ),
    ),
)
