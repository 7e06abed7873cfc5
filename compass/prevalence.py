"""Estimate how many people in a municipality are affected: the population a rate names
(children 0-17, or people aged 16 and over for domestic violence) times an editor-maintained
prevalence range per 1,000 of that population, shown with the arithmetic and source.

No guessing: when the municipality's youth population is unknown there is no estimate. Where
the youth population comes from (year, CBS table, estimated from age groups) travels with the
estimate (`youth_year`, `youth_source`, `youth_estimated`), so every page can say it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PER = Decimal(1000)
# A national rate times a population is an estimate, not a count: show it rounded. Hundreds
# from 1,000 children on ("about 1,900 to 2,600"), tens below that, so a small municipality
# does not read "about 0". The arithmetic beside it keeps the exact products.
ROUND_LARGE, ROUND_SMALL, LARGE_FROM = 100, 10, 1000


def rounded(children: int | None) -> int | None:
    """Round an estimated number of children for display: to hundreds from 1,000, else tens."""
    if children is None:
        return None
    step = ROUND_LARGE if children >= LARGE_FROM else ROUND_SMALL
    units = (Decimal(children) / step).to_integral_value(rounding=ROUND_HALF_UP)
    return int(units) * step


CHILDREN, PEOPLE_16_PLUS = "0-17", "16+"  # cms.snippets.PrevalenceRate.AgeGroup


@dataclass(frozen=True)
class PrevalenceEstimate:
    """`youth_population` (and its year, source, estimated) is the population the rate names:
    children 0-17, or people aged 16 and over when `rate.population` is "16+"."""

    rate: object  # cms.snippets.PrevalenceRate
    youth_population: int | None
    youth_year: int | None = None
    youth_source: str = ""
    youth_estimated: bool = False

    @property
    def population(self) -> str:
        return getattr(self.rate, "population", CHILDREN) or CHILDREN

    @property
    def adults(self) -> bool:
        """The rate counts people aged 16 and over (domestic violence), not children."""
        return self.population == PEOPLE_16_PLUS

    @property
    def known(self) -> bool:
        return self.youth_population is not None

    def _children(self, rate: Decimal) -> int | None:
        if self.youth_population is None:
            return None
        exact = Decimal(self.youth_population) * Decimal(rate) / PER
        return int(exact.to_integral_value(rounding=ROUND_HALF_UP))

    @property
    def low_rate(self) -> Decimal:
        """The rate without trailing zeros (26.50 -> 26.5), as editors mean it."""
        return _plain(self.rate.low_rate)

    @property
    def high_rate(self) -> Decimal:
        return _plain(self.rate.high_rate)

    @property
    def low(self) -> int | None:
        return self._children(self.rate.low_rate)

    @property
    def high(self) -> int | None:
        return self._children(self.rate.high_rate)

    @property
    def single(self) -> bool:
        """One rate, not a range (a survey's share rather than a lower and an upper bound)."""
        return self.rate.low_rate == self.rate.high_rate

    @property
    def low_rounded(self) -> int | None:
        return rounded(self.low)

    @property
    def high_rounded(self) -> int | None:
        return rounded(self.high)


def _plain(value) -> Decimal:
    value = Decimal(value)
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def latest_rates():
    """The newest rate of every label that editors maintain."""
    from cms.snippets import PrevalenceRate

    latest = {}
    for rate in PrevalenceRate.objects.order_by("label", "-year"):
        latest.setdefault(rate.label, rate)
    return list(latest.values())


def _basis(municipality, prefix: str) -> tuple[int | None, dict]:
    return getattr(municipality, f"{prefix}_population", None), {
        "youth_year": getattr(municipality, f"{prefix}_population_year", None),
        "youth_source": getattr(municipality, f"{prefix}_population_source", ""),
        "youth_estimated": getattr(municipality, f"{prefix}_population_estimated", False),
    }


def estimates_for(municipality, rates=None) -> list[PrevalenceEstimate]:
    """Each rate times the municipality's population of the ages the rate names."""
    rates = latest_rates() if rates is None else rates
    result = []
    for rate in rates:
        adults = (getattr(rate, "population", CHILDREN) or CHILDREN) == PEOPLE_16_PLUS
        count, basis = _basis(municipality, "adult" if adults else "youth")
        result.append(PrevalenceEstimate(rate, count, **basis))
    return result
