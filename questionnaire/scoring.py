"""The self-assessment scoring engine: pure functions over plain frozen data (DOMAIN.md §4).

Nothing here imports Django or touches a database, so the engine can be tested, benchmarked and
reused (results page, benchmark, council report) without models. The rules are explained with a
worked example in docs/scoring.md; a test checks that example against this code.

Exactness: answers are whole numbers and weights are whole numbers, so every score is a rational
number. The engine computes with integers and converts to ``float`` once, with one correctly
rounded division. That keeps every score inside 0-100, makes bands exact at their boundaries and
makes a recomputation bit-for-bit identical to the stored result.

Errors are reported as codes with parameters (``Problem``), never as translated text: the code
stays free of Django, and the web layer maps each code to its Dutch message.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from compass.links import is_safe_link

SCORING_VERSION = "2026.1"
"""Version of these rules; stored with every submitted result. Change it when a rule changes."""

SNAPSHOT_FORMAT = 1
DEFAULT_TOP = 5
SCALE = (0, 1, 2, 3, 4)
SCALE_MAX = 4


class Aspect(StrEnum):
    """The three questions asked about every measure, in questionnaire order."""

    WHAT_WE_DO = "what_we_do"  # wat doen we
    REACH = "reach"  # bereik
    EMBEDDING = "embedding"  # borging


ASPECTS = tuple(Aspect)
_ASPECT_BY_VALUE = {str(a): a for a in Aspect}


class Special(StrEnum):
    """Answers outside the 0-4 scale."""

    DONT_KNOW = "dont_know"  # weet niet: counts as 0 and is flagged
    NOT_APPLICABLE = "not_applicable"  # niet van toepassing: left out


DONT_KNOW = Special.DONT_KNOW
NOT_APPLICABLE = Special.NOT_APPLICABLE
_ANSWER_BY_VALUE: dict[int | str, int | Special] = {v: v for v in range(SCALE_MAX + 1)}
_ANSWER_BY_VALUE.update({str(s): s for s in Special})
_ANSWER_TYPES = (int, str, Special)


class Band(StrEnum):
    """Realisation bands: laag, deels, hoog."""

    LOW = "low"
    PARTLY = "partly"
    HIGH = "high"


# --------------------------------------------------------------------------------------------
# Errors


MESSAGES = {
    "invalid_answers": "The answers must map each measure code to its aspects.",
    "unknown_measure": "Measure {measure} is not part of measure set version {version}.",
    "wrong_version": (
        "These answers belong to measure set version {given}, not to version {version}."
    ),
    "unknown_aspect": "Measure {measure} has no aspect {aspect}.",
    "invalid_value": (
        "The answer {value} to {aspect} of measure {measure} is not on the scale: "
        "use 0 to 4, 'dont_know' or 'not_applicable'."
    ),
    "missing_answer": "Measure {measure} has no answer for {aspect}.",
    "empty_measure_set": "Measure set version {version} has no measures.",
    "invalid_version": "A measure set needs a version text.",
    "invalid_code": "Code {code} must be a non-empty text.",
    "duplicate_theme": "Theme {theme} appears more than once.",
    "duplicate_measure": "Measure {measure} appears more than once.",
    "unknown_theme": "Measure {measure} belongs to theme {theme}, which is not in the set.",
    "invalid_weight": "The weight {weight} of {code} must be a whole number of at least 1.",
    "theme_weights_mixed": (
        "Either every theme has a weight or none has; these themes have none: {themes}."
    ),
    "duplicate_suggestion": "Suggestion {suggestion} appears more than once.",
    "invalid_suggestion_id": "Suggestion id {suggestion} must be a text or a whole number.",
    "invalid_suggestion": "Suggestion {suggestion} needs a text and a list of links (texts).",
    "suggestion_unknown_measure": (
        "Suggestion {suggestion} belongs to measure {measure}, which is not in the set."
    ),
    "invalid_band": "Suggestion {suggestion} names band {band}; use low, partly or high.",
    "invalid_aspect": (
        "Suggestion {suggestion} names aspect {aspect}; use what_we_do, reach or embedding."
    ),
    "invalid_thresholds": (
        "The band thresholds must be numbers with 0 <= low < high <= 100 (got {low} and {high})."
    ),
    "invalid_top": "The number of suggestions must be a whole number of at least 0 (got {top}).",
    "scoring_version_mismatch": (
        "This result was scored with rules {stored}; the current rules are {current}."
    ),
    "invalid_snapshot": "The stored result cannot be read: {detail}.",
    "invalid_link": (
        "Suggestion {suggestion} links to {link}; a link must be an http(s) address or a path "
        "of this site."
    ),
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input: a stable code plus the values its message needs."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return MESSAGES[self.code].format(**{k: _show(v) for k, v in self.params.items()})


def _show(value: Any) -> str:
    return repr(value) if not isinstance(value, str) else value


class ScoringError(ValueError):
    """Bad input to the engine; ``problems`` lists every problem found, not only the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__(" ".join(p.message for p in self.problems))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.problems)


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_code(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


# --------------------------------------------------------------------------------------------
# Input: the measure set, thresholds and answers


@dataclass(frozen=True, slots=True)
class ThemeSpec:
    """A theme; ``weight`` None on every theme means the measures' weights drive the overall."""

    code: str
    weight: int | None = None


@dataclass(frozen=True, slots=True)
class MeasureSpec:
    code: str
    theme_code: str
    weight: int = 1


@dataclass(frozen=True, slots=True)
class SuggestionSpec:
    """Editor advice for a measure, for one band and/or one weak aspect (None matches any)."""

    id: str | int
    measure_code: str
    text: str
    band: Band | None = None
    aspect: Aspect | None = None
    links: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Accept plain texts ("low", "reach") and lists from forms or JSON; unknown values stay
        # as they are, for MeasureSetSpec to report by name.
        if isinstance(self.band, str):
            object.__setattr__(self, "band", Band._value2member_map_.get(self.band, self.band))
        if isinstance(self.aspect, str):
            object.__setattr__(
                self, "aspect", Aspect._value2member_map_.get(self.aspect, self.aspect)
            )
        if isinstance(self.links, list):
            object.__setattr__(self, "links", tuple(self.links))


def link_url(link: str) -> str:
    """The address of a suggestion link, stored as "title\\naddress" (or the address alone)."""
    _title, sep, url = link.partition("\n")
    return url if sep else link


@dataclass(frozen=True)
class MeasureSetSpec:
    """One version of the questionnaire content; validated once, when it is built."""

    version: str
    themes: tuple[ThemeSpec, ...]
    measures: tuple[MeasureSpec, ...]
    suggestions: tuple[SuggestionSpec, ...] = ()
    # Lookups derived in __post_init__ (not part of equality or the hash).
    _measure_index: dict = field(init=False, repr=False, compare=False, hash=False)
    _theme_measures: tuple = field(init=False, repr=False, compare=False, hash=False)
    _suggestions_by_measure: dict = field(init=False, repr=False, compare=False, hash=False)
    _weighted_themes: bool = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "themes", tuple(self.themes))
        object.__setattr__(self, "measures", tuple(self.measures))
        object.__setattr__(self, "suggestions", tuple(self.suggestions))
        problems = list(self._check())
        if problems:
            raise ScoringError(problems)
        index = {m.code: i for i, m in enumerate(self.measures)}
        by_theme = {t.code: [] for t in self.themes}
        for i, m in enumerate(self.measures):
            by_theme[m.theme_code].append(i)
        per_measure: dict[str, list[tuple[int, SuggestionSpec]]] = {}
        for position, s in enumerate(self.suggestions):
            per_measure.setdefault(s.measure_code, []).append((position, s))
        object.__setattr__(self, "_measure_index", index)
        object.__setattr__(
            self,
            "_theme_measures",
            tuple((t, tuple(by_theme[t.code])) for t in self.themes),
        )
        object.__setattr__(
            self, "_suggestions_by_measure", {k: tuple(v) for k, v in per_measure.items()}
        )
        object.__setattr__(
            self, "_weighted_themes", bool(self.themes) and self.themes[0].weight is not None
        )

    def _check(self) -> Iterable[Problem]:
        if not _is_code(self.version):
            yield Problem("invalid_version", {})
        if not self.measures:
            yield Problem("empty_measure_set", {"version": self.version})
        themes: set[str] = set()
        for t in self.themes:
            if not _is_code(t.code):
                yield Problem("invalid_code", {"code": t.code})
            elif t.code in themes:
                yield Problem("duplicate_theme", {"theme": t.code})
            else:
                themes.add(t.code)
            if t.weight is not None and not (_is_whole(t.weight) and t.weight >= 1):
                yield Problem("invalid_weight", {"weight": t.weight, "code": t.code})
        unweighted = [t.code for t in self.themes if t.weight is None]
        if unweighted and len(unweighted) != len(self.themes):
            yield Problem("theme_weights_mixed", {"themes": ", ".join(unweighted)})
        measures: set[str] = set()
        for m in self.measures:
            if not _is_code(m.code):
                yield Problem("invalid_code", {"code": m.code})
            elif m.code in measures:
                yield Problem("duplicate_measure", {"measure": m.code})
            else:
                measures.add(m.code)
            if not _is_code(m.theme_code) or m.theme_code not in themes:
                yield Problem("unknown_theme", {"measure": m.code, "theme": m.theme_code})
            if not (_is_whole(m.weight) and m.weight >= 1):
                yield Problem("invalid_weight", {"weight": m.weight, "code": m.code})
        ids: set = set()
        for s in self.suggestions:
            if not (_is_code(s.id) or _is_whole(s.id)):
                yield Problem("invalid_suggestion_id", {"suggestion": s.id})
            elif s.id in ids:
                yield Problem("duplicate_suggestion", {"suggestion": s.id})
            else:
                ids.add(s.id)
            if not isinstance(s.text, str) or not (
                isinstance(s.links, tuple) and all(isinstance(link, str) for link in s.links)
            ):
                yield Problem("invalid_suggestion", {"suggestion": s.id})
            if not _is_code(s.measure_code) or s.measure_code not in measures:
                yield Problem(
                    "suggestion_unknown_measure", {"suggestion": s.id, "measure": s.measure_code}
                )
            elif any(not is_safe_link(link_url(link)) for link in s.links):
                bad = next(link for link in s.links if not is_safe_link(link_url(link)))
                yield Problem("invalid_link", {"suggestion": s.id, "link": link_url(bad)})
            if s.band is not None and not isinstance(s.band, Band):
                yield Problem("invalid_band", {"suggestion": s.id, "band": s.band})
            if s.aspect is not None and not isinstance(s.aspect, Aspect):
                yield Problem("invalid_aspect", {"suggestion": s.id, "aspect": s.aspect})

    @property
    def measure_codes(self) -> tuple[str, ...]:
        return tuple(m.code for m in self.measures)

    def to_dict(self) -> dict:
        return {
            "version": self.version,
            "themes": [{"code": t.code, "weight": t.weight} for t in self.themes],
            "measures": [
                {"code": m.code, "theme": m.theme_code, "weight": m.weight} for m in self.measures
            ],
            "suggestions": [
                {
                    "id": s.id,
                    "measure": s.measure_code,
                    "band": None if s.band is None else str(s.band),
                    "aspect": None if s.aspect is None else str(s.aspect),
                    "text": s.text,
                    "links": list(s.links),
                }
                for s in self.suggestions
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> MeasureSetSpec:
        """Build a measure set from ``to_dict`` output (or the same shape written by hand)."""
        try:
            return cls(
                version=data["version"],
                themes=tuple(
                    ThemeSpec(code=t["code"], weight=t.get("weight")) for t in data["themes"]
                ),
                measures=tuple(
                    MeasureSpec(code=m["code"], theme_code=m["theme"], weight=m.get("weight", 1))
                    for m in data["measures"]
                ),
                suggestions=tuple(
                    SuggestionSpec(
                        id=s["id"],
                        measure_code=s["measure"],
                        text=s.get("text", ""),
                        band=s.get("band"),
                        aspect=s.get("aspect"),
                        links=tuple(s.get("links", ())),
                    )
                    for s in data.get("suggestions", ())
                ),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ScoringError([Problem("invalid_snapshot", {"detail": repr(exc)})]) from exc


@dataclass(frozen=True)
class Thresholds:
    """Band boundaries in percent: below ``low`` is low, from ``high`` up is high."""

    low: int | float | Decimal = 40
    high: int | float | Decimal = 70
    # The boundaries as exact integer fractions (numerator, denominator), for fast comparisons.
    _cuts: tuple[int, int, int, int] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        try:
            if any(
                isinstance(v, bool) or not isinstance(v, int | float | Decimal)
                for v in (self.low, self.high)
            ):
                raise TypeError
            low, high = Fraction(self.low), Fraction(self.high)
        except (TypeError, ValueError, OverflowError, ArithmeticError):
            low = high = None
        if low is None or not (0 <= low < high <= 100):
            raise ScoringError(
                [Problem("invalid_thresholds", {"low": self.low, "high": self.high})]
            )
        cuts = (low.numerator, low.denominator, high.numerator, high.denominator)
        object.__setattr__(self, "_cuts", cuts)

    def band_of(self, num: int, den: int) -> Band:
        """Band of the exact value num/den (den > 0), compared without rounding."""
        low_num, low_den, high_num, high_den = self._cuts
        if num * low_den < low_num * den:
            return Band.LOW
        if num * high_den < high_num * den:
            return Band.PARTLY
        return Band.HIGH

    def to_dict(self) -> dict:
        return {"low": _number_out(self.low), "high": _number_out(self.high)}

    @classmethod
    def from_dict(cls, data: Mapping) -> Thresholds:
        return cls(low=_number_in(data["low"]), high=_number_in(data["high"]))


DEFAULT_THRESHOLDS = Thresholds()


def _number_out(value: int | float | Decimal) -> int | float | str:
    return str(value) if isinstance(value, Decimal) else value


def _number_in(value: Any) -> Any:
    return Decimal(value) if isinstance(value, str) else value


def band(
    value: float | int | Decimal | Fraction | None, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Band | None:
    """Band of a realisation in percent: below low is low, below high is partly, else high."""
    if value is None:
        return None
    value = Fraction(value)
    return thresholds.band_of(value.numerator, value.denominator)


def validate_answers(
    measure_set: MeasureSetSpec, answers: Any, version: str | None = None
) -> dict[str, dict[Aspect, int | Special]]:
    """Check answers against the measure set; return them normalised or raise ScoringError.

    Every measure of the set needs an answer on each of the three aspects. ``version``, when
    given, is the measure-set version the answers were given on (e.g. from the form).
    """
    problems: list[Problem] = []
    if version is not None and version != measure_set.version:
        problems.append(
            Problem("wrong_version", {"given": version, "version": measure_set.version})
        )
    if not isinstance(answers, Mapping):
        raise ScoringError([*problems, Problem("invalid_answers", {})])
    normalised: dict[str, dict[Aspect, int | Special]] = {}
    invalid: set[tuple[str, Aspect]] = set()
    for code, per_aspect in answers.items():
        if code not in measure_set._measure_index:
            problems.append(
                Problem("unknown_measure", {"measure": code, "version": measure_set.version})
            )
            continue
        if type(per_aspect) is not dict and not isinstance(per_aspect, Mapping):
            problems.append(Problem("invalid_answers", {}))
            continue
        clean: dict[Aspect, int | Special] = {}
        for aspect, value in per_aspect.items():
            known = _ASPECT_BY_VALUE.get(aspect) if isinstance(aspect, str) else None
            if known is None:
                problems.append(Problem("unknown_aspect", {"measure": code, "aspect": aspect}))
                continue
            # type() rather than isinstance(): True and 1.0 compare equal to 1 but are no answer.
            if type(value) in _ANSWER_TYPES and value in _ANSWER_BY_VALUE:
                clean[known] = _ANSWER_BY_VALUE[value]
            else:
                problems.append(
                    Problem("invalid_value", {"measure": code, "aspect": known, "value": value})
                )
                invalid.add((code, known))
        normalised[code] = clean
    for measure in measure_set.measures:
        if measure.code in answers and measure.code not in normalised:
            continue  # already reported as malformed
        given = normalised.get(measure.code, {})
        for aspect in ASPECTS:
            if aspect not in given and (measure.code, aspect) not in invalid:
                problems.append(
                    Problem("missing_answer", {"measure": measure.code, "aspect": aspect})
                )
    if problems:
        raise ScoringError(problems)
    return {m.code: normalised[m.code] for m in measure_set.measures}


# --------------------------------------------------------------------------------------------
# Output


@dataclass(frozen=True, slots=True)
class MeasureResult:
    code: str
    theme_code: str
    realisation: float | None  # percent; None when every aspect is "niet van toepassing"
    band: Band | None
    weak_aspect: Aspect | None
    dont_know: tuple[Aspect, ...]  # aspects answered "weet niet" (flagged)
    not_applicable: tuple[Aspect, ...]
    share: float | None  # the measure's share of the overall score (0-1); None when excluded


@dataclass(frozen=True, slots=True)
class ThemeResult:
    code: str
    realisation: float | None  # None when no measure of the theme has a value
    band: Band | None
    measure_count: int  # measures that count (not wholly "niet van toepassing")


@dataclass(frozen=True, slots=True)
class RankedSuggestion:
    id: str | int
    measure_code: str
    band: Band | None
    aspect: Aspect | None
    text: str
    links: tuple[str, ...]
    gain: float  # percentage points the overall score would rise if the gap were closed


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    scoring_version: str
    measure_set_version: str
    thresholds: Thresholds
    measures: tuple[MeasureResult, ...]
    themes: tuple[ThemeResult, ...]
    overall: float | None
    overall_band: Band | None
    suggestions: tuple[RankedSuggestion, ...]

    def measure(self, code: str) -> MeasureResult:
        for m in self.measures:
            if m.code == code:
                return m
        raise KeyError(code)

    def theme(self, code: str) -> ThemeResult:
        for t in self.themes:
            if t.code == code:
                return t
        raise KeyError(code)

    @property
    def dont_know(self) -> tuple[tuple[str, Aspect], ...]:
        """Every (measure code, aspect) answered "weet niet", in questionnaire order."""
        return tuple((m.code, a) for m in self.measures for a in m.dont_know)

    def to_dict(self) -> dict:
        return {
            "scoring_version": self.scoring_version,
            "measure_set_version": self.measure_set_version,
            "thresholds": self.thresholds.to_dict(),
            "overall": self.overall,
            "overall_band": _str_or_none(self.overall_band),
            "themes": [
                {
                    "code": t.code,
                    "realisation": t.realisation,
                    "band": _str_or_none(t.band),
                    "measure_count": t.measure_count,
                }
                for t in self.themes
            ],
            "measures": [
                {
                    "code": m.code,
                    "theme": m.theme_code,
                    "realisation": m.realisation,
                    "band": _str_or_none(m.band),
                    "weak_aspect": _str_or_none(m.weak_aspect),
                    "dont_know": [str(a) for a in m.dont_know],
                    "not_applicable": [str(a) for a in m.not_applicable],
                    "share": m.share,
                }
                for m in self.measures
            ],
            "suggestions": [
                {
                    "id": s.id,
                    "measure": s.measure_code,
                    "band": _str_or_none(s.band),
                    "aspect": _str_or_none(s.aspect),
                    "text": s.text,
                    "links": list(s.links),
                    "gain": s.gain,
                }
                for s in self.suggestions
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> AssessmentResult:
        """Read a stored result, checking its shape and types; ScoringError when it cannot."""
        try:
            _need(isinstance(data, Mapping), "the result is not an object")
            return cls(
                scoring_version=_text(data["scoring_version"]),
                measure_set_version=_text(data["measure_set_version"]),
                thresholds=Thresholds.from_dict(data["thresholds"]),
                overall=_percent(data["overall"]),
                overall_band=_band_or_none(data["overall_band"]),
                themes=tuple(
                    ThemeResult(
                        code=_text(t["code"]),
                        realisation=_percent(t["realisation"]),
                        band=_band_or_none(t["band"]),
                        measure_count=_count(t["measure_count"]),
                    )
                    for t in _items(data["themes"])
                ),
                measures=tuple(
                    MeasureResult(
                        code=_text(m["code"]),
                        theme_code=_text(m["theme"]),
                        realisation=_percent(m["realisation"]),
                        band=_band_or_none(m["band"]),
                        weak_aspect=None if m["weak_aspect"] is None else Aspect(m["weak_aspect"]),
                        dont_know=tuple(Aspect(a) for a in _list_of(m["dont_know"])),
                        not_applicable=tuple(Aspect(a) for a in _list_of(m["not_applicable"])),
                        share=_fraction(m["share"]),
                    )
                    for m in _items(data["measures"])
                ),
                suggestions=tuple(
                    RankedSuggestion(
                        id=s["id"] if _is_code(s["id"]) or _is_whole(s["id"]) else _bad("id"),
                        measure_code=_text(s["measure"]),
                        band=_band_or_none(s["band"]),
                        aspect=None if s["aspect"] is None else Aspect(s["aspect"]),
                        text=_text(s["text"], empty=True),
                        links=tuple(_text(link) for link in _list_of(s["links"])),
                        gain=_number(s["gain"]),
                    )
                    for s in _items(data["suggestions"])
                ),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            if isinstance(exc, ScoringError):
                raise
            raise ScoringError([Problem("invalid_snapshot", {"detail": repr(exc)})]) from exc


def _bad(what: str):
    raise ValueError(f"unexpected {what}")


def _need(condition: bool, what: str) -> None:
    if not condition:
        raise ValueError(what)


def _text(value: Any, empty: bool = False) -> str:
    _need(isinstance(value, str) and (empty or value != ""), f"not a text: {value!r}")
    return value


def _number(value: Any) -> float | int:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    _need(ok, f"not a number: {value!r}")
    return value


def _percent(value: Any) -> float | int | None:
    if value is None:
        return None
    _need(0 <= _number(value) <= 100, f"not a percentage: {value!r}")
    return value


def _fraction(value: Any) -> float | int | None:
    if value is None:
        return None
    _need(0 <= _number(value) <= 1, f"not a share: {value!r}")
    return value


def _count(value: Any) -> int:
    _need(_is_whole(value) and value >= 0, f"not a count: {value!r}")
    return value


def _list_of(value: Any) -> list:
    _need(isinstance(value, list | tuple), f"not a list: {value!r}")
    return list(value)


def _items(value: Any) -> list:
    items = _list_of(value)
    _need(all(isinstance(item, Mapping) for item in items), "a list item is not an object")
    return items


def _str_or_none(value: StrEnum | None) -> str | None:
    return None if value is None else str(value)


def _band_or_none(value: str | None) -> Band | None:
    return None if value is None else Band(value)


# --------------------------------------------------------------------------------------------
# The engine


def score_assessment(
    measure_set: MeasureSetSpec,
    answers: Mapping,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    top: int | None = DEFAULT_TOP,
    version: str | None = None,
) -> AssessmentResult:
    """Score one self-assessment: every measure, theme and the overall, plus ranked suggestions.

    ``top`` limits the suggestions (None: all that apply). Raises ScoringError on bad input.
    """
    if top is not None and not (_is_whole(top) and top >= 0):
        raise ScoringError([Problem("invalid_top", {"top": top})])
    clean = validate_answers(measure_set, answers, version)
    measures = measure_set.measures

    # Per measure: R = realisation x 12, an integer (n answered aspects divides 300).
    scaled: list[int | None] = []
    counts: list[int] = []
    weak: list[tuple[Aspect, int] | None] = []
    measure_parts = []
    for m in measures:
        total = answered = 0
        lowest: tuple[Aspect, int] | None = None
        dont_know = []
        not_applicable = []
        given = clean[m.code]
        for aspect in ASPECTS:
            value = given[aspect]
            if value is NOT_APPLICABLE:
                not_applicable.append(aspect)
                continue
            if value is DONT_KNOW:
                dont_know.append(aspect)
                value = 0
            total += value
            answered += 1
            if value < SCALE_MAX and (lowest is None or value < lowest[1]):
                lowest = (aspect, value)
        scaled.append(300 * total // answered if answered else None)
        counts.append(answered)
        weak.append(lowest)
        measure_parts.append((tuple(dont_know), tuple(not_applicable)))

    # Per theme: value = num / (12 * wsum) over the measures with a value.
    theme_rows = []  # (members, weight in the overall, wsum, num)
    theme_results = []
    for theme, members in measure_set._theme_measures:
        wsum = num = count = 0
        for i in members:
            r = scaled[i]
            if r is not None:
                w = measures[i].weight
                wsum += w
                num += w * r
                count += 1
        if count:
            den = 12 * wsum
            theme_results.append(
                ThemeResult(theme.code, num / den, thresholds.band_of(num, den), count)
            )
            weight = theme.weight if measure_set._weighted_themes else wsum
            theme_rows.append((members, weight, wsum, num))
        else:
            theme_results.append(ThemeResult(theme.code, None, None, 0))

    # Overall: theme-weighted mean. With L = lcm of the themes' measure-weight sums and
    # W = sum of theme weights, a measure's share of the overall is share_int / (W * L).
    overall = overall_band = None
    shares: dict[str, int] = {}
    big_den = 1
    if theme_rows:
        lcm = math.lcm(*(row[2] for row in theme_rows))
        weight_sum = sum(row[1] for row in theme_rows)
        big_den = weight_sum * lcm
        overall_num = 0
        for members, weight, wsum, num in theme_rows:
            factor = weight * (lcm // wsum)
            overall_num += factor * num
            for i in members:
                if scaled[i] is not None:
                    shares[measures[i].code] = factor * measures[i].weight
        overall = overall_num / (12 * big_den)
        overall_band = thresholds.band_of(overall_num, 12 * big_den)

    measure_results = []
    for i, m in enumerate(measures):
        r = scaled[i]
        dont_know, not_applicable = measure_parts[i]
        if r is None:
            measure_results.append(
                MeasureResult(
                    m.code, m.theme_code, None, None, None, dont_know, not_applicable, None
                )
            )
            continue
        measure_results.append(
            MeasureResult(
                m.code,
                m.theme_code,
                r / 12,
                thresholds.band_of(r, 12),
                None if weak[i] is None else weak[i][0],
                dont_know,
                not_applicable,
                shares[m.code] / big_den,
            )
        )

    ranked = _rank_suggestions(
        measure_set, measure_results, scaled, counts, weak, shares, 12 * big_den, top
    )
    return AssessmentResult(
        scoring_version=SCORING_VERSION,
        measure_set_version=measure_set.version,
        thresholds=thresholds,
        measures=tuple(measure_results),
        themes=tuple(theme_results),
        overall=overall,
        overall_band=overall_band,
        suggestions=tuple(ranked),
    )


def _rank_suggestions(measure_set, measure_results, scaled, counts, weak, shares, gain_den, top):
    """Suggestions that match a measure's band and weak aspect, by gain (weight x gap)."""
    candidates = []
    for i, result in enumerate(measure_results):
        r = scaled[i]
        if r is None:
            continue
        mine = measure_set._suggestions_by_measure.get(result.code)
        if not mine:
            continue
        share = shares[result.code]
        weak_aspect = result.weak_aspect
        for position, s in mine:
            if s.band is not None and s.band != result.band:
                continue
            if s.aspect is not None:
                if s.aspect != weak_aspect:
                    continue
                # Raising the weak aspect to 4 adds (4 - v) x 25 / n points to the measure.
                gap12 = (SCALE_MAX - weak[i][1]) * 300 // counts[i]
            else:
                gap12 = 1200 - r  # closing the whole gap to 100 %
            if gap12 <= 0:
                continue
            key = share * gap12  # gain x gain_den, an integer
            candidates.append((-key, i, position, s))
    candidates.sort(key=lambda c: c[:3])
    if top is not None:
        candidates = candidates[:top]
    return [
        RankedSuggestion(s.id, s.measure_code, s.band, s.aspect, s.text, s.links, -neg / gain_den)
        for neg, _, _, s in candidates
    ]


# --------------------------------------------------------------------------------------------
# Frozen results and versions


def freeze(
    measure_set: MeasureSetSpec,
    answers: Mapping,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    top: int | None = DEFAULT_TOP,
) -> dict:
    """Score and return a JSON-ready snapshot: the inputs, the rules' version and the result.

    Store the snapshot with a submitted self-assessment; ``recompute`` reproduces its result
    exactly, even after editors change the measure set.
    """
    clean = validate_answers(measure_set, answers)
    result = score_assessment(measure_set, clean, thresholds, top)
    return {
        "format": SNAPSHOT_FORMAT,
        "scoring_version": SCORING_VERSION,
        "measure_set": measure_set.to_dict(),
        "answers": {
            code: {str(a): (v if isinstance(v, int) else str(v)) for a, v in per.items()}
            for code, per in clean.items()
        },
        "thresholds": thresholds.to_dict(),
        "top": top,
        "result": result.to_dict(),
    }


def recompute(snapshot: Mapping) -> AssessmentResult:
    """Score a snapshot's stored inputs again; refuses a snapshot made under other rules."""
    try:
        stored = snapshot["scoring_version"]
        if snapshot["format"] != SNAPSHOT_FORMAT:
            raise ValueError(f"unknown snapshot format {snapshot['format']!r}")
        measure_set = MeasureSetSpec.from_dict(snapshot["measure_set"])
        thresholds = Thresholds.from_dict(snapshot["thresholds"])
        answers, top = snapshot["answers"], snapshot["top"]
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        if isinstance(exc, ScoringError):
            raise
        raise ScoringError([Problem("invalid_snapshot", {"detail": repr(exc)})]) from exc
    if stored != SCORING_VERSION:
        raise ScoringError(
            [Problem("scoring_version_mismatch", {"stored": stored, "current": SCORING_VERSION})]
        )
    return score_assessment(measure_set, answers, thresholds, top)


def stored_result(snapshot: Mapping) -> AssessmentResult:
    """The result as it was stored in the snapshot (what the result page shows).

    Raises ScoringError ("invalid_snapshot") when the snapshot or its result cannot be read.
    """
    if not isinstance(snapshot, Mapping) or "result" not in snapshot:
        raise ScoringError([Problem("invalid_snapshot", {"detail": "no result"})])
    return AssessmentResult.from_dict(snapshot["result"])


@dataclass(frozen=True, slots=True)
class Change:
    """One measure or theme compared between two results (matched by code)."""

    code: str
    old: float | None
    new: float | None
    old_band: Band | None
    new_band: Band | None

    @property
    def change(self) -> float | None:
        """New minus old realisation in percentage points; None when either has no value."""
        if self.old is None or self.new is None:
            return None
        return self.new - self.old


@dataclass(frozen=True, slots=True)
class Comparison:
    old_version: str
    new_version: str
    overall: Change
    themes: tuple[Change, ...]  # themes present in both, in the new set's order
    carried_over: tuple[Change, ...]  # measures present in both, in the new set's order
    added: tuple[str, ...]  # measure codes only in the new result
    removed: tuple[str, ...]  # measure codes only in the old result

    @property
    def same_version(self) -> bool:
        return self.old_version == self.new_version


def compare_results(old: AssessmentResult, new: AssessmentResult) -> Comparison:
    """Compare two results, e.g. last year's and this year's; measures are matched by code."""
    old_measures = {m.code: m for m in old.measures}
    new_codes = {m.code for m in new.measures}
    old_themes = {t.code: t for t in old.themes}
    return Comparison(
        old_version=old.measure_set_version,
        new_version=new.measure_set_version,
        overall=Change("overall", old.overall, new.overall, old.overall_band, new.overall_band),
        themes=tuple(
            Change(
                t.code,
                old_themes[t.code].realisation,
                t.realisation,
                old_themes[t.code].band,
                t.band,
            )
            for t in new.themes
            if t.code in old_themes
        ),
        carried_over=tuple(
            Change(
                m.code,
                old_measures[m.code].realisation,
                m.realisation,
                old_measures[m.code].band,
                m.band,
            )
            for m in new.measures
            if m.code in old_measures
        ),
        added=tuple(m.code for m in new.measures if m.code not in old_measures),
        removed=tuple(m.code for m in old.measures if m.code not in new_codes),
    )
