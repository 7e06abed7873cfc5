"""Import: check the whole file, then write it as a new cycle in one transaction."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from compass import services
from compass.models import (
    Ambition,
    Answer,
    BlockProgress,
    ChangeRecord,
    Cycle,
    ImprovementAction,
    Municipality,
    Offering,
    OutcomeMeasurement,
    QualityCheck,
    Result,
    ResultValue,
    SelfAssessment,
    SituationFigure,
    Step,
    TargetGroup,
)
from exports.portable.format import source_of
from exports.portable.problems import ImportRefused
from exports.portable.validate import Plan, validate


def import_cycle(data: dict, municipality: Municipality, year: int, user=None):
    """Check the file, then write it as a new cycle in one transaction; return (cycle, plan)."""
    if not municipality.is_active:
        raise ImportRefused([_("A merged municipality cannot start a new annual cycle.")])
    exists = _("%(municipality)s already has an annual cycle for %(year)s.") % {
        "municipality": municipality,
        "year": year,
    }
    if Cycle.objects.filter(municipality=municipality, year=year).exists():
        raise ImportRefused([exists], field="year")
    plan = validate(data, municipality, year)
    try:
        with transaction.atomic():
            cycle = _write(plan, data, municipality, year, user)
    except IntegrityError:
        # Two people importing or starting the same cycle at once.
        raise ImportRefused([exists], field="year") from None
    return cycle, plan


def _write(plan: Plan, data, municipality, year, user) -> Cycle:
    cycle = plan.cycle
    cycle.previous = (
        Cycle.objects.filter(municipality=municipality, year__lt=year).order_by("-year").first()
    )
    cycle.created_by = user
    plan.made_draft = services.settle_status(cycle)
    cycle.save()

    def own(items):
        for item in items:
            item.cycle = cycle
        return items

    BlockProgress.objects.bulk_create(own(plan.steps))
    if plan.reading is not None:
        plan.reading.cycle = cycle
        plan.reading.save()
    SituationFigure.objects.bulk_create(own(plan.figures))
    Ambition.objects.bulk_create(own(plan.ambitions))
    ambitions = dict(zip(_keys(data, "ambitions"), plan.ambitions, strict=True))
    for result, ambition_key in plan.results:
        result.ambition = ambitions[ambition_key]
    Result.objects.bulk_create(own([r for r, _k in plan.results]))
    results = {
        raw["key"]: result
        for raw, (result, _k) in zip(data["cycle"].get("results") or [], plan.results, strict=True)
    }
    for value, result_key in plan.values:
        value.result = results[result_key]
    ResultValue.objects.bulk_create(own([v for v, _k in plan.values]))
    TargetGroup.objects.bulk_create(own(plan.groups))
    groups = dict(zip(_keys(data, "target_groups"), plan.groups, strict=True))
    Offering.objects.bulk_create(own([o for o, _g, _r in plan.offerings]))
    offerings = dict(
        zip(_keys(data, "offerings"), [o for o, _g, _r in plan.offerings], strict=True)
    )
    Offering.target_groups.through.objects.bulk_create(
        Offering.target_groups.through(offering_id=o.pk, targetgroup_id=groups[key].pk)
        for o, keys, _r in plan.offerings
        for key in keys
    )
    Offering.results.through.objects.bulk_create(
        Offering.results.through(offering_id=o.pk, result_id=results[key].pk)
        for o, _g, keys in plan.offerings
        for key in keys
    )
    for check, key in plan.quality:
        check.offering = offerings[key]
    QualityCheck.objects.bulk_create(own([q for q, _k in plan.quality]))
    for outcome, key in plan.outcomes:
        outcome.offering = offerings[key]
    OutcomeMeasurement.objects.bulk_create(own([o for o, _k in plan.outcomes]))
    for action, result_key, offering_key in plan.actions:
        action.result = results.get(result_key) if result_key else None
        action.offering = offerings.get(offering_key) if offering_key else None
    ImprovementAction.objects.bulk_create(own([a for a, _r, _o in plan.actions]))
    SelfAssessment.objects.bulk_create(own([s for s, _a in plan.assessments]))
    answers = []
    for assessment, items in plan.assessments:
        for answer in items:
            answer.assessment = assessment
            answers.append(answer)
    Answer.objects.bulk_create(answers)
    source = source_of(data)
    origin = " ".join(
        str(source[k]) for k in ("municipality_name", "year", "municipality_code") if k in source
    )
    ChangeRecord.objects.bulk_create(
        ChangeRecord(
            cycle=cycle,
            step=step,
            user=user,
            item=_("Imported from a JSON export"),
            field=_("whole step"),
            new=origin[:300],
        )
        for step in Step.values
    )
    return cycle


def _keys(data, part) -> list[str]:
    return [raw["key"] for raw in data["cycle"].get(part) or []]
