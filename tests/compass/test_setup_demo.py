"""`manage.py setup_demo` builds the demo and can run again without harm."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Site

from cms.models import HomePage
from compass.demo import ADMIN_PASSWORD, DEMO_PASSWORD, DEMO_USERS

pytestmark = pytest.mark.django_db


def test_setup_demo_creates_dutch_home_page_as_site_root(demo_db, client):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    response = client.get("/")
    assert response.status_code == 200
    assert "Kwaliteitskompas kindermishandeling en huiselijk geweld" in response.content.decode()


def test_setup_demo_is_idempotent_and_restores_passwords(demo_db):
    pages, users = Page.objects.count(), get_user_model().objects.count()
    alice = get_user_model().objects.get(username="alice")
    alice.set_password("changed-by-someone")
    alice.save()

    call_command("setup_demo", verbosity=0)

    assert Page.objects.count() == pages
    assert get_user_model().objects.count() == users
    assert HomePage.objects.count() == 1
    alice.refresh_from_db()
    assert alice.check_password(DEMO_PASSWORD)


def test_every_documented_demo_user_can_log_in(demo_db, client):
    for demo in DEMO_USERS:
        assert client.login(username=demo.username, password=demo.password), demo.username
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(ADMIN_PASSWORD)


def test_content_editor_gets_wagtail_editor_group_only(demo_db):
    erin = get_user_model().objects.get(username="erin")
    assert list(erin.groups.values_list("name", flat=True)) == ["Editors"]
    assert not erin.is_superuser and not erin.is_staff
    assert erin.has_perm("wagtailadmin.access_admin")


def test_readme_lists_every_demo_user_and_password():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for demo in DEMO_USERS:
        assert f"`{demo.username}`" in readme
        assert f"`{demo.password}`" in readme


def test_demo_loads_all_municipalities_with_real_regions_and_teams(demo_db):
    from compass import access
    from compass.demo import DEMO_AGREEMENT
    from compass.models import Membership, Municipality, SharingAgreement

    call_command("setup_demo", verbosity=0)
    assert Municipality.objects.filter(status="active").count() == 342
    utrecht = Municipality.objects.get(code="GM0344")
    assert {r.code for r in utrecht.regions.all()} == {"VT20", "VR09", "JZ22"}
    roles = {
        (m.user.username, m.municipality.code, m.role)
        for m in Membership.objects.select_related("user", "municipality")
    }
    assert roles == {
        ("alice", "GM0344", "coordinator"),
        ("dave", "GM0344", "editor"),
        ("bob", "GM0344", "reader"),
        ("carol", "GM0307", "coordinator"),
        ("wim", "GM0344", "editor"),
    }
    users = {u.username: u for u in get_user_model().objects.all()}
    amersfoort = Municipality.objects.get(code="GM0307")
    assert access.perms_on(users["carol"], utrecht) == set()
    assert access.perms_on(users["alice"], amersfoort) == set()
    assert access.perms_on(users["erin"], utrecht) == set()
    agreement = SharingAgreement.objects.get(name=DEMO_AGREEMENT)
    participants = set(
        agreement.participations.filter(left_at__isnull=True).values_list(
            "municipality__code", flat=True
        )
    )
    assert participants == {"GM0344", "GM0356", "GM0321"}
    assert access.perms_on(users["bob"], Municipality.objects.get(code="GM0356")) == {"view_cycle"}


def test_demo_utrecht_has_district_cycles_with_their_own_cbs_figures(demo_db):
    from compass import access
    from compass.models import Cycle, District, SituationFigure

    call_command("setup_demo", verbosity=0)
    assert District.objects.filter(municipality__code="GM0344").count() == 10
    cycles = Cycle.objects.of_districts().select_related("district", "parent")
    assert sorted(c.district.code for c in cycles) == ["WK034403", "WK034408", "WK034409"]
    for cycle in cycles:
        assert cycle.parent.municipality.code == "GM0344" and cycle.parent.year == cycle.year
        # Its own figures, from the real CBS district files, under its own code.
        figures = SituationFigure.objects.filter(cycle=cycle)
        assert {f.source for f in figures} == {
            "CBS StatLine 85830NED",
            "CBS, Kerncijfers wijken en buurten 2023 (85618NED)",
        }
        children = figures.get(label="Kinderen van 0 tot 15 jaar").value
        assert children == cycle.district.youth_population
        assert cycle.ambitions.count() == cycle.parent.ambitions.count() > 0
    assert (
        Cycle.objects.get(district__code="WK034403")
        .figures.get(label="Kinderen van 0 tot 15 jaar")
        .value
        == 6245
    )  # kwb-2023, Wijk 03 Overvecht
    wim = get_user_model().objects.get(username="wim")
    assert [c.district.code for c in access.cycles_for(wim)] == ["WK034403"]
    call_command("setup_demo", verbosity=0)  # a rerun starts nothing twice
    assert Cycle.objects.of_districts().count() == 3


def test_demo_resets_roles_and_agreement_on_rerun(demo_db):
    from compass import access
    from compass.demo import DEMO_AGREEMENT
    from compass.models import Membership, Municipality, SharingAgreement

    bob = Membership.objects.get(user__username="bob")
    access.change_role(bob, "editor")
    agreement = SharingAgreement.objects.get(name=DEMO_AGREEMENT)
    access.join_agreement(agreement, Municipality.objects.get(code="GM0307"))
    call_command("setup_demo", verbosity=0)
    assert Membership.objects.get(user__username="bob").role == "reader"
    carol = get_user_model().objects.get(username="carol")
    assert access.perms_on(carol, Municipality.objects.get(code="GM0344")) == set()
