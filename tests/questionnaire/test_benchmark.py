"""Unit tests of the anonymous benchmark engine (questionnaire/benchmark.py, DOMAIN.md §5)."""

import json
import statistics
import subprocess
import sys
from fractions import Fraction

import pytest

from questionnaire.benchmark import (
    EMPTY,
    MIN_GROUP_SIZE,
    BenchmarkError,
    BenchmarkRecord,
    Cell,
    Participant,
    PeerGroup,
    Population,
    Subject,
    benchmark,
    named_comparison,
    quartiles,
    suppress,
    validate_min_size,
)

YEAR = 2025
VERSION = "2025.1"


def record(code, overall, region="VT01", size="S1", themes=None, measures=None, **kwargs):
    return BenchmarkRecord(
        municipality=code,
        region=region,
        size_class=size,
        year=kwargs.get("year", YEAR),
        version=kwargs.get("version", VERSION),
        overall=overall,
        themes=themes or {},
        measures=measures or {},
    )


def population(records, **kwargs):
    return Population(records, year=YEAR, version=VERSION, **kwargs)


def own(code="GM0001", region="VT01", size="S1"):
    return Subject(code, region, size)


# --------------------------------------------------------------------------------------------
# Statistics


def test_quartiles_of_known_data_follow_the_inclusive_method():
    assert quartiles([1, 2, 3, 4, 5]) == (2.0, 3.0, 4.0)
    assert quartiles([6, 1, 5, 2, 4, 3]) == (2.25, 3.5, 4.75)
    assert quartiles([10, 20, 30, 40, 50, 60, 70, 80]) == (27.5, 45.0, 62.5)


def test_quartiles_equal_statistics_quantiles_inclusive():
    values = [12.5, 99.0, 33.3333, 0.0, 47.1, 47.1, 100.0, 66.6667, 5.5]
    expected = statistics.quantiles(values, n=4, method="inclusive")
    assert quartiles(values) == pytest.approx(tuple(expected), abs=1e-12)
    assert quartiles(values)[1] == statistics.median(values)


def test_quartiles_are_exactly_rounded_where_float_arithmetic_drifts():
    values = [10.79, 16.37, 84.0, 37.05, 73.28, 46.93, 30.85, 84.83, 61.48, 57.82]
    # statistics.quantiles interpolates in floats: Q1 comes out as 32.400000000000006.
    assert statistics.quantiles(values, n=4, method="inclusive")[0] != 32.4
    # Exactly: sorted[2] + (sorted[3] - sorted[2]) * 1/4 of the stored doubles, rounded once.
    exact = Fraction(30.85) + (Fraction(37.05) - Fraction(30.85)) * Fraction(1, 4)
    assert quartiles(values)[0] == float(exact) == 32.4


def test_quartiles_refuse_fewer_than_two_values():
    with pytest.raises(ValueError):
        quartiles([50.0])


def test_cell_holds_count_median_and_quartiles_of_the_peers():
    peers = [record(f"GM010{i}", v) for i, v in enumerate([10, 20, 30, 40, 50])]
    bench = population(peers).benchmark(own())
    cell = bench.group(PeerGroup.NATIONAL).overall
    assert cell == Cell(count=5, median=30.0, q1=20.0, q3=40.0)
    assert str(cell) == "30.0 (20.0–40.0; n=5)"


# --------------------------------------------------------------------------------------------
# The own municipality and the minimum group size


def test_own_municipality_is_left_out_of_its_peers():
    peers = [record(f"GM010{i}", v) for i, v in enumerate([10, 20, 30, 40, 50])]
    mine = record("GM0001", 100)
    bench = population([mine, *peers]).benchmark(own())
    for group in bench.groups:
        assert group.overall.count == 5
        assert group.overall.median == 30.0  # with 100 included the median would be 35
    assert bench.own is mine


def test_municipality_without_assessment_sees_peers_but_no_own_value():
    peers = [record(f"GM010{i}", v) for i, v in enumerate([10, 20, 30, 40, 50])]
    bench = population(peers).benchmark(own())
    assert bench.own is None
    assert bench.to_dict()["own"] is None
    assert bench.group("national").overall.count == 5


def test_group_of_exactly_five_peers_is_shown_and_four_suppressed():
    five = [record(f"GM010{i}", 10.0 * i) for i in range(5)]
    assert population(five).benchmark(own()).group("national").overall.count == 5
    four = five[:4]
    assert population(four).benchmark(own()).group("national").overall is EMPTY
    # Four peers plus the own municipality make five records, still four peers: suppressed.
    mine = record("GM0001", 50.0)
    assert population([mine, *four]).benchmark(own()).group("national").overall is EMPTY


def test_larger_minimum_group_size_suppresses_more():
    six = [record(f"GM010{i}", 10.0 * i) for i in range(6)]
    assert population(six).benchmark(own(), min_size=6).group("national").overall.count == 6
    assert population(six).benchmark(own(), min_size=7).group("national").overall is EMPTY


@pytest.mark.parametrize("value", [4, 0, -5, 1, True, 5.0, "5", None, 4.9])
def test_minimum_group_size_below_five_or_not_whole_is_refused(value):
    with pytest.raises(BenchmarkError) as error:
        validate_min_size(value)
    assert error.value.codes == ("invalid_min_size",)
    with pytest.raises(BenchmarkError):
        population([]).benchmark(own(), min_size=value)
    with pytest.raises(BenchmarkError):
        benchmark(own(), [], year=YEAR, version=VERSION, min_size=value)


def test_minimum_group_size_of_five_is_the_floor():
    assert MIN_GROUP_SIZE == 5
    assert validate_min_size(5) == 5
    assert validate_min_size(12) == 12


# --------------------------------------------------------------------------------------------
# Suppressed looks exactly like empty


def test_suppressed_cell_is_the_same_object_as_an_empty_cell():
    four = [record(f"GM010{i}", 10.0 * i, themes={"T": 50.0}) for i in range(4)]
    none_at_all = [record(f"GM020{i}", 10.0 * i, themes={"T": None}) for i in range(6)]
    suppressed = population(four).benchmark(own()).group("national").themes["T"]
    empty = population(none_at_all).benchmark(own()).group("national").themes["T"]
    assert suppressed is empty is Cell.empty() is EMPTY
    assert suppressed == empty
    assert str(suppressed) == str(empty) == "–"
    assert (
        suppressed.to_dict()
        == empty.to_dict()
        == {
            "count": None,
            "median": None,
            "q1": None,
            "q3": None,
        }
    )
    assert repr(suppressed) == repr(empty)
    assert not suppressed.has_data


def test_whole_benchmark_of_a_suppressed_group_serialises_like_one_without_data():
    """The JSON an export or API would send is identical for 'too few' and 'none at all'."""
    four = [record(f"GM010{i}", 10.0 * i, region="VT02") for i in range(4)]
    nobody = [record(f"GM010{i}", None, region="VT02") for i in range(4)]
    a = population(four).benchmark(own()).to_dict()
    b = population(nobody).benchmark(own()).to_dict()
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def test_cells_carry_no_member_list_or_reason():
    assert set(Cell.__slots__) == {"count", "median", "q1", "q3"}


# --------------------------------------------------------------------------------------------
# Complementary suppression


def test_region_that_differs_from_national_by_one_municipality_is_suppressed():
    """Six peers nationally, five of them in the own region: the sixth's score would follow."""
    region = [record(f"GM010{i}", 10.0 * (i + 1)) for i in range(5)]
    elsewhere = record("GM0200", 99.0, region="VT02", size="S2")
    bench = population([*region, elsewhere]).benchmark(own())
    assert bench.group("national").overall.count == 6
    assert bench.group("region").overall is EMPTY
    # The same region shown alone would be fine: it is the pair that reveals GM0200.
    assert population(region).benchmark(own()).group("region").overall.count == 5


def test_groups_that_differ_by_at_least_the_minimum_are_both_shown():
    region = [record(f"GM010{i}", 10.0 * (i + 1)) for i in range(5)]
    elsewhere = [record(f"GM020{i}", 50.0, region="VT02", size="S2") for i in range(5)]
    bench = population([*region, *elsewhere]).benchmark(own())
    assert bench.group("national").overall.count == 10
    assert bench.group("region").overall.count == 5


def test_groups_with_identical_members_are_both_shown():
    peers = [record(f"GM010{i}", 10.0 * (i + 1)) for i in range(7)]
    bench = population(peers).benchmark(own())
    cells = [g.overall for g in bench.groups]
    assert [c.count for c in cells] == [7, 7, 7]


def test_overlapping_region_and_size_class_that_differ_by_few_are_not_both_shown():
    """Region {a..f}, size class {b..g}: they differ by a and g only."""
    common = [record(f"GM010{i}", 10.0 * (i + 1), region="VT01", size="S1") for i in range(5)]
    only_region = record("GM0200", 5.0, region="VT01", size="S2")
    only_size = record("GM0300", 95.0, region="VT02", size="S1")
    others = [record(f"GM040{i}", 50.0, region="VT03", size="S3") for i in range(6)]
    bench = population([*common, only_region, only_size, *others]).benchmark(own())
    region, size = bench.group("region").overall, bench.group("size_class").overall
    assert bench.group("national").overall.count == 13
    assert (region.count, size.count).count(None) == 1  # one of the two is hidden
    # national differs from each by 7 and stays shown.


def test_suppression_applies_per_cell_with_the_members_that_have_a_value():
    """Overall fine, but a measure answered by 5 in the region and 6 nationally is hidden."""
    region = [record(f"GM010{i}", 50.0, measures={"m1": 10.0 * i}) for i in range(5)]
    elsewhere = [record(f"GM020{i}", 50.0, region="VT02", size="S2") for i in range(5)]
    elsewhere[0] = record("GM0200", 50.0, region="VT02", size="S2", measures={"m1": 77.0})
    bench = population([*region, *elsewhere]).benchmark(own())
    assert bench.group("region").overall.count == 5
    assert bench.group("national").measures["m1"].count == 6
    assert bench.group("region").measures["m1"] is EMPTY


def test_suppress_hides_the_smaller_group_and_keeps_pairs_apart():
    a = frozenset(range(20))
    b = frozenset(range(17))  # differs from a by 3
    c = frozenset(range(10, 30))  # differs from a by 20, from b by 23
    assert suppress({"a": a, "b": b, "c": c}) == {"a", "c"}
    assert suppress({"a": a, "b": frozenset(range(4))}) == {"a"}
    assert suppress({"x": frozenset(range(3))}) == set()


def test_suppress_refuses_a_minimum_below_five():
    with pytest.raises(BenchmarkError):
        suppress({"a": frozenset(range(10))}, 3)


def test_viewer_of_two_municipalities_gets_their_pages_suppressed_together():
    """A sees region West (5) beside national (10): fine alone. A user who also belongs to B
    (East) sees B's national cell too, which holds West plus X1-X4: beside A's region cell it
    would isolate the four X municipalities, so A's region cell is hidden for that user."""
    west = [record(f"GM010{i}", 10.0 * (i + 1), region="West") for i in range(5)]
    east = [record(f"GM020{i}", 90.0 - i, region="East", size="S2") for i in range(4)]
    a = record("GM0001", 50.0, region="West")
    b = record("GM0002", 20.0, region="East", size="S2")
    pop = population([a, b, *west, *east])
    alone = pop.benchmark(Subject.of(a))
    assert alone.group("region").overall.count == 5
    assert alone.group("national").overall.count == 10
    page_a, page_b = pop.benchmarks([Subject.of(a), Subject.of(b)])
    assert page_a.group("region").overall is EMPTY
    assert page_a.group("national").overall == alone.group("national").overall
    assert page_b.group("national").overall.count == 10
    assert page_b == pop.benchmarks([Subject.of(b), Subject.of(a)])[0]


def test_cells_count_only_municipalities_the_viewer_does_not_belong_to():
    """Five peers of which one is the viewer's other municipality: only four unknown."""
    peers = [record(f"GM010{i}", 10.0 * i) for i in range(5)]
    mine = record("GM0001", 50.0)
    pop = population([mine, *peers])
    assert pop.benchmark(Subject.of(mine)).group("national").overall.count == 5
    joint = pop.benchmarks([Subject.of(mine), Subject.of(peers[0])])
    assert joint[0].group("national").overall is EMPTY
    assert joint[1].group("national").overall is EMPTY


def test_single_subject_benchmarks_equal_benchmark():
    peers = [record(f"GM010{i}", 10.0 * i, region=f"VT{i % 2}") for i in range(9)]
    pop = population(peers)
    assert pop.benchmarks([Subject.of(peers[3])]) == (pop.benchmark(Subject.of(peers[3])),)


# --------------------------------------------------------------------------------------------
# Filters and bad input


def test_only_records_of_the_same_year_and_version_count():
    peers = [record(f"GM010{i}", 10.0 * i) for i in range(5)]
    old = [record(f"GM020{i}", 90.0, year=2024) for i in range(5)]
    other = [record(f"GM030{i}", 90.0, version="2024.1") for i in range(5)]
    bench = population([*peers, *old, *other]).benchmark(own())
    assert bench.group("national").overall.count == 5
    assert bench.group("national").overall.median == 20.0


def test_unknown_region_or_size_class_gives_empty_groups():
    peers = [record(f"GM010{i}", 10.0 * i, region=None, size=None) for i in range(8)]
    bench = population(peers).benchmark(Subject("GM0001", None, None))
    assert bench.group("national").overall.count == 8
    assert bench.group("region").overall is EMPTY
    assert bench.group("size_class").overall is EMPTY


def test_themes_and_measures_follow_the_given_set_order():
    peers = [
        record(f"GM010{i}", 50.0, themes={"b": 1.0, "a": 2.0}, measures={"m2": 3.0})
        for i in range(5)
    ]
    bench = population(peers, themes=("a", "b", "c"), measures=("m1", "m2")).benchmark(own())
    national = bench.group("national")
    assert list(national.themes) == ["a", "b", "c"]
    assert national.themes["c"] is EMPTY
    assert national.measures["m1"] is EMPTY
    assert national.measures["m2"].median == 3.0
    assert len(list(bench.cells())) == 3 * (1 + 3 + 2)


@pytest.mark.parametrize("value", [-0.1, 100.5, float("nan"), float("inf"), True, "50"])
def test_realisation_outside_zero_to_hundred_is_refused(value):
    with pytest.raises(BenchmarkError) as error:
        population([record("GM0100", 50.0, measures={"m1": value})])
    assert error.value.codes == ("invalid_realisation",)
    assert "m1" in str(error.value)


def test_two_records_of_one_municipality_in_one_year_are_refused():
    with pytest.raises(BenchmarkError) as error:
        population([record("GM0100", 50.0), record("GM0100", 60.0)])
    assert error.value.codes == ("duplicate_record",)


def test_every_problem_is_reported_at_once():
    with pytest.raises(BenchmarkError) as error:
        population([record("", 101.0), "not a record", record("GM0100", -1.0)])
    assert error.value.codes == (
        "invalid_code",
        "invalid_realisation",
        "invalid_record",
        "invalid_realisation",
    )


# --------------------------------------------------------------------------------------------
# Named comparison


def test_named_comparison_puts_participants_side_by_side_without_suppression():
    records = [
        record("GM0344", 70.0, themes={"T": 60.0}, measures={"m1": 50.0}),
        record("GM0307", 40.0, themes={"T": None}, measures={"m1": 20.0}),
        record("GM9999", 99.0, themes={"T": 99.0}, measures={"m1": 99.0}),  # not a participant
    ]
    participants = [
        Participant("GM0344", "Utrecht"),
        Participant("GM0307", "Amersfoort"),
        Participant("GM0356", "Nieuwegein"),  # no submitted assessment
    ]
    result = named_comparison(participants, records, year=YEAR, version=VERSION)
    assert [p.name for p in result.participants] == ["Utrecht", "Amersfoort", "Nieuwegein"]
    assert result.submitted == (True, True, False)
    assert [(r.kind, r.code, r.values) for r in result.rows] == [
        ("overall", None, (70.0, 40.0, None)),
        ("theme", "T", (60.0, None, None)),
        ("measure", "m1", (50.0, 20.0, None)),
    ]
    assert "99.0" not in json.dumps(result.to_dict())


def test_named_comparison_ignores_other_years_and_versions():
    records = [record("GM0344", 70.0), record("GM0344", 10.0, year=2024)]
    result = named_comparison(
        [Participant("GM0344", "Utrecht")], records, year=2024, version=VERSION
    )
    assert result.rows[0].values == (10.0,)


# --------------------------------------------------------------------------------------------
# Purity


def test_the_engine_imports_no_django():
    code = (
        "import sys, questionnaire.benchmark; "
        "print(any(m.startswith('django') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_records_are_frozen():
    r = record("GM0100", 50.0)
    with pytest.raises(AttributeError):
        r.overall = 60.0  # type: ignore[misc]
