"""Imported CBS figures of a municipality, its Veilig Thuis region and the Netherlands (the trend
chart's geometry is in compass/charts.py).

Queries do not grow with the number of periods or indicators: one for the regions, one for the
observations of every indicator at once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

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
