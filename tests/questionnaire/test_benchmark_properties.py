"""Property tests of the benchmark's anonymity over generated populations (hypothesis).

For random populations (5-60 municipalities over a few Veilig Thuis regions and size classes,
with empty values mixed in), every municipality and every outsider without an assessment as
"own", every group and every cell (overall, each theme, each measure), these tests recompute the
peer sets independently of the engine and check the rules of docs/benchmark.md:

1. a shown cell has at least N peers, never the own municipality, and the right statistics;
2. two shown cells of the same row (overall, a theme or a measure) in different groups have
   equal peer sets or sets that differ by at least N municipalities;
3. changing one municipality's scores changes only shown cells that pool it with at least N - 1
   others, and never changes which cells are shown;
4. a suppressed cell and a cell without data are the same object and render identically.
"""

import statistics

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questionnaire.benchmark import (
    EMPTY,
    OVERALL,
    PEER_GROUPS,
    BenchmarkRecord,
    Cell,
    PeerGroup,
    Population,
    Subject,
)

YEAR = 2025
VERSION = "2025.1"
THEMES = ("prevention", "domestic-violence")
MEASURES = ("P1", "P2", "D1")
KEYS = [(OVERALL, None)] + [("theme", t) for t in THEMES] + [("measure", m) for m in MEASURES]
PROPERTY_SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# A realisation: empty (None) about a quarter of the time, else a value on the 0-100 scale, with
# repeated round values so ties (equal medians of different sets) occur often.
values = st.one_of(
    st.none(),
    st.sampled_from([0.0, 25.0, 50.0, 75.0, 100.0]),
    st.floats(min_value=0, max_value=100, allow_nan=False),
)


@st.composite
def populations(draw):
    size = draw(st.integers(min_value=5, max_value=60))
    regions = draw(st.integers(min_value=1, max_value=4))
    classes = draw(st.integers(min_value=1, max_value=3))
    records = []
    for i in range(size):
        records.append(
            BenchmarkRecord(
                municipality=f"GM{i:04d}",
                region=f"VT{draw(st.integers(0, regions - 1))}",
                size_class=f"S{draw(st.integers(0, classes - 1))}",
                year=YEAR,
                version=VERSION,
                overall=draw(values),
                themes={t: draw(values) for t in THEMES},
                measures={m: draw(values) for m in MEASURES},
            )
        )
    return records


min_sizes = st.sampled_from([5, 5, 6, 8])


def subjects(records):
    """Every municipality, plus an outsider without an assessment in every region/class pair."""
    pairs = {(r.region, r.size_class) for r in records}
    outsiders = [Subject(f"GM9{i:03d}", reg, size) for i, (reg, size) in enumerate(sorted(pairs))]
    return [Subject.of(r) for r in records] + outsiders


def peer_sets(records, subject):
    """Every cell's peer set, computed independently of the engine: {(group, kind, code): {code:
    value}}."""
    result = {(g, kind, code): {} for g in PEER_GROUPS for kind, code in KEYS}
    for r in records:
        if r.municipality == subject.municipality:
            continue
        groups = [PeerGroup.NATIONAL]
        if subject.region is not None and r.region == subject.region:
            groups.append(PeerGroup.REGION)
        if subject.size_class is not None and r.size_class == subject.size_class:
            groups.append(PeerGroup.SIZE_CLASS)
        for kind, code in KEYS:
            value = r.value(kind, code)
            if value is not None:
                for g in groups:
                    result[(g, kind, code)][r.municipality] = value
    return result


def build(records):
    return Population(records, year=YEAR, version=VERSION, themes=THEMES, measures=MEASURES)


@PROPERTY_SETTINGS
@given(populations(), min_sizes)
def test_every_shown_cell_has_enough_peers_without_the_own_municipality(records, n):
    population = build(records)
    for subject in subjects(records):
        bench = population.benchmark(subject, n)
        sets = peer_sets(records, subject)
        for group in PEER_GROUPS:
            for kind, code in KEYS:
                cell = bench.group(group).cell(kind, code)
                members = sets[(group, kind, code)]
                if cell is EMPTY:
                    continue
                assert subject.municipality not in members
                assert cell.count == len(members) >= n
                data = list(members.values())
                assert cell.median == statistics.median(data)
                q1, _, q3 = statistics.quantiles(data, n=4, method="inclusive")
                assert abs(cell.q1 - q1) < 1e-9 and abs(cell.q3 - q3) < 1e-9
                assert min(data) <= cell.q1 <= cell.median <= cell.q3 <= max(data)


@PROPERTY_SETTINGS
@given(populations(), min_sizes)
def test_shown_cells_of_one_row_never_differ_by_fewer_than_n_municipalities(records, n):
    population = build(records)
    for subject in subjects(records):
        bench = population.benchmark(subject, n)
        every = peer_sets(records, subject)
        for kind, code in KEYS:
            shown = [
                set(every[(g, kind, code)])
                for g in PEER_GROUPS
                if bench.group(g).cell(kind, code) is not EMPTY
            ]
            for i, a in enumerate(shown):
                for b in shown[i + 1 :]:
                    assert len(a ^ b) == 0 or len(a ^ b) >= n, (subject, kind, code)


@PROPERTY_SETTINGS
@given(populations(), min_sizes, st.data())
def test_pages_of_a_viewer_in_several_municipalities_never_differ_by_fewer_than_n(records, n, data):
    """A user in 2-3 municipalities sees all their pages and knows all their scores: counted
    without those municipalities, every shown cell pools at least N others and two shown cells
    of one row, on any of the pages, pool equal sets or sets N apart."""
    everyone = subjects(records)
    indices = data.draw(
        st.lists(st.integers(0, len(everyone) - 1), min_size=2, max_size=3, unique=True)
    )
    mine = [everyone[i] for i in indices]
    known = {s.municipality for s in mine}
    pages = build(records).benchmarks(mine, n)
    assert [p.subject for p in pages] == mine
    for kind, code in KEYS:
        shown = []
        for subject, page in zip(mine, pages, strict=True):
            sets = peer_sets(records, subject)
            for g in PEER_GROUPS:
                cell = page.group(g).cell(kind, code)
                if cell is not EMPTY:
                    members = sets[(g, kind, code)]
                    assert cell.count == len(members)
                    shown.append(set(members) - known)
        for i, a in enumerate(shown):
            assert len(a) >= n
            for b in shown[i + 1 :]:
                assert len(a ^ b) == 0 or len(a ^ b) >= n


@PROPERTY_SETTINGS
@given(populations(), min_sizes)
def test_a_cell_is_hidden_only_for_a_reason(records, n):
    """No over-suppression: an empty cell is too small or clashes with another group's set."""
    population = build(records)
    for subject in subjects(records):
        bench = population.benchmark(subject, n)
        every = peer_sets(records, subject)
        for kind, code in KEYS:
            sets = {g: set(every[(g, kind, code)]) for g in PEER_GROUPS}
            for g in PEER_GROUPS:
                if bench.group(g).cell(kind, code) is not EMPTY:
                    continue
                clash = any(0 < len(sets[g] ^ sets[h]) < n for h in PEER_GROUPS if h is not g)
                assert len(sets[g]) < n or clash


@PROPERTY_SETTINGS
@given(populations(), min_sizes, st.data())
def test_changing_one_municipalitys_scores_moves_only_cells_pooling_it_with_n_minus_1_others(
    records, n, data
):
    """The attacker knows every score but the target's and sees the page before and after.

    Whatever the target scores, the same cells are shown (the page's shape reveals nothing),
    and a shown value moves only in a cell where the target is pooled with at least N - 1
    other municipalities, whose scores are unknown to an outsider.
    """
    target_index = data.draw(st.integers(0, len(records) - 1))
    target = records[target_index]

    def rescore(value):
        return None if value is None else data.draw(st.floats(0, 100, allow_nan=False))

    changed = BenchmarkRecord(
        municipality=target.municipality,
        region=target.region,
        size_class=target.size_class,
        year=YEAR,
        version=VERSION,
        overall=rescore(target.overall),
        themes={t: rescore(v) for t, v in target.themes.items()},
        measures={m: rescore(v) for m, v in target.measures.items()},
    )
    altered = [changed if r is target else r for r in records]
    before, after = build(records), build(altered)
    for subject in subjects(records):
        if subject.municipality == target.municipality:
            continue
        old, new = before.benchmark(subject, n), after.benchmark(subject, n)
        for (group, kind, code, a), (_, _, _, b) in zip(old.cells(), new.cells(), strict=True):
            assert (a is EMPTY) == (b is EMPTY)
            if a != b:
                members = peer_sets(records, subject)[(group, kind, code)]
                assert target.municipality in members
                assert len(members) - 1 >= n - 1


@PROPERTY_SETTINGS
@given(populations(), min_sizes)
def test_suppressed_and_empty_cells_render_identically(records, n):
    population = build(records)
    nothing = Cell.empty()
    for subject in subjects(records):
        for _, _, _, cell in population.benchmark(subject, n).cells():
            if cell.count is None:
                assert cell is nothing
                assert str(cell) == str(nothing) == "–"
                assert cell.to_dict() == nothing.to_dict()
            else:
                assert cell.count >= n and str(cell) != "–"
