"""The benchmark page (vergelijking): the own results beside anonymous peers and named partners.

Thin: the anonymous figures come from the latest benchmark release through
``benchmarking.reader_benchmark`` (the one function the council report calls too), the rules from
the pure engine in questionnaire/benchmark.py. The page accepts no parameters besides the cycle:
the minimum group size is a setting and every cell goes through the engine's suppression.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from compass import access, charts
from questionnaire import benchmarking
from questionnaire.assessment import current_measure_set
from questionnaire.benchmark import EMPTY, OVERALL, PEER_GROUPS


def _measure_set_of(cycle):
    """The measure set and version the page compares: the cycle's own, else the live set."""
    versions = list(cycle.self_assessments.order_by("-version"))  # one query for both
    chosen = next((a for a in versions if a.is_submitted), versions[0] if versions else None)
    if chosen is not None:
        return chosen.measure_set_id, chosen.measure_set_version, chosen
    live = current_measure_set()
    if live is None:
        return None, None, None
    return live.pk, live.version, None


def _group_labels():
    return {
        "national": _("National"),
        "region": _("Same Veilig Thuis region"),
        "size_class": _("Same size class"),
    }


def _own_values(chosen) -> dict:
    """The own municipality's latest submitted realisations (its own figures, shown live)."""
    if chosen is None or not chosen.is_submitted or not chosen.snapshot:
        return {}
    result = chosen.snapshot.get("result") or {}
    values = {(OVERALL, None): result.get("overall")}
    values.update({("theme", t["code"]): t["realisation"] for t in result.get("themes", [])})
    values.update({("measure", m["code"]): m["realisation"] for m in result.get("measures", [])})
    return values


def _layout(released, chosen):
    """Row order: the release's, else the own submission's frozen measure set."""
    if released.themes or released.measures:
        return released.themes, released.measures, released.measure_themes
    spec = (chosen.snapshot or {}).get("measure_set") if chosen and chosen.snapshot else None
    if not spec:
        return [], [], {}
    return (
        [t["code"] for t in spec.get("themes", [])],
        [m["code"] for m in spec.get("measures", [])],
        {m["code"]: m["theme"] for m in spec.get("measures", [])},
    )


@login_required
@require_GET
def benchmark(request, cycle_pk):
    cycle = access.get_municipal_cycle_for(request.user, cycle_pk, access.VIEW_CYCLE)
    municipality = cycle.municipality
    measure_set_id, measure_set_version, chosen = _measure_set_of(cycle)
    context = {"cycle": cycle, "municipality": municipality, "available": False}
    if measure_set_id is None:
        return render(request, "questionnaire/benchmark.html", context)
    version = benchmarking.population_key(measure_set_id, measure_set_version)
    reader = benchmarking.Reader.of(request.user)
    all_releases = benchmarking.releases()
    released = benchmarking.reader_benchmark(
        reader, municipality, cycle.year, version, all_releases
    )
    if released.status == "error":
        context["error"] = _("The benchmark cannot be computed: a stored result is invalid.")
        return render(request, "questionnaire/benchmark.html", context)
    bench = released.benchmark

    labels = (chosen.snapshot or {}).get("labels") if chosen and chosen.snapshot else None
    if labels is None:
        labels = benchmarking.labels_for(measure_set_id, measure_set_version)
    theme_titles, measure_titles = labels.get("themes", {}), labels.get("measures", {})
    own_values = _own_values(chosen)
    submitted = bool(own_values)
    group_labels = _group_labels()
    themes, measures, measure_themes = _layout(released, chosen)

    def row(kind, code, label):
        cells = [
            {
                "group": group_labels[str(g)],
                "cell": bench.group(g).cell(kind, code) if bench is not None else EMPTY,
            }
            for g in PEER_GROUPS
        ]
        own_value = own_values.get((kind, code))
        return {"kind": kind, "code": code, "label": label, "own": own_value, "cells": cells}

    rows = [row(OVERALL, None, _("Overall"))]
    theme_rows = []
    for theme in themes:
        theme_row = row("theme", theme, theme_titles.get(theme, theme))
        theme_rows.append(theme_row)
        rows.append(theme_row)
        for measure in measures:
            if measure_themes.get(measure) == theme:
                title = measure_titles.get(measure, "")
                rows.append(row("measure", measure, f"{measure} {title}".strip()))

    points = benchmarking.reader_trend(
        reader,
        municipality,
        cycle.year,
        benchmarking.own_overall_by_year(municipality, cycle.year),
        all_releases,
    )
    agreements = benchmarking.agreements_for(reader.member_ids, municipality)
    participants = {p.municipality for _agreement, ps in agreements for p in ps}
    named = []
    if agreements:
        year_data = benchmarking.year_data(
            cycle.year,
            measure_set_id,
            measure_set_version,
            {},
            municipality_codes=participants,
        )
        named = benchmarking.comparisons(agreements, year_data, cycle.year, version)
    context.update(
        {
            "available": True,
            "submitted": submitted,
            "rows": rows,
            "groups": [group_labels[str(g)] for g in PEER_GROUPS],
            "min_size": benchmarking.min_group_size(),
            "generated": released.generated,
            "theme_chart": charts.peer_band_chart(theme_rows),
            "trend": charts.trend_chart(points),
            "comparisons": _comparisons(named, rows),
            **benchmarking.release_notes(released, chosen),
        }
    )
    return render(request, "questionnaire/benchmark.html", context)


def _comparisons(items, rows):
    labels = {(r["kind"], r["code"]): r["label"] for r in rows}
    out = []
    for agreement, comparison in items:
        out.append(
            {
                "agreement": agreement,
                "participants": [
                    {"name": p.name, "submitted": s}
                    for p, s in zip(comparison.participants, comparison.submitted, strict=True)
                ],
                "rows": [
                    {
                        "label": labels.get((r.kind, r.code), r.code),
                        "kind": r.kind,
                        "values": r.values,
                    }
                    for r in comparison.rows
                ],
            }
        )
    return out
