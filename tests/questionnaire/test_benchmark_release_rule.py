"""The release rule of the benchmark over time: the differencing attack as property tests.

For random histories of three releases (populations of 5-40 municipalities over 1-3 Veilig Thuis
regions and 1-2 size classes, empty values mixed in, N of 5 or 6), one municipality X submits
(joins), resubmits with other values, is imported (joins with a full record) or leaves between
the last two releases, while 0 to 2N other municipalities change as well. A reader of 1-3
municipalities (never X) looks at every release, and joins or leaves a sharing agreement
between releases. From every pair of views the reader can obtain (any two cells of a row, on
any of the reader's pages, at the same or at different releases), these tests check that the
contributions of municipalities the reader does not know differ by 0 or at least N: so no pair
isolates X's value, or X's side of a median or quartile, unless N unknown contributions changed.
The engine's audit function (``release_views``) names the contributions of each shown cell; the
tests check it against an independent computation (each view is a real vintage of its cell,
and the shown numbers are its statistics).
"""

import statistics

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questionnaire.benchmark import (
    EMPTY,
    OVERALL,
    PEER_GROUPS,
    BenchmarkRecord,
    PeerGroup,
    Population,
    Step,
    Subject,
    release_benchmarks,
    release_views,
)

YEAR = 2026
VERSION = "1:1"
THEMES = ("t1",)
MEASURES = ("m1", "m2")
KEYS = [(OVERALL, None)] + [("theme", t) for t in THEMES] + [("measure", m) for m in MEASURES]
PROPERTY_SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

values = st.one_of(st.none(), st.sampled_from([0.0, 25.0, 50.0, 75.0, 100.0]), st.integers(0, 100))


def record(code, region, size_class, draw):
    return BenchmarkRecord(
        municipality=code,
        region=region,
        size_class=size_class,
        year=YEAR,
        version=VERSION,
        overall=draw(values),
        themes={t: draw(values) for t in THEMES},
        measures={m: draw(values) for m in MEASURES},
    )


@st.composite
def histories(draw):
    min_size = draw(st.sampled_from([5, 5, 6]))
    regions = draw(st.integers(1, 3))
    classes = draw(st.integers(1, 2))
    universe = [
        (
            f"GM{i:04d}",
            f"VT{draw(st.integers(0, regions - 1))}",
            f"S{draw(st.integers(0, classes - 1))}",
        )
        for i in range(draw(st.integers(6, 30)))
    ]
    place = {code: (region, size) for code, region, size in universe}
    target = draw(st.sampled_from([code for code, _, _ in universe]))
    event = draw(st.sampled_from(["submit", "resubmit", "import", "leave"]))
    # The first population: everyone but (for a join) the target.
    first = {}
    for code, region, size in universe:
        if code == target and event in ("submit", "import"):
            continue
        if draw(st.booleans()) or code == target:
            first[code] = record(code, region, size, draw)

    def background(population, count, avoid):
        population = dict(population)
        others = [c for c, _, _ in universe if c not in avoid]
        for code in draw(st.lists(st.sampled_from(others), max_size=count, unique=True)):
            kind = draw(st.sampled_from(["join", "change", "leave"]))
            if code in population and kind == "leave":
                del population[code]
            else:
                population[code] = record(code, *place[code], draw)
        return population

    second = background(first, 2 * min_size, {target})
    third = background(second, draw(st.sampled_from([0, 0, 2 * min_size])), {target})
    if event in ("submit", "import", "resubmit"):
        third[target] = record(target, *place[target], draw)
    else:
        third.pop(target, None)
    # The reader: 1-3 municipalities (never the target), and a partner it gains or loses.
    candidates = [c for c, _, _ in universe if c != target]
    own = draw(st.lists(st.sampled_from(candidates), min_size=1, max_size=3, unique=True))
    partner = draw(st.sampled_from(candidates))
    pattern = draw(st.sampled_from(["none", "join", "leave", "join-leave"]))
    with_partner = [*own, partner] if partner not in own else own
    readers = {
        "none": (own, own, own),
        "join": (own, own, with_partner),
        "leave": (with_partner, with_partner, own),
        "join-leave": (own, with_partner, own),
    }[pattern]
    return min_size, place, target, [first, second, third], readers


def subjects_of(codes, place):
    return tuple(Subject(code, *place[code]) for code in codes)


def steps_of(populations, readers, place):
    pops = [
        Population(p.values(), year=YEAR, version=VERSION, themes=THEMES, measures=MEASURES)
        for p in populations
    ]
    return [Step(pop, subjects_of(r, place)) for pop, r in zip(pops, readers, strict=True)]


def members(population, subject, group, key):
    """The peers of a cell, computed without the engine: (municipality, value) pairs."""
    kind, code = key
    out = set()
    for rec in population.values():
        if rec.municipality == subject.municipality:
            continue
        if group is PeerGroup.REGION and (subject.region is None or rec.region != subject.region):
            continue
        if group is PeerGroup.SIZE_CLASS and (
            subject.size_class is None or rec.size_class != subject.size_class
        ):
            continue
        value = rec.value(kind, code)
        if value is not None:
            out.add((rec.municipality, value))
    return frozenset(out)


def unknown_apart(a, b, known):
    return len({m for m, _ in a ^ b} - set(known))


def check_history(min_size, place, target, populations, readers):
    steps = steps_of(populations, readers, place)
    views = release_views(steps, min_size)
    first_shown = {key: {} for key in KEYS}  # key -> view -> step it was first shown
    for t in range(len(steps)):
        known = frozenset(readers[t])
        shown = release_benchmarks(steps[: t + 1], min_size)
        for bench in shown:
            subject = bench.subject
            for group in PEER_GROUPS:
                for key in KEYS:
                    cell = bench.group(group).cell(*key)
                    view = views[t][key].get((subject.municipality, group))
                    if view is None:
                        assert cell is EMPTY
                        continue
                    # A real vintage of this cell, at this release or an earlier one.
                    assert any(
                        view == members(populations[j], subject, group, key) for j in range(t + 1)
                    )
                    assert subject.municipality not in {m for m, _ in view}
                    assert len({m for m, _ in view} - known) >= min_size
                    data = sorted(v for _, v in view)
                    q1, median, q3 = statistics.quantiles(data, n=4, method="inclusive")
                    assert cell.count == len(data)
                    assert abs(cell.median - median) < 1e-9
                    assert abs(cell.q1 - q1) < 1e-9 and abs(cell.q3 - q3) < 1e-9
                    first_shown[key].setdefault(view, t)
    # Every pair the reader obtained: judged with what the reader knows when the later of the
    # two is first shown.
    for key in KEYS:
        items = list(first_shown[key].items())
        for i, (a, ta) in enumerate(items):
            for b, tb in items[i + 1 :]:
                known = frozenset(readers[max(ta, tb)])
                apart = unknown_apart(a, b, known)
                assert apart == 0 or apart >= min_size, (key, ta, tb, apart)
                target_differs = dict(a).get(target) != dict(b).get(target)
                if target_differs:
                    assert apart >= min_size
    return steps, views


@PROPERTY_SETTINGS
@given(histories())
def test_no_pair_of_views_isolates_the_municipality_that_changed(history):
    check_history(*history)


@st.composite
def single_events(draw):
    """Three releases in which only the target changes (before the last one)."""
    min_size, place, target, populations, readers = draw(histories())
    first, _second, third = populations
    only = dict(first)
    if target in third:
        only[target] = third[target]
    else:
        only.pop(target, None)
    steady = (readers[0], readers[0], readers[0])
    return min_size, place, target, [first, first, only], steady


@PROPERTY_SETTINGS
@given(single_events())
def test_one_municipality_alone_changes_nothing_the_reader_sees(history):
    min_size, place, target, populations, readers = history
    steps = steps_of(populations, readers, place)
    before = release_benchmarks(steps[:2], min_size)
    after = release_benchmarks(steps, min_size)
    for old, new in zip(before, after, strict=True):
        for group in PEER_GROUPS:
            for key in KEYS:
                was, now = old.group(group).cell(*key), new.group(group).cell(*key)
                # A shown cell keeps its numbers; an empty one may appear when the target is the
                # N-th unknown member of a group never shown before (the pair test covers it).
                if was.has_data:
                    assert now == was, (old.subject, group, key, was, now)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_a_single_release_is_the_ordinary_benchmark(history):
    min_size, place, _target, populations, readers = history
    steps = steps_of(populations[:1], readers[:1], place)
    expected = steps[0].population.benchmarks(list(steps[0].subjects), min_size)
    assert release_benchmarks(steps, min_size) == expected


def test_amersfoort_submitting_alone_moves_no_median():
    """The reproduced leak: one late submission moved 32 medians by one municipality."""
    place = {f"GM{i:04d}": ("VT1", "S1") for i in range(24)}
    rng_values = [40 + (i * 7) % 50 for i in range(24)]

    def rec(code, value):
        return BenchmarkRecord(code, "VT1", "S1", YEAR, VERSION, float(value))

    before = {c: rec(c, v) for (c, v) in zip(place, rng_values, strict=True) if c != "GM0023"}
    after = {**before, "GM0023": rec("GM0023", 58.33)}
    reader = ("GM0000",)
    steps = steps_of([before, after], [reader, reader], place)
    old = release_benchmarks(steps[:1], 5)[0].group("national").overall
    new = release_benchmarks(steps, 5)[0].group("national").overall
    assert old.has_data and new == old  # n stays 22: the release keeps the published cell
    grown = {**after, **{c: rec(c, 90) for c in list(place)[1:5]}}
    steps = steps_of([before, after, grown], [reader] * 3, place)
    assert release_benchmarks(steps, 5)[0].group("national").overall.count == 23
