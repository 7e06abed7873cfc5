"""Taking chosen CBS observations into the cycle as figures."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from compass.demodata import cbs_figure_source
from compass.models import CbsObservation
from questionnaire.situation.panel import regions_of, stored_label, stored_names, stored_period
from questionnaire.situation.storing import FigureSpec, StoreResult, store_figures

VALUE_PLACES = Decimal("0.01")  # SituationFigure.value


def stored_value(value: Decimal) -> Decimal:
    return Decimal(value).quantize(VALUE_PLACES, rounding=ROUND_HALF_UP)


def take_over(cycle, user, observation_ids) -> tuple[StoreResult, int]:
    """Take the chosen CBS observations into the cycle; return the result and how many of the
    ids were left out (suppressed, unknown, or not of this municipality's comparison)."""
    ids = set()
    for raw in observation_ids:
        try:
            ids.add(int(raw))
        except (TypeError, ValueError):
            continue
    ids = {pk for pk in ids if 0 < pk < 2**31}
    names = stored_names(cycle)
    keys = {code: key for key, code, _name in regions_of(cycle)}
    observations = (
        CbsObservation.objects.filter(pk__in=ids, region_code__in=list(names))
        .exclude(indicator__cbs_table_id="")
        .select_related("indicator")
        .order_by("indicator__name", "region_code", "period")
    )
    specs = []
    for obs in observations:
        if obs.suppressed or obs.value is None:
            continue
        line_key = keys.get(obs.region_code, "national")
        specs.append(
            FigureSpec(
                indicator_id=obs.indicator_id,
                label=stored_label(obs.indicator, line_key, names[obs.region_code]),
                period=stored_period(obs.period),
                value=stored_value(obs.value),
                source=cbs_figure_source(obs.table_id, obs.source),
                provisional=obs.provisional,
            )
        )
    result = store_figures(cycle, user, specs) if specs else StoreResult()
    return result, len(ids) - len(specs)
