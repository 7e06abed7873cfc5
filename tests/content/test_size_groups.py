"""Size classes in which the largest cities get a comparison group (issue 19 item 8; M7)."""

from collections import Counter

import pytest

from questionnaire.benchmarking import SIZE_GROUPS, _size


def test_the_four_largest_cities_are_compared_with_the_next_class():
    assert SIZE_GROUPS == {8: 7}
    assert _size(8) == _size(7) == "7"
    assert _size(4) == "4" and _size(None) is None


@pytest.mark.django_db
def test_every_size_group_of_the_real_cbs_file_reaches_the_minimum_group_size():
    from compass.cbs import areas
    from compass.models import Municipality

    areas.load_demo_municipalities()
    active = Municipality.objects.filter(status=Municipality.Status.ACTIVE)
    raw = Counter(active.values_list("size_class", flat=True))
    assert raw[8] == 4  # Amsterdam, Rotterdam, 's-Gravenhage, Utrecht: too few on their own
    groups = Counter(_size(size) for size in active.values_list("size_class", flat=True))
    groups.pop(None, None)
    assert min(groups.values()) >= 5, groups
