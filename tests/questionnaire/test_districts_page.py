"""The districts page /gemeenten/<code>/wijken/ (issue 22): who may see and change what, the
upload of a real CBS file, typing, renaming, removing, and starting a district's cycle.

Every view is tried by every role: coordinator (alice), editor (dave), reader (bob), a member
limited to one district (wendy), a partner through a sharing agreement (pia), outsiders (quinn,
carol), a content editor (erin), anonymous and the superuser (admin).
"""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compass import access, services
from compass.models import Cycle, District
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WIJKEN = Path(__file__).resolve().parents[2] / "compass" / "fixtures" / "cbs" / "wijken"
KWB_2023 = WIJKEN / "CBS-Utrecht-kwb-2023.xlsx"
PAGE = "/gemeenten/GM0344/wijken/"


@pytest.fixture
def utrecht(gemeente_a, alice):
    """Two typed districts, the municipal cycle 2026, and wendy limited to West."""
    west = District.objects.create(municipality=gemeente_a, code="WK034401", name="West")
    District.objects.create(municipality=gemeente_a, code="WK034402", name="Noordwest")
    services.start_cycle(gemeente_a, 2026, alice)
    return west


@pytest.fixture
def wendy(utrecht, gemeente_a):
    user = UserFactory(username="wendy", first_name="Wendy", last_name="Wijk")
    access.grant(user, gemeente_a, "editor", district=utrecht)
    return user


@pytest.fixture
def people(cast, wendy):
    return {**cast, "wendy": wendy}


def state():
    return (
        sorted(District.objects.values_list("code", "name", "source", "population"), key=str),
        sorted(Cycle.objects.values_list("municipality__code", "district__code", "year"), key=str),
    )


def kwb_file():
    return SimpleUploadedFile(KWB_2023.name, KWB_2023.read_bytes())


POSTS = {
    "districts_upload": (f"{PAGE}laden/", lambda: {"file": kwb_file()}),
    "district_add": (f"{PAGE}toevoegen/", lambda: {"code": "WK034499", "name": "Rijnenburg"}),
    "district_rename": (f"{PAGE}WK034402/naam/", lambda: {"name": "Zuilen"}),
    "district_remove": (f"{PAGE}WK034402/verwijderen/", lambda: {}),
    "district_cycle_start": (f"{PAGE}WK034401/jaarcyclus/nieuw/", lambda: {}),
}
READ = {"alice": 200, "admin": 200, "dave": 200, "bob": 200, "pia": 403}
WRITE = {"alice": 302, "admin": 302, "dave": 403, "bob": 403, "pia": 403}
ROLES = ["alice", "dave", "bob", "wendy", "pia", "quinn", "carol", "erin", "admin", "anonymous"]


@pytest.mark.parametrize("who", ROLES)
def test_who_may_see_the_list(who, people, client_for):
    response = client_for(people[who]).get(PAGE)
    if who == "anonymous":
        assert response.status_code == 302 and "next=" in response["Location"]
        return
    assert response.status_code == READ.get(who, 404), who
    if response.status_code == 200:
        page = response.content.decode()
        assert "WK034401" in page and "Noordwest" in page
        manage = who in ("alice", "admin")
        assert ('action="/gemeenten/GM0344/wijken/toevoegen/' in page) == manage
        assert ('action="/gemeenten/GM0344/wijken/laden/' in page) == manage
        assert ("/jaarcyclus/nieuw/" in page) == manage


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("name", sorted(POSTS))
def test_who_may_change_districts(name, who, people, client_for):
    path, data = POSTS[name]
    before = state()
    response = client_for(people[who]).post(path, data())
    if who == "anonymous":
        assert response.status_code == 302 and "next=" in response["Location"]
        assert state() == before
        return
    assert response.status_code == WRITE.get(who, 404), (name, who)
    if response.status_code != 302:
        assert state() == before, (name, who)
    else:
        assert state() != before, (name, who)


def test_the_real_cbs_spreadsheet_loads_utrechts_districts(utrecht, alice, client_for):
    client = client_for(alice)
    response = client.post(f"{PAGE}laden/", {"file": kwb_file()})
    assert response.status_code == 302 and response["Location"] == PAGE
    districts = District.objects.filter(municipality__code="GM0344")
    assert districts.count() == 10
    overvecht = districts.get(code="WK034403")
    assert (overvecht.population, overvecht.youth_population) == (34910, 6245)
    # the typed West was in the file: it is now CBS's "Wijk 01 West", stored without its number
    assert districts.get(code="WK034401").name == "West"
    page = client.get(PAGE).content.decode()
    assert "Leidsche Rijn" in page and "47100" in page.replace(".", "")


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"Naam;Codering;Soort regio\nUtrecht;GM0344;Gemeente\n",
        b"Naam;Codering;Soort regio;Aantal inwoners\nWest;WK034401;Wijk;veel\n",
        b"Naam;Gemeentenaam;Codering;Soort regio\nWest;Utrecht;WK030701;Wijk\n",
    ],
)
def test_a_bad_file_changes_nothing_and_says_why(content, utrecht, alice, client_for):
    before = state()
    response = client_for(alice).post(
        f"{PAGE}laden/", {"file": SimpleUploadedFile("wijken.csv", content)}
    )
    assert response.status_code == 400
    assert 'id="file-errors"' in response.content.decode()
    assert state() == before


def test_the_error_of_a_bad_line_names_the_line(utrecht, alice, client_for):
    content = b"Naam;Codering;Soort regio;Aantal inwoners\nWest;WK034401;Wijk;veel\n"
    response = client_for(alice).post(
        f"{PAGE}laden/", {"file": SimpleUploadedFile("wijken.csv", content)}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "2" in page and "veel" in page


def test_a_file_over_the_limit_is_refused(utrecht, alice, client_for, settings):
    settings.DISTRICTS_FILE_MAX_BYTES = 1024
    before = state()
    response = client_for(alice).post(f"{PAGE}laden/", {"file": kwb_file()})
    assert response.status_code == 400 and state() == before


def test_another_municipalitys_file_holds_none_of_its_districts(carol, client_for, gemeente_b):
    response = client_for(carol).post("/gemeenten/GM0307/wijken/laden/", {"file": kwb_file()})
    assert response.status_code == 400
    assert not District.objects.filter(municipality=gemeente_b).exists()


@pytest.mark.parametrize(
    "code,name",
    [
        ("WK0344", "Kort"),
        ("WK030701", "Amersfoort"),
        ("WK034401", "Dubbel"),
        ("", ""),
        ("x" * 9, ""),
    ],
)
def test_a_typed_district_is_validated(code, name, utrecht, alice, client_for):
    before = state()
    response = client_for(alice).post(f"{PAGE}toevoegen/", {"code": code, "name": name})
    assert response.status_code == 400 and state() == before
    assert "error-summary" in response.content.decode()


def test_a_typed_district_is_added_renamed_and_removed(utrecht, alice, client_for):
    client = client_for(alice)
    response = client.post(f"{PAGE}toevoegen/", {"code": "wk034499", "name": " Rijnenburg "})
    assert response.status_code == 302
    district = District.objects.get(code="WK034499")
    assert (district.name, district.source) == ("Rijnenburg", District.Source.TYPED)
    assert client.post(f"{PAGE}WK034499/naam/", {"name": "Rijnenburg-Noord"}).status_code == 302
    assert District.objects.get(code="WK034499").name == "Rijnenburg-Noord"
    assert client.post(f"{PAGE}WK034499/naam/", {"name": ""}).status_code == 400
    assert client.post(f"{PAGE}WK034499/verwijderen/").status_code == 302
    assert not District.objects.filter(code="WK034499").exists()


def test_a_cbs_district_keeps_its_cbs_name(utrecht, alice, client_for):
    District.objects.filter(code="WK034402").update(source=District.Source.CBS)
    response = client_for(alice).post(f"{PAGE}WK034402/naam/", {"name": "Zuilen"})
    assert response.status_code == 400
    assert District.objects.get(code="WK034402").name == "Noordwest"


def test_a_district_with_a_cycle_or_members_is_not_removed(utrecht, wendy, alice, client_for):
    client = client_for(alice)
    assert client.post(f"{PAGE}WK034401/verwijderen/").status_code == 400  # wendy's district
    client.post(f"{PAGE}WK034402/jaarcyclus/nieuw/")
    assert client.post(f"{PAGE}WK034402/verwijderen/").status_code == 400  # has a cycle
    assert District.objects.filter(code__in=["WK034401", "WK034402"]).count() == 2


def test_a_foreign_or_unknown_district_code_is_404(utrecht, alice, client_for, gemeente_b):
    District.objects.create(municipality=gemeente_b, code="WK030701", name="Amersfoort-West")
    client = client_for(alice)
    for path in ("WK030701/naam/", "WK034488/verwijderen/", "onzin/jaarcyclus/nieuw/"):
        assert client.post(f"{PAGE}{path}", {"name": "x"}).status_code == 404


def test_starting_a_district_cycle_for_the_latest_municipal_year(utrecht, alice, client_for):
    client = client_for(alice)
    page = client.get(PAGE).content.decode()
    assert "2026" in page and "/gemeenten/GM0344/wijken/WK034401/jaarcyclus/nieuw/" in page
    response = client.post(f"{PAGE}WK034401/jaarcyclus/nieuw/")
    cycle = Cycle.objects.get(district=utrecht)
    assert response.status_code == 302 and response["Location"] == f"/jaarcycli/{cycle.pk}/"
    assert cycle.year == 2026 and cycle.parent.district is None
    page = client.get(PAGE).content.decode()
    assert f'href="/jaarcycli/{cycle.pk}/"' in page
    assert "/gemeenten/GM0344/wijken/WK034401/jaarcyclus/nieuw/" not in page  # it exists now
    again = client.post(f"{PAGE}WK034401/jaarcyclus/nieuw/")
    assert again.status_code == 400 and Cycle.objects.filter(district=utrecht).count() == 1


def test_no_district_cycle_without_a_municipal_cycle(gemeente_a, alice, client_for):
    District.objects.create(municipality=gemeente_a, code="WK034401", name="West")
    client = client_for(alice)
    assert "/jaarcyclus/nieuw/" not in client.get(PAGE).content.decode()
    response = client.post(f"{PAGE}WK034401/jaarcyclus/nieuw/")
    assert response.status_code == 400 and not Cycle.objects.exists()


def test_no_district_cycle_beside_a_closed_municipal_cycle(utrecht, alice, client_for):
    Cycle.objects.update(status=Cycle.Status.CLOSED)
    client = client_for(alice)
    assert "/jaarcyclus/nieuw/" not in client.get(PAGE).content.decode()
    assert client.post(f"{PAGE}WK034401/jaarcyclus/nieuw/").status_code == 403
    assert not Cycle.objects.filter(district__isnull=False).exists()


@pytest.mark.parametrize("who", ["alice", "dave", "bob", "wendy", "pia"])
def test_my_municipalities_links_the_page_for_those_who_may_see_it(who, people, client_for):
    page = client_for(people[who]).get("/gemeenten/").content.decode()
    assert ('href="/gemeenten/GM0344/wijken/"' in page) == (who in ("alice", "dave", "bob"))


def test_the_page_needs_the_same_queries_for_100_districts(utrecht, alice, client_for, gemeente_a):
    client = client_for(alice)
    client.get(PAGE)  # warm the session and the caches

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE).status_code == 200
        return len(queries)

    few = count()
    District.objects.bulk_create(
        District(municipality=gemeente_a, code=f"WK0344{n:02d}", name=f"Wijk {n}")
        for n in range(3, 100)
    )
    assert count() == few
