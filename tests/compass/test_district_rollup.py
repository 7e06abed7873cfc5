"""The roll-up of a municipality's district cycles (issue 22 item 2): the arithmetic.

The pure functions of compass.district_rollup get plain rows (no database): an offering that
serves several districts is one line and counts once in the totals, the gaps per district,
the districts without a cycle, figure tables whose empty cells are empty (never 0). The last
tests build the roll-up from the database and check it agrees.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from compass import district_cycles, district_rollup, services
from compass.district_rollup import Column
from compass.models import District, Step, StepProgress
from tests.factories import (
    AmbitionFactory,
    ImprovementActionFactory,
    IndicatorFactory,
    OfferingFactory,
    ResultFactory,
    SituationFigureFactory,
    TargetGroupFactory,
)

NOORD = Column(district_id=1, code="WK034401", name="Noord", cycle_id=11)
OOST = Column(district_id=2, code="WK034402", name="Oost", cycle_id=12)
ZUID = Column(district_id=3, code="WK034403", name="Zuid", cycle_id=13)
COLUMNS = [NOORD, OOST, ZUID]


@dataclass
class Row:
    """A stand-in for a model row: only the attributes the roll-up reads."""

    cycle_id: int
    name: str = ""
    provider: str = ""
    evidence_level: str = ""
    capacity: int | None = None
    label: str = ""
    period: str = ""
    value: Decimal | None = None
    provisional: bool = False


# --- Offerings: one line per offering, counted once -----------------------------------------


def test_the_same_offering_in_three_districts_is_one_line_counted_once():
    rows = [
        Row(11, "Veilig opgroeien", "GGD", "goed_onderbouwd", 40),
        Row(12, "veilig  Opgroeien ", "ggd", "goed_onderbouwd", 40),
        Row(13, "Veilig opgroeien", "GGD ", "goed_onderbouwd", 40),
        Row(12, "Huiselijk geweld-aanpak", "Veilig Thuis", "", 15),
    ]
    lines, totals = district_rollup.offering_lines(COLUMNS, rows)
    assert [line.name for line in lines] == ["Huiselijk geweld-aanpak", "Veilig opgroeien"]
    shared = lines[1]
    assert shared.districts == [NOORD, OOST, ZUID]
    assert shared.provider == "GGD"
    assert shared.evidence_levels == ["goed_onderbouwd"]
    assert shared.capacity == 40
    assert totals.offerings == 2
    assert totals.capacity == 55  # 40 once, not 120, plus 15
    assert totals.capacity_per_district == 135  # what adding up per district would say
    assert totals.shared == 1


def test_the_same_name_with_another_provider_is_another_offering():
    rows = [Row(11, "Triple P", "GGD"), Row(12, "Triple P", "Buurtteam"), Row(13, "Triple P")]
    lines, totals = district_rollup.offering_lines(COLUMNS, rows)
    assert totals.offerings == 3
    assert sorted(line.provider for line in lines) == ["", "Buurtteam", "GGD"]
    assert all(len(line.districts) == 1 for line in lines)


def test_an_offering_twice_in_one_district_serves_that_district_once():
    rows = [Row(11, "Triple P", "GGD", capacity=10), Row(11, "Triple P", "GGD", capacity=10)]
    lines, totals = district_rollup.offering_lines(COLUMNS, rows)
    assert lines[0].districts == [NOORD]
    assert totals.offerings == 1 and totals.capacity == 10


def test_capacities_that_differ_take_the_largest_once_and_missing_capacity_is_no_zero():
    rows = [
        Row(11, "Triple P", "GGD", capacity=10),
        Row(12, "Triple P", "GGD", capacity=25),
        Row(13, "Triple P", "GGD"),
        Row(13, "Buurtgesprek", "Wijkteam"),
    ]
    lines, totals = district_rollup.offering_lines(COLUMNS, rows)
    by_name = {line.name: line for line in lines}
    assert by_name["Triple P"].capacity == 25
    assert by_name["Triple P"].capacities_differ is True
    assert by_name["Buurtgesprek"].capacity is None
    assert totals.capacity == 25
    assert totals.without_capacity == 1


def test_evidence_levels_are_shown_once_and_disagreement_is_visible():
    rows = [
        Row(11, "Triple P", "GGD", "goede_aanwijzingen"),
        Row(12, "Triple P", "GGD", "goede_aanwijzingen"),
        Row(13, "Triple P", "GGD", "goed_onderbouwd"),
        Row(13, "Buurtgesprek", "Wijkteam", ""),
    ]
    lines, _totals = district_rollup.offering_lines(COLUMNS, rows)
    by_name = {line.name: line for line in lines}
    # Lowest to highest verdict, each once.
    assert by_name["Triple P"].evidence_levels == ["goed_onderbouwd", "goede_aanwijzingen"]
    assert by_name["Buurtgesprek"].evidence_levels == []


def test_no_offerings_no_lines_and_zero_totals():
    lines, totals = district_rollup.offering_lines(COLUMNS, [])
    assert lines == []
    assert (totals.offerings, totals.capacity, totals.shared) == (0, 0, 0)


def test_normalise_ignores_case_spacing_and_width():
    assert district_rollup.normalise("  Veilig\u00a0 OPGROEIEN ") == "veilig opgroeien"
    assert district_rollup.normalise("ＧＧＤ") == "ggd"


# --- Gaps ------------------------------------------------------------------------------------


def test_gaps_list_the_steps_not_done_and_what_is_missing_per_district():
    done = StepProgress.Status.DONE
    progress = {
        11: dict.fromkeys(Step.values, done),
        12: {Step.SITUATION: done, Step.TARGET_GROUPS: StepProgress.Status.IN_PROGRESS},
        13: {},
    }
    missing = {
        11: {step: [] for step in Step.values},
        12: {**{step: [] for step in Step.values}, Step.OFFERING: ["Aanbod X mist bewijs."]},
        13: {**{step: [] for step in Step.values}, Step.AMBITIONS: ["Gedeeld: niet hier."]},
    }
    gaps = district_rollup.district_gaps(COLUMNS, progress, missing, shared={Step.AMBITIONS})
    assert [g.column for g in gaps] == COLUMNS
    noord, oost, zuid = gaps
    assert noord.steps_not_done == [] and noord.missing == [] and not noord.has_gaps
    # The shared step (ambitions) is the municipal cycle's: not a gap of the district.
    assert oost.steps_not_done == [
        Step.TARGET_GROUPS,
        Step.OFFERING,
        Step.QUALITY,
        Step.OUTCOMES,
        Step.IMPROVEMENT,
    ]
    assert oost.missing == [(Step.OFFERING, ["Aanbod X mist bewijs."])]
    assert zuid.steps_not_done == [s for s in Step.values if s != Step.AMBITIONS]
    assert zuid.missing == [] and zuid.has_gaps


def test_districts_without_a_cycle_this_year():
    districts = [
        Column(district_id=1, code="WK034401", name="Noord"),
        Column(district_id=4, code="WK034404", name="West"),
        Column(district_id=5, code="WK034405", name="Binnenstad"),
    ]
    without = district_rollup.without_cycle(districts, {1, 2, 3})
    assert [c.name for c in without] == ["West", "Binnenstad"]
    assert district_rollup.without_cycle([], {1}) == []


# --- Figures side by side --------------------------------------------------------------------


def test_figures_side_by_side_one_column_per_district_empty_cells_empty():
    figures = [
        Row(11, label="Meldingen Veilig Thuis", period="2025", value=Decimal("120")),
        Row(13, label="meldingen veilig thuis ", period="2025", value=Decimal("0")),
        Row(12, label="Meldingen Veilig Thuis", period="2024", value=Decimal("98.5")),
        Row(12, label="Schooluitval", period="2025", value=Decimal("3.2"), provisional=True),
    ]
    rows = district_rollup.figure_table(COLUMNS, figures)
    assert [(r.label, r.period) for r in rows] == [
        ("Meldingen Veilig Thuis", "2024"),
        ("Meldingen Veilig Thuis", "2025"),
        ("Schooluitval", "2025"),
    ]
    values = [[[v.value for v in cell] for cell in row.cells] for row in rows]
    assert values == [
        [[], [Decimal("98.5")], []],
        [[Decimal("120")], [], [Decimal("0")]],  # a real 0 stays 0, no figure stays empty
        [[], [Decimal("3.2")], []],
    ]
    assert rows[2].cells[1][0].provisional is True


def test_two_figures_of_one_district_in_one_cell_are_both_kept():
    figures = [
        Row(11, label="Meldingen", period="2025", value=Decimal("1")),
        Row(11, label="Meldingen", period="2025", value=Decimal("2")),
    ]
    (row,) = district_rollup.figure_table(COLUMNS, figures)
    assert [v.value for v in row.cells[0]] == [Decimal("1"), Decimal("2")]


def test_no_figures_no_rows():
    assert district_rollup.figure_table(COLUMNS, []) == []
    assert district_rollup.figure_table([], [Row(99, label="x", period="1", value=1)]) == []


@dataclass
class Observation:
    indicator_id: int
    region_code: str
    period: str
    value: Decimal | None
    suppressed: bool = False
    provisional: bool = False
    revised_provisional: bool = False


def test_cbs_observations_per_district_code_latest_periods_first():
    observations = [
        Observation(7, "WK034401", f"{year}JJ00", Decimal(year - 2000))
        for year in (2020, 2021, 2022, 2023)
    ] + [
        Observation(7, "WK034403", "2023JJ00", None, suppressed=True),
        Observation(7, "WK099901", "2023JJ00", Decimal("5")),  # another municipality's code
    ]
    rows = district_rollup.cbs_table(COLUMNS, observations, {7: "Meldingen"}, periods=3)
    assert [(r.label, r.period) for r in rows] == [
        ("Meldingen", "2023JJ00"),
        ("Meldingen", "2022JJ00"),
        ("Meldingen", "2021JJ00"),
    ]
    latest = rows[0].cells
    assert latest[0].value == Decimal("23")
    assert latest[1] is None  # no observation for Oost: "geen cijfer"
    assert latest[2].suppressed is True


# --- Counts per district ---------------------------------------------------------------------


def test_counts_per_district_and_in_total():
    counts = {11: {"target_groups": 2, "actions": 1}, 12: {"target_groups": 0, "actions": 3}}
    rows, total = district_rollup.count_table(COLUMNS, counts, ("target_groups", "actions"))
    assert [r.counts for r in rows] == [[2, 1], [0, 3], [0, 0]]
    assert total == [2, 4]


# --- From the database -----------------------------------------------------------------------


@pytest.mark.django_db
def test_build_from_the_database(gemeente_a, alice):
    municipal = services.start_cycle(gemeente_a, 2026, alice)
    ambition = AmbitionFactory(cycle=municipal)
    ResultFactory(ambition=ambition, cycle=municipal, type="substantive")
    noord, oost, west = (
        District.objects.create(municipality=gemeente_a, code=f"WK0344{n:02}", name=name)
        for n, name in ((1, "Noord"), (2, "Oost"), (9, "West"))
    )
    cycles = [district_cycles.start_district_cycle(d, 2026, alice) for d in (noord, oost)]
    for cycle in cycles:
        OfferingFactory(cycle=cycle, name="Triple P", provider="GGD", capacity=30)
        TargetGroupFactory(cycle=cycle)
    OfferingFactory(cycle=cycles[1], name="Buurtgesprek", evidence_level="geen_databank")
    ImprovementActionFactory(cycle=cycles[1])
    indicator = IndicatorFactory()
    SituationFigureFactory(cycle=cycles[0], label="Meldingen", period="2025", value=7)
    SituationFigureFactory(cycle=cycles[1], indicator=indicator, label="Meldingen", period="2025")

    rollup = district_rollup.build(municipal)

    assert [c.name for c in rollup.columns] == ["Noord", "Oost"]
    assert [c.name for c in rollup.without_cycle] == ["West"]
    assert rollup.totals.offerings == 2 and rollup.totals.capacity == 30
    # target groups, offerings, improvement actions, of which open
    assert [r.counts for r in rollup.counts] == [[1, 1, 0, 0], [1, 2, 1, 1]]
    assert rollup.count_totals == [2, 3, 1, 1]
    (figure,) = rollup.figures
    assert [[v.value for v in cell] for cell in figure.cells] == [[7], [Decimal("4.15")]]
    # Triple P serves no result, so the shared ambition has no offering in either district.
    assert all(any(step == Step.OFFERING for step, _items in gap.missing) for gap in rollup.gaps)


@pytest.mark.django_db
def test_missing_items_by_cycle_agrees_with_missing_items_per_cycle(gemeente_a, gemeente_b):
    from tests.factories import CycleFactory

    first = CycleFactory(municipality=gemeente_a)
    second = CycleFactory(municipality=gemeente_b)
    ResultFactory(ambition=AmbitionFactory(cycle=first), cycle=first)
    OfferingFactory(cycle=second, evidence_level="goed_onderbouwd")
    both = services.missing_items_by_cycle([first, second])
    assert both[first.pk] == services.missing_items(first)
    assert both[second.pk] == services.missing_items(second)
    assert both[first.pk][Step.AMBITIONS] and both[second.pk][Step.OFFERING]
