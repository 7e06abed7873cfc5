"""The annual cycle: one per municipality and year, its policy period, and who may reach it."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.urls import reverse

from compass import access
from compass.models import Cycle, Municipality
from compass.services import start_cycle

pytestmark = pytest.mark.django_db


def test_start_cycle_gives_a_four_year_policy_period_from_the_year(gemeente_a, alice):
    cycle = start_cycle(gemeente_a, 2026, user=alice)
    assert (cycle.policy_start_year, cycle.policy_end_year) == (2026, 2029)
    assert cycle.status == Cycle.Status.DRAFT
    assert cycle.previous is None
    assert cycle.created_by == alice


def test_next_cycle_links_the_previous_and_keeps_its_policy_period(gemeente_a):
    first = start_cycle(gemeente_a, 2025)
    second = start_cycle(gemeente_a, 2026)
    assert second.previous == first
    assert (second.policy_start_year, second.policy_end_year) == (2025, 2028)


def test_a_cycle_after_the_policy_period_starts_a_new_period(gemeente_a):
    start_cycle(gemeente_a, 2022, policy_start_year=2022, policy_end_year=2023)
    later = start_cycle(gemeente_a, 2024)
    assert (later.policy_start_year, later.policy_end_year) == (2024, 2027)


def test_previous_is_the_latest_earlier_cycle_not_a_later_one(gemeente_a):
    start_cycle(gemeente_a, 2023)
    middle = start_cycle(gemeente_a, 2024)
    start_cycle(gemeente_a, 2026)
    assert start_cycle(gemeente_a, 2025).previous == middle


def test_second_cycle_for_the_same_year_is_refused_in_dutch(gemeente_a):
    start_cycle(gemeente_a, 2026)
    with pytest.raises(ValidationError, match="heeft al een jaarcyclus voor 2026"):
        start_cycle(gemeente_a, 2026)
    assert Cycle.objects.municipal().filter(municipality=gemeente_a).count() == 1


def test_the_database_refuses_a_duplicate_too(gemeente_a):
    start_cycle(gemeente_a, 2026)
    with pytest.raises(IntegrityError):
        Cycle.objects.create(
            municipality=gemeente_a, year=2026, policy_start_year=2026, policy_end_year=2029
        )


def test_the_same_year_in_another_municipality_is_fine(gemeente_a, gemeente_b):
    start_cycle(gemeente_a, 2026)
    assert start_cycle(gemeente_b, 2026).municipality == gemeente_b


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [(2027, 2026, "policy_end_year"), (2027, 2030, "policy_start_year")],
)
def test_policy_period_must_be_in_order_and_include_the_year(gemeente_a, start, end, field):
    with pytest.raises(ValidationError) as error:
        start_cycle(gemeente_a, 2026, policy_start_year=start, policy_end_year=end)
    assert field in error.value.message_dict
    assert not Cycle.objects.exists()


def test_previous_cycle_of_another_municipality_is_refused(gemeente_a, gemeente_b):
    other = start_cycle(gemeente_b, 2025)
    cycle = Cycle(
        municipality=gemeente_a,
        year=2026,
        policy_start_year=2026,
        policy_end_year=2029,
        previous=other,
    )
    with pytest.raises(ValidationError) as error:
        cycle.full_clean()
    assert "previous" in error.value.message_dict


def test_a_merged_municipality_cannot_start_a_cycle(gemeente_a):
    gemeente_a.status = Municipality.Status.MERGED
    gemeente_a.save()
    with pytest.raises(ValidationError, match="opgeheven"):
        start_cycle(gemeente_a, 2026)


def test_get_cycle_for_follows_the_municipality(cast, gemeente_a):
    cycle = start_cycle(gemeente_a, 2026)
    assert access.get_cycle_for(cast["alice"], cycle.pk, access.CHANGE_CYCLE) == cycle
    assert access.get_cycle_for(cast["dave"], cycle.pk, access.CHANGE_CYCLE) == cycle
    assert access.get_cycle_for(cast["bob"], cycle.pk) == cycle
    assert access.get_cycle_for(cast["pia"], cycle.pk) == cycle  # partner with agreement
    assert access.get_cycle_for(cast["admin"], cycle.pk, access.CHANGE_CYCLE) == cycle
    with pytest.raises(PermissionDenied):
        access.get_cycle_for(cast["bob"], cycle.pk, access.CHANGE_CYCLE)
    with pytest.raises(PermissionDenied):
        access.get_cycle_for(cast["pia"], cycle.pk, access.CHANGE_CYCLE)
    for outsider in ("carol", "bert", "quinn", "erin"):
        with pytest.raises(Http404):
            access.get_cycle_for(cast[outsider], cycle.pk)


@pytest.mark.parametrize("forged", ["abc", "", None, "99999999", 2**70])
def test_get_cycle_for_a_forged_id_is_404(alice, forged):
    with pytest.raises(Http404):
        access.get_cycle_for(alice, forged)


def test_cycles_for_lists_only_reachable_cycles(cast, gemeente_a, gemeente_b, gemeente_q):
    own = start_cycle(gemeente_a, 2026)
    other = start_cycle(gemeente_b, 2026)
    unshared = start_cycle(gemeente_q, 2026)
    assert set(access.cycles_for(cast["alice"])) == {own}
    assert set(access.cycles_for(cast["carol"])) == {other}
    # pia shares with A (Regio Utrecht) and with B (the closed agreement of B and P).
    assert set(access.cycles_for(cast["pia"])) == {own, other}
    assert set(access.cycles_for(cast["erin"])) == set()
    assert set(access.cycles_for(cast["bob"], access.CHANGE_CYCLE)) == set()
    assert set(access.cycles_for(cast["admin"])) == {own, other, unshared}


def test_start_page_lists_the_cycles_of_own_municipalities_only(
    client_for, cast, gemeente_a, gemeente_b
):
    start_cycle(gemeente_a, 2025)
    start_cycle(gemeente_a, 2026)
    start_cycle(gemeente_b, 2024)
    html = client_for(cast["alice"]).get(reverse("questionnaire:start")).content.decode()
    # Each year links to its dashboard (issue 5), self-assessment (6) and benchmark (7).
    assert re.search(r">2026</a> \(concept\): <a [^>]*>Zelfevaluatie", html)
    text = re.sub(r"<[^>]+>", "", html)
    assert (
        "2026 (concept): Zelfevaluatie 2026, Vergelijking 2026, "
        "2025 (concept): Zelfevaluatie 2025, Vergelijking 2025"
    ) in text
    assert "2024" not in html
