"""Is a societal result on track? The rule of DOMAIN.md (§ On track), as a pure function.

A result with a baseline (value, year) and a target (value, year) is on track when its latest
measured value is at or beyond the straight path from baseline to target at that year, in the
result's direction (higher or lower is better). After the target year the path stays at the
target. "No data" when there is no value after the baseline year; "not measurable" when the
baseline or the target is incomplete (the latest value is still reported).

A result with no fixed direction (Veilig Thuis counts: more reports may mean better signalling,
DOMAIN-REVIEW M1) gets no verdict at all: "no direction", with its latest value and, when the
path exists, the value on it, so the team interprets the value instead of scoring it.

Tolerance: a value is compared at the precision in which it was reported. A survey figure of
66 % (whole percents) against a path value of 66.2 % is on track; 64.9 against 65 is not
(reported in tenths, it is 0.1 short). The margin is TOLERANCE_IN_LAST_DIGIT (half a unit of
the value's last digit, at most 0.5), so only rounding of the reported value is forgiven.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

HIGHER = "higher"
LOWER = "lower"
NEUTRAL = "neutral"  # no fixed direction: no verdict (cms.choices.Direction.NEUTRAL)
# Half a unit of the last digit in which a value was reported: 66 -> 0.5, 64.9 -> 0.05.
TOLERANCE_IN_LAST_DIGIT = Fraction(1, 2)


class Track(StrEnum):
    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"
    NOT_MEASURABLE = "not_measurable"
    NO_DIRECTION = "no_direction"  # the result has no fixed direction: interpret, no verdict


@dataclass(frozen=True)
class Verdict:
    status: Track
    latest_year: int | None = None
    latest_value: Decimal | None = None
    expected: Decimal | None = None  # the path's value in the latest year, to two decimals


def path_value(
    baseline: Decimal, baseline_year: int, target: Decimal, target_year: int, year: int
) -> Fraction:
    """The straight path from baseline to target at `year` (the target from the target year on)."""
    if year >= target_year or target_year == baseline_year:
        return Fraction(target)
    share = Fraction(year - baseline_year, target_year - baseline_year)
    return Fraction(baseline) + (Fraction(target) - Fraction(baseline)) * share


def tolerance(value: Decimal) -> Fraction:
    """Half a unit of the last digit of the reported value (66 -> 1/2, 64.9 -> 1/20, 12.25 ->
    1/200); whole numbers with trailing zeros (70) count as whole units, not tens."""
    exponent = min(Decimal(value).normalize().as_tuple().exponent, 0)
    return TOLERANCE_IN_LAST_DIGIT * Fraction(10) ** exponent


def _decimal(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def on_track(
    baseline: Decimal | None,
    baseline_year: int | None,
    target: Decimal | None,
    target_year: int | None,
    direction: str,
    values: Iterable[tuple[int, Decimal]],
) -> Verdict:
    """Judge the latest value after the baseline year against the path from baseline to target."""
    values = sorted(values, key=lambda pair: pair[0])
    complete = None not in (baseline, baseline_year, target, target_year)
    if direction == NEUTRAL:
        return _without_direction(baseline, baseline_year, target, target_year, values, complete)
    if not complete or target_year < baseline_year:
        latest = values[-1] if values else (None, None)
        return Verdict(Track.NOT_MEASURABLE, latest[0], latest[1])
    after = [(year, value) for year, value in values if year > baseline_year]
    if not after:
        return Verdict(Track.NO_DATA)
    year, value = after[-1]
    expected = path_value(baseline, baseline_year, target, target_year, year)
    measured = Fraction(value)
    margin = tolerance(value)
    ahead = measured <= expected + margin if direction == LOWER else measured >= expected - margin
    return Verdict(Track.ON_TRACK if ahead else Track.OFF_TRACK, year, value, _decimal(expected))


def _without_direction(baseline, baseline_year, target, target_year, values, complete) -> Verdict:
    """No verdict: the latest value (after the baseline when there is one) and the path's
    value in that year when the path exists."""
    if complete and target_year >= baseline_year:
        values = [(year, value) for year, value in values if year > baseline_year]
    if not values:
        return Verdict(Track.NO_DIRECTION)
    year, value = values[-1]
    expected = None
    if complete and target_year >= baseline_year:
        expected = _decimal(path_value(baseline, baseline_year, target, target_year, year))
    return Verdict(Track.NO_DIRECTION, year, value, expected)
