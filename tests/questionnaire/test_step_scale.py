"""Step pages at scale (issue 18): queries constant in the data size, link choices shared.

A step with a hundred rows renders every row's link fields (an offering's results and target
groups) from one set of choices built once per request: Django would otherwise normalise and
escape the same sixty choices again for every row (profiled: a fifth of the page's function
calls, benchmarks/results.md).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compass import services
from questionnaire import cycle_forms, steps
from tests.questionnaire.test_cycle_query_counts import fill

pytestmark = pytest.mark.django_db
MAX_QUERIES = 20  # issue 18: every authenticated page


def queries_of(client, url) -> int:
    client.get(url)  # the first request fills the caches (demo flag, site, menu)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_step_pages_cost_the_same_queries_with_one_row_or_a_hundred(
    cast, client_for, gemeente_a, gemeente_b, alice, carol
):
    small = services.start_cycle(gemeente_a, 2026, alice)
    fill(small, 1, 1)
    big = services.start_cycle(gemeente_b, 2026, carol)
    fill(big, 30, 100)
    for step in steps.STEPS:
        few = queries_of(client_for(cast["dave"]), f"/jaarcycli/{small.pk}/{step}/")
        many = queries_of(client_for(cast["carol"]), f"/jaarcycli/{big.pk}/{step}/")
        assert few == many, f"{step}: {few} queries with one row, {many} with a hundred"
        assert many <= MAX_QUERIES, f"{step}: {many} queries"


def test_every_row_shares_the_link_choices_of_the_step(gemeente_a, alice):
    cycle = services.start_cycle(gemeente_a, 2026, alice)
    fill(cycle, 3, 5)
    built = steps.build_step(steps.step_def("aanbod"), cycle)
    rows = [form for part, formset in built.forms if part.prefix == "offerings" for form in formset]
    assert len(rows) == 5
    results = {id(form.fields["results"].choices) for form in rows}
    widgets = {id(form.fields["results"].widget.choices) for form in rows}
    assert len(results) == 1 and len(widgets) == 1
    assert isinstance(rows[0].fields["results"].choices, cycle_forms.SharedChoices)


def test_shared_choices_render_exactly_like_a_plain_list():
    plain = [(1, "Eén & <twee>"), (2, 'Drie "vier"')]
    shared = cycle_forms.SharedChoices(plain)
    for widget_class in (cycle_forms.CheckboxSelectMultiple, cycle_forms.Select):
        a, b = widget_class(), widget_class()
        a.choices, b.choices = plain, shared
        assert a.render("x", ["2"]) == b.render("x", ["2"])
        assert "&lt;twee&gt;" in b.render("x", None)
    assert list(shared.with_blank) == [("", "---------"), *plain]
    assert shared.with_blank is shared.with_blank
