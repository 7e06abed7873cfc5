"""Imported CBS figures of a municipality, its Veilig Thuis region and the Netherlands (the trend
chart's geometry is in compass/charts.py).

Queries do not grow with the number of periods or indicators: a few for the regions, one for
the observations of every indicator at once.

The Veilig Thuis-region line follows the municipality's region *per year* (issue 19 M7): a
period of 2023 reads the region the municipality belonged to in 2023 when that year's
membership is loaded (``RegionMembership``), else the current region.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from compass import periods
from compass.cbs.importer import NATIONAL_CODES
from compass.models import CbsObservation, Region, RegionMembership

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
    def has_revised_provisional(self) -> bool:
        return any(o.revised_provisional for line in self.lines for o in line.cells.values())

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


def district_regions(district) -> list[tuple[str, str, str]]:
    """(key, code, name) of a district (its CBS code WK...) and its municipality beside it.

    A district's own line is always its own code: where CBS has no figures for the district,
    the line stays empty, and the municipality's figures are only ever its own line.
    """
    municipality = district.municipality
    return [
        ("own", district.code, district.name),
        ("municipality", municipality.code, municipality.name),
    ]


def region_by_year(municipality) -> dict[int, str]:
    """Edition year -> the municipality's Veilig Thuis region code in that year (one query)."""
    rows = RegionMembership.objects.filter(
        municipality=municipality, region__kind=Region.Kind.VEILIG_THUIS
    ).values_list("year", "region__code")
    return dict(rows)


def region_code_in(period: str, by_year: dict[int, str], current: str) -> str:
    """The region code that holds in the period's year: the newest edition not after it."""
    try:
        year = int(period[:4])
    except ValueError:
        return current
    editions = [y for y in by_year if y <= year]
    return by_year[max(editions)] if editions else current


def places_of(municipality) -> list[tuple[str, Region]]:
    """The municipality's current regions (Veilig Thuis, youth, safety) for the figures page."""
    order = {
        Region.Kind.VEILIG_THUIS: 0,
        Region.Kind.JEUGDREGIO: 1,
        Region.Kind.VEILIGHEIDSREGIO: 2,
    }
    regions = Region.objects.filter(municipalities=municipality).select_related(
        "centre_municipality"
    )
    return sorted(((r.kind, r) for r in regions), key=lambda pair: order.get(pair[0], 9))


def figures_for(municipality, indicators, district=None) -> list[IndicatorFigures]:
    """The figures of each indicator for the municipality, its region and the Netherlands;
    with a `district`, for the district (its WK code), its municipality and the Netherlands.
    Lines without any value (a region or country the table does not cover) are left out,
    except the own line."""
    if district is not None:
        regions, by_year = district_regions(district), {}
    else:
        regions, by_year = comparison_regions(municipality), region_by_year(municipality)
    codes = [code for _key, code, _name in regions] + list(NATIONAL_CODES)
    codes += [code for code in by_year.values() if code not in codes]
    cells: dict[int, dict[str, dict[str, CbsObservation]]] = defaultdict(lambda: defaultdict(dict))
    for obs in CbsObservation.objects.filter(indicator__in=indicators, region_code__in=codes):
        cells[obs.indicator_id][obs.region_code][obs.period] = obs
    result = []
    for indicator in indicators:
        by_region = cells.get(indicator.pk, {})
        lines = []
        for key, code, name in regions:
            line_cells = by_region.get(code, {})
            if key == "region" and by_year:
                line_cells = _region_cells(by_region, by_year, code)
            if key == "own" or line_cells:
                lines.append(Line(key, code, name, line_cells))
        national = next((c for c in NATIONAL_CODES if by_region.get(c)), None)
        if national:
            lines.append(Line("national", national, _("the Netherlands"), by_region[national]))
        periods = sorted({p for line in lines for p in line.cells})
        result.append(IndicatorFigures(indicator, periods, lines))
    return result


def _region_cells(by_region, by_year: dict[int, str], current: str) -> dict:
    """Per period the value of the region the municipality belonged to in that year."""
    periods_seen = {p for code in {current, *by_year.values()} for p in by_region.get(code, {})}
    cells = {}
    for period in periods_seen:
        found = by_region.get(region_code_in(period, by_year, current), {}).get(period)
        if found is not None:
            cells[period] = found
    return cells
