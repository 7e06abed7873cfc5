"""Region membership per year (issue 19 M7) and the regions on the figures page (item 9).

Veilig Thuis regions change: the CBS tables have 26 regions in 2023 (Brabant Noordoost, VT16,
still exists) and 25 in 2024 (VT27 Oost-Brabant). A year's membership is kept beside the current
one, and the benchmark and the figures' region line use the membership of the year."""

import re

import pytest

from compass import regions
from compass.cbs import areas
from compass.figures import figures_for
from compass.models import CbsObservation, Municipality, Region, RegionMembership
from questionnaire import benchmarking

pytestmark = pytest.mark.django_db


def rows_of(*codes):
    wanted = set(codes)
    return [r for r in areas.read_file(areas.GEBIEDEN_2024).rows if r.code in wanted]


def test_the_real_2024_file_records_25_veilig_thuis_regions_for_2024():
    areas.load_paths([areas.GEBIEDEN_2024])
    vt = RegionMembership.objects.filter(region__kind=Region.Kind.VEILIG_THUIS, year=2024)
    assert vt.values("region").distinct().count() == 25
    assert vt.count() == 342
    utrecht = Municipality.objects.get(code="GM0344")
    assert regions.veilig_thuis_region(utrecht, 2024).code == "VT20"


def _oost_brabant_with_a_2023_edition():
    """'s-Hertogenbosch (GM0796) in the 2024 file, plus a 2023 edition (the file of that year
    carried the old region Brabant Noordoost, VT16) loaded after it."""
    (row,) = rows_of("GM0796")
    areas.load([areas.CBSFile(edition=2024, rows=[row])])
    old = areas.MunicipalityRow(
        code=row.code,
        name=row.name,
        regions={**row.regions, Region.Kind.VEILIG_THUIS: ("VT16", "Brabant Noordoost")},
    )
    areas.load([areas.CBSFile(edition=2023, rows=[old])])
    return Municipality.objects.get(code="GM0796"), row.regions[Region.Kind.VEILIG_THUIS][0]


def test_an_older_edition_keeps_its_year_and_never_replaces_the_current_membership():
    bosch, current = _oost_brabant_with_a_2023_edition()
    assert current == "VT27"
    assert Region.objects.get(kind="VT", municipalities=bosch).code == "VT27"  # still current
    assert regions.veilig_thuis_region(bosch, 2023).code == "VT16"
    assert regions.veilig_thuis_region(bosch, 2024).code == "VT27"
    assert regions.veilig_thuis_region(bosch, 2026).code == "VT27"  # newest edition not after
    assert regions.veilig_thuis_region(bosch, 2019).code == "VT27"  # nothing that old: current
    assert regions.veilig_thuis_region(bosch).code == "VT27"


def test_the_benchmark_compares_with_the_region_of_the_cycle_year():
    bosch, _current = _oost_brabant_with_a_2023_edition()
    assert benchmarking.vt_regions([bosch.pk], year=2023) == {bosch.pk: "VT16"}
    assert benchmarking.vt_regions([bosch.pk], year=2024) == {bosch.pk: "VT27"}
    assert benchmarking.vt_regions([bosch.pk]) == {bosch.pk: "VT27"}


def test_the_figures_region_line_follows_the_region_of_each_year():
    from django.utils import timezone

    from cms.snippets import Indicator

    bosch, _current = _oost_brabant_with_a_2023_edition()
    indicator = Indicator.objects.create(
        code="vt-meldingen", name="Meldingen", unit="aantal", cbs_table_id="84849NED"
    )
    for region, period, value in [
        ("VT16", "2023JJ00", 2000),
        ("VT27", "2023JJ00", 9999),  # the new region's 2023 figure is not Den Bosch's region
        ("VT27", "2024JJ00", 5000),
        ("GM0796", "2024JJ00", 1500),
    ]:
        CbsObservation.objects.create(
            indicator=indicator,
            region_code=region,
            period=period,
            value=value,
            table_id="84848NED",
            imported_at=timezone.now(),
        )
    (item,) = figures_for(bosch, [indicator])
    line = next(line for line in item.lines if line.key == "region")
    assert {p: int(o.value) for p, o in line.cells.items()} == {"2023JJ00": 2000, "2024JJ00": 5000}


def test_figures_page_names_the_veilig_thuis_region_its_centre_and_movisie(client_for, alice):
    vt20 = Region.objects.get(code="VT20")
    page = client_for(alice).get("/gemeenten/GM0344/cijfers/").content.decode()
    assert "(VT20)" in page and vt20.name in page
    assert "gemeenten.movisie.nl" in page
    assert "centrumgemeente" in page
    vt20.centre_municipality = Municipality.objects.get(code="GM0344")
    vt20.save()
    page = client_for(alice).get("/gemeenten/GM0344/cijfers/").content.decode()
    assert re.search(r"centrumgemeente\)?: Utrecht", page)  # English msgid or Dutch


def test_every_indicator_keeps_its_own_lines_when_regions_per_year_are_loaded():
    """Regression: the per-year region line once overwrote the figures of later indicators."""
    from django.utils import timezone

    from cms.snippets import Indicator

    bosch, _current = _oost_brabant_with_a_2023_edition()
    indicators = [
        Indicator.objects.create(code=code, name=code, unit="aantal", cbs_table_id="84849NED")
        for code in ("vt-a", "vt-b", "vt-c")
    ]
    for number, indicator in enumerate(indicators, start=1):
        for region, period in [("VT16", "2023JJ00"), ("VT27", "2024JJ00"), ("GM0796", "2024JJ00")]:
            CbsObservation.objects.create(
                indicator=indicator,
                region_code=region,
                period=period,
                value=number * 5,
                table_id="84849NED",
                imported_at=timezone.now(),
            )
    items = figures_for(bosch, indicators)
    for number, item in enumerate(items, start=1):
        by_key = {line.key: line for line in item.lines}
        assert {int(o.value) for o in by_key["own"].cells.values()} == {number * 5}
        assert set(by_key["region"].cells) == {"2023JJ00", "2024JJ00"}, item.indicator.code
