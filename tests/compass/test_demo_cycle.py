"""The demo holds a filled-in annual cycle for Utrecht, and a second run changes nothing."""

import pytest
from django.core.management import call_command

from compass import services
from compass.models import Cycle, StepProgress

pytestmark = pytest.mark.django_db


def test_demo_has_a_filled_in_cycle_for_utrecht_and_is_idempotent(demo_db, client):
    cycle = Cycle.objects.municipal().get(municipality__code="GM0344", year=2026)
    counts = [
        cycle.figures.count(),
        cycle.ambitions.count(),
        cycle.results.count(),
        cycle.target_groups.count(),
        cycle.offerings.count(),
        cycle.quality_checks.count(),
        cycle.outcomes.count(),
        cycle.actions.count(),
    ]
    assert all(counts), counts
    assert cycle.previous.year == 2025
    assert cycle.reading.participants
    # Local figures say they are not CBS figures; the Veilig Thuis figures taken over from
    # the imported demo observations (issue 9) name their CBS table and keep its demo marker
    # (issue 19: invented numbers never pass as real CBS figures).
    # The Veilig Thuis-region line comes from the twin table 84848NED (issue 19 H4), marked
    # the same way.
    marked = "CBS StatLine 84849NED (DEMODATA: verzonnen cijfers)"
    twin = "CBS StatLine 84848NED (DEMODATA: verzonnen cijfers)"
    sources = [f.source for f in cycle.figures.all()]
    assert all("geen CBS" in s or s in (marked, twin) for s in sources), sources
    assert sum(s in (marked, twin) for s in sources) == 8
    assert all("Veilig Thuis-regio" in f.label for f in cycle.figures.filter(source=twin))
    assert cycle.figures.filter(source=twin).count() == 4  # the region's 2023 and 2024 H1
    # The open action of 2025 was carried forward; the finished plan has a substantive result.
    assert cycle.actions.filter(what__startswith="Routekaart").exists()
    assert cycle.results.filter(type="substantive").exists()
    assert StepProgress.objects.filter(cycle=cycle, status="done").count() == 7
    # Every offering answers the evidence question (issue 19, DOMAIN-REVIEW M3): a databank's
    # level names its databank, a role is no intervention, local work is in no databank; so the
    # dashboard no longer asks a role for a level and has nothing open.
    assert {(o.name, o.evidence_level, o.databank) for o in cycle.offerings.all()} == {
        ("Stevig Ouderschap", "eerste_aanwijzingen", "jeugd"),
        (
            "Aandachtsfunctionarissen huiselijk geweld en kindermishandeling in de buurtteams",
            "niet_van_toepassing",
            "",
        ),
        ("Systeemgerichte hulp na huiselijk geweld (MDA++)", "geen_databank", ""),
        ("Nazorg na een melding", "geen_databank", ""),
    }
    assert not cycle.offerings.filter(provider__startswith="Veilig Thuis").exists()  # no help
    assert cycle.offerings.filter(valid_until__isnull=False).count() == 0  # no source states it
    missing = services.missing_items(cycle)
    assert sum(len(items) for items in missing.values()) == 0, missing

    call_command("setup_demo", verbosity=0)
    assert Cycle.objects.municipal().filter(municipality__code="GM0344").count() == 2
    cycle.refresh_from_db()
    assert counts == [
        cycle.figures.count(),
        cycle.ambitions.count(),
        cycle.results.count(),
        cycle.target_groups.count(),
        cycle.offerings.count(),
        cycle.quality_checks.count(),
        cycle.outcomes.count(),
        cycle.actions.count(),
    ]

    client.login(username="bob", password="kompas-demo")
    body = client.get(f"/jaarcycli/{cycle.pk}/ambities/").content.decode()
    assert "Ieder kind in Utrecht groeit veilig op" in body
