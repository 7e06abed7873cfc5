"""The report's inline SVG charts: coordinates in SVG user units, never localised numbers."""

from __future__ import annotations

from decimal import Decimal

from compass.models import Result
from exports.on_track import Track


def _u(value: float) -> str:
    return f"{value:.1f}"


RESULT_CHART_WIDTH = 150
RESULT_CHART_HEIGHT = 48
RESULT_CHART_PAD = 6


def result_chart(result: Result, values: list[tuple[int, Decimal]], status: Track) -> dict | None:
    """A small chart of a result: the straight path from baseline to target and the values."""
    points = list(values)
    if result.baseline_value is not None and result.baseline_year is not None:
        points.append((result.baseline_year, result.baseline_value))
    if result.target_value is not None and result.target_year is not None:
        points.append((result.target_year, result.target_value))
    if len(points) < 2:
        return None
    years = [y for y, _v in points]
    numbers = [float(v) for _y, v in points]
    first, last = min(years), max(years)
    low, high = min(numbers), max(numbers)
    if high == low:
        low, high = low - 1, high + 1
    width, height, pad = RESULT_CHART_WIDTH, RESULT_CHART_HEIGHT, RESULT_CHART_PAD

    def x(year):
        return pad + (year - first) / max(last - first, 1) * (width - 2 * pad)

    def y(value):
        return pad + (high - float(value)) / (high - low) * (height - 2 * pad)

    path = None
    complete = None not in (
        result.baseline_value,
        result.baseline_year,
        result.target_value,
        result.target_year,
    )
    if complete and result.target_year >= result.baseline_year:
        path = {
            "x1": _u(x(result.baseline_year)),
            "y1": _u(y(result.baseline_value)),
            "x2": _u(x(result.target_year)),
            "y2": _u(y(result.target_value)),
        }
        if last > result.target_year:
            path["x3"] = _u(x(last))
    measured = sorted(values)
    colour = {"on_track": "#1d6b2f", "off_track": "#b3261e"}.get(str(status), "#154273")
    return {
        "width": width,
        "height": height,
        "path": path,
        "line": " ".join(f"{_u(x(yr))},{_u(y(v))}" for yr, v in measured),
        "dots": [
            {"x": _u(x(yr)), "y": _u(y(v)), "last": i == len(measured) - 1}
            for i, (yr, v) in enumerate(measured)
        ],
        "colour": colour,
    }


SCORE_LABEL_WIDTH = 230
SCORE_BAR_WIDTH = 380
SCORE_ROW = 34
SCORE_BAR = 18


def score_chart(rows: list[dict]) -> dict:
    """Bars of the own realisation per row, with the national median and quartile band."""

    def x(value):
        return SCORE_LABEL_WIDTH + value / 100 * SCORE_BAR_WIDTH

    bars = []
    for i, row in enumerate(rows):
        top = 6 + i * SCORE_ROW
        bar = {
            "label": row["label"],
            "value": row["value"],
            "y": _u(top),
            "text_y": _u(top + SCORE_BAR * 0.75),
            "width": _u(0 if row["own"] is None else row["own"] / 100 * SCORE_BAR_WIDTH),
            "value_x": _u(SCORE_LABEL_WIDTH + SCORE_BAR_WIDTH + 10),
            "fill": {"low": "#b3261e", "partly": "#9a6700", "high": "#1d6b2f"}.get(
                row["band_code"], "#6b6b6b"
            ),
        }
        if row.get("median") is not None:
            bar["median_x"] = _u(x(row["median"]))
            bar["band_x"] = _u(x(row["q1"]))
            bar["band_w"] = _u(x(row["q3"]) - x(row["q1"]))
            bar["band_y"] = _u(top - 3)
            bar["band_h"] = _u(SCORE_BAR + 6)
        bars.append(bar)
    height = 6 + len(rows) * SCORE_ROW + 22
    return {
        "bars": bars,
        "label_width": SCORE_LABEL_WIDTH,
        "bar_width": SCORE_BAR_WIDTH,
        "bar_height": SCORE_BAR,
        "width": SCORE_LABEL_WIDTH + SCORE_BAR_WIDTH + 70,
        "height": height,
        "axis_y": _u(height - 16),
        # A gridline at every quarter up to and including 100 %; 0 and 100 are the scale's ends.
        "ticks": [
            {"x": _u(x(v)), "value": v, "label": f"{v}%", "edge": v in (0, 100)}
            for v in (0, 25, 50, 75, 100)
        ],
    }
