"""Imported CBS figures of a municipality, its Veilig Thuis region and the Netherlands, and the
geometry of a small trend chart (pure functions; the template draws the SVG).

Queries do not grow with the number of periods or indicators: one for the regions, one for the
observations of every indicator at once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from compass import periods
from compass.cbs.importer import NATIONAL_CODES
from compass.models import CbsObservation, Region

PERIOD = periods.CODE


def period_label(code: str) -> str:
    """The label of a CBS period code (see compass/periods.py)."""
    return periods.label(code)


@dataclass
class Line:
    """One region's values over the periods (None where CBS has no value)."""

    key: str  # "own", "region", "national"
    code: str
    name: str
    cells: dict[str, CbsObservation] = field(default_factory=dict)


@dataclass
class IndicatorFigures:
    indicator: object
    periods: list[str]
    lines: list[Line]

    @property
    def has_data(self) -> bool:
        return any(line.cells for line in self.lines)

    @property
    def latest_period(self) -> str | None:
        own = self.lines[0].cells
        return max(own) if own else None

    @property
    def latest_label(self) -> str:
        period = self.latest_period
        return period_label(period) if period else ""

    @property
    def latest(self) -> CbsObservation | None:
        period = self.latest_period
        return self.lines[0].cells.get(period) if period else None

    @property
    def sources(self) -> list[str]:
        return sorted({o.source for line in self.lines for o in line.cells.values() if o.source})

    @property
    def has_provisional(self) -> bool:
        return any(o.provisional for line in self.lines for o in line.cells.values())

    @property
    def has_suppressed(self) -> bool:
        return any(o.suppressed for line in self.lines for o in line.cells.values())

    def rows(self):
        """Table rows: per period the label and the cell of each line (or None)."""
        return [
            {"period": p, "label": period_label(p), "cells": [ln.cells.get(p) for ln in self.lines]}
            for p in self.periods
        ]


def comparison_regions(municipality) -> list[tuple[str, str, str]]:
    """(key, code, name) of the municipality, its Veilig Thuis region and the Netherlands."""
    regions = [("own", municipality.code, municipality.name)]
    veilig_thuis = (
        Region.objects.filter(kind=Region.Kind.VEILIG_THUIS, municipalities=municipality)
        .order_by("code")
        .first()
    )
    if veilig_thuis is not None:
        name = _("Veilig Thuis region %(name)s") % {"name": veilig_thuis.name}
        regions.append(("region", veilig_thuis.code, name))
    return regions


def figures_for(municipality, indicators) -> list[IndicatorFigures]:
    """The figures of each indicator for the municipality, its region and the Netherlands.
    Lines without any value (a region or country the table does not cover) are left out,
    except the municipality's own line."""
    regions = comparison_regions(municipality)
    codes = [code for _key, code, _name in regions] + list(NATIONAL_CODES)
    cells: dict[int, dict[str, dict[str, CbsObservation]]] = defaultdict(lambda: defaultdict(dict))
    for obs in CbsObservation.objects.filter(indicator__in=indicators, region_code__in=codes):
        cells[obs.indicator_id][obs.region_code][obs.period] = obs
    result = []
    for indicator in indicators:
        by_region = cells.get(indicator.pk, {})
        lines = [
            Line(key, code, name, by_region.get(code, {}))
            for key, code, name in regions
            if key == "own" or by_region.get(code)
        ]
        national = next((c for c in NATIONAL_CODES if by_region.get(c)), None)
        if national:
            lines.append(Line("national", national, _("the Netherlands"), by_region[national]))
        periods = sorted({p for line in lines for p in line.cells})
        result.append(IndicatorFigures(indicator, periods, lines))
    return result


# --- the chart -------------------------------------------------------------------------------

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


def _nice_ticks(low: Decimal, high: Decimal, count: int = 5) -> list[Decimal]:
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


def chart(figures: IndicatorFigures) -> dict | None:
    """Coordinates for an SVG line chart, or None when fewer than two periods have values."""
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
    ticks = _nice_ticks(low, max(all_values))
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
