"""The report's offering section names the databank with the level, and a result without a
fixed direction gets no on-track verdict (issue 19: DOMAIN-REVIEW H2, M1)."""

from decimal import Decimal

import pytest
from django.utils import translation

from compass import services
from compass.models import Ambition, Offering, Result, ResultValue
from exports.reports import build_cycle_report
from exports.views.report import _print_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(gemeente_a, alice):
    cycle = services.start_cycle(gemeente_a, 2026, alice)
    ambition = Ambition.objects.create(cycle=cycle, kind="reduce", text="Veilig opgroeien")
    counted = Result.objects.create(
        cycle=cycle,
        ambition=ambition,
        type="substantive",
        text="Meldingen bij Veilig Thuis",
        baseline_value=Decimal(400),
        baseline_year=2024,
        target_value=Decimal(500),
        target_year=2028,
        direction="neutral",
    )
    ResultValue.objects.create(cycle=cycle, result=counted, year=2025, value=Decimal(300))
    for name, level, databank in [
        ("Stevig Ouderschap", "eerste_aanwijzingen", "jeugd"),
        ("Plegerhulp", "goed_beschreven", "sociaal"),
        ("Daderhulp zonder databank", "goed_onderbouwd", ""),
        ("Aandachtsfunctionarissen", "niet_van_toepassing", ""),
    ]:
        Offering.objects.create(
            cycle=cycle, name=name, kind="help", evidence_level=level, databank=databank
        )
    return cycle


def test_the_report_shows_the_databank_with_each_level(cycle):
    with translation.override("nl"):
        report = build_cycle_report(cycle)
        html = _print_html(cycle)
    rows = {
        o["name"]: (o["evidence"], o["databank"], o["databank_missing"]) for o in report.offerings
    }
    assert rows == {
        "Stevig Ouderschap": (
            "Eerste aanwijzingen voor effectiviteit",
            "Databank Effectieve Jeugdinterventies (NJi)",
            False,
        ),
        "Plegerhulp": (
            "Goed beschreven",
            "Databank Effectieve sociale interventies (Movisie)",
            False,
        ),
        "Daderhulp zonder databank": ("Goed onderbouwd", "", True),
        "Aandachtsfunctionarissen": ("Niet van toepassing (geen interventie)", "", False),
    }
    assert "Het aanbod, het erkenningsniveau en de databank die het beoordeelde" in html
    assert "Databank Effectieve sociale interventies (Movisie)" in html
    assert html.count("databank niet ingevuld") == 1
    # The old caption claimed every level for the youth databank.
    assert "Erkenningsniveau (Databank Effectieve Jeugdinterventies)" not in html


def test_a_result_without_a_fixed_direction_gets_no_verdict_in_the_report(cycle):
    with translation.override("nl"):
        report = build_cycle_report(cycle)
        html = _print_html(cycle)
    row = report.ambitions[0]["results"][0]
    assert row["status"] == "no_direction"
    assert row["status_label"] == "Geen oordeel: geen vaste richting, duid de waarde"
    assert row["direction"] == "geen vaste richting: duiden"
    assert "report-track--on_track" not in html
    assert 'report-track--off_track">Niet op koers' not in html
    assert 'report-track--no_direction">Geen oordeel: geen vaste richting, duid de waarde' in html
    assert dict(report.track_counts) == {"Geen oordeel: geen vaste richting, duid de waarde": 1}


def test_the_summary_counts_on_track_among_the_results_with_a_direction(cycle):
    """A result without a direction is neither on track nor off it: '1 of 2' would read as a
    failure, so the summary counts among the results that can be judged and says so."""
    directed = Result.objects.create(
        cycle=cycle,
        ambition=cycle.ambitions.get(),
        type="substantive",
        text="Minder kinderen ervaren geweld thuis",
        baseline_value=Decimal(10),
        baseline_year=2024,
        target_value=Decimal(6),
        target_year=2028,
        direction="lower",
    )
    ResultValue.objects.create(cycle=cycle, result=directed, year=2025, value=Decimal(9))
    with translation.override("nl"):
        summary = dict(build_cycle_report(cycle).summary)
    assert summary["Maatschappelijke resultaten"] == "2"
    assert summary["Resultaten op koers (van de resultaten met een vaste richting)"] == "1 van 1"
    assert "Resultaten op koers" not in summary

    # With a direction for both, the plain label and every result counted again (300 reports
    # against an expected 425 is then off track).
    Result.objects.filter(cycle=cycle).update(direction="higher")
    with translation.override("nl"):
        summary = dict(build_cycle_report(cycle).summary)
    assert summary["Resultaten op koers"] == "1 van 2"
