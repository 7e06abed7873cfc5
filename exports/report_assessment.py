"""The self-assessment section of the report, with the anonymous national benchmark beside it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from cms.choices import Band
from compass import numbers
from compass.charts import score_chart
from compass.models import Cycle, SelfAssessment
from questionnaire import benchmarking
from questionnaire.assessment import read_result
from questionnaire.benchmark import EMPTY, PeerGroup

MISSING = numbers.MISSING


def _band_label(band) -> tuple[str, str]:
    if band is None:
        return "", ""
    return str(band), str(Band(str(band)).label)


def assessment_section(cycle: Cycle, assessment: SelfAssessment | None, reader=None) -> dict | None:
    """The newest submitted self-assessment with the anonymous national benchmark beside it.

    The report shows the national peer group of the latest benchmark release, read for the
    report's reader exactly as the benchmark page reads it (``benchmarking.reader_benchmark``):
    the same municipalities left out, the same minimum, the same figures.
    """
    if assessment is None or not assessment.snapshot:
        return None
    stored = read_result(assessment)
    if not stored.readable:
        return {"error": _("The stored result of the self-assessment cannot be read.")}
    result, labels = stored.result, stored.labels
    theme_titles = labels["themes"]
    national, notes = _national_benchmark(cycle, assessment, reader)
    rows = []
    for kind, code, title, realisation, band in [
        ("overall", None, _("Overall"), result.overall, result.overall_band),
        *[
            ("theme", t.code, theme_titles.get(t.code, t.code), t.realisation, t.band)
            for t in result.themes
        ],
    ]:
        band_code, band_text = _band_label(band)
        cell = national.cell(kind, code) if national is not None else None
        has_peers = cell is not None and cell.has_data
        rows.append(
            {
                "label": title,
                "own": realisation,
                "value": numbers.percent(realisation, 1),
                "band_code": band_code,
                "band": band_text,
                "median": cell.median if has_peers else None,
                "q1": cell.q1 if has_peers else None,
                "q3": cell.q3 if has_peers else None,
                "median_text": numbers.percent(cell.median, 1) if has_peers else MISSING,
                "quartiles": f"{numbers.percent(cell.q1, 1)} – {numbers.percent(cell.q3, 1)}"
                if has_peers
                else MISSING,
                "count": numbers.decimal(cell.count) if has_peers else MISSING,
            }
        )
    measures = [
        {
            "code": m.code,
            "title": labels["measures"].get(m.code, ""),
            "value": numbers.percent(m.realisation, 1),
            "band": _band_label(m.band)[1] or _("not applicable"),
        }
        for m in result.measures
    ]
    overall_band = _band_label(result.overall_band)
    return {
        "version": assessment.version,
        "submitted_at": assessment.submitted_at,
        "measure_set": labels["name"],
        "example_set": labels.get("example", False),
        "overall": numbers.percent(result.overall, 1),
        "overall_band": overall_band[1],
        "overall_band_code": overall_band[0],
        "rows": rows,
        "chart": score_chart(rows),
        "measures": measures,
        "has_benchmark": national is not None and any(r["median"] is not None for r in rows),
        "min_size": benchmarking.min_group_size(),
        **notes,
    }


@dataclass(frozen=True)
class NationalCells:
    cells: dict

    def cell(self, kind: str, code: str | None):
        return self.cells.get((kind, code), EMPTY)


def _national_benchmark(cycle: Cycle, assessment: SelfAssessment, reader):
    """The national cells and the release notes, from ``benchmarking.reader_benchmark``: the
    same function, reader and release as the benchmark page, so the figures are the page's."""
    municipality = cycle.municipality
    version = benchmarking.population_key(assessment.measure_set_id, assessment.measure_set_version)
    released = benchmarking.reader_benchmark(
        benchmarking.Reader.of(reader, municipality), municipality, cycle.year, version
    )
    notes = benchmarking.release_notes(released, assessment)
    notes["generated"] = released.generated  # the report says so, as the benchmark page does
    if released.benchmark is None:
        return None, notes
    group = released.benchmark.group(PeerGroup.NATIONAL)
    cells = {
        ("overall", None): group.overall,
        **{("theme", code): cell for code, cell in group.themes.items()},
    }
    return NationalCells(cells), notes
