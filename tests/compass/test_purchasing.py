"""Issue 23: family profiles and the purchasing check (compass.purchasing, cms.family_profiles)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from cms.family_profiles import shares_problem
from compass import purchasing
from compass.models import ChangeRecord, Cycle, ImprovementAction, StepProgress
from tests.factories import (
    CycleFactory,
    HelpProvisionFactory,
    OfferingFactory,
    PurchasingCheckFactory,
    SituationFigureFactory,
    profile_set,
)

# --- The arithmetic ------------------------------------------------------------------------


def test_largest_remainder_gives_whole_families_that_add_up():
    assert purchasing.allocate(10, [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]) == [
        3,
        3,
        4,
    ]
    # 7 × 50 % = 3,5 each: the tie goes to the profile listed first
    assert purchasing.allocate(7, [Decimal("50"), Decimal("50")]) == [4, 3]
    # 400 × (35, 30, 20, 15) %: exact, no rounding
    assert purchasing.allocate(400, [35, 30, 20, 15]) == [140, 120, 80, 60]
    # 101 × (12.5, 87.5) % = 12,625 and 88,375: floors 12 + 88 = 100, one left → 12,625
    assert purchasing.allocate(101, [Decimal("12.5"), Decimal("87.5")]) == [13, 88]
    assert purchasing.allocate(0, [60, 40]) == [0, 0]


@pytest.mark.parametrize("total", [0, 1, 2, 3, 17, 99, 1001, 123457])
def test_allocation_always_adds_up_to_the_total(total):
    shares = [Decimal("12.5"), Decimal("0.01"), Decimal("41.49"), Decimal("46")]
    assert sum(purchasing.allocate(total, shares)) == total


def test_shares_that_do_not_add_up_to_100_are_refused():
    with pytest.raises(ValueError):
        purchasing.allocate(10, [Decimal("50"), Decimal("49.99")])
    assert shares_problem([Decimal("50"), Decimal("50")]) is None
    with translation.override("nl"):
        message = shares_problem([Decimal("60"), Decimal("30.5")])
    assert message is not None and "90,5" in message and "100" in message
    assert shares_problem([]) is not None


def _provision(capacity, level="", offering="Aanbod"):
    return purchasing.Provision(1, offering, capacity, False, level, level, None)


def test_demand_per_kind_of_help_is_the_sum_of_the_profiles_needing_it():
    profiles = [
        ("A", "", Decimal("50"), [("opvoed", ["x"]), ("opvoed", [])]),  # twice counts once
        ("B", "", Decimal("30"), [("opvoed", []), ("schuld", [])]),
        ("C", "", Decimal("20"), [("trauma", ["y"])]),
    ]
    rows, lines = purchasing.compute(
        10,
        profiles,
        {"opvoed": "Opvoedsteun", "schuld": "Schuldhulp", "trauma": "Trauma", "extra": "Extra"},
        [
            ("opvoed", _provision(5)),
            ("schuld", _provision(4)),
            ("trauma", _provision(2, level="y")),
            ("extra", _provision(3)),
        ],
    )
    assert [r.families for r in rows] == [5, 3, 2]
    by = {line.code: line for line in lines}
    assert by["opvoed"].demand == 8 and by["opvoed"].arithmetic == "5 + 3 = 8"
    assert by["opvoed"].status == purchasing.GAP and by["opvoed"].shortfall == 3
    assert by["schuld"].status == purchasing.OVER and by["schuld"].surplus == 1
    assert by["trauma"].status == purchasing.FITS and not by["trauma"].evidence_gap
    assert by["extra"].demand == 0 and by["extra"].status == purchasing.OVER
    assert by["opvoed"].evidence_gap  # "x" fits, the offering has no level


def test_no_offering_is_a_gap_of_the_whole_demand_and_unknown_places_are_said():
    profiles = [("A", "", Decimal("100"), [("a", []), ("b", [])])]
    _rows, lines = purchasing.compute(20, profiles, {"a": "A", "b": "B"}, [("b", _provision(None))])
    by = {line.code: line for line in lines}
    assert by["a"].status == purchasing.GAP and by["a"].shortfall == 20 and not by["a"].provisions
    assert by["b"].status == purchasing.UNKNOWN


# --- A cycle's check -----------------------------------------------------------------------


@pytest.fixture
def cycle(db, gemeente_a):
    cycle = CycleFactory(municipality=gemeente_a)
    profile_set(
        [
            ("Licht", "70", [("opvoedsteun", [])]),
            ("Zwaar", "30", [("opvoedsteun", []), ("schuldhulp", [])]),
        ]
    )
    PurchasingCheckFactory(cycle=cycle, expected_families=101, families_source="VT 2025")
    offering = OfferingFactory(cycle=cycle, capacity=50)
    HelpProvisionFactory(cycle=cycle, offering=offering, help_kind="opvoedsteun", capacity=None)
    return cycle


def test_check_for_a_cycle_uses_the_offering_capacity_and_lists_gaps(cycle):
    check = purchasing.check_for(cycle)
    assert check.problem == ""
    assert [p.families for p in check.profiles] == [71, 30]  # 70,7 and 30,3
    assert {line.code: line.demand for line in check.lines} == {
        "opvoedsteun": 101,
        "schuldhulp": 30,
    }
    assert [line.code for line in check.gaps] == ["opvoedsteun", "schuldhulp"]
    assert check.line("opvoedsteun").provisions[0].from_offering


def test_the_check_costs_the_same_queries_with_two_profiles_or_ten(db, gemeente_a, gemeente_b):
    """Guard: a profile's kinds of help come from one query for all profiles, not one each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for number, municipality in ((2, gemeente_a), (10, gemeente_b)):
        cycle = CycleFactory(municipality=municipality)
        share = str(Decimal(100) / number)
        code = f"set-{number}"
        profile_set(
            [(f"P{n}", share, [("opvoedsteun", []), ("schuldhulp", [])]) for n in range(number)],
            code=code,
        )
        PurchasingCheckFactory(cycle=cycle, profile_set=code, expected_families=100)
        with CaptureQueriesContext(connection) as queries:
            check = purchasing.check_for(cycle)
        assert len(check.profiles) == number and check.line("schuldhulp").demand == 100
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_published_set_whose_shares_are_wrong_is_not_used(db, gemeente_a):
    cycle = CycleFactory(municipality=gemeente_a)
    profile_set([("A", "60", []), ("B", "30", [])], code="kapot")
    PurchasingCheckFactory(cycle=cycle, profile_set="kapot")
    with translation.override("nl"):
        check = purchasing.check_for(cycle)
    assert "90" in check.problem and not check.lines


def test_a_gap_becomes_an_improvement_action_with_history(cycle, alice):
    action = purchasing.gap_to_action(cycle, alice, "schuldhulp")
    assert ImprovementAction.objects.filter(cycle=cycle, pk=action.pk).exists()
    assert "30" in action.what and action.due.year == cycle.year
    records = ChangeRecord.objects.filter(cycle=cycle, step="verbeterplan", part="actions")
    assert {r.field_name for r in records} >= {"what", "who", "due", "decision", "status"}
    assert StepProgress.objects.get(cycle=cycle, step="verbeterplan").version == 1
    with pytest.raises(purchasing.NotAGap):
        purchasing.gap_to_action(cycle, alice, "geen-gat")


def test_a_reader_or_a_closed_cycle_cannot_turn_a_gap_into_an_action(cycle, bob, alice):
    with pytest.raises(PermissionDenied):
        purchasing.gap_to_action(cycle, bob, "schuldhulp")
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.CLOSED)
    cycle.refresh_from_db()
    with pytest.raises(PermissionDenied):
        purchasing.gap_to_action(cycle, alice, "schuldhulp")
    assert not ImprovementAction.objects.filter(cycle=cycle).exists()


def test_a_figure_becomes_the_expected_number(cycle, alice):
    figure = SituationFigureFactory(
        cycle=cycle, label="Meldingen", period="2025", value=Decimal("812.50"), source="VT"
    )
    inputs = purchasing.take_over_figure(cycle, alice, figure)
    assert inputs.expected_families == 813  # half up
    assert "Meldingen" in inputs.families_source
    assert ChangeRecord.objects.filter(cycle=cycle, part="purchasing").count() == 2


# --- Over HTTP: permissions ------------------------------------------------------------------


def test_the_page_shows_the_arithmetic_and_the_gaps(cycle, client_for, alice):
    page = client_for(alice).get(f"/jaarcycli/{cycle.pk}/inkoopcheck/", HTTP_ACCEPT_LANGUAGE="nl")
    assert page.status_code == 200
    html = page.content.decode()
    assert "101 × 70% = 70,7" in html
    assert "Licht 71 + Zwaar 30 = 101" in html
    assert 'name="help_kind" value="schuldhulp"' in html


def test_permissions_of_the_purchasing_urls(cycle, client_for, alice, bob, carol, erin, client):
    page = f"/jaarcycli/{cycle.pk}/inkoopcheck/"
    action = page + "actie/"
    take = page + "overnemen/"
    assert client_for(carol).get(page).status_code == 404  # outsider
    assert client_for(carol).post(action, {"help_kind": "schuldhulp"}).status_code == 404
    assert client_for(carol).post(take, {"figure": "1"}).status_code == 404
    assert client_for(erin).get(page).status_code == 404  # content editor: no cycle data
    assert client_for(erin).post(action, {"help_kind": "schuldhulp"}).status_code == 404
    reader = client_for(bob)
    assert reader.get(page).status_code == 200
    assert 'name="help_kind"' not in reader.get(page).content.decode()
    assert reader.post(action, {"help_kind": "schuldhulp"}).status_code == 403
    assert reader.post(take, {"figure": "1"}).status_code == 403
    assert client.get(page).status_code == 302  # anonymous: to the login page
    assert client_for(alice).get(action).status_code == 405
    assert not ImprovementAction.objects.filter(cycle=cycle).exists()
    response = client_for(alice).post(action, {"help_kind": "schuldhulp"})
    assert response.status_code == 302
    assert ImprovementAction.objects.filter(cycle=cycle).count() == 1
    # garbage and another cycle's figure: a Dutch message, nothing stored, no 500
    other = SituationFigureFactory(cycle=CycleFactory())
    for data in ({"figure": "x"}, {"figure": str(other.pk)}, {}):
        assert client_for(alice).post(take, data).status_code == 302
    assert client_for(alice).post(action, {"help_kind": "\x00"}).status_code == 302


def test_every_purchasing_url_refuses_the_content_editor_and_anonymous(cycle, client_for, erin):
    """A content editor never sees municipal data; anonymous visitors go to the login page."""
    figure = SituationFigureFactory(cycle=cycle, value=Decimal("80"))
    page = f"/jaarcycli/{cycle.pk}/inkoopcheck/"
    posts = [
        (page + "actie/", {"help_kind": "schuldhulp"}),
        (page + "overnemen/", {"figure": figure.pk}),
    ]
    editor, anonymous = client_for(erin), client_for(None)
    assert editor.get(page).status_code == 404
    for url, data in posts:
        assert editor.post(url, data).status_code == 404
        response = anonymous.post(url, data)
        assert response.status_code == 302 and "/login" in response["Location"]
    response = anonymous.get(page)
    assert response.status_code == 302 and "/login" in response["Location"]
    assert not ImprovementAction.objects.filter(cycle=cycle).exists()
    assert ChangeRecord.objects.filter(cycle=cycle).count() == 0


def test_another_municipality_and_a_partner_cannot_write(
    cycle, client_for, carol, pia, regio_utrecht
):
    figure = SituationFigureFactory(cycle=cycle, value=Decimal("80"))
    page = f"/jaarcycli/{cycle.pk}/inkoopcheck/"
    for user in (carol, pia):
        client = client_for(user)
        dashboard = client.get(f"/jaarcycli/{cycle.pk}/").status_code
        assert client.get(page).status_code == dashboard  # the page is read like the cycle
        assert client.post(page + "actie/", {"help_kind": "schuldhulp"}).status_code in (403, 404)
        assert client.post(page + "overnemen/", {"figure": figure.pk}).status_code in (403, 404)
    assert not ImprovementAction.objects.filter(cycle=cycle).exists()
    assert ChangeRecord.objects.filter(cycle=cycle).count() == 0


def test_a_team_editor_takes_over_a_figure_and_turns_a_gap_into_an_action(cycle, client_for, dave):
    figure = SituationFigureFactory(cycle=cycle, label="Meldingen", value=Decimal("200"))
    client = client_for(dave)
    page = f"/jaarcycli/{cycle.pk}/inkoopcheck/"
    assert client.post(page + "overnemen/", {"figure": figure.pk}).status_code == 302
    assert purchasing.check_for(cycle).expected == 200
    response = client.post(page + "actie/", {"help_kind": "schuldhulp"}, follow=True)
    assert response.status_code == 200
    action = ImprovementAction.objects.get(cycle=cycle)
    assert "60" in action.what  # 30 % of 200 families need debt help, no offering has it
    # the same kind again: still a gap, so a second action (one click, one action)
    client.post(page + "actie/", {"help_kind": "schuldhulp"})
    assert ImprovementAction.objects.filter(cycle=cycle).count() == 2


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "anonymous"])
def test_municipal_users_and_anonymous_cannot_reach_the_profile_admin(who, cast, client_for):
    """Only content editors (and superusers) maintain kinds of help and profile sets."""
    from django.urls import reverse

    from cms.family_profiles import FamilyProfileSet, HelpKind

    client = client_for(cast[who])
    for model in (FamilyProfileSet, HelpKind):
        name = f"wagtailsnippets_cms_{model._meta.model_name}"
        for url in (reverse(f"{name}:list"), reverse(f"{name}:add")):
            response = client.get(url)
            assert response.status_code in (302, 403), (who, url)
        client.post(reverse(f"{name}:add"), {"code": "inbraak", "name": "Inbraak"})
    assert not HelpKind.objects.filter(code="inbraak").exists()
    assert not FamilyProfileSet.objects.exists()


def test_the_content_editor_maintains_kinds_of_help(client_for, erin):
    from django.urls import reverse

    from cms.family_profiles import HelpKind

    client = client_for(erin)
    assert client.get(reverse("wagtailsnippets_cms_helpkind:list")).status_code == 200
    response = client.post(
        reverse("wagtailsnippets_cms_helpkind:add"),
        {"code": "schuldhulp", "name": "Schuldhulp", "description": ""},
    )
    assert response.status_code == 302
    assert HelpKind.objects.filter(code="schuldhulp").exists()


# --- The report and the downloads --------------------------------------------------------------


def test_the_report_shows_the_check_with_its_gaps(cycle, client_for, bob):
    from django.urls import reverse

    html = (
        client_for(bob)
        .get(reverse("exports:report", args=[cycle.pk]), HTTP_ACCEPT_LANGUAGE="nl")
        .content.decode()
    )
    section = html.split('id="inkoopcheck"')[1].split("</section>")[0]
    assert "Inkoopcheck" in section
    assert "101 × 70% = 70,7" in section
    assert "Tekort: 30 te weinig" in section  # debt help: no offering
    assert "Tekort: 51 te weinig" in section  # parenting support: 50 places for 101 families
    assert "Voorbeeldset" not in section  # not an example set


def test_the_downloads_hold_the_inputs_and_the_outcome(cycle, client_for, bob):
    import csv
    import io
    import json

    from django.urls import reverse
    from openpyxl import load_workbook

    client = client_for(bob)

    def table(slug):
        response = client.get(
            reverse("exports:csv", args=[cycle.pk, slug]), HTTP_ACCEPT_LANGUAGE="nl"
        )
        assert response.status_code == 200
        text = response.content.decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text), delimiter=";"))

    outcome = table("inkoopcheck-uitkomst")
    assert outcome[0][:4] == ["Soort hulp", "Vraag (gezinnen)", "Plaatsen", "Oordeel"]
    rows = {row[0]: row for row in outcome[1:]}
    assert rows["Schuldhulp"][1:5] == ["30", "0", "Tekort", "30"]
    assert rows["Schuldhulp"][6] == "geen aanbod"
    assert rows["Opvoedsteun"][1:5] == ["101", "50", "Tekort", "51"]
    inputs = {row[0].lower(): row[1] for row in table("inkoopcheck")[1:]}  # question, answer
    assert inputs["verwacht aantal gemelde gezinnen"] == "101"
    assert len(table("inkoop-hulpsoorten")) == 2  # header and one link

    workbook = load_workbook(
        io.BytesIO(
            client.get(reverse("exports:xlsx", args=[cycle.pk]), HTTP_ACCEPT_LANGUAGE="nl").content
        )
    )
    assert "Uitkomst inkoopcheck" in workbook.sheetnames
    sheet = workbook["Uitkomst inkoopcheck"]
    assert [cell.value for cell in sheet[1]][:2] == ["Soort hulp", "Vraag (gezinnen)"]

    data = json.loads(client.get(reverse("exports:json", args=[cycle.pk])).content)
    found = json.dumps(data)
    assert '"purchasing_check"' in found and '"help_provisions"' in found
    assert "opvoedsteun" in found


def test_the_outcome_table_is_empty_without_an_expected_number(db, gemeente_a):
    from exports import cycle_tables

    cycle = CycleFactory(municipality=gemeente_a)
    profile_set([("A", "100", [("schuldhulp", [])])])
    headers, rows = cycle_tables.purchasing_outcome(cycle)
    assert headers and rows == []


# --- The demo ------------------------------------------------------------------------------


def test_the_demo_cycle_shows_a_marked_example_check_with_a_gap(demo_db, client):
    check = purchasing.check_for(
        Cycle.objects.municipal().get(municipality__code="GM0344", year=2026)
    )
    assert check.problem == "" and check.is_example
    assert check.gaps and check.over_supply
    assert "DEMODATA" in check.source and "geen cijfers uit" in check.profile_set.source
    assert sum(p.families for p in check.profiles) == check.expected


def test_a_figure_too_large_for_a_number_of_families_is_refused_in_dutch(cycle, client_for, alice):
    figure = SituationFigureFactory(cycle=cycle, label="Tikfout", value=Decimal("25000000"))
    response = client_for(alice).post(
        f"/jaarcycli/{cycle.pk}/inkoopcheck/overnemen/",
        {"figure": figure.pk},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 200
    assert "20000000 gezinnen" in response.content.decode().replace(".", "")
    assert purchasing.check_for(cycle).expected == 101
    assert ChangeRecord.objects.filter(cycle=cycle).count() == 0
