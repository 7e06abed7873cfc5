"""The benchmark page: permissions, own value, suppression in the HTML, named comparison."""

import random
import re

import pytest
from django.core.exceptions import ImproperlyConfigured

from compass.models import Municipality, Region
from questionnaire.benchmark_data import bulk_submitted, random_measures
from tests.factories import MunicipalityFactory
from tests.questionnaire.assessment_helpers import make_cycle, make_measure_set
from tests.questionnaire.release_helpers import publish

THEMES = {"t1": ["m1", "m2"], "t2": ["m3"]}
LABELS = {"name": "Testset", "themes": {"t1": "Thema 1", "t2": "Thema 2"}, "measures": {}}


def url(cycle):
    return f"/jaarcycli/{cycle.pk}/vergelijking/"


def text_of(response):
    return re.sub(r"\s+", " ", response.content.decode())


def make_peers(count, region_code="VT20", size_class=None, prefix=0):
    """`count` made-up municipalities in one Veilig Thuis region."""
    region = Region.objects.get_or_create(
        code=region_code, defaults={"kind": "VT", "name": region_code}
    )[0]
    peers = [
        MunicipalityFactory(code=f"GM{8000 + prefix + i:04d}", name=f"Peer {prefix + i}")
        for i in range(count)
    ]
    Municipality.objects.filter(pk__in=[p.pk for p in peers]).update(size_class=size_class)
    region.municipalities.add(*peers)
    return list(Municipality.objects.filter(pk__in=[p.pk for p in peers]))


def submit_all(municipalities, measure_set, year=2026, seed=1, level=60, release=True):
    """Submit for every municipality, then publish the next benchmark release."""
    rng = random.Random(seed)
    made = bulk_submitted(
        [(m, year, random_measures(rng, THEMES, level)) for m in municipalities],
        measure_set,
        THEMES,
        LABELS,
        generated=False,
    )
    if release:
        publish()
    return made


@pytest.fixture
def measure_set(db):
    return make_measure_set(measures_per_theme=(2, 1))


@pytest.fixture
def cycle_a(gemeente_a):
    return make_cycle(gemeente_a, 2026)


def cell_markup(html):
    """The <td> cells of the anonymous table, in order."""
    table = html.split('class="utrecht-table utrecht-table--html-table benchmark-table"')[1]
    table = table.split("</table>")[0]
    return re.findall(r"<td class=\"utrecht-table__cell\">.*?</td>", table, re.S)


# --- Permissions ---------------------------------------------------------------------------------

# who -> status of A's benchmark page
MATRIX = {
    "alice": 200,
    "dave": 200,
    "bob": 200,
    "pia": 200,  # partner of A through the agreement Regio Utrecht
    "admin": 200,
    "carol": 404,
    "bert": 404,
    "quinn": 404,
    "erin": 404,
    "anonymous": 302,
}


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_benchmark_page_permission_matrix(who, cast, client_for, cycle_a, measure_set):
    response = client_for(cast[who]).get(url(cycle_a))
    assert response.status_code == MATRIX[who]
    if who == "anonymous":
        assert "/login/" in response["Location"] or "inloggen" in response["Location"]


def test_benchmark_page_refuses_post(cast, client_for, cycle_a, measure_set):
    assert client_for(cast["alice"]).post(url(cycle_a)).status_code == 405


def test_unknown_cycle_is_404(client_for, alice):
    assert client_for(alice).get("/jaarcycli/999999/vergelijking/").status_code == 404


# --- Own value and peers -------------------------------------------------------------------------


def test_without_a_submission_the_peers_are_shown_without_an_own_value(
    alice, client_for, cycle_a, measure_set, gemeente_a
):
    submit_all(make_peers(12, size_class=gemeente_a.size_class), measure_set)
    page = text_of(client_for(alice).get(url(cycle_a)))
    assert "nog niet ingediend" in page
    cells = cell_markup(client_for(alice).get(url(cycle_a)).content.decode())
    assert any("n&nbsp;=&nbsp;12" in c for c in cells)  # national peers; Utrecht is not one
    assert "Thema 1" in page  # titles from the peers' frozen labels


def test_with_a_submission_the_own_value_is_shown_and_left_out_of_its_peers(
    alice, client_for, cycle_a, measure_set, gemeente_a
):
    bulk_submitted(
        [(gemeente_a, 2026, {"m1": 100.0, "m2": 100.0, "m3": 100.0})],
        measure_set,
        THEMES,
        LABELS,
        generated=False,
    )
    submit_all(make_peers(10, size_class=gemeente_a.size_class), measure_set)
    response = client_for(alice).get(url(cycle_a))
    page = text_of(response)
    assert "nog niet ingediend" not in page
    assert "100%" in page
    assert "n&nbsp;=&nbsp;10" in response.content.decode()
    assert "n&nbsp;=&nbsp;11" not in response.content.decode()


def test_too_few_peers_show_only_dashes_like_a_page_without_data(
    alice, client_for, cycle_a, measure_set, gemeente_a, settings
):
    settings.BENCHMARK_FIRST_RELEASE_MINIMUM = 1  # release the four, to see them suppressed
    empty_cells = cell_markup(client_for(alice).get(url(cycle_a)).content.decode())
    submit_all(make_peers(4, size_class=gemeente_a.size_class), measure_set, seed=7)
    suppressed_cells = cell_markup(client_for(alice).get(url(cycle_a)).content.decode())
    # Four peers: every cell is suppressed, and the markup is byte for byte the empty markup
    # (the page without any data has only the overall row).
    assert suppressed_cells[:4] == empty_cells
    assert (
        set(suppressed_cells)
        == set(empty_cells)
        == {
            '<td class="utrecht-table__cell">nog niet ingediend</td>',
            '<td class="utrecht-table__cell">–</td>',
        }
    )


@pytest.mark.parametrize("seed", range(12))
def test_suppressed_cells_render_exactly_like_empty_ones_for_random_populations(
    seed, alice, client_for, cycle_a, measure_set, gemeente_a
):
    """Random small populations over two regions and two size classes: every cell the engine
    hides renders as the markup of a cell without data, and every shown cell has >= 5 peers."""
    rng = random.Random(seed)
    other = Region.objects.get_or_create(code="VT99", defaults={"kind": "VT", "name": "Elders"})[0]
    peers = []
    for i in range(rng.randint(3, 16)):
        region = "VT20" if rng.random() < 0.5 else other.code
        size = gemeente_a.size_class if rng.random() < 0.5 else 1
        peers += make_peers(1, region, size, prefix=i)
    submit_all(peers, measure_set, seed=seed)
    html = client_for(alice).get(url(cycle_a)).content.decode()
    cells = cell_markup(html)
    empty = '<td class="utrecht-table__cell">–</td>'
    for cell in cells:
        counts = re.findall(r"n&nbsp;=&nbsp;(\d+)", cell)
        if counts:
            assert int(counts[0]) >= 5
        elif "nog niet ingediend" not in cell:
            assert cell == empty


def test_a_peer_group_differing_by_fewer_than_five_is_hidden(
    alice, client_for, cycle_a, measure_set, gemeente_a
):
    """Ten peers nationally, seven in Utrecht's region: the region's cell would reveal the
    three others by difference, so it is hidden (complementary suppression)."""
    submit_all(make_peers(7, "VT20", size_class=1), measure_set, release=False)
    submit_all(make_peers(3, "VT98", size_class=1, prefix=50), measure_set, seed=3)
    html = client_for(alice).get(url(cycle_a)).content.decode()
    overall = cell_markup(html)[:4]
    assert "n&nbsp;=&nbsp;10" in overall[1]
    assert overall[2] == '<td class="utrecht-table__cell">–</td>'
    assert "n&nbsp;=&nbsp;7" not in html


def test_generated_data_is_announced(alice, client_for, cycle_a, measure_set, gemeente_a):
    rng = random.Random(5)
    peers = make_peers(6)
    bulk_submitted(
        [(m, 2026, random_measures(rng, THEMES, 50)) for m in peers], measure_set, THEMES
    )
    publish()
    assert "Deze vergelijking bevat gegenereerde demogegevens" in text_of(
        client_for(alice).get(url(cycle_a))
    )


def test_real_data_is_not_announced_as_generated(alice, client_for, cycle_a, measure_set):
    submit_all(make_peers(6), measure_set)
    assert "gegenereerde" not in text_of(client_for(alice).get(url(cycle_a)))


def test_svg_numbers_are_never_localised(alice, client_for, cycle_a, measure_set, gemeente_a):
    bulk_submitted(
        [(gemeente_a, 2026, {"m1": 33.3, "m2": 66.7, "m3": 12.5})],
        measure_set,
        THEMES,
        LABELS,
        generated=False,
    )
    submit_all(make_peers(9), measure_set)
    html = client_for(alice).get(url(cycle_a)).content.decode()
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(svgs) == 2
    number = r"-?\d+(\.\d+)?"
    for svg in svgs:
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
        inner = svg.split(">", 1)[1]  # the <svg> tag itself has width="100%"
        for name, value in re.findall(r' (x|y|cx|cy|width|height|x1|x2|y1|y2)="([^"]*)"', inner):
            assert re.fullmatch(number, value), (name, value)
        for value in re.findall(r' points="([^"]*)"', svg):
            assert re.fullmatch(rf"{number},{number}( {number},{number})*", value), value
    assert "33.3" not in html.split("<svg")[0]  # the table shows Dutch decimals


def test_url_parameters_change_nothing(alice, client_for, cycle_a, measure_set):
    submit_all(make_peers(4), measure_set)

    def main(path):
        html = client_for(alice).get(path).content.decode()
        return html.split("<main")[1].split("</main>")[0]

    plain = main(url(cycle_a))
    assert main(url(cycle_a) + "?min_size=1&min_group_size=2&group=region&year=2025") == plain


# --- Named comparison ----------------------------------------------------------------------------


def test_named_comparison_shows_participants_by_name(
    cast, client_for, cycle_a, measure_set, gemeente_a, gemeente_p
):
    bulk_submitted(
        [
            (gemeente_a, 2026, {"m1": 80.0, "m2": 80.0, "m3": 80.0}),
            (gemeente_p, 2026, {"m1": 20.0, "m2": 20.0, "m3": 20.0}),
        ],
        measure_set,
        THEMES,
        LABELS,
        generated=False,
    )
    for who in ("alice", "pia"):
        page = text_of(client_for(cast[who]).get(url(cycle_a)))
        assert "Vergelijking met naam: Regio Utrecht" in page
        assert "Nieuwegein" in page and "Utrecht" in page
        assert "20%" in page and "80%" in page


def test_named_comparison_is_hidden_from_viewers_outside_the_agreement(
    cast, client_for, cycle_a, measure_set
):
    page = text_of(client_for(cast["admin"]).get(url(cycle_a)))
    assert "Vergelijking met naam" not in page


def test_closed_agreement_is_not_shown_on_a_non_participants_page(
    cast, client_for, cycle_a, measure_set
):
    page = text_of(client_for(cast["pia"]).get(url(cycle_a)))
    assert "Amersfoort en Nieuwegein" not in page


# --- Links, settings -----------------------------------------------------------------------------


def test_results_and_start_page_link_to_the_benchmark(alice, client_for, cycle_a, measure_set):
    client = client_for(alice)
    results = client.get(f"/jaarcycli/{cycle_a.pk}/zelfevaluatie/uitslag/").content.decode()
    assert url(cycle_a) in results
    assert url(cycle_a) in client.get("/gemeenten/").content.decode()


def test_min_group_size_setting_refuses_values_below_five(monkeypatch):
    from compass.settings import env_int

    monkeypatch.setenv("BENCHMARK_MIN_GROUP_SIZE", "4")
    with pytest.raises(ImproperlyConfigured):
        env_int("BENCHMARK_MIN_GROUP_SIZE", 5, 5)


def test_min_group_size_setting_is_applied(
    alice, client_for, cycle_a, measure_set, settings, gemeente_a
):
    submit_all(make_peers(6, size_class=gemeente_a.size_class), measure_set)
    assert "n&nbsp;=&nbsp;6" in client_for(alice).get(url(cycle_a)).content.decode()
    settings.BENCHMARK_MIN_GROUP_SIZE = 7
    assert "n&nbsp;=&nbsp;6" not in client_for(alice).get(url(cycle_a)).content.decode()


def test_without_any_measure_set_the_page_says_there_is_nothing_to_compare(
    alice, client_for, cycle_a
):
    response = client_for(alice).get(url(cycle_a))
    assert response.status_code == 200
    assert "Er is nog geen vragenset om te vergelijken." in text_of(response)


def test_an_invalid_stored_result_gives_a_dutch_message_not_an_error(
    alice, client_for, cycle_a, measure_set
):
    submit_all(make_peers(6), measure_set)
    from compass.models import BenchmarkPopulation

    broken = BenchmarkPopulation.objects.get()
    broken.members[0][3] = 150  # a stored overall realisation out of range
    broken.save(update_fields=["members"])
    response = client_for(alice).get(url(cycle_a))
    assert response.status_code == 200
    page = text_of(response)
    assert "De vergelijking kan niet worden berekend: een opgeslagen uitslag is ongeldig." in page
    assert "n&nbsp;=" not in response.content.decode()


def test_both_charts_have_a_legend_and_the_theme_chart_gridlines_up_to_100(
    alice, client_for, cycle_a, measure_set, gemeente_a
):
    bulk_submitted(
        [(gemeente_a, 2026, {"m1": 33.3, "m2": 66.7, "m3": 12.5})],
        measure_set,
        THEMES,
        LABELS,
        generated=False,
    )
    submit_all(make_peers(9), measure_set)
    html = client_for(alice).get(url(cycle_a)).content.decode()
    legends = re.findall(
        r'<ul class="benchmark-legend" aria-label="([^"]+)">(.*?)</ul>', html, re.S
    )
    assert [label for label, _items in legends] == ["Legenda bij de grafiek"] * 2
    theme_legend = re.sub(r"<[^>]+>|\s+", " ", legends[0][1])
    assert "eigen realisatie" in theme_legend and "middelste helft" in theme_legend
    assert "mediaan" in theme_legend
    trend_legend = re.sub(r"<[^>]+>|\s+", " ", legends[1][1])
    assert "Doorgetrokken lijn" in trend_legend and "Stippellijn" in trend_legend
    # The legend follows its chart, its keys are decoration only.
    assert html.index('id="theme-svg-title"') < html.index('class="benchmark-legend"')
    assert 'aria-hidden="true"></span>' in legends[0][1]
    theme_svg = re.search(r'<svg[^>]*aria-labelledby="theme-svg-title.*?</svg>', html, re.S).group(
        0
    )
    grid = re.findall(r'<line x1="([\d.]+)"[^>]*class="benchmark-chart__grid"', theme_svg)
    ticks = re.findall(r'class="benchmark-chart__tick" text-anchor="middle">([^<]+)<', theme_svg)
    assert len(grid) == 5 and ticks[-1].startswith("100")
