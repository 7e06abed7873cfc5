"""Step pages of a big cycle (issue 18): small, constant in queries, nothing lost.

A step with many saved rows shows them closed (questionnaire.closed_rows): one line per row,
*Wijzigen* opens it. These tests hold the targets of issue 18 for a cycle with 30 ambitions
and 100 offerings (every step page at most 150 KB of HTML and 20 queries, as many queries as
for a cycle with one row) and check that a closed row is an unchanged row for saving, the
history and the merge after a save in between, and that opening one keeps the draft.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compass import services
from compass.models import ChangeRecord, QualityCheck, Step
from questionnaire import closed_rows, steps
from tests.questionnaire.cycle_helpers import step_url
from tests.questionnaire.form_as_browser import form_data
from tests.questionnaire.test_cycle_query_counts import fill

pytestmark = pytest.mark.django_db
MAX_QUERIES = 20
MAX_BYTES = 150 * 1024
LONG = "Minder kinderen in de wijk ervaren huiselijk geweld of kindermishandeling thuis"


def big_cycle(municipality, user):
    cycle = services.start_cycle(municipality, 2026, user)
    fill(cycle, 30, 100)
    # Texts as long as the national seed's, so the bytes are those of a real cycle.
    cycle.ambitions.update(text=LONG)
    cycle.results.update(text=LONG)
    cycle.offerings.update(name="Stevig Ouderschap in de wijk")
    return cycle


def get(client, url):
    client.get(url)  # the first request fills the caches (demo flag, site, menu)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def test_every_step_page_of_a_big_cycle_is_small_and_costs_what_a_small_one_costs(
    client_for, gemeente_a, gemeente_b, alice, carol
):
    small = services.start_cycle(gemeente_a, 2026, alice)
    fill(small, 1, 1)
    big = big_cycle(gemeente_b, carol)
    for step in steps.STEPS:
        _page, few = get(client_for(alice), step_url(small, step))
        page, many = get(client_for(carol), step_url(big, step))
        assert len(page.content) <= MAX_BYTES, f"{step}: {len(page.content)} bytes"
        assert many <= MAX_QUERIES, f"{step}: {many} queries"
        assert few == many, f"{step}: {few} queries with one row, {many} with a hundred"


def test_a_small_step_shows_every_row_open(client_for, gemeente_a, alice):
    cycle = services.start_cycle(gemeente_a, 2026, alice)
    fill(cycle, 1, 3)
    html = client_for(alice).get(step_url(cycle, Step.QUALITY)).content.decode()
    assert "cycle-row--closed" not in html
    assert 'name="quality-0-well_founded"' in html


def test_a_closed_row_keeps_its_label_summary_and_removal_box(client_for, gemeente_b, carol):
    cycle = big_cycle(gemeente_b, carol)
    html = client_for(carol).get(step_url(cycle, Step.QUALITY)).content.decode()
    assert html.count("cycle-row--closed") == 100
    assert 'name="quality-0-well_founded"' not in html  # closed: no fields
    assert 'name="quality-0-closed" value="1"' in html
    assert "<legend>Kwaliteitscheck 1</legend>" in html
    assert "Stevig Ouderschap in de wijk" in html  # the summary names the offering
    assert 'name="open_row" value="quality-0"' in html
    assert 'Wijzigen<span class="visually-hidden"> Kwaliteitscheck 1</span>' in html
    assert 'for="id_quality-0-DELETE">Deze rij verwijderen bij opslaan</label>' in html


@pytest.mark.parametrize("step", [Step.AMBITIONS, Step.OFFERING, Step.QUALITY, Step.OUTCOMES])
def test_a_big_step_saved_as_rendered_changes_nothing(client_for, gemeente_b, carol, step):
    cycle = big_cycle(gemeente_b, carol)
    client = client_for(carol)
    history = ChangeRecord.objects.filter(cycle=cycle, step=step)
    before = history.count()
    data, _dates = form_data(client.get(step_url(cycle, step)).content.decode())
    data["action"] = "save"
    response = client.post(step_url(cycle, step), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert history.count() == before
    assert QualityCheck.objects.filter(cycle=cycle, trained="yes").count() == 100


def test_wijzigen_stores_the_draft_and_opens_the_row(client_for, gemeente_b, carol):
    cycle = big_cycle(gemeente_b, carol)
    client = client_for(carol)
    url = step_url(cycle, Step.QUALITY)
    data, _dates = form_data(client.get(url).content.decode())
    data["open_row"] = "quality-4"
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == f"{url}?rij=quality-4#quality-row-4"
    html = client.get(response["Location"]).content.decode()
    assert 'name="quality-4-well_founded"' in html  # open
    assert 'name="quality-3-well_founded"' not in html  # the others stay closed
    assert html.count("cycle-row--closed") == 99

    # Edit the open row and save: only that row changes, the closed rows keep their values.
    data, _dates = form_data(html)
    data["quality-4-trained"] = "no"
    data["action"] = "save"
    assert client.post(url, data).status_code == 302
    assert QualityCheck.objects.filter(cycle=cycle, trained="no").count() == 1
    assert QualityCheck.objects.filter(cycle=cycle, trained="yes").count() == 99
    assert ChangeRecord.objects.filter(cycle=cycle, step=Step.QUALITY).count() == 1


def test_a_row_edited_in_the_draft_stays_open(client_for, gemeente_b, carol):
    cycle = big_cycle(gemeente_b, carol)
    client = client_for(carol)
    url = step_url(cycle, Step.QUALITY)
    data, _dates = form_data(client.get(f"{url}?rij=quality-2").content.decode())
    data["quality-2-trained"] = "no"
    data["open_row"] = "quality-7"  # open the next row: the edit must not disappear
    location = client.post(url, data)["Location"]
    html = client.get(location).content.decode()
    assert 'name="quality-2-trained"' in html and 'name="quality-7-trained"' in html
    data, _dates = form_data(html)
    assert data["quality-2-trained"] == ["no"]


def test_the_merge_takes_the_other_save_for_a_closed_row(client_for, gemeente_b, carol):
    cycle = big_cycle(gemeente_b, carol)
    client = client_for(carol)
    url = step_url(cycle, Step.QUALITY)
    mine, _dates = form_data(client.get(f"{url}?rij=quality-1").content.decode())
    # Somebody saves row 0 (closed on this page) in between.
    theirs, _dates = form_data(client.get(f"{url}?rij=quality-0").content.decode())
    theirs["quality-0-trained"] = "no"
    theirs["action"] = "save"
    assert client.post(url, theirs).status_code == 302
    mine["quality-1-notes"] = "Mijn toelichting"
    mine["action"] = "save"
    response = client.post(url, mine)
    assert response.status_code == 409  # saved in between: shown merged, no conflict
    assert 'id="conflicts"' not in response.content.decode()
    merged, _dates = form_data(response.content.decode())
    merged["action"] = "save"
    assert client.post(url, merged).status_code == 302
    first, second = QualityCheck.objects.filter(cycle=cycle).order_by("pk")[:2]
    assert first.trained == "no"  # their change to the closed row is not undone
    assert second.notes == "Mijn toelichting"


def test_a_closed_marker_on_a_foreign_row_fills_nothing(
    client_for, gemeente_a, gemeente_b, alice, carol
):
    other = services.start_cycle(gemeente_a, 2026, alice)
    fill(other, 1, 1)
    foreign = QualityCheck.objects.get(cycle=other)
    cycle = big_cycle(gemeente_b, carol)
    client = client_for(carol)
    url = step_url(cycle, Step.QUALITY)
    data, _dates = form_data(client.get(url).content.decode())
    data["quality-0-id"] = str(foreign.pk)
    data["action"] = "save"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "hoort niet bij deze jaarcyclus" in response.content.decode()
    foreign.refresh_from_db()
    assert foreign.cycle == other


def test_opened_row_accepts_only_a_row_of_the_step():
    definition = steps.step_def(Step.QUALITY)
    assert closed_rows.opened_row(definition, "quality-12") == "quality-12"
    for value in ("", None, "quality", "results-1", "quality-x", "quality-99999", "<b>-1"):
        assert closed_rows.opened_row(definition, value) is None
