"""What the Situatie step shows: imported CBS figures per indicator, ready to take over, and
the prevalence estimate; and how a CBS observation is named when it is stored in the cycle."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from cms.snippets import Indicator
from compass import figures, prevalence
from compass.cbs.importer import NATIONAL_CODES
from compass.demodata import cbs_figure_source
from compass.models import CbsObservation, SituationFigure

PANEL_PERIODS = 3  # the latest periods shown per indicator; the chart page has them all
CBS_SOURCE = "CBS StatLine {table}"


def figure_key(indicator_id, label, period, source) -> tuple:
    """What makes a stored figure the same figure: taking it over again updates it."""
    return (indicator_id, label, period, source)


@dataclass
class Cell:
    observation: CbsObservation | None
    line: figures.Line
    taken: bool = False

    @property
    def selectable(self) -> bool:
        return (
            self.observation is not None
            and not self.observation.suppressed
            and (self.observation.value is not None)
        )


@dataclass
class PanelIndicator:
    item: figures.IndicatorFigures
    rows: list[dict]  # {"period", "label", "cells": [Cell per line]}

    @property
    def indicator(self):
        return self.item.indicator

    @property
    def lines(self):
        return self.item.lines

    @property
    def sources(self) -> list[str]:
        """The CBS tables with their titles, as the import stored them."""
        return sorted(
            {
                o.source or CBS_SOURCE.format(table=o.table_id)
                for line in self.item.lines
                for o in line.cells.values()
            }
        )


@dataclass
class Panel:
    municipality: object
    indicators: list[PanelIndicator]
    estimates: list
    without_figures: list = field(default_factory=list)
    # A district cycle's panel shows the district's own CBS figures (its WK code), never the
    # municipality's in its place.
    district: object = None

    @property
    def has_provisional(self) -> bool:
        return any(p.item.has_provisional for p in self.indicators)

    @property
    def has_suppressed(self) -> bool:
        return any(p.item.has_suppressed for p in self.indicators)


def cbs_indicators() -> list:
    return list(Indicator.objects.exclude(cbs_table_id="").order_by("name"))


def regions_of(cycle) -> list[tuple[str, str, str]]:
    """(key, code, name) of the lines a cycle compares: a district cycle its district and
    municipality, a municipal cycle the municipality and its Veilig Thuis region."""
    if cycle.district_id:
        return figures.district_regions(cycle.district)
    return figures.comparison_regions(cycle.municipality)


def stored_names(cycle) -> dict[str, str]:
    """Line names as the cycle stores them: in the site's language, whoever takes them over."""
    with translation.override(settings.LANGUAGE_CODE):
        names = {code: name for _key, code, name in regions_of(cycle)}
        national = gettext("the Netherlands")
    names.update(dict.fromkeys(NATIONAL_CODES, national))
    return names


def stored_label(indicator, line_key: str, name: str) -> str:
    label = indicator.name if line_key == "own" else f"{indicator.name} – {name}"
    return label[:200]


def stored_period(code: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return figures.period_label(code)[:40]


def panel(cycle) -> Panel:
    municipality, district = cycle.municipality, cycle.district if cycle.district_id else None
    indicators = cbs_indicators()
    items = figures.figures_for(municipality, indicators, district=district)
    names = stored_names(cycle)
    taken = {
        figure_key(*row)
        for row in SituationFigure.objects.filter(
            cycle=cycle, source__startswith="CBS StatLine"
        ).values_list("indicator_id", "label", "period", "source")
    }
    shown, without = [], []
    for item in items:
        # A district shows an indicator only when CBS has figures of the district itself.
        if not item.has_data or (district is not None and not item.lines[0].cells):
            without.append(item.indicator)
            continue
        rows = []
        for period in sorted(item.periods, reverse=True)[:PANEL_PERIODS]:
            cells = []
            for line in item.lines:
                obs = line.cells.get(period)
                cell = Cell(obs, line)
                if obs is not None:
                    key = figure_key(
                        item.indicator.pk,
                        stored_label(item.indicator, line.key, names.get(line.code, line.name)),
                        stored_period(period),
                        cbs_figure_source(obs.table_id, obs.source),
                    )
                    cell.taken = key in taken
                cells.append(cell)
            rows.append({"period": period, "label": figures.period_label(period), "cells": cells})
        shown.append(PanelIndicator(item, rows))
    estimates = prevalence.estimates_for(municipality)
    return Panel(municipality, shown, estimates, without, district=district)
