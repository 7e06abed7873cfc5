"""compass/numbers.py and compass/periods.py: one way to round and show numbers and periods."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from compass import numbers, periods


@pytest.fixture
def dutch():
    with translation.override("nl"):
        yield


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (12.5, 0, Decimal("13")),
        (0.5, 0, Decimal("1")),
        (2.5, 0, Decimal("3")),  # Python's round() gives 2
        (-2.5, 0, Decimal("-3")),
        (1.005, 2, Decimal("1.01")),  # the float 1.005 is 1.00499..., its repr is 1.005
        (Decimal("8.25"), 1, Decimal("8.3")),
        ("4,1", 1, None),
        (None, 0, None),
    ],
)
def test_round_half_up(value, places, expected):
    assert numbers.round_half_up(value, places) == expected


def test_decimal_in_dutch_uses_a_comma_and_groups_thousands(dutch):
    assert numbers.decimal(8.25, 1) == "8,3"
    assert numbers.decimal(1234.5) == "1.234,5"
    assert numbers.decimal(Decimal("12.00")) == "12"
    assert numbers.decimal(12, 1, fixed=True) == "12,0"
    assert numbers.decimal(-4.25, 1) == "\u22124,3"
    assert numbers.decimal(-0.01, 1) == "0"
    assert numbers.decimal(None) == "–"


def test_decimal_in_english_uses_a_point(english):
    assert numbers.decimal(8.25, 1) == "8.3"
    assert numbers.decimal(1234.5) == "1,234.5"


def test_percent_rounds_half_up(dutch):
    assert numbers.percent(12.5) == "13%"
    assert numbers.percent(55.55, 1) == "55,6%"
    assert numbers.percent(None) == "–"


def test_a_shown_difference_matches_the_shown_values(dutch):
    # 12,5% shows as 13% and 8,6% as 9%: the reader computes -4, and so do we.
    assert numbers.percent(12.5) == "13%"
    assert numbers.percent(8.6) == "9%"
    assert numbers.signed(numbers.shown_difference(8.6, 12.5)) == "\u22124"
    assert numbers.signed(numbers.shown_difference(12.5, 8.6)) == "+4"
    assert numbers.signed(numbers.shown_difference(12.4, 12.4)) == "0"
    assert numbers.signed(numbers.shown_difference(None, 3)) == "–"


def test_exact_keeps_the_decimals_that_were_typed(dutch):
    assert numbers.exact(Decimal("4.10")) == "4,1"
    assert numbers.exact(Decimal("12.00")) == "12"
    assert numbers.exact(Decimal("0.125")) == "0,125"
    assert numbers.exact(Decimal("1500")) == "1.500"


def test_count_groups_thousands(dutch):
    assert numbers.count(70797) == "70.797"
    assert numbers.count(1) == "1"


def test_plain_is_for_data_files():
    assert numbers.plain(Decimal("1E+3")) == "1000"
    assert numbers.plain(Decimal("4.10")) == "4,10"
    assert numbers.plain(0.1 + 0.2) == "0,30000000000000004"
    assert numbers.plain(2.5) == "2,5"
    assert numbers.plain(None) == ""


def test_template_filters(dutch):
    template = Template(
        "{% load numbers %}{{ a|decimal:1 }} {{ a|fixed:2 }} {{ p|percent }} {{ d|signed }} "
        "{{ n|count }} {{ code|period }}"
    )
    rendered = template.render(
        Context({"a": 8.25, "p": 12.5, "d": -4, "n": 1876, "code": "2024HJ01"})
    )
    assert rendered == "8,3 8,25 13% \u22124 1.876 1e halfjaar 2024"


@pytest.mark.parametrize(
    ("code", "dutch_label", "english_label"),
    [
        ("2023JJ00", "2023", "2023"),
        ("2024HJ01", "1e halfjaar 2024", "H1 2024"),
        ("2024HJ02", "2e halfjaar 2024", "H2 2024"),
        ("2024KW03", "3e kwartaal 2024", "Q3 2024"),
        ("2024MM03", "maart 2024", "March 2024"),
        ("2024JJ00*", "2024*", "2024*"),
        ("2024MM13", "2024MM13", "2024MM13"),  # not a CBS period: shown as it is
        ("vreemd", "vreemd", "vreemd"),
    ],
)
def test_period_labels(code, dutch_label, english_label):
    with translation.override("nl"):
        assert periods.label(code) == dutch_label
    with translation.override("en"):
        assert periods.label(code) == english_label


def test_templates_format_numbers_only_through_compass_numbers():
    """Guard: Django's own number filters bypass the rounding rule, and a number already shown
    in Dutch ("8,3") comes out of floatformat as an empty string. Templates use the numbers
    filters ({% load numbers %}) or get a formatted string from the view."""
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    offenders = [
        f"{path.relative_to(root)}: {filter_name}"
        for app in ("compass", "questionnaire", "cms", "exports")
        for path in (root / app).rglob("*.html")
        for filter_name in ("floatformat", "intcomma", "intword")
        if f"|{filter_name}" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
