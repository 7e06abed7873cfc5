"""The anonymous benchmark: aggregation and suppression as pure functions (DOMAIN.md §5).

Nothing here imports Django or touches a database (a test checks that), so the anonymity rules
can be tested exhaustively with generated populations and reused by the page, exports and an
API alike. The rules, their threat model and a worked example are in docs/benchmark.md.

Input: one ``BenchmarkRecord`` per municipality, year and measure-set version (its submitted
self-assessment's overall, per-theme and per-measure realisation, 0-100 or None). Output: per
peer group (national, same Veilig Thuis region, same size class) and per cell (overall, each
theme, each measure) the count, median and quartiles of the peers, without the municipality
itself. A cell whose peers are fewer than the minimum group size, or whose peers differ from
those of another shown cell by fewer than that size, is *suppressed*: it is replaced by
``Cell.empty()``, the very object a cell without any data is, so nothing downstream (template,
export, API) can tell the two apart or learn the hidden value.

Errors are reported as codes with parameters (``Problem``), never as translated text, like the
scoring engine: the web layer maps each code to its Dutch message.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Any

MIN_GROUP_SIZE = 5
"""The smallest minimum group size the engine accepts (DOMAIN.md §5); settings may raise it."""

QUARTILE_METHOD = "inclusive"
"""Quartiles as Python's ``statistics.quantiles(values, n=4, method="inclusive")``."""


class PeerGroup(StrEnum):
    """The peer groups of the benchmark page, in the order the page shows them."""

    NATIONAL = "national"  # landelijk
    REGION = "region"  # zelfde Veilig Thuis-regio
    SIZE_CLASS = "size_class"  # zelfde gemeentegrootte


PEER_GROUPS = tuple(PeerGroup)

OVERALL = "overall"
"""Cell kind of the overall realisation; the others are ``"theme"`` and ``"measure"``."""


# --------------------------------------------------------------------------------------------
# Errors

MESSAGES = {
    "invalid_min_size": (
        "The minimum group size must be a whole number of at least {minimum} (got {value})."
    ),
    "invalid_record": "Record {index} is not a benchmark record.",
    "invalid_code": "Municipality code {code} must be a non-empty text.",
    "duplicate_record": (
        "Municipality {municipality} has more than one record for {year}, version {version}."
    ),
    "invalid_realisation": (
        "The realisation {value} of {cell} for municipality {municipality} must be a number "
        "from 0 to 100 or empty."
    ),
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input: a stable code plus the values its message needs."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return MESSAGES[self.code].format(
            **{k: v if isinstance(v, str) else repr(v) for k, v in self.params.items()}
        )


class BenchmarkError(ValueError):
    """Bad input to the benchmark; ``problems`` lists every problem found, not only the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__(" ".join(p.message for p in self.problems))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.problems)


def validate_min_size(value: Any) -> int:
    """Return ``value`` if it is a whole number >= 5, else raise ``invalid_min_size``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < MIN_GROUP_SIZE:
        raise BenchmarkError(
            [Problem("invalid_min_size", {"minimum": MIN_GROUP_SIZE, "value": value})]
        )
    return value


def _is_code(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _is_realisation(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and 0 <= value <= 100


# --------------------------------------------------------------------------------------------
# Input


@dataclass(frozen=True, slots=True)
class BenchmarkRecord:
    """One municipality's submitted self-assessment of one year, as plain numbers."""

    municipality: str  # CBS code, GM0344
    region: str | None  # Veilig Thuis region code; None when unknown
    size_class: str | None  # gemeentegrootte class; None when unknown
    year: int
    version: str  # measure-set version
    overall: float | None
    themes: Mapping[str, float | None] = field(default_factory=dict)
    measures: Mapping[str, float | None] = field(default_factory=dict)

    def value(self, kind: str, code: str | None = None) -> float | None:
        if kind == OVERALL:
            return self.overall
        return (self.themes if kind == "theme" else self.measures).get(code)


@dataclass(frozen=True, slots=True)
class Subject:
    """The municipality whose benchmark is shown; it need not have submitted anything."""

    municipality: str
    region: str | None
    size_class: str | None

    @classmethod
    def of(cls, record: BenchmarkRecord) -> Subject:
        return cls(record.municipality, record.region, record.size_class)


# --------------------------------------------------------------------------------------------
# Output


@dataclass(frozen=True, slots=True)
class Cell:
    """Peers' distribution in one cell; ``Cell.empty()`` for no data *and* for suppressed.

    The object carries no member list and no flag saying why it is empty: a suppressed cell is
    the same object as an empty one, so ``is``, ``==``, ``str()`` and ``to_dict()`` agree.
    """

    count: int | None = None
    median: float | None = None
    q1: float | None = None
    q3: float | None = None

    @staticmethod
    def empty() -> Cell:
        return EMPTY

    @property
    def has_data(self) -> bool:
        return self.count is not None

    def to_dict(self) -> dict:
        return {"count": self.count, "median": self.median, "q1": self.q1, "q3": self.q3}

    def __str__(self) -> str:
        if self.count is None:
            return "–"
        return f"{self.median:.1f} ({self.q1:.1f}–{self.q3:.1f}; n={self.count})"


EMPTY = Cell()


@dataclass(frozen=True, slots=True)
class GroupBenchmark:
    """One peer group's cells: overall, then per theme and per measure in set order."""

    group: PeerGroup
    overall: Cell
    themes: Mapping[str, Cell]
    measures: Mapping[str, Cell]

    def cell(self, kind: str, code: str | None = None) -> Cell:
        if kind == OVERALL:
            return self.overall
        return (self.themes if kind == "theme" else self.measures).get(code, EMPTY)

    def to_dict(self) -> dict:
        return {
            "group": str(self.group),
            "overall": self.overall.to_dict(),
            "themes": {code: c.to_dict() for code, c in self.themes.items()},
            "measures": {code: c.to_dict() for code, c in self.measures.items()},
        }


@dataclass(frozen=True, slots=True)
class Benchmark:
    """What the benchmark page may show for one municipality, year and measure-set version.

    ``own`` is the municipality's own record, None when it submitted nothing for this year and
    version (it then sees its peers but no own value).
    """

    subject: Subject
    year: int
    version: str
    min_size: int
    own: BenchmarkRecord | None
    groups: tuple[GroupBenchmark, ...]
    theme_codes: tuple[str, ...]
    measure_codes: tuple[str, ...]

    def group(self, group: PeerGroup | str) -> GroupBenchmark:
        group = PeerGroup(group)
        return next(g for g in self.groups if g.group is group)

    def cells(self) -> Iterable[tuple[PeerGroup, str, str | None, Cell]]:
        """Every cell as (group, kind, code, cell): the page's whole table, flat."""
        for g in self.groups:
            for kind, code in _cell_keys(self.theme_codes, self.measure_codes):
                yield g.group, kind, code, g.cell(kind, code)

    def to_dict(self) -> dict:
        own = self.own
        return {
            "municipality": self.subject.municipality,
            "year": self.year,
            "version": self.version,
            "min_size": self.min_size,
            "own": None
            if own is None
            else {
                "overall": own.overall,
                "themes": dict(own.themes),
                "measures": dict(own.measures),
            },
            "groups": [g.to_dict() for g in self.groups],
        }


# --------------------------------------------------------------------------------------------
# Statistics


def quartiles(values: Sequence[float]) -> tuple[float, float, float]:
    """(Q1, median, Q3) of at least two values, by the inclusive method, exactly rounded.

    Equal to ``statistics.quantiles(values, n=4, method="inclusive")`` computed in exact
    arithmetic: the sorted values are interpolated at positions (n - 1) * p for p = 1/4, 2/4,
    3/4, with fractions, and each result is rounded to float once. Q2 is the usual median.
    """
    data = sorted(values)
    n = len(data)
    if n < 2:
        raise ValueError("quartiles need at least two values")
    return tuple(_inclusive(data, n, i) for i in (1, 2, 3))  # type: ignore[return-value]


def _inclusive(data: Sequence[float], n: int, i: int) -> float:
    j, delta = divmod(i * (n - 1), 4)
    low = data[j]
    if delta == 0:
        return float(low)
    high = data[j + 1]
    if low == high:
        return float(low)
    return float(Fraction(low) + (Fraction(high) - Fraction(low)) * Fraction(delta, 4))


def _cell(values: Sequence[float]) -> Cell:
    q1, median, q3 = quartiles(values)
    return Cell(count=len(values), median=median, q1=q1, q3=q3)


# --------------------------------------------------------------------------------------------
# The population of one year and version


def _cell_keys(themes: Sequence[str], measures: Sequence[str]) -> list[tuple[str, str | None]]:
    return (
        [(OVERALL, None)]
        + [("theme", code) for code in themes]
        + [("measure", code) for code in measures]
    )


class Population:
    """The submitted records of one year and measure-set version, validated once.

    Build it once per page (or per export) and ask it for as many municipalities' benchmarks as
    needed: ``Population(records, year=2025, version="2025.1").benchmark(subject, min_size)``.
    Records of other years or versions are ignored.
    """

    def __init__(
        self,
        records: Iterable[BenchmarkRecord],
        *,
        year: int,
        version: str,
        themes: Sequence[str] | None = None,
        measures: Sequence[str] | None = None,
    ):
        problems: list[Problem] = []
        chosen: dict[str, BenchmarkRecord] = {}
        for index, record in enumerate(records):
            if not isinstance(record, BenchmarkRecord):
                problems.append(Problem("invalid_record", {"index": index}))
                continue
            if record.year != year or record.version != version:
                continue
            problems.extend(_check(record))
            if record.municipality in chosen:
                problems.append(
                    Problem(
                        "duplicate_record",
                        {"municipality": record.municipality, "year": year, "version": version},
                    )
                )
            chosen[record.municipality] = record
        if problems:
            raise BenchmarkError(problems)
        self.year = year
        self.version = version
        self.records: dict[str, BenchmarkRecord] = chosen
        if themes is None:
            themes = tuple(dict.fromkeys(c for r in chosen.values() for c in r.themes))
        if measures is None:
            measures = tuple(dict.fromkeys(c for r in chosen.values() for c in r.measures))
        self.theme_codes = tuple(themes)
        self.measure_codes = tuple(measures)
        self.keys = _cell_keys(self.theme_codes, self.measure_codes)
        # Per cell key: (municipality, region, size class, value) of every record with a value,
        # sorted by value once, so a benchmark only filters (the order survives filtering).
        self._columns: dict[tuple[str, str | None], list[tuple[str, Any, Any, float]]] = {}
        for kind, code in self.keys:
            column = [
                (r.municipality, r.region, r.size_class, v)
                for r in chosen.values()
                if (v := r.value(kind, code)) is not None
            ]
            column.sort(key=lambda row: row[3])
            self._columns[(kind, code)] = column

    def members(self, subject: Subject, group: PeerGroup, kind: str, code: str | None = None):
        """The peers of ``subject`` in ``group`` that have a value in the cell, sorted by value.

        A list of (municipality, value); the subject itself is never in it. For audits and
        tests: never show this list, it is exactly what suppression hides.
        """
        own = subject.municipality
        column = self._columns.get((kind, code), ())
        if group is PeerGroup.NATIONAL:
            return [(m, v) for m, _, _, v in column if m != own]
        if group is PeerGroup.REGION:
            wanted = subject.region
            return (
                [(m, v) for m, reg, _, v in column if reg == wanted and m != own] if wanted else []
            )
        wanted = subject.size_class
        return [(m, v) for m, _, s, v in column if s == wanted and m != own] if wanted else []

    def benchmark(self, subject: Subject, min_size: int = MIN_GROUP_SIZE) -> Benchmark:
        """The cells ``subject`` may see: counts, medians and quartiles, suppressed as needed."""
        return self.benchmarks([subject], min_size)[0]

    def benchmarks(
        self, subjects: Sequence[Subject], min_size: int = MIN_GROUP_SIZE
    ) -> tuple[Benchmark, ...]:
        """The benchmarks of every municipality a viewer belongs to, suppressed together.

        A user who is a member of several municipalities sees each one's page and knows each
        one's scores. The rules are applied to all those pages' cells at once, counting only the
        municipalities the viewer does not belong to: a shown cell pools at least ``min_size``
        of them, and two shown cells of one row (on any of the pages) pool equal sets of them or
        sets ``min_size`` apart. With one subject this is the ordinary benchmark.
        """
        min_size = validate_min_size(min_size)
        subjects = list(dict.fromkeys(subjects))
        known = frozenset(s.municipality for s in subjects)
        slots = [(i, g) for i in range(len(subjects)) for g in PEER_GROUPS]
        cells: dict[tuple[int, PeerGroup], dict] = {slot: {} for slot in slots}
        for key in self.keys:
            members = {(i, g): self.members(subjects[i], g, *key) for i, g in slots}
            unknown = {
                slot: frozenset(m for m, _ in rows if m not in known)
                for slot, rows in members.items()
            }
            shown = suppress(unknown, min_size)
            for slot in slots:
                rows = members[slot]
                cells[slot][key] = _cell([v for _, v in rows]) if slot in shown else EMPTY
        index = {subject: i for i, subject in enumerate(subjects)}
        return self.assemble(
            subjects, min_size, lambda subject, g, key: cells[(index[subject], g)][key]
        )

    def assemble(self, subjects, min_size: int, cell) -> tuple[Benchmark, ...]:
        """One Benchmark per subject, its cells read from `cell(subject, group, key)`."""
        return tuple(
            Benchmark(
                subject=subject,
                year=self.year,
                version=self.version,
                min_size=min_size,
                own=self.records.get(subject.municipality),
                groups=tuple(
                    GroupBenchmark(
                        group=g,
                        overall=cell(subject, g, (OVERALL, None)),
                        themes={c: cell(subject, g, ("theme", c)) for c in self.theme_codes},
                        measures={c: cell(subject, g, ("measure", c)) for c in self.measure_codes},
                    )
                    for g in PEER_GROUPS
                ),
                theme_codes=self.theme_codes,
                measure_codes=self.measure_codes,
            )
            for subject in subjects
        )


def _check(record: BenchmarkRecord) -> Iterable[Problem]:
    if not _is_code(record.municipality):
        yield Problem("invalid_code", {"code": record.municipality})
    cells = [(OVERALL, record.overall)]
    cells += [(f"theme {c}", v) for c, v in dict(record.themes).items()]
    cells += [(f"measure {c}", v) for c, v in dict(record.measures).items()]
    for name, value in cells:
        if not _is_realisation(value):
            yield Problem(
                "invalid_realisation",
                {"value": value, "cell": name, "municipality": record.municipality},
            )


def suppress(members: Mapping[Any, Any], min_size: int = MIN_GROUP_SIZE, distance=None) -> set:
    """The groups whose cell may be shown, given each group's member set for one cell.

    Primary rule: a group with fewer than ``min_size`` members is hidden. Complementary rule:
    while two shown groups have member sets that differ (symmetric difference) by at least one
    but fewer than ``min_size`` municipalities, hide the smaller group (on a tie, the later one
    in ``members``' order). What is left has every pair equal or ``min_size`` apart.
    ``distance(a, b)`` replaces the symmetric difference for members that carry values
    (releases: a changed value counts as a difference too).
    """
    min_size = validate_min_size(min_size)
    if distance is None:
        distance = _set_distance
    order = list(members)
    shown = [g for g in order if len(members[g]) >= min_size]
    while True:
        clash = next(
            (
                (a, b)
                for i, a in enumerate(shown)
                for b in shown[i + 1 :]
                if 0 < distance(members[a], members[b]) < min_size
            ),
            None,
        )
        if clash is None:
            return set(shown)
        a, b = clash
        shown.remove(b if len(members[b]) <= len(members[a]) else a)


def _set_distance(a: frozenset, b: frozenset) -> int:
    return len(a ^ b)


# --------------------------------------------------------------------------------------------
# Releases: the same rules over time


@dataclass(frozen=True, slots=True)
class Step:
    """One release as one reader sees it: the frozen population and the reader's municipalities.

    ``subjects`` are the municipalities whose scores the reader knows at that release (own teams
    and the sharing partners as of the release's reference date), the page's own first. Steps
    that share their population should share the ``Population`` object (it is compared by
    identity to skip releases that changed nothing).
    """

    population: Population
    subjects: tuple[Subject, ...]


class _View:
    """A cell's contributions ((municipality, value) pairs); ``len`` counts the unknown ones."""

    __slots__ = ("pairs", "unknown")

    def __init__(self, pairs: frozenset, known: frozenset):
        self.pairs = pairs
        self.unknown = sum(1 for m, _ in pairs if m not in known)

    def __len__(self) -> int:
        return self.unknown


def contributions_apart(a: frozenset, b: frozenset, known: frozenset = frozenset()) -> int:
    """How many municipalities outside ``known`` contribute differently to two cells.

    ``a`` and ``b`` are sets of (municipality, value) pairs: a municipality in one and not the
    other, or with another value, counts once.
    """
    return len({m for m, _ in a ^ b} - known)


def _compatible(a: frozenset, b: frozenset, known: frozenset, min_size: int) -> bool:
    apart = contributions_apart(a, b, known)
    return apart == 0 or apart >= min_size


Slot = tuple[str, PeerGroup]  # (subject municipality, peer group)


def release_views(
    steps: Sequence[Step], min_size: int = MIN_GROUP_SIZE
) -> list[dict[tuple[str, str | None], dict[Slot, frozenset]]]:
    """Per step, per row, the contributions of every cell the reader is shown (audits, tests).

    Never show these pairs: they are what suppression hides. The rule, per row (overall, a
    theme, a measure), over the reader's releases in order:

    - a cell shows its current contributions only when they pool at least ``min_size``
      municipalities the reader does not know and differ from *every* view of that row ever
      shown to the reader (any group, any of the reader's pages) by 0 or at least ``min_size``
      such municipalities (joined, left or changed value);
    - otherwise it keeps the view it showed last (a cell that was never shown stays empty);
    - the cells of one release then get the rules of one page (``suppress``) with changed
      values counting as differences; a new view hidden by them falls back to the last one.

    So any two views of a row the reader can obtain, over time or side by side, are equal or
    ``min_size`` unknown contributions apart, and a step that changes nothing changes no view.
    """
    min_size = validate_min_size(min_size)
    out: list[dict[tuple[str, str | None], dict[Slot, frozenset]]] = [{} for _ in steps]
    keys = steps[-1].population.keys if steps else []

    def apart(a: frozenset, b: frozenset) -> int:
        """Municipalities contributing differently to two unknown parts, exactly when below
        ``min_size`` (else a lower bound of at least ``min_size``, which is all the rules need)."""
        gap = abs(len(a) - len(b))
        if gap >= min_size:
            return gap
        diff = a ^ b
        if len(diff) >= 2 * min_size:
            return len(diff) // 2
        return len({m for m, _ in diff})

    for key in keys:
        # Views are compared on their unknown part only (``proj``: the pairs of municipalities the
        # reader does not know); the full pairs are kept for the statistics.
        seen_full: set[frozenset] = set()  # every view of this row shown so far
        seen: set[frozenset] = set()  # their unknown parts, for ``seen_known``
        seen_known: frozenset | None = None
        latest: dict[Slot, frozenset] = {}  # per cell, the (full) view it showed last
        chosen_full: dict[Slot, frozenset] = {}
        state = None
        for index, step in enumerate(steps):
            subjects = list(dict.fromkeys(step.subjects))
            now = (id(step.population), tuple(subjects))
            if now == state:  # same data, same reader: same views
                out[index][key] = chosen_full
                continue
            state = now
            known = frozenset(s.municipality for s in subjects)

            def project(pairs: frozenset, known=known) -> frozenset:
                return frozenset(p for p in pairs if p[0] not in known)

            if known != seen_known:
                seen = {project(v) for v in seen_full}
                seen_known = known
            # Views whose sizes differ by N or more are N apart: compare only near sizes.
            seen_by_size: dict[int, list[frozenset]] = {}
            for view in seen:
                seen_by_size.setdefault(len(view), []).append(view)
            known_rows = [row for row in step.population._columns.get(key, ()) if row[0] in known]
            column = step.population._columns.get(key, ())
            cache: dict = {}

            def unknown_part(
                subject: Subject, group: PeerGroup, column=column, cache=cache, known=known
            ):
                if group is PeerGroup.NATIONAL:
                    wanted = None
                else:
                    wanted = subject.region if group is PeerGroup.REGION else subject.size_class
                    if wanted is None:
                        return frozenset()
                if (group, wanted) not in cache:
                    index_of = {PeerGroup.REGION: 1, PeerGroup.SIZE_CLASS: 2}.get(group)
                    cache[(group, wanted)] = frozenset(
                        (row[0], row[3])
                        for row in column
                        if row[0] not in known and (index_of is None or row[index_of] == wanted)
                    )
                return cache[(group, wanted)]

            chosen: dict[Slot, frozenset] = {}  # slot -> unknown part
            full_of: dict[Slot, frozenset | None] = {}  # None: the current contributions
            fallback: dict[Slot, frozenset] = {}
            for subject in subjects:
                for group in PEER_GROUPS:
                    slot = (subject.municipality, group)
                    new = unknown_part(subject, group)
                    old = latest.get(slot)
                    fits = len(new) >= min_size and (
                        new in seen
                        or all(
                            (d := apart(new, view)) == 0 or d >= min_size
                            for size in range(len(new) - min_size + 1, len(new) + min_size)
                            for view in seen_by_size.get(size, ())
                        )
                    )
                    if fits:
                        chosen[slot], full_of[slot] = new, None
                        if old is not None:
                            fallback[slot] = old
                    elif old is not None:
                        chosen[slot], full_of[slot] = project(old), old

            while True:
                shown = suppress(chosen, min_size, distance=apart)
                retry = [slot for slot in chosen if slot not in shown and slot in fallback]
                if not retry:
                    break
                for slot in retry:
                    old = fallback.pop(slot)
                    chosen[slot], full_of[slot] = project(old), old
            subjects_by_code = {s.municipality: s for s in subjects}
            chosen_full = {}
            for slot in chosen:
                if slot not in shown:
                    continue
                full = full_of[slot]
                if full is None:  # the unknown part and the known members of the group
                    subject, group = subjects_by_code[slot[0]], slot[1]
                    wanted = {
                        PeerGroup.REGION: (1, subject.region),
                        PeerGroup.SIZE_CLASS: (2, subject.size_class),
                    }.get(group)
                    full = chosen[slot] | frozenset(
                        (row[0], row[3])
                        for row in known_rows
                        if row[0] != subject.municipality
                        and (wanted is None or row[wanted[0]] == wanted[1])
                    )
                chosen_full[slot] = full
                seen.add(chosen[slot])
            seen_full.update(chosen_full.values())
            latest.update(chosen_full)
            out[index][key] = chosen_full
    return out


def release_benchmarks(
    steps: Sequence[Step], min_size: int = MIN_GROUP_SIZE
) -> tuple[Benchmark, ...]:
    """The benchmarks of the last step's subjects, as the release rule lets the reader see them.

    ``steps`` are the reader's releases of one year and measure-set version, oldest first,
    ending with the release shown now. With one step this is ``Population.benchmarks``.
    """
    if not steps:
        raise ValueError("release_benchmarks needs at least one step")
    min_size = validate_min_size(min_size)
    views = release_views(steps, min_size)[-1]
    last = steps[-1]
    population = last.population
    subjects = list(dict.fromkeys(last.subjects))

    def cell(subject: Subject, group: PeerGroup, key) -> Cell:
        pairs = views.get(key, {}).get((subject.municipality, group))
        return EMPTY if pairs is None else _cell([v for _, v in pairs])

    return population.assemble(subjects, min_size, cell)


def benchmark(
    subject: Subject,
    records: Iterable[BenchmarkRecord],
    *,
    year: int,
    version: str,
    min_size: int = MIN_GROUP_SIZE,
    themes: Sequence[str] | None = None,
    measures: Sequence[str] | None = None,
) -> Benchmark:
    """One municipality's benchmark from all records (a shortcut for ``Population``)."""
    validate_min_size(min_size)
    population = Population(records, year=year, version=version, themes=themes, measures=measures)
    return population.benchmark(subject, min_size)


# --------------------------------------------------------------------------------------------
# Named comparison within a sharing agreement


@dataclass(frozen=True, slots=True)
class Participant:
    municipality: str
    name: str


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    """One line of the side-by-side table: a cell's value per participant (None: no value)."""

    kind: str  # "overall", "theme" or "measure"
    code: str | None
    values: tuple[float | None, ...]


@dataclass(frozen=True, slots=True)
class NamedComparison:
    """Participants of one sharing agreement side by side, with names; no suppression."""

    participants: tuple[Participant, ...]
    submitted: tuple[bool, ...]
    rows: tuple[ComparisonRow, ...]

    def to_dict(self) -> dict:
        return {
            "participants": [
                {"municipality": p.municipality, "name": p.name, "submitted": s}
                for p, s in zip(self.participants, self.submitted, strict=True)
            ],
            "rows": [{"kind": r.kind, "code": r.code, "values": list(r.values)} for r in self.rows],
        }


def named_comparison(
    participants: Sequence[Participant],
    records: Iterable[BenchmarkRecord],
    *,
    year: int,
    version: str,
    themes: Sequence[str] | None = None,
    measures: Sequence[str] | None = None,
) -> NamedComparison:
    """Side-by-side results of the participants of one sharing agreement.

    Only the participants' own records are read: records of any other municipality passed in are
    ignored, so a caller cannot leak a non-participant by passing too much. A participant without
    a submitted record for the year and version gets a column of None.
    """
    wanted = list(dict.fromkeys(participants))
    codes = {p.municipality for p in wanted}
    population = Population(
        (r for r in records if isinstance(r, BenchmarkRecord) and r.municipality in codes),
        year=year,
        version=version,
        themes=themes,
        measures=measures,
    )
    own = [population.records.get(p.municipality) for p in wanted]
    rows = tuple(
        ComparisonRow(kind, code, tuple(None if r is None else r.value(kind, code) for r in own))
        for kind, code in population.keys
    )
    return NamedComparison(
        participants=tuple(wanted), submitted=tuple(r is not None for r in own), rows=rows
    )
