"""Estimate how many children in a municipality are affected: youth population (0-17) times an
editor-maintained prevalence range (children per 1,000), shown with the arithmetic and source.

No guessing: when the municipality's youth population is unknown there is no estimate. Where
the youth population comes from (year, CBS table, estimated from age groups) travels with the
estimate (`youth_year`, `youth_source`, `youth_estimated`), so every page can say it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PER = Decimal(1000)


@dataclass(frozen=True)
class PrevalenceEstimate:
    rate: object  # cms.snippets.PrevalenceRate
    youth_population: int | None
    youth_year: int | None = None
    youth_source: str = ""
    youth_estimated: bool = False

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


def estimates_for(municipality, rates=None) -> list[PrevalenceEstimate]:
    rates = latest_rates() if rates is None else rates
    youth = municipality.youth_population
    basis = {
        "youth_year": getattr(municipality, "youth_population_year", None),
        "youth_source": getattr(municipality, "youth_population_source", ""),
        "youth_estimated": getattr(municipality, "youth_population_estimated", False),
    }
    return [PrevalenceEstimate(rate, youth, **basis) for rate in rates]
