"""Generated data at national scale for `manage.py seed_national` (issue 18, item 1).

Every active municipality (the real 342 of the CBS 2024 file, loaded when missing) gets a team
(coordinator, editor, reader), one annual cycle per year with a realistic number of rows in
every part of the registry (compass/parts), a submitted self-assessment per cycle (scored by the
engine from generated answers, like the demo's benchmark peers) and CBS figures per indicator
and year. Everything comes from one `random.Random(seed)` walked in a fixed order, so the same
seed on the same database gives the same data.

Marked as generated, so the numbers never pass as real:
- the installation is marked as a demo (compass.demodata: a demo notice on every page);
- every CBS figure and every figure in a cycle carries `DEMO_MARKER` in its source;
- every self-assessment snapshot carries the generated mark (questionnaire.benchmark_data);
- every user is called `gen-<code>-<role>` with the last name "(gegenereerd)";
- every text in a cycle starts with "[gegenereerd]".

Rows are made with bulk_create (a few dozen statements per part, not one per row). A second run
is refused (`AlreadySeeded`): generated users exist.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from compass import access
from compass.demodata import DEMO_MARKER, mark_demo_installation
from compass.models import (
    Ambition,
    CbsObservation,
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

USER_PREFIX = "gen-"
ROLES = ("coordinator", "editor", "reader")
TEXT_MARK = "[gegenereerd]"
SOURCE = f"{DEMO_MARKER}: gegenereerd door seed_national"
GENERATED_TABLE = "GEN"
BIG_CITIES = 4  # the largest municipalities get the big cycle of the targets (issue 18)
BIG_AMBITIONS, BIG_OFFERINGS = 30, 100
BATCH = 2000


class AlreadySeeded(Exception):
    """Generated data is already there: a second run would mix two generations."""


@dataclass
class SeedResult:
    municipalities: int = 0
    users: int = 0
    cycles: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    assessments: int = 0
    observations: int = 0


def already_seeded() -> bool:
    return get_user_model().objects.filter(username__startswith=USER_PREFIX).exists()


def username(municipality, role: str) -> str:
    return f"{USER_PREFIX}{municipality.code.lower()}-{role}"


def _text(rng: random.Random, words: list[str], n: int) -> str:
    return f"{TEXT_MARK} " + " ".join(rng.choice(words) for _ in range(n))


WORDS = [
    "kinderen",
    "gezinnen",
    "veilig",
    "opgroeien",
    "signalen",
    "melden",
    "huiselijk",
    "geweld",
    "ouders",
    "school",
    "wijkteam",
    "jeugdarts",
    "preventie",
    "hulp",
    "nazorg",
    "samenwerking",
    "ketenpartners",
    "bereik",
    "vroeg",
    "aanpak",
    "training",
    "meldcode",
    "gesprek",
    "vertrouwen",
    "netwerk",
    "buurt",
    "scheiding",
    "stress",
    "armoede",
    "schulden",
    "opvoeding",
]
PROVIDERS = ["Wijkteam", "GGD", "Veilig Thuis", "Jeugdgezondheidszorg", "Sociaal werk", "School"]


def _sizes(rng: random.Random, municipality, big: bool) -> dict[str, int]:
    """How many rows each part gets in one cycle: more for more inhabitants."""
    if big:
        return {"ambitions": BIG_AMBITIONS, "offerings": BIG_OFFERINGS, "groups": 10}
    scale = min(3.0, max(0.5, ((municipality.population or 40_000) / 60_000) ** 0.5))
    return {
        "ambitions": max(2, round(rng.randint(2, 6) * scale)),
        "offerings": max(4, round(rng.randint(6, 16) * scale)),
        "groups": rng.randint(2, 6),
    }


def seed(
    municipalities: int = 342,
    years: int = 5,
    seed: int = 1,
    password: str | None = None,
    last_year: int | None = None,
    log=None,
) -> SeedResult:
    """Generate the data; raises AlreadySeeded when generated users exist."""
    if already_seeded():
        raise AlreadySeeded
    log = log or (lambda message: None)
    with transaction.atomic():
        return _seed(municipalities, years, seed, password, last_year, log)


def _seed(count, years, seed_value, password, last_year, log) -> SeedResult:
    from compass.cbs import areas as cbs

    result = SeedResult()
    if Municipality.objects.filter(status=Municipality.Status.ACTIVE).count() < count:
        cbs.load_demo_municipalities()
    municipalities = list(
        Municipality.objects.filter(status=Municipality.Status.ACTIVE).order_by("code")[:count]
    )
    result.municipalities = len(municipalities)
    rng = random.Random(seed_value)
    last_year = last_year or timezone.localdate().year
    year_list = list(range(last_year - years + 1, last_year + 1))
    biggest = {
        m.pk
        for m in sorted(municipalities, key=lambda m: (-(m.population or 0), m.code))[:BIG_CITIES]
    }
    mark_demo_installation()

    result.users = _teams(municipalities, password)
    log(f"teams: {result.users} users")
    cycles = _cycles(municipalities, year_list)
    result.cycles = len(cycles)
    log(f"cycles: {result.cycles}")
    result.rows = _parts(rng, municipalities, cycles, year_list, biggest)
    log("rows: " + ", ".join(f"{k} {v}" for k, v in result.rows.items()))
    result.assessments = _assessments(rng, municipalities, cycles, year_list, biggest)
    log(f"self-assessments: {result.assessments}")
    result.observations = _observations(rng, municipalities, year_list)
    log(f"CBS figures: {result.observations}")
    return result


def _teams(municipalities, password) -> int:
    """Three members per municipality, granted through the one access service."""
    users = get_user_model()
    hashed = make_password(password)  # hashed once: every generated user shares it
    new = [
        users(
            username=username(m, role),
            first_name=role.capitalize(),
            last_name=f"{m.name} (gegenereerd)",
            email=f"{username(m, role)}@example.invalid",
            password=hashed,
        )
        for m in municipalities
        for role in ROLES
    ]
    users.objects.bulk_create(new, batch_size=BATCH)
    by_name = {u.username: u for u in users.objects.filter(username__startswith=USER_PREFIX)}
    for m in municipalities:
        for role in ROLES:
            access.grant(by_name[username(m, role)], m, role)
    return len(new)


def _cycles(municipalities, year_list) -> dict[tuple[int, int], Cycle]:
    """One cycle per municipality and year; the last year active, earlier years closed. A
    municipality that already has a cycle of a year (the demo's) keeps it and gets no rows."""
    taken = set(
        Cycle.objects.municipal()
        .filter(municipality__in=municipalities)
        .values_list("municipality_id", "year")
    )
    active = set(
        Cycle.objects.municipal()
        .filter(municipality__in=municipalities, status="active")
        .values_list("municipality_id", flat=True)
    )
    cycles = {}
    for year in year_list:  # year by year, so `previous` points at a saved cycle
        new = []
        for m in municipalities:
            if (m.pk, year) in taken:
                continue
            last = year == year_list[-1] and m.pk not in active
            new.append(
                Cycle(
                    municipality=m,
                    year=year,
                    status="active" if last else "closed",
                    policy_start_year=year,
                    policy_end_year=year + 3,
                    previous=cycles.get((m.pk, year - 1)),
                )
            )
        for cycle in Cycle.objects.bulk_create(new, batch_size=BATCH):
            cycles[(cycle.municipality_id, cycle.year)] = cycle
    return cycles


def _parts(rng, municipalities, cycles, year_list, biggest) -> dict[str, int]:
    figures, readings, ambitions, groups, actions = [], [], [], [], []
    plans = []  # (cycle, sizes, ambitions of the cycle, groups of the cycle)
    for m in municipalities:
        for year in year_list:
            cycle = cycles.get((m.pk, year))
            if cycle is None:
                continue
            sizes = _sizes(rng, m, m.pk in biggest and year == year_list[-1])
            for i in range(rng.randint(4, 10)):
                figures.append(
                    SituationFigure(
                        cycle=cycle,
                        label=_text(rng, WORDS, 3),
                        period=str(year - 1 - i % 3),
                        value=Decimal(rng.randint(10, 5000)) / 10,
                        source=SOURCE,
                    )
                )
            readings.append(
                SituationReading(
                    cycle=cycle,
                    recognise=_text(rng, WORDS, 20),
                    explain=_text(rng, WORDS, 20),
                    appraise=_text(rng, WORDS, 12),
                    improve=_text(rng, WORDS, 12),
                    participants=_text(rng, WORDS, 6),
                )
            )
            own_ambitions = [
                Ambition(
                    cycle=cycle,
                    kind=rng.choice(Ambition.Kind.values),
                    text=_text(rng, WORDS, 10),
                    risk_factors=_text(rng, WORDS, 4),
                )
                for _ in range(sizes["ambitions"])
            ]
            own_groups = [
                TargetGroup(
                    cycle=cycle,
                    name=_text(rng, WORDS, 3),
                    estimated_size=rng.randint(20, 4000),
                )
                for _ in range(sizes["groups"])
            ]
            ambitions += own_ambitions
            groups += own_groups
            plans.append((cycle, sizes, own_ambitions, own_groups))
    SituationFigure.objects.bulk_create(figures, batch_size=BATCH)
    SituationReading.objects.bulk_create(readings, batch_size=BATCH)
    Ambition.objects.bulk_create(ambitions, batch_size=BATCH)
    TargetGroup.objects.bulk_create(groups, batch_size=BATCH)

    results, values, per_plan_results = [], [], []
    for cycle, _s, own_ambitions, _g in plans:
        own = []
        for ambition in own_ambitions:
            for _ in range(rng.randint(1, 3)):
                target = rng.randint(10, 200)
                own.append(
                    Result(
                        cycle=cycle,
                        ambition=ambition,
                        type=rng.choice(Result.Type.values),
                        text=_text(rng, WORDS, 8),
                        baseline_value=Decimal(target // 2),
                        baseline_year=cycle.year - 1,
                        target_value=Decimal(target),
                        target_year=cycle.year + 3,
                        unit="aantal",
                        direction=rng.choice(("higher", "lower")),
                    )
                )
        results += own
        per_plan_results.append(own)
    Result.objects.bulk_create(results, batch_size=BATCH)
    for result in results:
        for offset in range(rng.randint(0, 2)):
            values.append(
                ResultValue(
                    cycle_id=result.cycle_id,
                    result=result,
                    year=result.cycle.year - offset,
                    value=Decimal(rng.randint(0, 200)),
                )
            )
    ResultValue.objects.bulk_create(values, batch_size=BATCH)

    offerings, offering_results, offering_groups = [], [], []
    for (cycle, sizes, _ambitions, own_groups), own_results in zip(
        plans, per_plan_results, strict=True
    ):
        for _ in range(sizes["offerings"]):
            offering = Offering(
                cycle=cycle,
                name=_text(rng, WORDS, 3),
                kind=rng.choice(Offering.Kind.values),
                provider=rng.choice(PROVIDERS),
                evidence_level=rng.choice(
                    ("", "goed_beschreven", "goed_onderbouwd", "effectief_eerste")
                ),
                capacity=rng.randint(10, 500),
            )
            offerings.append(offering)
            offering_results.append(rng.sample(own_results, min(len(own_results), 2)))
            offering_groups.append(rng.sample(own_groups, min(len(own_groups), 1)))
    Offering.objects.bulk_create(offerings, batch_size=BATCH)
    links_r = Offering.results.through
    links_g = Offering.target_groups.through
    links_r.objects.bulk_create(
        [
            links_r(offering_id=o.pk, result_id=r.pk)
            for o, rs in zip(offerings, offering_results, strict=True)
            for r in rs
        ],
        batch_size=BATCH,
    )
    links_g.objects.bulk_create(
        [
            links_g(offering_id=o.pk, targetgroup_id=g.pk)
            for o, gs in zip(offerings, offering_groups, strict=True)
            for g in gs
        ],
        batch_size=BATCH,
    )
    answers = QualityCheck.Answer.values
    checks, outcomes = [], []
    for offering in offerings:
        if rng.random() < 0.8:
            checks.append(
                QualityCheck(
                    cycle_id=offering.cycle_id,
                    offering=offering,
                    well_founded=rng.choice(answers),
                    trained=rng.choice(answers),
                    registered=rng.choice(answers),
                    supervised=rng.choice(answers),
                    guidelines=rng.choice(answers),
                    notes=_text(rng, WORDS, 8),
                )
            )
        if rng.random() < 0.5:
            outcomes.append(
                OutcomeMeasurement(
                    cycle_id=offering.cycle_id,
                    offering=offering,
                    reach=rng.randint(5, 400),
                    dropout=Decimal(rng.randint(0, 40)),
                    usefulness=Decimal(rng.randint(40, 100)),
                    goal_realisation=Decimal(rng.randint(30, 100)),
                    respondents=rng.randint(5, 100),
                    method="vragenlijst",
                    story=_text(rng, WORDS, 15),
                )
            )
    QualityCheck.objects.bulk_create(checks, batch_size=BATCH)
    OutcomeMeasurement.objects.bulk_create(outcomes, batch_size=BATCH)
    by_cycle: dict[int, list[Offering]] = {}
    for offering in offerings:
        by_cycle.setdefault(offering.cycle_id, []).append(offering)
    for (cycle, _s, _a, _g), own_results in zip(plans, per_plan_results, strict=True):
        own_offerings = by_cycle.get(cycle.pk, [])
        for _ in range(rng.randint(2, 8)):
            actions.append(
                ImprovementAction(
                    cycle=cycle,
                    what=_text(rng, WORDS, 8),
                    who=rng.choice(PROVIDERS),
                    due=date(cycle.year, rng.randint(1, 12), rng.randint(1, 28)),
                    status=rng.choice(ImprovementAction.Status.values),
                    decision=rng.choice(ImprovementAction.Decision.values),
                    result=rng.choice(own_results) if own_results else None,
                    offering=rng.choice(own_offerings) if own_offerings else None,
                )
            )
    ImprovementAction.objects.bulk_create(actions, batch_size=BATCH)
    return {
        "figures": len(figures),
        "readings": len(readings),
        "ambitions": len(ambitions),
        "results": len(results),
        "values": len(values),
        "target groups": len(groups),
        "offerings": len(offerings),
        "quality checks": len(checks),
        "outcomes": len(outcomes),
        "actions": len(actions),
    }


def _assessments(rng, municipalities, cycles, year_list, biggest) -> int:
    """A submitted self-assessment for every generated cycle, on the live measure set (none
    without one: `setup_demo` or the content editors publish it); the big cycles of this year
    have none yet, so their teams can answer it."""
    from questionnaire.assessment import current_measure_set, load_measure_set
    from questionnaire.benchmark_data import bulk_scored, random_answers

    measure_set = current_measure_set()
    if measure_set is None:
        return 0
    view = load_measure_set(measure_set)
    codes = list(view.measures)
    items = []
    for m in municipalities:
        level = rng.uniform(30, 75)
        for offset, year in enumerate(year_list):
            if (m.pk, year) in cycles and not (m.pk in biggest and year == year_list[-1]):
                items.append((m, year, random_answers(rng, codes, level + 3 * offset)))
    return bulk_scored(items, view, generated=True)


def _observations(rng, municipalities, year_list) -> int:
    """CBS figures of every CBS indicator for every municipality and year, generated (the
    source says so); a figure that is already there (a real import) is left alone."""
    from cms.snippets import Indicator

    indicators = list(Indicator.objects.exclude(cbs_table_id="").order_by("code"))
    now = timezone.now()
    rows = [
        CbsObservation(
            indicator=indicator,
            region_code=m.code,
            period=str(year),
            value=Decimal(rng.randint(0, 20000)) / 10,
            table_id=GENERATED_TABLE,
            source=SOURCE,
            imported_at=now,
        )
        for indicator in indicators
        for m in municipalities
        for year in year_list
    ]
    CbsObservation.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return len(rows)
