"""Numbers as people read them: one place for rounding and formatting every shown number.

Rounding is half up on the decimal value (12.5 -> 13, never Python's round-half-even or a
float's binary surprise), and the separators follow the active language (Dutch: 1.234,5;
English: 1,234.5). A difference between two shown values is computed from the rounded values,
so the numbers on screen always add up. SVG attributes and machine formats never use these.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats

MISSING = "–"
MINUS = "\u2212"  # a real minus sign, not a hyphen


def to_decimal(value) -> Decimal | None:
    """The value as a Decimal (floats through their shortest repr), or None."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        return Decimal(int(value))
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def round_half_up(value, places: int = 0) -> Decimal | None:
    """Round half up (away from zero on a tie) to `places` decimals; None stays None."""
    number = to_decimal(value)
    if number is None or not number.is_finite():
        return None
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def decimal(value, places: int = 2, *, fixed: bool = False, grouping: bool = True) -> str:
    """A number in the active language, rounded half up to at most `places` decimals.

    Trailing zeros are dropped unless `fixed` (then always `places` decimals): 8,3 and 8,30.
    """
    number = round_half_up(value, places)
    if number is None:
        return MISSING
    if not fixed:
        number = number.normalize()
        if number == number.to_integral():
            number = number.quantize(Decimal(1))
    if number.is_zero():
        number = abs(number)  # no "-0"
    shown = max(0, -number.as_tuple().exponent)
    text = formats.number_format(number, shown, use_l10n=True, force_grouping=grouping)
    return text.replace("-", MINUS)


def exact(value) -> str:
    """A stored value with all its decimals and none added: 4,1 stays 4,1; 12,00 shows 12."""
    number = to_decimal(value)
    if number is None or not number.is_finite():
        return MISSING if number is None else str(value)
    places = max(0, -number.normalize().as_tuple().exponent)
    return decimal(number, places)


def count(value) -> str:
    """A whole number with thousands grouping: 1.234."""
    return decimal(value, 0)


def percent(value, places: int = 0) -> str:
    """A percentage: 12,5% or 13%, always with `places` decimals."""
    text = decimal(value, places, fixed=True)
    return text if text == MISSING else f"{text}%"


def shown_difference(new, old, places: int = 0) -> Decimal | None:
    """New minus old as the reader computes it from the two shown (rounded) values."""
    new_shown, old_shown = round_half_up(new, places), round_half_up(old, places)
    if new_shown is None or old_shown is None:
        return None
    return new_shown - old_shown


def signed(value, places: int = 0) -> str:
    """A difference with its sign: +3, −4, 0 (percentage points, counts)."""
    number = round_half_up(value, places)
    if number is None:
        return MISSING
    text = decimal(number, places, fixed=True)
    return f"+{text}" if number > 0 else text


def plain(value, decimal_separator: str = ",") -> str:
    """A number for a data file: no grouping, no exponent, the given decimal separator."""
    number = to_decimal(value)
    if number is None:
        return ""
    text = format(number, "f")
    if "." in text and isinstance(value, float):
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", decimal_separator)
