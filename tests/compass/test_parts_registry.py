"""The registry of cycle parts: every model field of a part is declared (or listed internal)."""

import pytest
from django.db import models

from compass import parts
from compass.models import Step


def concrete_fields(model) -> set[str]:
    return {
        f.name
        for f in model._meta.get_fields()
        if f.concrete and not f.auto_created or isinstance(f, models.ManyToManyField)
    }


@pytest.mark.parametrize("part", parts.PARTS.values(), ids=lambda p: p.key)
def test_every_model_field_of_a_part_is_declared_or_internal(part):
    missing = concrete_fields(part.model) - set(part.field_names) - part.internal
    assert not missing, (
        f"{part.model.__name__} has fields that are not in the registry: {sorted(missing)}. "
        "Declare them in compass/parts/declarations.py (or list them as internal)."
    )


def test_the_check_sees_a_field_added_to_a_model():
    """The check above can fail: a model with one more field than its declaration is caught."""
    part = parts.get("target_groups")
    extra = models.CharField("nickname", max_length=10)
    extra.name = "nickname"
    fields = concrete_fields(part.model) | {extra.name}
    assert fields - set(part.field_names) - part.internal == {"nickname"}


def test_the_parts_follow_the_steps_and_come_after_what_they_point_at():
    order = list(parts.PARTS)
    steps = list(Step.values)
    assert [steps.index(p.step) for p in parts.PARTS.values()] == sorted(
        steps.index(p.step) for p in parts.PARTS.values()
    )
    for part in parts.PARTS.values():
        for link in part.fields:
            if link.ref:
                assert order.index(link.ref) < order.index(part.key), (part.key, link.name)
    assert [p.key for p in parts.for_step(Step.AMBITIONS)] == ["ambitions", "results", "values"]
    assert parts.for_model(parts.get("outcomes").model).key == "outcomes"


def test_declared_kinds_and_labels():
    results = parts.get("results")
    assert results.field("ambition").kind == parts.REFERENCE
    assert results.field("ambition").required
    assert results.field("indicator").kind == parts.INDICATOR
    assert results.field("target_year").kind == parts.YEAR
    assert parts.get("offerings").field("results").kind == parts.REFERENCES
    assert parts.get("figures").field("period").kind == parts.PERIOD
    assert str(results.field("target_year").label) == "Streefjaar"


def test_copy_rules():
    copied = {p.key: p.copy for p in parts.PARTS.values()}
    assert copied["ambitions"] is parts.Copy.ALL
    assert copied["actions"] is parts.Copy.OPEN
    assert copied["figures"] is parts.Copy.NONE
    assert copied["outcomes"] is parts.Copy.NONE
