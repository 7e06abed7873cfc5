"""Benchmark releases end to end: publishing, the page and the council report read the same
release through one function, and nothing a reader sees changes between releases."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from compass import access
from compass.models import BenchmarkPopulation, BenchmarkRelease, Cycle
from exports.reports import build_cycle_report
from questionnaire import benchmarking
from questionnaire.benchmark_data import bulk_submitted
from tests.factories import SharingAgreementFactory
from tests.questionnaire.assessment_helpers import make_cycle, make_measure_set
from tests.questionnaire.release_helpers import publish
from tests.questionnaire.test_benchmark_page import LABELS, THEMES, cell_markup, make_peers

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure_set(db):
    return make_measure_set(measures_per_theme=(2, 1))


def submit(municipalities, measure_set, base=40.0, step=2.0):
    bulk_submitted(
        [
            (m, 2026, {"m1": min(100, base + step * i), "m2": min(100, base + 3 * i), "m3": base})
            for i, m in enumerate(municipalities)
        ],
        measure_set,
        THEMES,
        LABELS,
        generated=False,
    )


def page(client, cycle):
    response = client.get(f"/jaarcycli/{cycle.pk}/vergelijking/")
    assert response.status_code == 200
    return response.content.decode()


def main(html):
    return html.split("<main")[1].split("</main>")[0]


# --- Publishing -------------------------------------------------------------------------------


def test_publishing_is_idempotent_per_reference_date_and_in_date_order(measure_set):
    submit(make_peers(6), measure_set)
    first = publish()
    assert first.created and first.stored == [(2026, first.stored[0][1])]
    again = benchmarking.publish_release(first.release.reference_date)
    assert not again.created and again.release == first.release
    assert BenchmarkRelease.objects.count() == 1
    second = publish()  # nothing changed: the population is not stored again
    assert second.created and second.stored == []
    assert BenchmarkPopulation.objects.count() == 1
    with pytest.raises(benchmarking.ReleaseError):
        benchmarking.publish_release(first.release.reference_date - dt.timedelta(days=1))
    with pytest.raises(benchmarking.ReleaseError):
        benchmarking.publish_release(timezone.localdate() + dt.timedelta(days=1))


def test_a_years_first_release_waits_for_five_submissions(measure_set):
    submit(make_peers(4), measure_set)
    assert publish().stored == []
    submit(make_peers(1, prefix=20), measure_set)
    assert len(publish().stored) == 1


def test_the_command_publishes_the_latest_reference_date_once(measure_set, settings):
    submit(make_peers(6), measure_set)
    settings.BENCHMARK_RELEASE_DAY = 1
    call_command("publish_benchmark", verbosity=0)
    release = BenchmarkRelease.objects.get()
    assert release.reference_date == timezone.localdate().replace(day=1)
    # Submissions of the reference date itself and later wait for the next release.
    assert release.cutoff == benchmarking.cutoff_of(release.reference_date)
    call_command("publish_benchmark", verbosity=0)
    assert BenchmarkRelease.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("publish_benchmark", date="2026-13-01")


def test_reference_dates_follow_the_configured_calendar(settings):
    settings.BENCHMARK_RELEASE_DAY = 1
    settings.BENCHMARK_RELEASE_MONTHS = [1, 4, 7, 10]
    assert benchmarking.reference_date_on_or_before(dt.date(2026, 12, 1)) == dt.date(2026, 10, 1)
    assert benchmarking.next_reference_date(dt.date(2026, 10, 1)) == dt.date(2027, 1, 1)
    settings.BENCHMARK_RELEASE_MONTHS = list(range(1, 13))
    assert benchmarking.next_reference_date(dt.date(2026, 12, 1)) == dt.date(2027, 1, 1)


def test_an_invalid_stored_result_is_left_out_of_the_release_and_named(measure_set):
    peers = make_peers(6)
    submit(peers, measure_set)
    from compass.models import SelfAssessment

    broken = SelfAssessment.objects.get(cycle__municipality=peers[0])
    broken.snapshot["result"]["overall"] = 150
    broken.save(update_fields=["snapshot"])
    result = publish()
    assert result.skipped == [f"{peers[0].code} 2026"]
    assert BenchmarkPopulation.objects.get().size == 5


# --- Between releases nothing changes ------------------------------------------------------------


def test_a_late_submission_changes_nothing_until_enough_others_changed(
    alice, client_for, measure_set, gemeente_a
):
    submit([gemeente_a], measure_set, base=90)
    cycle = Cycle.objects.municipal().get(municipality=gemeente_a, year=2026)
    submit(make_peers(10, size_class=gemeente_a.size_class), measure_set)
    publish()
    client = client_for(alice)
    before = cell_markup(page(client, cycle))
    assert any("n&nbsp;=&nbsp;10" in c for c in before)
    # Amersfoort's case: one municipality submits late; the page does not move, not even after
    # the next release, because fewer than five contributions changed.
    submit(make_peers(1, prefix=40, size_class=gemeente_a.size_class), measure_set, base=58.33)
    assert cell_markup(page(client, cycle)) == before
    publish()
    assert cell_markup(page(client, cycle)) == before
    # Five more: now the cells move, by six municipalities at once.
    submit(make_peers(5, prefix=50, size_class=gemeente_a.size_class), measure_set, base=70)
    assert cell_markup(page(client, cycle)) == before
    publish()
    after = cell_markup(page(client, cycle))
    assert after != before and any("n&nbsp;=&nbsp;16" in c for c in after)


def test_a_submission_after_the_release_says_when_it_counts(
    alice, client_for, measure_set, gemeente_a
):
    submit(make_peers(8, size_class=gemeente_a.size_class), measure_set)
    release = publish().release
    submit([gemeente_a], measure_set, base=90)
    cycle = Cycle.objects.municipal().get(municipality=gemeente_a, year=2026)
    html = re.sub(r"\s+", " ", page(client_for(alice), cycle))
    date = benchmarking.next_reference_date(release.reference_date)
    with translation.override("nl"):
        from django.utils.formats import date_format

        expected = date_format(date, "j F Y")
    assert f"Uw inzending telt mee vanaf de volgende vergelijking ({expected})." in html
    assert "Vergelijking van " in html and "8 gemeenten hebben" in html


def test_joining_an_agreement_changes_the_page_only_at_the_next_release(
    alice, client_for, measure_set, gemeente_a, gemeente_p, regio_utrecht
):
    """A knows P (Regio Utrecht). Nationally five unknown peers: shown. A joins an agreement
    with one of them: the page stays as it was until the next release, which hides the cell."""
    submit([gemeente_a, gemeente_p], measure_set, base=50)
    cycle = Cycle.objects.municipal().get(municipality=gemeente_a, year=2026)
    peers = make_peers(5, "VT98", size_class=99)
    submit(peers, measure_set, base=30)
    publish()
    client = client_for(alice)
    before = main(page(client, cycle))
    assert "n&nbsp;=&nbsp;6" in before  # P and the five, without Utrecht itself
    agreement = SharingAgreementFactory(name="Nieuw", start_date=dt.date(2020, 1, 1))
    access.join_agreement(agreement, gemeente_a)
    access.join_agreement(agreement, peers[0])
    assert cell_markup(page(client, cycle)) == cell_markup(before)
    publish()
    assert "n&nbsp;=&nbsp;6" not in main(page(client, cycle))


# --- One function for every output ---------------------------------------------------------------


def submit_for_real(municipality, measure_set, user):
    """A self-assessment submitted through the service (the report reads its full result)."""
    from questionnaire.assessment import load_measure_set, start
    from questionnaire.assessment import submit as submit_assessment
    from questionnaire.demo import _demo_answers

    cycle = make_cycle(municipality, 2026)
    view = load_measure_set(measure_set)
    assessment = start(cycle, measure_set)
    _demo_answers(assessment, list(view.measures), user, 0)
    submit_assessment(assessment, view, user)
    return cycle


def report_national(cycle, user):
    with translation.override("nl"):
        rows = build_cycle_report(cycle, user).assessment["rows"]
    return [(r["median_text"], r["count"]) for r in rows]


def page_national(client, cycle):
    cells = cell_markup(page(client, cycle))
    overall = cells[1]  # own, national, region, size class
    match = re.search(r">([\d,]+) \(.*?n&nbsp;=&nbsp;(\d+)\)", overall)
    return (f"{match.group(1)}%", match.group(2)) if match else ("–", "–")


def test_report_and_page_leave_out_the_same_known_municipalities(
    carol, client_for, measure_set, gemeente_b, gemeente_p, closed_agreement_b
):
    """Carol (B) knows P through an agreement. Nationally P and four unknown peers: the page hid
    the cell while the report showed it (median, quartiles, n = 5). Now both hide it; with a
    fifth unknown peer both show the same numbers."""
    cycle = submit_for_real(gemeente_b, measure_set, carol)
    submit([gemeente_p], measure_set, base=50)
    others = make_peers(4, "VT97", size_class=98)
    submit(others, measure_set, base=30)
    publish()
    client = client_for(carol)
    assert page_national(client, cycle) == ("–", "–")
    assert report_national(cycle, carol)[0] == ("–", "–")
    submit(make_peers(6, "VT97", size_class=98, prefix=30), measure_set, base=70)
    publish()
    shown = page_national(client, cycle)
    assert shown[0] != "–" and shown[1] == "11"
    assert report_national(cycle, carol)[0] == shown


def test_only_the_reader_function_computes_benchmark_figures():
    """Page, report and exports may not build a population of their own: every benchmark figure
    comes from benchmarking.reader_benchmark / reader_trend (one rule for every output)."""
    root = Path(__file__).resolve().parents[2]
    allowed = {
        root / "questionnaire" / "benchmark.py",
        root / "questionnaire" / "benchmarking.py",
    }
    pattern = re.compile(
        r"(?<![\w.])(Population\(|release_benchmarks\(|suppress\()|\.benchmarks?\("
    )
    offenders = [
        str(path.relative_to(root))
        for app in ("questionnaire", "exports", "compass", "cms")
        for path in (root / app).rglob("*.py")
        if path not in allowed
        and "migrations" not in path.parts
        and pattern.search(path.read_text())
    ]
    assert offenders == []
