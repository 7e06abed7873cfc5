"""The districts' page of a municipal cycle, /jaarcycli/<cycle>/wijken/ (issue 22 item 2).

Who may read it (every role, a member limited to one district, a district cycle's /wijken/),
what it shows (gaps, figures side by side with "geen cijfer" in empty cells, an offering that
serves several districts once), the dashboard's section, and its query count: constant in the
number of districts (3 or 100) and at most 20.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from compass import access, district_cycles, services
from compass.models import CbsObservation, District, Offering, StepProgress
from tests.factories import (
    AmbitionFactory,
    ImprovementActionFactory,
    IndicatorFactory,
    ResultFactory,
    SituationFigureFactory,
    TargetGroupFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
MAX_QUERIES = 20  # issue 18: every authenticated page

CAST = ["alice", "dave", "bob", "carol", "pia", "quinn", "erin", "admin", "anonymous"]
LOGIN = "login"
READ = {
    "alice": 200,  # coordinator
    "dave": 200,  # editor
    "bob": 200,  # reader
    "carol": 404,  # another municipality
    "pia": 200,  # partner with an agreement
    "quinn": 404,  # in the region, without the agreement
    "erin": 404,  # content editor: never municipal data
    "admin": 200,
    "anonymous": LOGIN,
}


def add_districts(municipality, user, numbers, *, figures=2, with_cbs=True):
    """Districts WK0344<nn> with a cycle of 2026 each: figures, target groups, offerings (one
    the same in every district), an improvement action and a done step."""
    indicator = IndicatorFactory()
    created = []
    for n in numbers:
        district = District.objects.create(
            municipality=municipality, code=f"WK0344{n:02}", name=f"Wijk {n:02}"
        )
        cycle = district_cycles.start_district_cycle(district, 2026, user)
        for k in range(figures):
            SituationFigureFactory(cycle=cycle, label=f"Cijfer {k}", period="2025", value=n + k)
        TargetGroupFactory(cycle=cycle, name="Ouders met schulden")
        TargetGroupFactory(cycle=cycle, name=f"Doelgroep van wijk {n}")
        Offering.objects.create(
            cycle=cycle, name="Triple P", provider="GGD", kind="help", capacity=40
        )
        Offering.objects.create(cycle=cycle, name=f"Wijkaanpak {n}", kind="prevention")
        ImprovementActionFactory(cycle=cycle)
        StepProgress.objects.update_or_create(
            cycle=cycle, step="situatie", defaults={"status": "done"}
        )
        if with_cbs:
            CbsObservation.objects.create(
                indicator=indicator,
                region_code=district.code,
                period="2024JJ00",
                value=Decimal(n * 5),
                table_id="84849NED",
                imported_at=timezone.now(),
            )
        created.append(district)
    return created


@pytest.fixture
def municipal(gemeente_a, alice):
    cycle = services.start_cycle(gemeente_a, 2026, alice)
    ambition = AmbitionFactory(cycle=cycle, text="Ieder kind groeit veilig op")
    ResultFactory(ambition=ambition, cycle=cycle, type="substantive")
    return cycle


def _url(cycle):
    return reverse("questionnaire:district_rollup", args=[cycle.pk])


def _status(response):
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return LOGIN
    return response.status_code


def test_the_url_is_the_cycles_wijken():
    assert _url(type("C", (), {"pk": 7})()) == "/jaarcycli/7/wijken/"


@pytest.mark.parametrize("who", CAST)
def test_every_role_on_the_districts_page(who, cast, client_for, municipal, gemeente_a, alice):
    add_districts(gemeente_a, alice, [1, 2])
    response = client_for(cast[who]).get(_url(municipal))
    assert _status(response) == READ[who]
    if READ[who] == 200:
        assert "Wijk 01" in response.content.decode()
        assert _status(client_for(cast[who]).post(_url(municipal), {})) == 405


@pytest.mark.parametrize("role", ["editor", "reader"])
def test_a_member_limited_to_one_district_gets_404(role, client_for, municipal, gemeente_a, alice):
    noord, _oost = add_districts(gemeente_a, alice, [1, 2])
    limited = UserFactory(username=f"wijk-{role}")
    access.grant(limited, gemeente_a, role, district=noord)
    client = client_for(limited)
    assert client.get(_url(municipal)).status_code == 404
    own = noord.cycles.get(year=2026)
    assert client.get(f"/jaarcycli/{own.pk}/").status_code == 200  # their own district cycle
    assert client.get(_url(own)).status_code == 404


def test_a_district_cycles_wijken_is_404_for_the_coordinator_too(
    client_for, municipal, gemeente_a, alice
):
    (noord,) = add_districts(gemeente_a, alice, [1])
    own = noord.cycles.get(year=2026)
    assert client_for(alice).get(_url(own)).status_code == 404


def test_unknown_and_garbage_cycles_are_404(client_for, alice):
    client = client_for(alice)
    assert client.get("/jaarcycli/999999/wijken/").status_code == 404
    assert client.get("/jaarcycli/99999999999999999999999/wijken/").status_code == 404


def test_the_page_shows_gaps_figures_and_the_shared_offering_once(
    client_for, municipal, gemeente_a, alice
):
    add_districts(gemeente_a, alice, [1, 2, 3], with_cbs=False)
    District.objects.create(municipality=gemeente_a, code="WK034450", name="Wijk zonder cyclus")
    # One figure only Wijk 02 has: the other districts' cells say "geen cijfer".
    SituationFigureFactory(
        cycle=District.objects.get(code="WK034402").cycles.get(),
        label="Schooluitval",
        period="2025",
        value=Decimal("3.25"),
    )
    with translation.override("nl"):
        page = client_for(alice).get(_url(municipal), HTTP_ACCEPT_LANGUAGE="nl")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count(">Triple P<") == 1  # one line for the offering of three districts
    assert "Wijk 01, Wijk 02, Wijk 03" in html
    assert "Wijk zonder cyclus" in html
    assert "3,25" in html  # through compass.numbers: a decimal comma
    assert "geen cijfer" in html or "no figure" in html
    # The shared ambition has no offering in any district: a gap of every district.
    assert html.count("Ieder kind groeit veilig op") == 3


def test_the_dashboard_links_to_the_page_only_with_district_cycles(
    client_for, municipal, gemeente_a, alice
):
    client = client_for(alice)
    url = _url(municipal)
    assert url not in client.get(f"/jaarcycli/{municipal.pk}/").content.decode()
    (noord,) = add_districts(gemeente_a, alice, [1])
    assert url in client.get(f"/jaarcycli/{municipal.pk}/").content.decode()
    own = noord.cycles.get(year=2026)
    assert "/wijken/" not in client.get(f"/jaarcycli/{own.pk}/").content.decode()


def test_a_municipal_cycle_without_district_cycles_says_so(client_for, municipal):
    response = client_for(municipal.created_by).get(_url(municipal))
    assert response.status_code == 200
    assert "2026" in response.content.decode()


def queries_of(client, url) -> int:
    client.get(url)  # the first request fills the caches (demo flag, site, menu)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_with_3_or_100_districts(
    client_for, municipal, gemeente_a, alice
):
    client = client_for(alice)
    add_districts(gemeente_a, alice, range(3))
    few = queries_of(client, _url(municipal))
    dashboard_few = queries_of(client, f"/jaarcycli/{municipal.pk}/")
    add_districts(gemeente_a, alice, range(3, 100))
    assert municipal.district_cycles.count() == 100
    many = queries_of(client, _url(municipal))
    dashboard_many = queries_of(client, f"/jaarcycli/{municipal.pk}/")
    assert few == many, f"{few} queries with 3 districts, {many} with 100"
    assert many <= MAX_QUERIES, f"{many} queries"
    assert dashboard_few == dashboard_many
    # Still the one line for Triple P, with every district.
    html = client.get(_url(municipal)).content.decode()
    assert html.count(">Triple P<") == 1
    print(f"roll-up: {few} queries (3 districts), {many} (100)")
    print(f"dashboard: {dashboard_few} queries (3 districts), {dashboard_many} (100)")


def test_the_date_of_an_action_does_not_matter_for_its_count(municipal, gemeente_a, alice):
    (noord,) = add_districts(gemeente_a, alice, [1])
    ImprovementActionFactory(cycle=noord.cycles.get(), due=datetime.date(2020, 1, 1), status="done")
    from compass import district_rollup

    rollup = district_rollup.build(municipal)
    assert rollup.counts[0].counts == [2, 2, 2, 1]  # groups, offerings, actions, not done
