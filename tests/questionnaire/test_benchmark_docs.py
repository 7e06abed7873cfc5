"""The worked example in docs/benchmark.md, run through the engine: the page cannot drift."""

import json
import re
from pathlib import Path

from questionnaire.benchmark import (
    BenchmarkRecord,
    Population,
    Step,
    Subject,
    quartiles,
    release_benchmarks,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "benchmark.md"


def fenced_block(info: str) -> dict:
    match = re.search(rf"^```json {re.escape(info)}\n(.*?)^```$", DOC.read_text(), re.M | re.S)
    assert match, f"docs/benchmark.md has no ```json {info} block"
    return json.loads(match.group(1))


def example_benchmark():
    example = fenced_block("benchmark-example")
    records = [
        BenchmarkRecord(
            municipality=r["municipality"],
            region=r["region"],
            size_class=r["size_class"],
            year=example["year"],
            version=example["version"],
            overall=r["overall"],
            measures={"P1": r["P1"]},
        )
        for r in example["records"]
    ]
    population = Population(records, year=example["year"], version=example["version"])
    return population.benchmark(Subject(**example["subject"]), example["min_size"])


def test_worked_example_gives_the_documented_cells():
    bench = example_benchmark()
    shown = {
        g.group.value: {"overall": g.overall.to_dict(), "P1": g.measures["P1"].to_dict()}
        for g in bench.groups
    }
    assert shown == fenced_block("benchmark-expected")
    assert bench.own.overall == 70


def test_worked_example_quartile_arithmetic_is_as_written():
    text = DOC.read_text()
    assert quartiles([30, 40, 45, 50, 55, 60, 65, 75, 80, 90]) == (46.25, 57.5, 72.5)
    assert "(46.25–72.5; n = 10)" in text
    assert quartiles([40, 55, 60, 65, 80]) == (55.0, 60.0, 65.0)


def test_docs_record_measured_numbers():
    assert "MEASUREMENTS" not in DOC.read_text()


def test_release_example_gives_the_documented_cells():
    example = fenced_block("release-example")
    expected = fenced_block("release-expected")
    reader = Subject(example["reader"], "West", "large")
    steps, shown = [], {}
    for release in example["releases"]:
        records = [
            BenchmarkRecord(code, "West", "large", 2026, "1:1", float(value))
            for code, value in release["records"].items()
        ]
        steps.append(Step(Population(records, year=2026, version="1:1"), (reader,)))
        bench = release_benchmarks(steps, example["min_size"])[0]
        cells = {g.group.value: g.overall.to_dict() for g in bench.groups}
        assert cells["region"] == cells["size_class"] == cells["national"]
        shown[release["date"]] = cells["national"]
    assert shown == expected
    text = DOC.read_text()
    assert quartiles([30, 40, 55, 60, 65, 80]) == (43.75, 57.5, 63.75)
    assert quartiles([30, 40, 55, 60, 65, 80, 90])[1] == 60  # what a live page would show
    assert "keeps 57.5 (43.75–63.75; n = 6)" in text and "a median of 60 with n = 7" in text
