"""Export: one cycle as JSON-ready data, in a constant number of queries."""

from __future__ import annotations

from datetime import UTC, datetime

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
    SituationFigure,
    SituationReading,
    TargetGroup,
)
from exports.portable.format import (
    ACTION_FIELDS,
    AMBITION_FIELDS,
    ANSWER_FIELDS,
    CYCLE_FIELDS,
    FIGURE_FIELDS,
    FORMAT,
    GROUP_FIELDS,
    KEY_PREFIX,
    OFFERING_FIELDS,
    OUTCOME_FIELDS,
    QUALITY_FIELDS,
    READING_FIELDS,
    RESULT_FIELDS,
    SCHEMA_VERSION,
    VALUE_FIELDS,
    json_value,
    key_order,
    plain,
)


def export_cycle(cycle: Cycle) -> dict:
    """Return the whole cycle as JSON-ready data (a constant number of queries)."""
    keys: dict[str, dict[int, str]] = {part: {} for part in KEY_PREFIX}

    def keyed(part, items):
        for number, item in enumerate(items, 1):
            keys[part][item.pk] = f"{KEY_PREFIX[part]}-{number}"

    ambitions = list(Ambition.objects.filter(cycle=cycle).order_by("pk"))
    keyed("ambitions", ambitions)
    results = list(Result.objects.filter(cycle=cycle).select_related("indicator").order_by("pk"))
    keyed("results", results)
    groups = list(TargetGroup.objects.filter(cycle=cycle).order_by("pk"))
    keyed("target_groups", groups)
    offerings = list(
        Offering.objects.filter(cycle=cycle)
        .order_by("pk")
        .prefetch_related("target_groups", "results")
    )
    keyed("offerings", offerings)
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": {
            "municipality_code": cycle.municipality.code,
            "municipality_name": cycle.municipality.name,
            "year": cycle.year,
        },
        "cycle": {
            **plain(cycle, CYCLE_FIELDS),
            "steps": _steps(cycle),
            "reading": _reading(cycle),
            "figures": _figures(cycle),
            "ambitions": [
                {"key": keys["ambitions"][a.pk], **plain(a, AMBITION_FIELDS)} for a in ambitions
            ],
            "results": _results(cycle, results, keys),
            "target_groups": [
                {"key": keys["target_groups"][g.pk], **plain(g, GROUP_FIELDS)} for g in groups
            ],
            "offerings": [_offering(o, keys) for o in offerings],
            "quality_checks": [
                {"offering": keys["offerings"][q.offering_id], **plain(q, QUALITY_FIELDS)}
                for q in QualityCheck.objects.filter(cycle=cycle).order_by("pk")
            ],
            "outcomes": [
                {"offering": keys["offerings"][o.offering_id], **plain(o, OUTCOME_FIELDS)}
                for o in OutcomeMeasurement.objects.filter(cycle=cycle).order_by("pk")
            ],
            "actions": [
                {
                    **plain(a, ACTION_FIELDS),
                    "result": keys["results"].get(a.result_id),
                    "offering": keys["offerings"].get(a.offering_id),
                }
                for a in ImprovementAction.objects.filter(cycle=cycle).order_by("pk")
            ],
            "self_assessments": _self_assessments(cycle),
        },
    }


def _steps(cycle) -> list:
    return [
        {"step": p.step, "status": p.status}
        for p in BlockProgress.objects.filter(cycle=cycle).order_by("step")
    ]


def _reading(cycle) -> dict | None:
    reading = SituationReading.objects.filter(cycle=cycle).first()
    return plain(reading, READING_FIELDS) if reading else None


def _figures(cycle) -> list:
    return [
        {**plain(f, FIGURE_FIELDS), "indicator": f.indicator.code if f.indicator else None}
        for f in SituationFigure.objects.filter(cycle=cycle)
        .select_related("indicator")
        .order_by("pk")
    ]


def _results(cycle, results, keys) -> list:
    values: dict[int, list] = {}
    for value in ResultValue.objects.filter(cycle=cycle).order_by("result_id", "year", "pk"):
        values.setdefault(value.result_id, []).append(plain(value, VALUE_FIELDS))
    return [
        {
            "key": keys["results"][r.pk],
            "ambition": keys["ambitions"][r.ambition_id],
            **plain(r, RESULT_FIELDS),
            "indicator": r.indicator.code if r.indicator else None,
            "values": values.get(r.pk, []),
        }
        for r in results
    ]


def _offering(offering, keys) -> dict:
    return {
        "key": keys["offerings"][offering.pk],
        **plain(offering, OFFERING_FIELDS),
        "target_groups": sorted(
            (keys["target_groups"][g.pk] for g in offering.target_groups.all()), key=key_order
        ),
        "results": sorted((keys["results"][r.pk] for r in offering.results.all()), key=key_order),
    }


def _self_assessments(cycle) -> list:
    assessments = (
        cycle.self_assessments.select_related("measure_set")
        .prefetch_related("answers")
        .order_by("version")
    )
    return [
        {
            "version": s.version,
            "measure_set": {"name": s.measure_set.name, "version": s.measure_set.version},
            "measure_set_version": s.measure_set_version,
            "status": s.status,
            "submitted_at": json_value(s.submitted_at),
            "snapshot": s.snapshot,
            "answers": [
                plain(a, ANSWER_FIELDS)
                for a in sorted(s.answers.all(), key=lambda a: (a.measure_code, a.aspect))
            ],
        }
        for s in assessments
    ]
