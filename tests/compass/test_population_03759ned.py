"""The populations behind the prevalence estimates (issue 19 H3): people aged 16 and over beside
children 0-17, estimated from the real 70072ned age groups, or counted from single years of age
in a folder of CBS table 03759ned's OData shape; each rate uses the population it names."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cms.snippets import PrevalenceRate
from compass import prevalence
from compass.cbs.errors import MalformedData
from compass.cbs.youth import (
    estimate_16_plus,
    load_population_odata,
    load_youth_population,
    read_population,
    read_population_odata,
)
from compass.models import Municipality

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cbs"
REAL_FILE = FIXTURES / "statline_csv" / "Regionale_kerncijfers_Nederland_2019.csv"
SHAPE_03759 = FIXTURES / "odata_v3_03759ned_shape"


def test_16_plus_is_everyone_minus_0_to_15_minus_a_fifth_of_15_to_20():
    # Utrecht 2019 (real file): 352,866 - (21,908 + 20,051 + 18,102) - 17,894 / 5 = 289,226.2
    assert estimate_16_plus(352866, [21908, 20051, 18102], 17894) == 289226
    year, source, rows = read_population(REAL_FILE.read_bytes())
    values = {key: (youth, adults) for key, youth, adults in rows}
    assert values["Utrecht (gemeente)"] == (70797, 289226)
    assert values["Aalburg"] == (-1, None)


def test_loading_the_csv_stores_both_populations_as_estimated(gemeente_a):
    load_youth_population(REAL_FILE.read_bytes())
    utrecht = Municipality.objects.get(code="GM0344")
    assert (utrecht.adult_population, utrecht.adult_population_year) == (289226, 2019)
    assert utrecht.adult_population_source == "CBS StatLine 70072ned"
    assert utrecht.adult_population_estimated and utrecht.youth_population_estimated


def test_03759ned_shape_counts_single_years_of_age():
    year, source, rows = read_population_odata(SHAPE_03759)
    assert (year, source) == (2024, "CBS StatLine 03759ned")  # the newest period
    values = {code: (youth, adults) for code, youth, adults in rows}
    # Utrecht 2024 in the fixture: age a counts 2,010 + a; Totaal 340,390.
    assert values["GM0344"] == (18 * 2010 + sum(range(18)), 340390 - 16 * 2010 - sum(range(16)))
    assert "NL01" not in values  # only municipalities


def test_03759ned_gap_in_an_age_gives_no_population_not_a_smaller_one():
    _year, _source, rows = read_population_odata(SHAPE_03759, period="2023JJ00")
    values = {code: (youth, adults) for code, youth, adults in rows}
    assert values["GM0307"] == (-1, None)  # age 4 suppressed in Amersfoort 2023
    assert values["GM0344"][0] == 18 * 2000 + sum(range(18))


def test_03759ned_is_stored_as_counted_and_the_command_reads_a_folder(gemeente_a):
    result = load_population_odata(SHAPE_03759)
    assert result.updated == 1 and not result.estimated
    utrecht = Municipality.objects.get(code="GM0344")
    assert utrecht.youth_population == 36333 and not utrecht.youth_population_estimated
    assert utrecht.adult_population == 308110
    assert utrecht.adult_population_source == "CBS StatLine 03759ned"
    out = StringIO()
    call_command("import_youth_population", str(SHAPE_03759), "--period", "2023JJ00", stdout=out)
    assert "counted" in out.getvalue()
    utrecht.refresh_from_db()
    assert utrecht.youth_population_year == 2023


def test_03759ned_refuses_a_table_without_single_ages(tmp_path):
    for path in SHAPE_03759.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    leeftijd = tmp_path / "03759ned_Leeftijd.json"
    leeftijd.write_text(leeftijd.read_text().replace('"17 jaar"', '"17 tot 18 jaar"'))
    with pytest.raises(MalformedData):
        read_population_odata(tmp_path)
    with pytest.raises(CommandError, match="niets opgeslagen"):
        call_command("import_youth_population", str(tmp_path))


def test_a_16_plus_rate_is_multiplied_by_people_16_plus(gemeente_a):
    Municipality.objects.filter(pk=gemeente_a.pk).update(
        youth_population=70797,
        adult_population=289226,
        adult_population_year=2019,
        adult_population_source="CBS StatLine 70072ned",
        adult_population_estimated=True,
    )
    gemeente_a.refresh_from_db()
    children = PrevalenceRate(
        label="KM",
        low_rate=Decimal("26.5"),
        high_rate=Decimal("37.4"),
        year=2017,
        source="NPM-2017",
    )
    adults = PrevalenceRate(
        label="HG",
        low_rate=Decimal(80),
        high_rate=Decimal(80),
        year=2020,
        source="CBS",
        population=PrevalenceRate.AgeGroup.PEOPLE_16_PLUS,
    )
    km, hg = prevalence.estimates_for(gemeente_a, [children, adults])
    assert (km.youth_population, km.adults) == (70797, False)
    assert (hg.youth_population, hg.adults, hg.youth_year) == (289226, True, 2019)
    assert (hg.low, hg.low_rounded) == (23138, 23100)  # 289,226 × 80 / 1,000 = 23,138.08


def test_every_demo_rate_names_its_population_and_one_counts_people_16_plus():
    from cms.demo_content import PREVALENCE_RATES

    populations = {spec["population"] for spec in PREVALENCE_RATES}
    assert populations == {"0-17", "16+"}
    adults = next(spec for spec in PREVALENCE_RATES if spec["population"] == "16+")
    assert "16 jaar en ouder" in adults["label"] and adults["year"] == 2020
    assert "Prevalentiemonitor" in adults["source"] and adults["source_url"].startswith(
        "https://www.cbs.nl/"
    )
