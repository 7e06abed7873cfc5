"""The prevalence estimate: exact arithmetic, shown rounded (issue 19 item 4; DOMAIN-REVIEW H3)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from compass import prevalence
from compass.prevalence import PrevalenceEstimate, rounded

NPM_2017 = SimpleNamespace(low_rate=Decimal("26.50"), high_rate=Decimal("37.40"))


@pytest.mark.parametrize(
    ("children", "shown"),
    [
        (1876, 1900),
        (2648, 2600),
        (1850, 1900),  # half up
        (1849, 1800),
        (1000, 1000),
        (999, 1000),  # 999 rounds to tens: 1,000
        (994, 990),
        (53, 50),
        (55, 60),
        (4, 0),
        (0, 0),
        (None, None),
    ],
)
def test_rounding_to_hundreds_from_a_thousand_and_to_tens_below(children, shown):
    assert rounded(children) == shown


def test_utrecht_estimate_keeps_the_exact_arithmetic_and_shows_it_rounded():
    estimate = PrevalenceEstimate(NPM_2017, 70797)
    # 70,797 × 26.5 / 1,000 = 1,876.1 and × 37.4 / 1,000 = 2,647.8
    assert (estimate.low, estimate.high) == (1876, 2648)
    assert (estimate.low_rounded, estimate.high_rounded) == (1900, 2600)
    assert (estimate.low_rate, estimate.high_rate) == (Decimal("26.5"), Decimal("37.4"))


def test_an_unknown_population_gives_no_estimate_and_no_rounded_range():
    estimate = PrevalenceEstimate(NPM_2017, None)
    assert not estimate.known
    assert (estimate.low_rounded, estimate.high_rounded) == (None, None)


def test_the_demo_rate_names_its_study_population_and_lower_bound():
    from cms.demo_content import PREVALENCE

    assert "0-17" in PREVALENCE["label"] and "ondergrens" in PREVALENCE["label"]
    assert "NPM-2017" in PREVALENCE["source"] and "WODC" in PREVALENCE["source"]
    assert "ondergrens" in PREVALENCE["explanation"]
    # The demo rate is the published range over the population 0-17 of 2017, per 1,000.
    assert Decimal(PREVALENCE["low_rate"]) == round(Decimal(90_000) / 3_400_000 * 1000, 1)
    assert Decimal(PREVALENCE["high_rate"]) == round(Decimal(127_000) / 3_400_000 * 1000, 1)
    assert prevalence.rounded(90_000) == 90_000
