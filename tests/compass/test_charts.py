"""The one module of SVG chart geometry: plain values in, positions in SVG user units out."""

from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from django.utils import translation

from compass import charts


def test_svg_numbers_never_follow_the_language():
    with translation.override("nl"):
        assert charts.svg(12.345) == "12.3"
        assert charts.svg(1234) == "1234.0"


def test_nice_ticks_cover_the_values_in_round_steps():
    ticks = charts.nice_ticks(Decimal(0), Decimal(87))
    assert ticks[0] == 0 and ticks[-1] >= 87
    steps = {b - a for a, b in zip(ticks, ticks[1:], strict=False)}
    assert steps == {Decimal(20)}


def result(baseline=None, baseline_year=None, target=None, target_year=None):
    return SimpleNamespace(
        baseline_value=baseline,
        baseline_year=baseline_year,
        target_value=target,
        target_year=target_year,
    )


def test_result_chart_draws_the_path_and_the_values_inside_the_box():
    chart = charts.result_chart(
        result(Decimal(40), 2022, Decimal(60), 2026),
        [(2023, Decimal(45)), (2024, Decimal(50))],
        "on_track",
    )
    assert chart["colour"] == "#1d6b2f"
    assert chart["path"]["x1"] == "6.0" and chart["path"]["x2"] == "144.0"
    assert chart["path"]["y1"] == "42.0" and chart["path"]["y2"] == "6.0"  # higher is up
    xs = [float(dot["x"]) for dot in chart["dots"]]
    assert xs == sorted(xs) and all(6 <= x <= 144 for x in xs)
    assert [dot["last"] for dot in chart["dots"]] == [False, True]


def test_result_chart_needs_two_points():
    assert charts.result_chart(result(), [(2024, Decimal(3))], "no_data") is None


def test_score_chart_places_bars_on_the_0_to_100_scale_with_the_quartile_band():
    chart = charts.score_chart(
        [
            {"label": "A", "value": "50%", "own": 50, "band_code": "high",
             "median": 25, "q1": 0, "q3": 100},
            {"label": "B", "value": "–", "own": None, "band_code": ""},
        ]
    )  # fmt: skip
    first, second = chart["bars"]
    assert first["width"] == "190.0"  # half of the 380 units
    assert first["band_x"] == "230.0" and first["band_w"] == "380.0"
    assert second["width"] == "0.0" and "median_x" not in second
    assert [t["label"] for t in chart["ticks"]] == ["0%", "25%", "50%", "75%", "100%"]


def test_peer_band_chart_leaves_out_the_band_without_peer_data():
    with_data = SimpleNamespace(has_data=True, q1=25, q3=75, median=50)
    without = SimpleNamespace(has_data=False)
    chart = charts.peer_band_chart(
        [
            {"label": "A", "own": 100, "cells": [{"cell": with_data}]},
            {"label": "B", "own": None, "cells": [{"cell": without}]},
        ]
    )
    first, second = chart["bars"]
    assert float(first["band_x"]) < float(first["median_x"]) < float(first["own_x"])
    assert "band_x" not in second and "own_x" not in second


@dataclass
class Point:
    year: int
    own: float | None
    median: float | None


def test_trend_chart_joins_the_known_values_only():
    chart = charts.trend_chart([Point(2024, 40, 50), Point(2025, None, 55), Point(2026, 60, 60)])
    assert len(chart["own_line"].split()) == 2
    assert len(chart["median_line"].split()) == 3
    assert float(chart["points"][0]["own_y"]) > float(chart["points"][2]["own_y"])  # higher is up


def test_bar_chart_widths_follow_the_percentage_and_keep_the_shown_values():
    chart = charts.bar_chart(
        [
            {"label": "Overall", "percent": 50, "value": "50%"},
            {"label": "Theme", "percent": None, "value": "–"},
        ]
    )
    first, second = chart["bars"]
    assert first["width"] == 200 and first["value"] == "50%"
    assert second["width"] == 0 and second["y"] > first["y"]
    assert chart["height"] == 2 * (charts.BAR_HEIGHT + charts.BAR_GAP)
