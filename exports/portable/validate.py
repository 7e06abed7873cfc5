"""Validation: a parsed file -> a checked `Plan` of unsaved instances, or every problem at once.

One function per part of the cycle; each adds its problems (with where) to the same list and
returns what it built. Nothing is written here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cms.snippets import Indicator
from compass.models import (
    Ambition,
    BlockProgress,
    Cycle,
    ImprovementAction,
    Municipality,
    Offering,
    OutcomeMeasurement,
    QualityCheck,
    Result,
    ResultValue,
    SituationFigure,
    SituationReading,
    TargetGroup,
)
from exports.portable.assessments import validate_assessments
from exports.portable.format import (
    ACTION_FIELDS,
    AMBITION_FIELDS,
    CYCLE_FIELDS,
    FIGURE_FIELDS,
    GROUP_FIELDS,
    OFFERING_FIELDS,
    OUTCOME_FIELDS,
    PARTS,
    QUALITY_FIELDS,
    READING_FIELDS,
    RESULT_FIELDS,
    TOP_LEVEL,
    VALUE_FIELDS,
    source_of,
)
from exports.portable.items import build, list_of, ref
from exports.portable.problems import Problems, field_label, where


@dataclass
class Plan:
    """Everything of the file, checked and ready to write (unsaved instances, keyed links)."""

    cycle: Cycle
    moved_period: bool
    steps: list
    reading: SituationReading | None
    figures: list
    ambitions: list
    results: list  # (Result, ambition key)
    values: list  # (ResultValue, result key)
    groups: list
    offerings: list  # (Offering, [group keys], [result keys])
    quality: list  # (QualityCheck, offering key)
    outcomes: list
    actions: list  # (ImprovementAction, result key, offering key)
    assessments: list  # (SelfAssessment, [Answer])
    made_draft: bool = False  # "active" in the file, but the municipality has an active cycle


@dataclass
class Keys:
    """The local keys of the file seen so far, per part: {key: unsaved instance}."""

    ambitions: dict = field(default_factory=dict)
    results: dict = field(default_factory=dict)
    target_groups: dict = field(default_factory=dict)
    offerings: dict = field(default_factory=dict)


def validate(data: dict, municipality: Municipality, year: int) -> Plan:
    """Check everything in the file against the target; raise ImportRefused with all problems."""
    problems = Problems()
    body = data["cycle"]
    for key in sorted(set(data) - TOP_LEVEL):
        problems.add("", _("unknown field '%(name)s'") % {"name": key})
    cycle, moved = _cycle(body, data, municipality, year, problems)

    def part(name):
        return list_of(body, name, where(Cycle), problems)

    steps = _steps(part("steps"), problems)
    reading = None
    if body.get("reading") is not None:
        reading = build(
            SituationReading, body["reading"], READING_FIELDS, where(SituationReading), problems
        )
    figures_raw, results_raw = part("figures"), part("results")
    indicators = _Indicators(figures_raw + results_raw, problems)
    figures = _figures(figures_raw, indicators, problems)
    keys = Keys()
    keys.ambitions, ambitions = _keyed_list(part("ambitions"), Ambition, AMBITION_FIELDS, problems)
    results, values = _results(results_raw, keys, indicators, problems)
    keys.target_groups, groups = _keyed_list(
        part("target_groups"), TargetGroup, GROUP_FIELDS, problems
    )
    offerings = _offerings(part("offerings"), keys, problems)
    quality = _quality_checks(part("quality_checks"), keys, problems)
    outcomes = _outcomes(part("outcomes"), keys, problems)
    actions = _actions(part("actions"), keys, problems)
    assessments = validate_assessments(part("self_assessments"), problems)
    problems.raise_if_any()
    return Plan(
        cycle=cycle,
        moved_period=moved,
        steps=steps,
        reading=reading,
        figures=figures,
        ambitions=[instance for instance, _raw in ambitions],
        results=results,
        values=values,
        groups=[instance for instance, _raw in groups],
        offerings=offerings,
        quality=quality,
        outcomes=outcomes,
        actions=actions,
        assessments=assessments,
    )


def _cycle(body, data, municipality, year, problems):
    """The cycle's own fields; its policy period moved to include the target year if needed."""
    cycle = build(
        Cycle,
        {k: v for k, v in body.items() if k in CYCLE_FIELDS},
        CYCLE_FIELDS,
        where(Cycle),
        problems,
        clean=False,
    )
    for key in sorted(set(body) - set(CYCLE_FIELDS) - set(PARTS)):
        problems.add(where(Cycle), _("unknown field '%(name)s'") % {"name": key})
    moved = False
    if cycle is None:
        return None, moved
    cycle.municipality = municipality
    cycle.year = year
    start, end = cycle.policy_start_year, cycle.policy_end_year
    if isinstance(start, int) and isinstance(end, int) and not start <= year <= end:
        # Keep the period's length, move it so it includes the target year.
        source_year = source_of(data).get("year")
        shift = year - source_year if isinstance(source_year, int) else year - start
        cycle.policy_start_year, cycle.policy_end_year = start + shift, end + shift
        if not cycle.policy_start_year <= year <= cycle.policy_end_year:
            cycle.policy_start_year, cycle.policy_end_year = year, year + (end - start)
        moved = True
    try:
        cycle.full_clean(exclude=["previous", "created_by"], validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                problems.add(f"{where(Cycle)}: {field_label(Cycle, name)}", message)
    return cycle, moved


def _steps(items, problems) -> list:
    steps, seen = [], set()
    for index, raw in enumerate(items, 1):
        here = where(BlockProgress, index)
        progress = build(BlockProgress, raw, ["step", "status"], here, problems)
        if progress is None:
            continue
        if progress.step in seen:
            problems.add(here, _("the step '%(step)s' is listed twice") % {"step": progress.step})
            continue
        seen.add(progress.step)
        steps.append(progress)
    return steps


class _Indicators:
    """The indicators the file names, by code (one query)."""

    def __init__(self, items, problems):
        codes = {
            item.get("indicator")
            for item in items
            if isinstance(item, dict) and isinstance(item.get("indicator"), str)
        }
        self.found = {i.code: i for i in Indicator.objects.filter(code__in=codes)} if codes else {}
        self.problems = problems

    def of(self, raw, here, model):
        code = raw.get("indicator") if isinstance(raw, dict) else None
        if code is None:
            return None
        if not isinstance(code, str) or code not in self.found:
            self.problems.add(
                f"{here}: {field_label(model, 'indicator')}",
                _("the indicator '%(code)s' does not exist") % {"code": code},
            )
            return None
        return self.found[code]


def _figures(items, indicators, problems) -> list:
    figures = []
    for index, raw in enumerate(items, 1):
        here = where(SituationFigure, index)
        figure = build(SituationFigure, raw, FIGURE_FIELDS, here, problems, extra=("indicator",))
        found = indicators.of(raw, here, SituationFigure)
        if figure is not None:
            figure.indicator = found
            figures.append(figure)
    return figures


def _keyed_list(items, model, fields, problems, extra=()):
    """Build keyed items; return ({key: instance}, [(instance, raw)])."""
    by_key, built = {}, []
    for index, raw in enumerate(items, 1):
        here = where(model, index)
        instance = build(model, raw, fields, here, problems, extra=("key", *extra))
        key = raw.get("key") if isinstance(raw, dict) else None
        if not isinstance(key, str) or not key:
            problems.add(here, _("has no key"))
            continue
        if key in by_key:
            problems.add(here, _("the key '%(key)s' is used twice") % {"key": key})
            continue
        by_key[key] = instance
        built.append((instance, raw))
    return by_key, built


def _results(items, keys: Keys, indicators, problems):
    """Results with their values; fills keys.results. Returns ([(result, ambition key)], values)."""
    results, values = [], []
    for index, raw in enumerate(items, 1):
        here = where(Result, index)
        result = build(
            Result,
            raw,
            RESULT_FIELDS,
            here,
            problems,
            extra=("key", "ambition", "indicator", "values"),
        )
        if not isinstance(raw, dict):
            continue
        key = raw.get("key")
        if not isinstance(key, str) or not key or key in keys.results:
            problems.add(here, _("has no key, or its key is used twice"))
            continue
        ambition_key = raw.get("ambition")
        ref(ambition_key, keys.ambitions, here, field_label(Result, "ambition"), problems)
        found = indicators.of(raw, here, Result)
        keys.results[key] = result
        if result is not None:
            result.indicator = found
            results.append((result, ambition_key))
        for number, value_raw in enumerate(list_of(raw, "values", here, problems), 1):
            value = build(
                ResultValue,
                value_raw,
                VALUE_FIELDS,
                f"{here}, {where(ResultValue, number)}",
                problems,
            )
            if value is not None:
                values.append((value, key))
    return results, values


def _offerings(items, keys: Keys, problems) -> list:
    """Offerings with their links; fills keys.offerings. [(offering, group keys, result keys)]."""
    keys.offerings, built = _keyed_list(
        items, Offering, OFFERING_FIELDS, problems, extra=("target_groups", "results")
    )
    offerings = []
    for index, (offering, raw) in enumerate(built, 1):
        here = where(Offering, index)
        links = {}
        for name, known in (("target_groups", keys.target_groups), ("results", keys.results)):
            linked = list_of(raw, name, here, problems)
            for key in linked:
                ref(key, known, here, field_label(Offering, name), problems)
            if len(set(map(str, linked))) != len(linked):
                problems.add(f"{here}: {field_label(Offering, name)}", _("lists an item twice"))
            links[name] = linked
        offerings.append((offering, links["target_groups"], links["results"]))
    return offerings


def _quality_checks(items, keys: Keys, problems) -> list:
    quality, checked = [], set()
    for index, raw in enumerate(items, 1):
        here = where(QualityCheck, index)
        check = build(QualityCheck, raw, QUALITY_FIELDS, here, problems, extra=("offering",))
        key = raw.get("offering") if isinstance(raw, dict) else None
        label = field_label(QualityCheck, "offering")
        if not isinstance(key, str) or key not in keys.offerings:
            ref(key, keys.offerings, here, label, problems)
            continue
        if key in checked:
            problems.add(f"{here}: {label}", _("this offering already has a quality check"))
            continue
        checked.add(key)
        if check is not None:
            quality.append((check, key))
    return quality


def _outcomes(items, keys: Keys, problems) -> list:
    outcomes = []
    for index, raw in enumerate(items, 1):
        here = where(OutcomeMeasurement, index)
        outcome = build(
            OutcomeMeasurement, raw, OUTCOME_FIELDS, here, problems, extra=("offering",)
        )
        key = raw.get("offering") if isinstance(raw, dict) else None
        ref(key, keys.offerings, here, field_label(OutcomeMeasurement, "offering"), problems)
        if outcome is not None:
            outcomes.append((outcome, key))
    return outcomes


def _actions(items, keys: Keys, problems) -> list:
    actions = []
    for index, raw in enumerate(items, 1):
        here = where(ImprovementAction, index)
        action = build(
            ImprovementAction,
            raw,
            ACTION_FIELDS,
            here,
            problems,
            extra=("result", "offering"),
        )
        if not isinstance(raw, dict):
            continue
        result_key, offering_key = raw.get("result"), raw.get("offering")
        label = field_label(ImprovementAction, "result")
        ref(result_key, keys.results, here, label, problems, required=False)
        label = field_label(ImprovementAction, "offering")
        ref(offering_key, keys.offerings, here, label, problems, required=False)
        if action is not None:
            actions.append((action, result_key, offering_key))
    return actions
