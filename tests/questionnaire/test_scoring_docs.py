"""The worked example in docs/scoring.md, scored by the engine: the page cannot drift from code."""

import json
import re
from pathlib import Path

import pytest

from questionnaire.scoring import (
    MeasureSetSpec,
    Thresholds,
    score_assessment,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "scoring.md"
HALF_CENT = 0.005 + 1e-9  # the page rounds to two decimals
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def fenced_block(info: str) -> dict:
    match = re.search(rf"^```json {re.escape(info)}\n(.*?)^```$", DOC.read_text(), re.M | re.S)
    assert match, f"docs/scoring.md has no ```json {info} block"
    return json.loads(match.group(1))


def cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def table(*headers: str) -> list[dict[str, str]]:
    """Rows of the Markdown table whose column headers are exactly ``headers``."""
    lines = DOC.read_text().splitlines()
    for i, line in enumerate(lines):
        if line.startswith("|") and cells(line) == list(headers):
            rows = []
            for row in lines[i + 2 :]:
                if not row.startswith("|"):
                    break
                rows.append(dict(zip(headers, cells(row), strict=True)))
            return rows
    raise AssertionError(f"docs/scoring.md has no table with the columns {headers}")


def last_number(cell: str) -> float:
    return float(NUMBER.findall(cell)[-1])


def documented(value, number):
    """The page shows ``value`` rounded to two decimals (or a dash / null for no value)."""
    if value is None:
        return number in (None, "–")
    return abs(value - number) <= HALF_CENT


EXAMPLE = fenced_block("scoring-example")
EXPECTED = fenced_block("scoring-expected")
MEASURE_SET = MeasureSetSpec.from_dict(EXAMPLE["measure_set"])
THRESHOLDS = Thresholds.from_dict(EXAMPLE["thresholds"])
RESULT = score_assessment(MEASURE_SET, EXAMPLE["answers"], THRESHOLDS, EXAMPLE["top"])
ALL = score_assessment(MEASURE_SET, EXAMPLE["answers"], THRESHOLDS, top=None)


def test_example_has_what_the_page_promises():
    measures = EXAMPLE["measure_set"]["measures"]
    assert len(EXAMPLE["measure_set"]["themes"]) == 2
    assert 4 <= len(measures) <= 5
    values = [v for per in EXAMPLE["answers"].values() for v in per.values()]
    assert "dont_know" in values and "not_applicable" in values
    assert RESULT.dont_know and any(m.weak_aspect for m in RESULT.measures)
    assert len(RESULT.suggestions) >= 3


@pytest.mark.parametrize("code", [m["code"] for m in EXAMPLE["measure_set"]["measures"]])
def test_expected_block_matches_the_engine_per_measure(code):
    expected = EXPECTED["measures"][code]
    measure = RESULT.measure(code)
    assert documented(measure.realisation, expected["realisation"])
    assert documented(measure.share, expected["share"])
    assert measure.band == expected["band"]
    assert measure.weak_aspect == expected["weak_aspect"]
    assert [str(a) for a in measure.dont_know] == expected["dont_know"]


def test_expected_block_matches_the_engine_for_themes_overall_and_suggestions():
    assert set(EXPECTED["themes"]) == {t.code for t in RESULT.themes}
    for theme in RESULT.themes:
        assert documented(theme.realisation, EXPECTED["themes"][theme.code]["realisation"])
        assert theme.band == EXPECTED["themes"][theme.code]["band"]
    assert documented(RESULT.overall, EXPECTED["overall"])
    assert RESULT.overall_band == EXPECTED["overall_band"]
    assert [s.id for s in RESULT.suggestions] == [row[0] for row in EXPECTED["suggestions"]]
    for ranked, (_, gain) in zip(RESULT.suggestions, EXPECTED["suggestions"], strict=True):
        assert documented(ranked.gain, gain)


def test_overall_without_theme_weights_matches_the_page():
    data = json.loads(json.dumps(EXAMPLE["measure_set"]))
    for theme in data["themes"]:
        theme["weight"] = None
    flat = score_assessment(MeasureSetSpec.from_dict(data), EXAMPLE["answers"], THRESHOLDS)
    assert documented(flat.overall, EXPECTED["overall_without_theme_weights"])


def test_measure_table_matches_the_engine():
    rows = table("measure", "weight", "answers", "realisation", "band", "weak aspect")
    weights = {m.code: m.weight for m in MEASURE_SET.measures}
    assert [row["measure"] for row in rows] == list(weights)
    for row in rows:
        measure = RESULT.measure(row["measure"])
        assert int(row["weight"]) == weights[measure.code]
        number = None if row["realisation"] == "–" else float(row["realisation"])
        assert documented(measure.realisation, number)
        assert row["band"] == (measure.band or "–")
        assert row["weak aspect"] == (measure.weak_aspect or "–")


def test_theme_and_overall_table_matches_the_engine():
    rows = {row["score"]: row for row in table("score", "arithmetic", "realisation", "band")}
    for theme in RESULT.themes:
        assert documented(theme.realisation, float(rows[theme.code]["realisation"]))
        assert rows[theme.code]["band"] == theme.band
    assert documented(RESULT.overall, float(rows["overall"]["realisation"]))
    assert rows["overall"]["band"] == RESULT.overall_band


def test_share_table_matches_the_engine():
    rows = table("measure", "share")
    counted = [m for m in RESULT.measures if m.share is not None]
    assert [row["measure"] for row in rows] == [m.code for m in counted]
    for row, measure in zip(rows, counted, strict=True):
        assert documented(measure.share, last_number(row["share"]))


def test_suggestion_table_lists_every_applicable_suggestion_in_rank_order():
    rows = table("rank", "suggestion", "measure", "applies because", "gap", "gain")
    assert [int(row["rank"]) for row in rows] == list(range(1, len(ALL.suggestions) + 1))
    assert [row["suggestion"] for row in rows] == [s.id for s in ALL.suggestions]
    shares = {m.code: m.share for m in ALL.measures}
    for row, ranked in zip(rows, ALL.suggestions, strict=True):
        assert row["measure"] == ranked.measure_code
        assert documented(ranked.gain, last_number(row["gain"]))
        assert documented(ranked.gain / shares[ranked.measure_code], last_number(row["gap"]))
