"""The benchmark page reads a constant number of queries: at most 15 for 342 x 5 submissions."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compass.models import Municipality, Region
from questionnaire.benchmark_data import bulk_submitted, random_measures
from tests.questionnaire.assessment_helpers import make_cycle, make_measure_set
from tests.questionnaire.release_helpers import publish

THEMES = {"t1": ["m1", "m2"], "t2": ["m3"]}
YEARS = (2022, 2023, 2024, 2025, 2026)


def build_population(count, measure_set, years=YEARS, seed=42):
    """`count` municipalities over 25 Veilig Thuis regions and 5 size classes, all submitted."""
    rng = random.Random(seed)
    regions = Region.objects.bulk_create(
        [Region(kind="VT", code=f"VT{70 + i}", name=f"Regio {i}") for i in range(25)]
    )
    municipalities = Municipality.objects.bulk_create(
        [
            Municipality(code=f"GM{7000 + i:04d}", name=f"Gemeente {i}", size_class=1 + i % 5)
            for i in range(count)
        ]
    )
    through = Region.municipalities.through
    through.objects.bulk_create(
        [
            through(region_id=regions[i % 25].pk, municipality_id=m.pk)
            for i, m in enumerate(municipalities)
        ]
    )
    items = [
        (m, year, random_measures(rng, THEMES, rng.uniform(30, 80)))
        for year in years
        for m in municipalities
    ]
    bulk_submitted(items, measure_set, THEMES, generated=False)


def page_queries(client, cycle):
    """The queries of the page in steady state: one request first fills the caches (the demo
    flag, read at most once per five minutes), as every request after the first finds them."""
    url = f"/jaarcycli/{cycle.pk}/vergelijking/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.fixture
def setup(cast, gemeente_a):
    measure_set = make_measure_set(measures_per_theme=(2, 1))
    previous = None
    for year in YEARS:
        previous = make_cycle(gemeente_a, year, previous=previous)
    return measure_set, previous


def test_the_page_uses_at_most_15_queries_with_342_municipalities_times_5_years(
    setup, cast, client_for, gemeente_a
):
    measure_set, cycle = setup
    build_population(341, measure_set)
    bulk_submitted(
        [(gemeente_a, y, {"m1": 50.0, "m2": 60.0, "m3": 70.0}) for y in YEARS],
        measure_set,
        THEMES,
        generated=False,
    )
    publish()
    client = client_for(cast["alice"])
    count, html = page_queries(client, cycle)
    assert count <= 15
    assert "n&nbsp;=&nbsp;341" in html  # the national overall cell: every other municipality
    for year in YEARS:
        assert f">{year}</th>" in html  # the trend table has every year


def test_the_query_count_does_not_grow_with_the_population(setup, cast, client_for):
    measure_set, cycle = setup
    client = client_for(cast["pia"])  # a partner: the named comparison is read as well
    publish()  # a release without any population
    small, _html = page_queries(client, cycle)
    build_population(40, measure_set)
    publish()
    large, html = page_queries(client, cycle)
    assert "n&nbsp;=&nbsp;40" in html
    assert small == large <= 15
