"""The geometry of every SVG chart: positions and paths as plain values; templates draw them.

Pure functions over plain values (no queries). Attributes are SVG user units written with
`svg()` (a point and at most one decimal, never the reader's language); the numbers a reader sees
are formatted with compass/numbers.py by the caller. Percentage charts share one 0-100 scale.

- `figure_chart`: an indicator's CBS figures over the periods (own, region, national lines).
- `result_chart`: a result's path from baseline to target and its measured values (report).
- `score_chart`: the own realisation per theme with the national quartile band (report).
- `peer_band_chart`: the own value per theme against the peer band and median (benchmark).
- `trend_chart`: the own overall result over the years against the national median (benchmark).
- `bar_chart`: the overall and per-theme realisation of a self-assessment (results page).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from compass.figures import IndicatorFigures, period_label

PERCENT_TICKS = (0, 25, 50, 75, 100)


def svg(value: float) -> str:
    """A number for an SVG attribute: never localised, one decimal."""
    return f"{value:.1f}"


# --- An indicator's CBS figures --------------------------------------------------------------

# The trend chart of an indicator's CBS figures (the figures page).
WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 48
STYLES = {  # colour and dash: lines differ in more than colour
    "own": ("#1f5fa8", ""),
    "region": ("#b34700", "8 4"),
    "national": ("#4d4d4d", "2 4"),
}


def chart_periods(periods: list[str]) -> list[str]:
    """Whole years when there are at least two, else every period: a half year next to whole
    years would look like a fall, so half years stay in the table only."""
    years = [p for p in periods if p.endswith("JJ00")]
    return years if len(years) >= 2 else periods


def uses_index(indicator, figures: IndicatorFigures) -> bool:
    """Counts of a municipality and of the whole country differ a hundredfold: compare their
    trends as an index (first period = 100). Rates and percentages are drawn as they are."""
    unit = (indicator.unit or "").lower()
    return len(figures.lines) > 1 and not ("%" in unit or "per " in unit)


def nice_ticks(low: Decimal, high: Decimal, count: int = 5) -> list[Decimal]:
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    magnitude = Decimal(10) ** (len(str(int(raw))) - 1) if raw >= 1 else Decimal("0.1")
    step = next((m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw), 10 * magnitude)
    start = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    ticks, tick = [], start
    while tick <= high + step / 1000:
        ticks.append(tick)
        tick += step
    if ticks[-1] < high:
        ticks.append(tick)
    return ticks


def figure_chart(figures: IndicatorFigures) -> dict | None:
    """Coordinates for the SVG trend chart of an indicator (own, region, national lines), or
    None when fewer than two periods have values."""
    periods = chart_periods(figures.periods)
    if len(periods) < 2:
        return None
    indexed = uses_index(figures.indicator, figures)
    series = []
    for line in figures.lines:
        values = {}
        base = None
        for period in periods:
            obs = line.cells.get(period)
            if obs is None or obs.value is None:
                continue
            value = obs.value
            if indexed:
                if base is None:
                    base = value
                if not base:
                    continue
                value = (value / base * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
            values[period] = (value, obs.provisional)
        series.append((line, values))
    all_values = [v for _line, values in series for v, _p in values.values()]
    if not all_values:
        return None
    low = min(min(all_values), Decimal(0)) if not indexed else min(all_values)
    ticks = nice_ticks(low, max(all_values))
    y_min, y_max = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / (len(periods) - 1)

    def x(i):
        return round(LEFT + i * step, 1)

    def y(value):
        return round(TOP + plot_h - float((value - y_min) / (y_max - y_min)) * plot_h, 1)

    lines = []
    for line, values in series:
        colour, dash = STYLES[line.key]
        points = [
            {"x": x(i), "y": y(values[p][0]), "provisional": values[p][1]}
            for i, p in enumerate(periods)
            if p in values
        ]
        if not points:
            continue
        path = " ".join(
            f"{'M' if n == 0 else 'L'}{pt['x']},{pt['y']}" for n, pt in enumerate(points)
        )
        lines.append(
            {"name": line.name, "key": line.key, "colour": colour, "dash": dash,
             "path": path, "points": points}
        )  # fmt: skip
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "top": TOP,
        "indexed": indexed,
        "y_ticks": [{"y": y(t), "label": t} for t in ticks],
        "x_ticks": [{"x": x(i), "label": period_label(p)} for i, p in enumerate(periods)],
        "lines": lines,
        "first_period": period_label(periods[0]),
        "last_period": period_label(periods[-1]),
    }


# --- The council report ---------------------------------------------------------------------

RESULT_CHART_WIDTH = 150
RESULT_CHART_HEIGHT = 48
RESULT_CHART_PAD = 6


def result_chart(result, values: list[tuple[int, Decimal]], status: str) -> dict | None:
    """A small chart of a result: the straight path from baseline to target and the values.

    `result` has baseline_value/_year and target_value/_year (compass.models.Result); `status`
    is the on-track verdict ("on_track", "off_track" or another), which sets the colour.
    """
    points = list(values)
    if result.baseline_value is not None and result.baseline_year is not None:
        points.append((result.baseline_year, result.baseline_value))
    if result.target_value is not None and result.target_year is not None:
        points.append((result.target_year, result.target_value))
    if len(points) < 2:
        return None
    years = [y for y, _v in points]
    amounts = [float(v) for _y, v in points]
    first, last = min(years), max(years)
    low, high = min(amounts), max(amounts)
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
            "x1": svg(x(result.baseline_year)),
            "y1": svg(y(result.baseline_value)),
            "x2": svg(x(result.target_year)),
            "y2": svg(y(result.target_value)),
        }
        if last > result.target_year:
            path["x3"] = svg(x(last))
    measured = sorted(values)
    colour = {"on_track": "#1d6b2f", "off_track": "#b3261e"}.get(str(status), "#154273")
    return {
        "width": width,
        "height": height,
        "path": path,
        "line": " ".join(f"{svg(x(yr))},{svg(y(v))}" for yr, v in measured),
        "dots": [
            {"x": svg(x(yr)), "y": svg(y(v)), "last": i == len(measured) - 1}
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
            "y": svg(top),
            "text_y": svg(top + SCORE_BAR * 0.75),
            "width": svg(0 if row["own"] is None else row["own"] / 100 * SCORE_BAR_WIDTH),
            "value_x": svg(SCORE_LABEL_WIDTH + SCORE_BAR_WIDTH + 10),
            "fill": {"low": "#b3261e", "partly": "#9a6700", "high": "#1d6b2f"}.get(
                row["band_code"], "#6b6b6b"
            ),
        }
        if row.get("median") is not None:
            bar["median_x"] = svg(x(row["median"]))
            bar["band_x"] = svg(x(row["q1"]))
            bar["band_w"] = svg(x(row["q3"]) - x(row["q1"]))
            bar["band_y"] = svg(top - 3)
            bar["band_h"] = svg(SCORE_BAR + 6)
        bars.append(bar)
    height = 6 + len(rows) * SCORE_ROW + 22
    return {
        "bars": bars,
        "label_width": SCORE_LABEL_WIDTH,
        "bar_width": SCORE_BAR_WIDTH,
        "bar_height": SCORE_BAR,
        "width": SCORE_LABEL_WIDTH + SCORE_BAR_WIDTH + 70,
        "height": height,
        "axis_y": svg(height - 16),
        # A gridline at every quarter up to and including 100 %; 0 and 100 are the scale's ends.
        "ticks": [
            {"x": svg(x(v)), "value": v, "label": f"{v}%", "edge": v in (0, 100)}
            for v in PERCENT_TICKS
        ],
    }


# --- The benchmark page ----------------------------------------------------------------------

PEER_CHART_WIDTH = 600  # SVG user units of the 0-100 % scale (plus a label column)
PEER_CHART_LABEL = 200
PEER_CHART_ROW = 36
TREND_HEIGHT = 220
TREND_STEP = 90


def _peer_x(value: float) -> str:
    return svg(PEER_CHART_LABEL + value / 100 * (PEER_CHART_WIDTH - PEER_CHART_LABEL - 20))


def peer_band_chart(rows) -> dict:
    """Per theme: the own value against the national peer band (Q1-Q3) and median.

    Each row has "label", "own" (or None) and "cells", whose first "cell" has has_data, q1, q3
    and median (questionnaire.benchmark's cell).
    """
    bars = []
    for i, row in enumerate(rows):
        cell = row["cells"][0]["cell"]
        y = 10 + i * PEER_CHART_ROW
        bar = {"label": row["label"], "y": svg(y + 18), "mid": svg(y + 12), "top": svg(y + 2)}
        if cell.has_data:
            bar["band_x"] = _peer_x(cell.q1)
            bar["band_w"] = svg(float(_peer_x(cell.q3)) - float(_peer_x(cell.q1)))
            bar["median_x"] = _peer_x(cell.median)
        if row["own"] is not None:
            bar["own_x"] = _peer_x(row["own"])
        bars.append(bar)
    ticks = [{"x": _peer_x(v), "label": f"{v}%"} for v in PERCENT_TICKS]
    height = 10 + len(rows) * PEER_CHART_ROW + 24
    return {
        "bars": bars,
        "ticks": ticks,
        "height": height,
        "axis_y": svg(height - 20),
        "grid_y": svg(height - 34),  # the gridlines end above the tick labels
    }


def trend_chart(points) -> dict:
    """The own overall result over the years against the national median of each year.

    Each point has year, own and median (percentages or None).
    """

    def y(value):
        return svg(10 + (100 - value) / 100 * (TREND_HEIGHT - 40))

    out = []
    for i, point in enumerate(points):
        x = 60 + i * TREND_STEP
        out.append(
            {
                "year": point.year,
                "x": svg(x),
                "own": point.own,
                "median": point.median,
                "own_y": None if point.own is None else y(point.own),
                "median_y": None if point.median is None else y(point.median),
            }
        )

    def line(key):
        return " ".join(f"{p['x']},{p[key]}" for p in out if p[key] is not None)

    return {
        "points": out,
        "own_line": line("own_y"),
        "median_line": line("median_y"),
        "width": 60 + max(len(out), 1) * TREND_STEP,
        "height": TREND_HEIGHT,
        "grid": [{"y": y(v), "label": f"{v}%"} for v in (0, 50, 100)],
        "axis_y": svg(TREND_HEIGHT - 10),
    }


# --- The results of a self-assessment --------------------------------------------------------

BAR_HEIGHT = 28
BAR_GAP = 12
BAR_LABEL_WIDTH = 260
BAR_WIDTH = 400


def bar_chart(rows) -> dict:
    """Horizontal bars on the 0-100 % scale, one per row, positions computed here.

    Each row is a dict with "percent" (a number or None) that sets the bar's width; its other
    keys (the label, the shown value, the band) are passed on to the template unchanged.
    """
    bars = []
    for i, row in enumerate(rows):
        y = i * (BAR_HEIGHT + BAR_GAP)
        percent = row["percent"]
        width = 0 if percent is None else round(BAR_WIDTH * percent / 100, 1)
        bars.append(
            {
                **row,
                "y": y,
                "text_y": y + BAR_HEIGHT * 0.7,
                "width": width,
                "value_x": BAR_LABEL_WIDTH + width + 8,
            }
        )
    height = len(bars) * (BAR_HEIGHT + BAR_GAP)
    return {
        "bars": bars,
        "height": height,
        "width": BAR_LABEL_WIDTH + BAR_WIDTH + 60,
        "label_width": BAR_LABEL_WIDTH,
        "bar_width": BAR_WIDTH,
        "bar_height": BAR_HEIGHT,
    }
