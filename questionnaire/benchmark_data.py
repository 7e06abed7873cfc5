"""Bulk-made submitted self-assessments: peers for the demo, the tests and the page benchmark.

A made-up submission stores the parts of a frozen snapshot the benchmark reads (the measure set
spec, the labels and the result) and is marked ``"generated": true``, so the benchmark page can
say that generated data is part of its population. Real submissions are made by
questionnaire/assessment.py and never carry the mark.
"""

from __future__ import annotations

import random

from django.utils import timezone

from compass.models import Cycle, SelfAssessment
from questionnaire.benchmarking import GENERATED_KEY


def spec_of(themes: dict[str, list[str]]) -> dict:
    """A snapshot's ``measure_set`` part: {theme code: [measure codes]}."""
    return {
        "themes": [{"code": t} for t in themes],
        "measures": [{"code": m, "theme": t} for t, codes in themes.items() for m in codes],
    }


def result_of(themes: dict[str, list[str]], measures: dict[str, float | None]) -> dict:
    """A snapshot's ``result`` part: themes and overall as plain means of their measures."""

    def mean(values):
        values = [v for v in values if v is not None]
        return None if not values else round(sum(values) / len(values), 1)

    theme_values = {t: mean(measures.get(m) for m in codes) for t, codes in themes.items()}
    return {
        "overall": mean(theme_values.values()),
        "themes": [{"code": t, "realisation": v} for t, v in theme_values.items()],
        "measures": [
            {"code": m, "theme": t, "realisation": measures.get(m)}
            for t, codes in themes.items()
            for m in codes
        ],
    }


def random_measures(rng: random.Random, themes: dict[str, list[str]], level: float) -> dict:
    """Realisations around ``level`` (0-100), one in twenty-five empty (niet van toepassing)."""
    out = {}
    for codes in themes.values():
        for m in codes:
            if rng.random() < 0.04:
                out[m] = None
            else:
                out[m] = round(min(100.0, max(0.0, rng.gauss(level, 18))), 1)
    return out


def _cycles_of(items):
    """The cycle of every (municipality, year, ...) item, made where missing, and the ids of
    those that already hold a self-assessment (left alone, so a rerun creates nothing)."""
    existing = {
        (c.municipality_id, c.year): c
        for c in Cycle.objects.municipal().filter(
            municipality__in={item[0].pk for item in items}, year__in={item[1] for item in items}
        )
    }
    new = [
        Cycle(municipality=m, year=year, policy_start_year=year, policy_end_year=year + 3)
        for m, year, *_rest in items
        if (m.pk, year) not in existing
    ]
    for cycle in Cycle.objects.bulk_create(new):
        existing[(cycle.municipality_id, cycle.year)] = cycle
    taken = set(
        SelfAssessment.objects.filter(cycle__in=[c.pk for c in existing.values()]).values_list(
            "cycle_id", flat=True
        )
    )
    return existing, taken


def _submitted(cycle, measure_set, snapshot, now) -> SelfAssessment:
    return SelfAssessment(
        cycle=cycle,
        version=1,
        measure_set=measure_set,
        measure_set_version=measure_set.version,
        status=SelfAssessment.Status.SUBMITTED,
        submitted_at=now,
        snapshot=snapshot,
    )


def bulk_submitted(
    items, measure_set, themes: dict[str, list[str]], labels: dict | None = None, generated=True
):
    """Create cycles and submitted assessments: items are (municipality, year, measures).

    Cycles that already exist for (municipality, year) are reused; a cycle that already has a
    self-assessment is left alone (so a rerun creates nothing). Returns the number created.
    """
    items = list(items)
    if not items:
        return 0
    existing, taken = _cycles_of(items)
    spec = spec_of(themes)
    now = timezone.now()
    rows = []
    for m, year, measures in items:
        cycle = existing[(m.pk, year)]
        if cycle.pk in taken:
            continue
        snapshot = {"measure_set": spec, "result": result_of(themes, measures)}
        if labels is not None:
            snapshot["labels"] = labels
        if generated:
            snapshot[GENERATED_KEY] = True
        rows.append(_submitted(cycle, measure_set, snapshot, now))
    SelfAssessment.objects.bulk_create(rows)
    return len(rows)


# --- Peers scored by the engine from real answers (the demo) ----------------------------------


def random_answers(rng: random.Random, codes: list[str], level: float) -> dict:
    """Answers around ``level`` (0-100) for every measure and aspect: {(code, aspect): value}.

    About one answer in thirty is "weet niet" and one in thirty "niet van toepassing".
    """
    from questionnaire.assessment import ASPECTS

    out = {}
    for code in codes:
        for aspect in ASPECTS:
            draw = rng.random()
            if draw < 0.033:
                out[(code, aspect)] = "dont_know"
            elif draw < 0.066:
                out[(code, aspect)] = "not_applicable"
            else:
                value = round(rng.gauss(level / 25, 1.0))
                out[(code, aspect)] = str(min(4, max(0, value)))
    return out


def bulk_scored(items, view, generated=True) -> int:
    """Create cycles and submitted self-assessments with answers, scored by the engine.

    Items are (municipality, year, answers {(code, aspect): value}). Every snapshot is what
    `assessment.frozen_snapshot` makes of the answers on `view` (a loaded measure set), so the
    results page, the versions and the answers page read them like any real submission.
    Cycles that exist are reused; a cycle with a self-assessment is left alone. Returns the
    number created.
    """
    from compass.models import Answer
    from questionnaire.assessment import frozen_snapshot

    items = list(items)
    if not items:
        return 0
    existing, taken = _cycles_of(items)
    now = timezone.now()
    measure_set = view.measure_set
    rows, answer_rows = [], []
    for m, year, answers in items:
        cycle = existing[(m.pk, year)]
        if cycle.pk in taken:
            continue
        taken.add(cycle.pk)
        objects = [
            Answer(measure_code=code, aspect=aspect, value=value)
            for (code, aspect), value in answers.items()
        ]
        snapshot = frozen_snapshot(view, objects)
        if generated:
            snapshot[GENERATED_KEY] = True
        rows.append(_submitted(cycle, measure_set, snapshot, now))
        answer_rows.append(objects)
    SelfAssessment.objects.bulk_create(rows)
    for assessment, objects in zip(rows, answer_rows, strict=True):
        for answer in objects:
            answer.assessment = assessment
    Answer.objects.bulk_create([a for objects in answer_rows for a in objects], batch_size=2000)
    return len(rows)
