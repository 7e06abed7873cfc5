"""The figures pages ("Cijfers"), the trend chart geometry, the prevalence estimate and the
demo import."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from cms.snippets import Indicator, PrevalenceRate
from compass import charts, figures, prevalence
from compass.cbs import importer
from compass.demo import DEMO_FIGURES
from compass.models import CbsObservation, Municipality

pytestmark = pytest.mark.django_db


def make_indicator(code="vt-meldingen", unit="aantal", **extra):
    return Indicator.objects.create(
        code=code,
        name=extra.pop("name", "Meldingen bij Veilig Thuis"),
        unit=unit,
        direction="higher",
        cbs_table_id="84849NED",
        measure_key="Meldingen_2",
        dimension_filters=extra.pop("filters", {"RolVanMelder": "T001000"}),
        region_table_id=extra.pop("region_table_id", "84848NED"),
        **extra,
    )


@pytest.fixture
def demo_figures(gemeente_a):
    make_indicator()
    make_indicator(
        "vt-meldingen-professionals",
        name="Meldingen door professionals",
        filters={"RolVanMelder": "T001070"},
    )
    result = importer.import_table("84849NED", DEMO_FIGURES)
    importer.import_table("84848NED", DEMO_FIGURES)  # the Veilig Thuis-region twin table
    return result


def url(code="GM0344", indicator=None):
    return f"/gemeenten/{code}/cijfers/" + (f"{indicator}/" if indicator else "")


# --- permissions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("alice", 200),
        ("dave", 200),
        ("bob", 200),
        ("pia", 200),  # partner with a sharing agreement reads the cycle, so the figures
        ("admin", 200),
        ("carol", 404),
        ("bert", 404),
        ("quinn", 404),
        ("erin", 404),
    ],
)
def test_figures_pages_permission_matrix(
    cast, client_for, demo_figures, regio_utrecht, who, status
):
    client = client_for(cast[who])
    assert client.get(url()).status_code == status
    assert client.get(url(indicator="vt-meldingen")).status_code == status


def test_anonymous_is_sent_to_login(client, demo_figures):
    for path in (url(), url(indicator="vt-meldingen")):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_unknown_indicator_or_municipality_is_404(client_for, alice, demo_figures):
    client = client_for(alice)
    assert client.get(url(indicator="bestaat-niet")).status_code == 404
    assert client.get(url("GM9999")).status_code == 404
    assert client.post(url()).status_code == 405


# --- the overview ----------------------------------------------------------------------------


def test_overview_shows_latest_figure_with_period_source_and_provisional_mark(
    client_for, alice, demo_figures
):
    page = client_for(alice).get(url()).content.decode()
    assert "Cijfers van Utrecht" in page
    latest = CbsObservation.objects.get(
        indicator__code="vt-meldingen", region_code="GM0344", period="2024HJ01"
    )
    assert "1e halfjaar 2024" in page
    assert f"{int(latest.value):,}".replace(",", ".") in page
    assert 'title="voorlopig cijfer">*</abbr>' in page
    assert "DEMODATA" in page  # the source names the invented demo table
    assert "voorlopig cijfer: het CBS kan het nog wijzigen" in page


def test_overview_says_when_an_indicator_has_no_figures(client_for, alice, gemeente_a):
    make_indicator(name="Nog leeg")
    page = client_for(alice).get(url()).content.decode()
    assert "Nog leeg" in page and "Nog geen cijfers geïmporteerd." in page


def test_overview_query_count_is_constant(
    client_for, alice, demo_figures, django_assert_max_num_queries
):
    client = client_for(alice)
    with django_assert_max_num_queries(14) as few:
        client.get(url())
    for n in range(5):
        make_indicator(f"extra-{n}", name=f"Extra {n}")
    importer.import_table("84849NED", DEMO_FIGURES)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url()).status_code == 200


def test_detail_query_count_does_not_grow_with_periods(
    client_for, alice, demo_figures, django_assert_max_num_queries
):
    client = client_for(alice)
    with django_assert_max_num_queries(14) as few:
        client.get(url(indicator="vt-meldingen"))
    indicator = Indicator.objects.get(code="vt-meldingen")
    CbsObservation.objects.bulk_create(
        CbsObservation(
            indicator=indicator,
            region_code="GM0344",
            period=f"{year}JJ00",
            value=year,
            table_id="84849NED",
            imported_at=timezone.now(),
        )  # fmt: skip
        for year in range(2000, 2019)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url(indicator="vt-meldingen")).content.decode()
    assert "2000" in page


# --- the detail page: chart and table --------------------------------------------------------


def test_detail_shows_accessible_chart_and_table_against_region_and_country(
    client_for, alice, demo_figures
):
    page = client_for(alice).get(url(indicator="vt-meldingen")).content.decode()
    assert 'role="img"' in page and '<title id="chart-title">' in page and "<desc" in page
    assert page.count("<path d=") == 3  # Utrecht, VT20 and the Netherlands
    assert '<th scope="col" class="utrecht-table__header-cell">Utrecht</th>' in page
    assert "Nederland" in page
    assert "index" in page  # counts of different size are compared as an index
    assert "De grafiek toont hele jaren; halve jaren staan in de tabel." in page
    assert '<th scope="row" class="utrecht-table__header-cell nowrap">1e halfjaar 2024</th>' in page


def test_detail_marks_suppressed_cell_with_a_dot_and_explains_it(
    client_for, alice, demo_figures, gemeente_q
):
    alice_page = client_for(alice).get(url(indicator="vt-meldingen-professionals"))
    assert "onbekend of afgeschermd door het CBS" not in alice_page.content.decode()
    from compass import access
    from tests.conftest import IJSSELSTEIN

    access.grant(alice, Municipality.objects.get(code=IJSSELSTEIN), "reader")
    page = client_for(alice).get(url(IJSSELSTEIN, "vt-meldingen-professionals")).content.decode()
    assert '<abbr title="onbekend of afgeschermd door het CBS">.</abbr>' in page
    assert "niet nul" in page


def test_chart_geometry_indexes_counts_and_skips_half_years(demo_figures, gemeente_a):
    (item,) = figures.figures_for(gemeente_a, [Indicator.objects.get(code="vt-meldingen")])
    assert [line.code for line in item.lines] == ["GM0344", "VT20", "NL01"]
    chart = charts.figure_chart(item)
    assert chart["indexed"]
    assert [t["label"] for t in chart["x_ticks"]] == ["2019", "2020", "2021", "2022", "2023"]
    first_points = {line["key"]: line["points"][0]["y"] for line in chart["lines"]}
    assert len(set(first_points.values())) == 1  # every line starts at index 100
    assert all(
        chart["top"] <= p["y"] <= chart["bottom"] for ln in chart["lines"] for p in ln["points"]
    )


def test_chart_draws_rates_as_they_are_and_needs_two_periods(gemeente_a):
    indicator = make_indicator(unit="per 1.000 inwoners")
    now = timezone.now()
    for period, value in (("2022JJ00", "4.5"), ("2023JJ00", "5.0")):
        CbsObservation.objects.create(
            indicator=indicator, region_code="GM0344", period=period, value=Decimal(value),
            table_id="84849NED", imported_at=now,
        )  # fmt: skip
    (item,) = figures.figures_for(gemeente_a, [indicator])
    chart = charts.figure_chart(item)
    assert not chart["indexed"] and [ln["key"] for ln in chart["lines"]] == ["own"]
    CbsObservation.objects.filter(period="2022JJ00").delete()
    (item,) = figures.figures_for(gemeente_a, [indicator])
    assert charts.figure_chart(item) is None


def test_period_labels_in_dutch():
    assert figures.period_label("2023JJ00") == "2023"
    assert figures.period_label("2024HJ01") == "1e halfjaar 2024"
    assert figures.period_label("vreemd") == "vreemd"


# --- prevalence ------------------------------------------------------------------------------


@pytest.fixture
def rate(db):
    return PrevalenceRate.objects.create(
        label="Kindermishandeling",
        low_rate=Decimal("26.5"),
        high_rate=Decimal("37.4"),
        year=2017,
        source="CBS, Impactmonitor",
        source_url="https://www.cbs.nl/impactmonitor",
    )


def test_prevalence_estimate_multiplies_youth_population_by_the_rate(rate, gemeente_a):
    gemeente_a.youth_population = 70_000
    (estimate,) = prevalence.estimates_for(gemeente_a)
    assert estimate.known
    assert (estimate.low, estimate.high) == (1855, 2618)  # 70,000 × 26.5 / 1,000; × 37.4
    gemeente_a.youth_population = 1
    (estimate,) = prevalence.estimates_for(gemeente_a)
    assert (estimate.low, estimate.high) == (0, 0)  # 0.0265 and 0.0374 round to 0


def test_prevalence_uses_the_newest_rate_per_label(rate, gemeente_a):
    PrevalenceRate.objects.create(
        label="Kindermishandeling", low_rate=1, high_rate=2, year=2021, source="Nieuwer"
    )
    (estimate,) = prevalence.estimates_for(gemeente_a)
    assert estimate.rate.year == 2021


def test_figures_page_shows_the_arithmetic_and_source(client_for, alice, rate, gemeente_a):
    Municipality.objects.filter(pk=gemeente_a.pk).update(youth_population=70_000)
    page = client_for(alice).get(url()).content.decode()
    assert "Ongeveer 1.900 tot 2.600 kinderen van 0-17 jaar in Utrecht (afgerond)." in page
    assert "70.000 jeugdigen van 0-17 jaar × 26,5 per 1.000 = 1.855" in page
    assert "70.000 × 37,4 per 1.000 = 2.618" in page
    assert 'href="https://www.cbs.nl/impactmonitor">CBS, Impactmonitor</a>' in page
    assert "2017" in page


def test_figures_page_says_unknown_youth_population_without_guessing(
    client_for, alice, rate, gemeente_a
):
    assert gemeente_a.youth_population is None
    page = client_for(alice).get(url()).content.decode()
    assert "Het aantal jeugdigen van 0-17 jaar in Utrecht is onbekend" in page
    assert "Ongeveer" not in page


# --- start page and demo ---------------------------------------------------------------------


def test_start_page_links_to_the_figures(client_for, alice, pia, regio_utrecht):
    assert url() in client_for(alice).get("/gemeenten/").content.decode()
    assert url() in client_for(pia).get("/gemeenten/").content.decode()  # shared with pia


def test_setup_demo_imports_veilig_thuis_figures_once(demo_db, client):
    count = CbsObservation.objects.filter(
        region_code="GM0344", indicator__code__startswith="vt-"
    ).count()
    assert count == 12  # two indicators × six periods (and the district demo's 2023 figure)
    stamps = sorted(CbsObservation.objects.values_list("pk", "imported_at"))
    call_command("setup_demo", verbosity=0)
    assert sorted(CbsObservation.objects.values_list("pk", "imported_at")) == stamps
    assert client.login(username="alice", password="kompas-demo")
    page = client.get(url(indicator="vt-meldingen-professionals")).content.decode()
    assert "DEMODATA" in page and 'role="img"' in page
