"""The registry's table columns and JSON shape give what the exports write today.

So the exports can be generated from the registry (compass.parts) without changing a cell of
a CSV/XLSX table or a key of the JSON file.
"""

import pytest
from django.utils import translation

from compass import parts
from exports import cycle_tables, portable
from tests.exports.cycle_builders import rich_cycle


@pytest.fixture
def cycle(gemeente_a, alice):
    return rich_cycle(gemeente_a, user=alice)


@pytest.mark.parametrize(
    "part", [p for p in parts.PARTS.values() if not p.single], ids=lambda p: p.key
)
def test_the_columns_are_the_tables_columns(part, cycle):
    with translation.override("nl"):
        headers, rows = cycle_tables.TABLES[part.table].build(cycle)
        assert part.headers() == headers
        queryset = part.queryset(cycle)
        if part.key == "values":
            queryset = queryset.order_by("result_id", "year", "pk")
        assert [part.row(obj) for obj in queryset] == rows


def test_the_json_shape_is_the_files_shape(cycle):
    data = portable.export_cycle(cycle)["cycle"]
    keys: dict[str, dict[int, str]] = {}
    for part in parts.PARTS.values():
        if part.key_prefix:
            keys[part.key] = {
                obj.pk: f"{part.key_prefix}-{number}"
                for number, obj in enumerate(part.queryset(cycle), 1)
            }
    for part in parts.PARTS.values():
        if part.single:
            obj = part.model.objects.get(cycle=cycle)
            assert part.to_json(obj, keys) == data[part.json_key] != {}
            continue
        if part.nested_in:
            nested = [v for row in data[part.nested_in] for v in row[part.json_key]]
            queryset = part.queryset(cycle).order_by("result_id", "year", "pk")
            assert [part.to_json(obj, keys) for obj in queryset] == nested
            continue
        mine = [part.to_json(obj, keys) for obj in part.queryset(cycle)]
        theirs = data[part.json_key]
        if part.key == "results":
            theirs = [{k: v for k, v in row.items() if k != "values"} for row in theirs]
        assert mine == theirs, part.key


def test_from_json_and_validate_read_an_exported_row_back(cycle):
    data = portable.export_cycle(cycle)["cycle"]
    results = parts.get("results")
    row = data["results"][0]
    instance = results.from_json(row)
    instance.ambition = cycle.ambitions.order_by("pk").first()
    assert results.validate(instance, cycle=cycle) == {}
    assert results.to_json(instance, {})["target_value"] == row["target_value"]
