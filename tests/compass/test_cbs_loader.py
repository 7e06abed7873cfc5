"""`manage.py load_municipalities` on the real CBS files (in-repo copies)."""

import shutil

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from compass import access
from compass.cbs import areas as cbs
from compass.models import Municipality, Region
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db

ALL_FILES = [str(cbs.LIST_2021), str(cbs.LIST_2023), str(cbs.GEBIEDEN_2024)]
MERGED_2021_2023 = {
    "GM0370", "GM0398", "GM0416", "GM0457", "GM0501", "GM0530", "GM0614",
    "GM0756", "GM0786", "GM0815", "GM0856", "GM1684", "GM1685", "GM1702",
}  # fmt: skip


def test_gebieden_2024_loads_342_municipalities_with_their_regions():
    call_command("load_municipalities", str(cbs.GEBIEDEN_2024), verbosity=0)
    assert Municipality.objects.count() == 342
    assert Region.objects.filter(kind=Region.Kind.VEILIG_THUIS).count() == 25
    assert Region.objects.filter(kind=Region.Kind.VEILIGHEIDSREGIO).count() == 25
    assert Region.objects.filter(kind=Region.Kind.JEUGDREGIO).count() == 42
    amsterdam = Municipality.objects.get(code="GM0363")
    assert amsterdam.name == "Amsterdam"
    assert amsterdam.province == "Noord-Holland" and amsterdam.province_code == "PV27"
    assert amsterdam.population == 931_298
    assert amsterdam.size_class == 8
    assert amsterdam.size_class_label == "250 000 inwoners of meer"
    assert amsterdam.youth_population is None  # the table has no ages; never invented
    assert {(r.kind, r.code, r.name) for r in amsterdam.regions.all()} == {
        ("VT", "VT01", "Amsterdam-Amstelland"),
        ("VR", "VR13", "Amsterdam-Amstelland"),
        ("JZ", "JZ13", "Amsterdam-Amstelland"),
    }
    total = sum(Municipality.objects.values_list("population", flat=True))
    assert total == 17_942_942
    # every municipality is in exactly one region of each kind
    for kind in Region.Kind.values:
        links = Region.municipalities.through.objects.filter(region__kind=kind)
        assert links.count() == 342


def test_loading_twice_changes_nothing():
    call_command("load_municipalities", *ALL_FILES, verbosity=0)
    before = list(Municipality.objects.order_by("code").values())
    links = Region.municipalities.through.objects.count()
    call_command("load_municipalities", *ALL_FILES, verbosity=0)
    assert list(Municipality.objects.order_by("code").values()) == before
    assert Region.municipalities.through.objects.count() == links
    assert Region.objects.count() == 92


def test_codes_that_disappear_after_2021_are_marked_merged_and_stay():
    call_command("load_municipalities", str(cbs.LIST_2021), verbosity=0)
    assert Municipality.objects.filter(status="active").count() == 352
    call_command("load_municipalities", str(cbs.LIST_2023), verbosity=0)
    merged = set(Municipality.objects.filter(status="merged").values_list("code", flat=True))
    assert merged == MERGED_2021_2023
    assert Municipality.objects.get(code="GM0370").name == "Beemster"
    # loading the old list again does not bring them back to life
    call_command("load_municipalities", str(cbs.LIST_2021), verbosity=0)
    assert Municipality.objects.filter(status="merged").count() == 14
    assert Municipality.objects.filter(status="active").count() == 342


def test_a_merged_municipality_stays_readable_but_closed_for_changes():
    call_command("load_municipalities", str(cbs.LIST_2021), verbosity=0)
    beemster = Municipality.objects.get(code="GM0370")
    user = UserFactory()
    member(user, beemster, "coordinator")
    call_command("load_municipalities", str(cbs.LIST_2023), verbosity=0)
    beemster.refresh_from_db()
    assert not beemster.is_active
    assert access.has_perm(user, access.VIEW_CYCLE, beemster)
    assert not access.has_perm(user, access.CHANGE_CYCLE, beemster)
    assert access.get_municipality_for(user, "GM0370") == beemster


def test_columns_are_found_by_their_code_prefix_not_their_position(tmp_path):
    lines = cbs.GEBIEDEN_2024.read_text(encoding="utf-8-sig").splitlines()
    rows = [line.split(";") for line in lines]
    order = list(range(len(rows[0])))
    # move the province pair to the end and the Veilig Thuis pair to the front (after ID)
    pv = next(i for i, v in enumerate(rows[1]) if v.startswith("PV"))
    vt = next(i for i, v in enumerate(rows[1]) if v.startswith("VT"))
    moved = [i for i in order if i not in {pv, pv + 1, vt, vt + 1, 0}]
    order = [0, vt, vt + 1, *moved, pv, pv + 1]
    shuffled = tmp_path / "gebieden-2025.csv"
    shuffled.write_text("\n".join(";".join(r[i] for i in order) for r in rows), encoding="utf-8")
    call_command("load_municipalities", str(shuffled), verbosity=0)
    utrecht = Municipality.objects.get(code="GM0344")
    assert utrecht.name == "Utrecht" and utrecht.province == "Utrecht"
    assert utrecht.regions.get(kind="VT").code == "VT20"
    assert utrecht.last_seen_edition == 2025


def test_a_file_with_an_invalid_code_is_refused_and_changes_nothing(tmp_path):
    broken = tmp_path / "gemeenten-2024.csv"
    shutil.copy(cbs.LIST_2023, broken)
    with broken.open("a") as handle:
        handle.write("9999,GM99X9,Nergenshuizen,26,PV26,Utrecht\n")
    with pytest.raises(CommandError, match="GM99X9"):
        call_command("load_municipalities", str(broken), verbosity=0)
    assert Municipality.objects.count() == 0


def test_invalid_cbs_code_gets_a_dutch_message():
    with translation.override("nl"), pytest.raises(ValidationError) as error:
        Municipality(code="GM344", name="Utrecht").full_clean()
    assert "GM gevolgd door vier cijfers" in str(error.value.message_dict["code"])


def test_a_file_without_edition_year_needs_the_year_option(tmp_path):
    plain = tmp_path / "gemeenten.csv"
    shutil.copy(cbs.LIST_2023, plain)
    with pytest.raises(CommandError, match="--year"):
        call_command("load_municipalities", str(plain), verbosity=0)
    call_command("load_municipalities", str(plain), "--year", "2023", verbosity=0)
    assert Municipality.objects.count() == 342
