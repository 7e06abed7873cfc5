"""Every cycle part has a factory that makes a valid row, linked within one cycle."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

PART_FACTORIES = [
    factories.StepProgressFactory,
    factories.SituationFigureFactory,
    factories.SituationReadingFactory,
    factories.AmbitionFactory,
    factories.ResultFactory,
    factories.ResultValueFactory,
    factories.TargetGroupFactory,
    factories.OfferingFactory,
    factories.QualityCheckFactory,
    factories.OutcomeMeasurementFactory,
    factories.ImprovementActionFactory,
]


@pytest.mark.parametrize("part_factory", PART_FACTORIES, ids=lambda f: f.__name__)
def test_each_part_factory_makes_a_row_the_model_accepts(part_factory):
    row = part_factory()
    row.full_clean()
    assert row.pk and row.cycle.pk


def test_parts_of_parts_share_their_parents_cycle():
    cycle = factories.CycleFactory()
    value = factories.ResultValueFactory(result__ambition__cycle=cycle)
    check = factories.QualityCheckFactory(offering__cycle=cycle)
    outcome = factories.OutcomeMeasurementFactory(offering=check.offering)
    assert value.cycle == value.result.cycle == value.result.ambition.cycle == cycle
    assert check.cycle == outcome.cycle == cycle


def test_an_offering_links_the_given_target_groups_and_results():
    cycle = factories.CycleFactory()
    group = factories.TargetGroupFactory(cycle=cycle)
    result = factories.ResultFactory(ambition__cycle=cycle)
    offering = factories.OfferingFactory(cycle=cycle, target_groups=[group], results=[result])
    assert list(offering.target_groups.all()) == [group]
    assert list(offering.results.all()) == [result]
