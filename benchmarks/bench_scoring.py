"""Time the self-assessment scoring engine on a national-scale data set (numbers, not tests).

Generates one example measure set (19 measures in 2 themes, 60 suggestions) and one submitted
self-assessment for each of the 342 municipalities of 2024, then prints per-assessment and
per-year timings beside their targets. Always exits 0: a slow machine is reported, not failed.
"""

import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from questionnaire.scoring import (  # noqa: E402
    ASPECTS,
    DONT_KNOW,
    NOT_APPLICABLE,
    Aspect,
    Band,
    MeasureSetSpec,
    MeasureSpec,
    SuggestionSpec,
    ThemeSpec,
    Thresholds,
    freeze,
    recompute,
    score_assessment,
)

MUNICIPALITIES = 342
ROUNDS = 5
ONE_TARGET_MS = 1.0
YEAR_TARGET_MS = 100.0

# Example set: the ten prevention points of "Kindermishandeling voorkomen: het kan!" (2014) and
# nine domestic-violence goals in the spirit of the former monitor. An example, not NJi content.
PREVENTION = [
    "Screening in pregnancy",
    "Information on non-violent parenting",
    "Information on Shaken Baby Syndrome",
    "Spotting parenting problems",
    "Parenting support",
    "Information at school",
    "Training professionals",
    "Psycho-education after domestic violence",
    "Help for children in women's shelters",
    "Public information",
]
DOMESTIC_VIOLENCE = [
    "Regional approach agreed",
    "Reporting code in use",
    "Safety assessment",
    "Temporary restraining order",
    "Help for victims",
    "Help for perpetrators",
    "Elder abuse",
    "Harmful practices",
    "Aftercare",
]


def example_measure_set() -> MeasureSetSpec:
    themes = (ThemeSpec("prevention"), ThemeSpec("domestic-violence"))
    measures = tuple(
        MeasureSpec(f"PK{n:02d}", "prevention", 2 if n in (4, 5, 7) else 1)
        for n in range(1, len(PREVENTION) + 1)
    ) + tuple(
        MeasureSpec(f"HG{n:02d}", "domestic-violence", 2 if n in (2, 3) else 1)
        for n in range(1, len(DOMESTIC_VIOLENCE) + 1)
    )
    suggestions = []
    for m in measures:
        suggestions.append(SuggestionSpec(f"{m.code}-low", m.code, "Start small.", band=Band.LOW))
        suggestions.append(
            SuggestionSpec(f"{m.code}-partly", m.code, "Extend it.", band=Band.PARTLY)
        )
        aspect = Aspect.REACH if m.code.endswith(("1", "3", "5", "7", "9")) else Aspect.EMBEDDING
        suggestions.append(
            SuggestionSpec(
                f"{m.code}-{aspect}",
                m.code,
                "How to measure reach." if aspect is Aspect.REACH else "Make it part of policy.",
                aspect=aspect,
                links=("https://www.nji.nl/",),
            )
        )
    suggestions += [
        SuggestionSpec("PK01-general", "PK01", "Work with the JGZ."),
        SuggestionSpec("HG01-general", "HG01", "Agree on it with Veilig Thuis."),
        SuggestionSpec("HG02-general", "HG02", "Train the reporting code."),
    ]
    return MeasureSetSpec("2026.1", themes, measures, tuple(suggestions))


def national_answers(measure_set: MeasureSetSpec, seed: int = 2024) -> list[dict]:
    """One complete answer set per municipality, around a municipality's own maturity level."""
    rng = random.Random(seed)
    assessments = []
    for _ in range(MUNICIPALITIES):
        maturity = rng.uniform(0.5, 3.5)
        answers = {}
        for m in measure_set.measures:
            if rng.random() < 0.03:
                answers[m.code] = dict.fromkeys(ASPECTS, NOT_APPLICABLE)
                continue
            per = {}
            for aspect in ASPECTS:
                roll = rng.random()
                if roll < 0.05:
                    per[aspect] = DONT_KNOW
                elif roll < 0.08:
                    per[aspect] = NOT_APPLICABLE
                else:
                    per[aspect] = min(4, max(0, round(rng.gauss(maturity, 1.0))))
            answers[m.code] = per
        assessments.append(answers)
    return assessments


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def verdict(value: float, target: float) -> str:
    return "PASS" if value < target else "FAIL"


def main() -> None:
    started = time.perf_counter()
    measure_set = example_measure_set()
    build_ms = (time.perf_counter() - started) * 1000
    thresholds = Thresholds()
    assessments = national_answers(measure_set)

    for answers in assessments[:20]:  # warm up
        score_assessment(measure_set, answers, thresholds)

    singles: list[float] = []
    years: list[float] = []
    for _ in range(ROUNDS):
        year_start = time.perf_counter()
        for answers in assessments:
            t0 = time.perf_counter()
            score_assessment(measure_set, answers, thresholds)
            singles.append((time.perf_counter() - t0) * 1000)
        years.append((time.perf_counter() - year_start) * 1000)

    snapshot_times: list[float] = []
    for answers in assessments:
        t0 = time.perf_counter()
        stored = json.loads(json.dumps(freeze(measure_set, answers, thresholds)))
        recompute(stored)
        snapshot_times.append((time.perf_counter() - t0) * 1000)

    print(
        f"Scoring engine: {len(measure_set.measures)} measures, {len(measure_set.themes)} themes, "
        f"{len(measure_set.suggestions)} suggestions; {MUNICIPALITIES} municipalities; "
        f"{ROUNDS} rounds; Python {sys.version.split()[0]}"
    )
    print(f"  build and validate the measure set      {build_ms:8.3f} ms (once per version)")
    print(
        f"  one assessment: mean {statistics.fmean(singles):.3f} ms, "
        f"median {statistics.median(singles):.3f} ms, p95 {percentile(singles, 95):.3f} ms"
        f"   target < {ONE_TARGET_MS:g} ms (p95): {verdict(percentile(singles, 95), ONE_TARGET_MS)}"
    )
    print(
        f"  {MUNICIPALITIES} assessments (one year): best {min(years):.1f} ms, "
        f"mean {statistics.fmean(years):.1f} ms"
        f"   target < {YEAR_TARGET_MS:g} ms (mean): "
        f"{verdict(statistics.fmean(years), YEAR_TARGET_MS)}"
    )
    print(
        f"  freeze + JSON round trip + recompute, one assessment: "
        f"median {statistics.median(snapshot_times):.3f} ms (no target)"
    )


if __name__ == "__main__":
    main()
