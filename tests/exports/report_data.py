"""Data for the report tests: the demo cycle of Utrecht 2026, small and at scale."""

from datetime import date
from decimal import Decimal

from cms.snippets import PrevalenceRate
from compass import demo
from compass.models import Ambition, ImprovementAction, Offering, Result, ResultValue
from questionnaire import demo as questionnaire_demo
from questionnaire.benchmark_data import bulk_submitted
from tests.factories import (
    AmbitionFactory,
    ImprovementActionFactory,
    MunicipalityFactory,
    OfferingFactory,
    ResultFactory,
    ResultValueFactory,
)
from tests.questionnaire.assessment_helpers import make_measure_set
from tests.questionnaire.release_helpers import publish

THEMES = {"t1": ["m1", "m2"], "t2": ["m3"]}
PEERS = 6


def demo_cycle(municipality, youth_population=62_000):
    """The demo's filled-in Utrecht 2026 (needs alice), a submitted self-assessment, six peers
    with submissions of the same year and measure set, and a prevalence rate."""
    municipality.youth_population = youth_population
    municipality.save(update_fields=["youth_population"])
    measure_set = make_measure_set((2, 1))
    cycle = demo.setup_cycles()
    questionnaire_demo.setup_self_assessments()
    peers = [MunicipalityFactory() for _ in range(PEERS)]
    bulk_submitted(
        [
            (m, cycle.year, {"m1": 30.0 + 8 * i, "m2": 50.0 + 5 * i, "m3": 20.0 + 10 * i})
            for i, m in enumerate(peers)
        ],
        measure_set,
        THEMES,
    )
    PrevalenceRate.objects.create(
        label="Kindermishandeling (test)",
        low_rate=Decimal("30"),
        high_rate=Decimal("42.5"),
        source="CBS Impactmonitor (test)",
        year=2017,
    )
    publish()  # the report's national comparison reads the published benchmark release
    cycle.refresh_from_db()
    return cycle


def grow(cycle, ambitions=30, offerings=100):
    """Give the cycle many items, linked to each other as a real plan would be.

    The factories build the rows unsaved and one bulk insert per part saves them (fast at scale).
    """
    made = Ambition.objects.bulk_create(
        AmbitionFactory.build(cycle=cycle, text=f"Ambitie {n}") for n in range(ambitions)
    )
    results = Result.objects.bulk_create(
        ResultFactory.build(
            ambition=a,
            type="substantive",
            text=f"Resultaat {n}",
            baseline_value=Decimal(50),
            baseline_year=2024,
            target_value=Decimal(70),
            target_year=2028,
        )
        for n, a in enumerate(made)
    )
    ResultValue.objects.bulk_create(
        ResultValueFactory.build(result=r, year=2025, value=Decimal(56)) for r in results
    )
    new = Offering.objects.bulk_create(
        OfferingFactory.build(
            cycle=cycle, name=f"Aanbod {n}", kind="help", evidence_level="goed_beschreven"
        )
        for n in range(offerings)
    )
    for n, offering in enumerate(new):
        offering.results.set([results[n % len(results)]])
    ImprovementAction.objects.bulk_create(
        ImprovementActionFactory.build(
            cycle=cycle, what=f"Actie {n}", who="Team", due=date(2026, 6, 1), decision="continue"
        )
        for n in range(ambitions)
    )
