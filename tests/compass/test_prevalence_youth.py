"""The youth population behind the prevalence estimate: estimated from the real CBS 2019 age
groups (70072ned), stored with its year and source, and used by `estimates_for` (issue 9)."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cms.snippets import PrevalenceRate
from compass import prevalence
from compass.cbs.errors import MalformedData
from compass.cbs.youth import estimate_0_17, load_youth_population, read_youth
from compass.demo import DEMO_YOUTH
from compass.models import CbsObservation, Cycle, Municipality, SituationFigure

pytestmark = pytest.mark.django_db
REAL = Path(__file__).resolve().parents[1] / "fixtures" / "cbs" / "statline_csv"
REAL_FILE = REAL / "Regionale_kerncijfers_Nederland_2019.csv"


def test_demo_copy_is_the_real_file_byte_for_byte():
    assert DEMO_YOUTH.read_bytes() == REAL_FILE.read_bytes()


def test_estimate_is_ages_0_to_15_plus_three_fifths_of_15_to_20():
    # Utrecht 2019: 21,908 + 20,051 + 18,102 + 3/5 × 17,894 = 60,061 + 10,736.4
    assert estimate_0_17([21908, 20051, 18102], 17894) == 70797
    assert estimate_0_17([0, 0, 0], 5) == 3
    assert estimate_0_17([0, 0, 0], 1) == 1  # 0.6 rounds half up to 1
    assert estimate_0_17([0, 0, 0], 4) == 2  # 2.4 rounds down


def test_read_youth_finds_year_and_table_in_the_footer():
    year, source, rows = read_youth(REAL_FILE.read_bytes())
    assert (year, source) == (2019, "CBS StatLine 70072ned")
    values = dict(rows)
    assert values["Utrecht (gemeente)"] == 70797
    assert values["Amersfoort"] == 8993 + 9786 + 10140 + 6141  # 3/5 × 10,235 = 6,141
    assert values["Aalburg"] == -1  # merged before 2019: no figures, not zero


def test_load_stores_estimate_year_source_and_is_idempotent(gemeente_a, gemeente_b):
    result = load_youth_population(REAL_FILE.read_bytes())
    assert result.updated == 2  # only the municipalities in the database
    utrecht = Municipality.objects.get(code="GM0344")
    assert utrecht.youth_population == 70797
    assert utrecht.youth_population_year == 2019
    assert utrecht.youth_population_source == "CBS StatLine 70072ned"
    assert utrecht.youth_population_estimated
    assert "Aalburg" in result.empty
    assert "Aa en Hunze" in result.unmatched
    again = load_youth_population(REAL_FILE.read_bytes())
    assert (again.updated, again.unchanged) == (0, 2)


def test_only_empty_leaves_a_youth_population_from_another_source(gemeente_a):
    Municipality.objects.filter(pk=gemeente_a.pk).update(
        youth_population=71000, youth_population_year=2024, youth_population_source="Eigen telling"
    )
    load_youth_population(REAL_FILE.read_bytes(), only_empty=True)
    assert Municipality.objects.get(pk=gemeente_a.pk).youth_population == 71000
    load_youth_population(REAL_FILE.read_bytes())
    assert Municipality.objects.get(pk=gemeente_a.pk).youth_population == 70797


def test_dry_run_writes_nothing(gemeente_a):
    result = load_youth_population(REAL_FILE.read_bytes(), dry_run=True)
    assert result.updated == 1
    assert Municipality.objects.get(pk=gemeente_a.pk).youth_population is None


def test_a_file_without_age_groups_or_year_is_refused(gemeente_a):
    gebieden = REAL / "Gebieden_in_Nederland_2019.csv"
    with pytest.raises(MalformedData):
        load_youth_population(gebieden.read_bytes())
    no_year = (
        b"Naam;Jonger dan 5 jaar;5 tot 10 jaar;10 tot 15 jaar;15 tot 20 jaar\nUtrecht;1;1;1;5\n"
    )
    with pytest.raises(MalformedData, match="geen jaar"):
        load_youth_population(no_year)
    result = load_youth_population(no_year, year=2024)
    assert Municipality.objects.get(pk=gemeente_a.pk).youth_population == 6
    assert result.source == "CBS StatLine"


def test_command_imports_and_reports(gemeente_a):
    out = StringIO()
    call_command("import_youth_population", str(REAL_FILE), stdout=out, stderr=StringIO())
    assert "1 updated" in out.getvalue() and "70072ned" in out.getvalue()
    assert Municipality.objects.get(pk=gemeente_a.pk).youth_population == 70797
    with pytest.raises(CommandError, match="bestaat niet|does not exist"):
        call_command("import_youth_population", "/nonexistent.csv")
    with pytest.raises(CommandError, match="Er is niets opgeslagen|Nothing was stored"):
        call_command("import_youth_population", str(REAL / "Gebieden_in_Nederland_2019.csv"))


def test_estimates_carry_the_youth_basis_and_keep_their_api(gemeente_a):
    rate = PrevalenceRate.objects.create(
        label="Kindermishandeling",
        low_rate=Decimal("26.5"),
        high_rate=Decimal("37.4"),
        year=2017,
        source="CBS",
    )
    load_youth_population(REAL_FILE.read_bytes())
    gemeente_a.refresh_from_db()
    (estimate,) = prevalence.estimates_for(gemeente_a)
    assert (estimate.low, estimate.high) == (1876, 2648)  # 70,797 × 26.5 and × 37.4 per 1,000
    assert (estimate.youth_year, estimate.youth_source, estimate.youth_estimated) == (
        2019,
        "CBS StatLine 70072ned",
        True,
    )
    # the old positional form still works (the council report uses it)
    old = prevalence.PrevalenceEstimate(rate, 1000)
    assert (old.low, old.youth_year, old.youth_source) == (27, None, "")
    assert prevalence.estimates_for(gemeente_a, rates=[rate])[0].rate == rate


def test_setup_demo_twice_gives_utrecht_youth_and_cbs_figures_once(demo_db, client):
    call_command("setup_demo", verbosity=0)
    utrecht = Municipality.objects.get(code="GM0344")
    assert utrecht.youth_population == 70797 and utrecht.youth_population_estimated
    cycle = Cycle.objects.municipal().get(municipality=utrecht, year=2026)
    # Taken from the demo folder, so marked as invented (issue 19).
    # The region line comes from the twin table 84848NED (issue 19 H4), marked the same way.
    marked = "CBS StatLine 84849NED (DEMODATA: verzonnen cijfers)"
    twin = "CBS StatLine 84848NED (DEMODATA: verzonnen cijfers)"
    cbs = SituationFigure.objects.filter(cycle=cycle, source__in=[marked, twin])
    labels = sorted({(f.label, f.period) for f in cbs})
    assert len(labels) == cbs.count() == 8  # no duplicates after the second run
    assert ("Meldingen bij Veilig Thuis", "1e halfjaar 2024") in labels
    assert ("Meldingen bij Veilig Thuis – Veilig Thuis-regio Utrecht", "2023") in labels
    region = cbs.get(label="Meldingen bij Veilig Thuis – Veilig Thuis-regio Utrecht", period="2023")
    assert region.source == twin
    half = cbs.get(label="Meldingen bij Veilig Thuis", period="1e halfjaar 2024")
    observed = CbsObservation.objects.get(
        indicator__code="vt-meldingen", region_code="GM0344", period="2024HJ01"
    )
    assert half.provisional and observed.provisional and half.value == observed.value
    # the local (non-CBS) figures of the demo are still there
    assert SituationFigure.objects.filter(cycle=cycle).exclude(source__startswith="CBS").count()
    client.login(username="alice", password="kompas-demo")
    page = client.get(f"/jaarcycli/{cycle.pk}/situatie/").content.decode()
    assert "70.797 jeugdigen van 0-17 jaar" in page
    assert "in de jaarcyclus" in page
