"""The demo's generated benchmark peers: marked, deterministic, spread out, created once."""

import pytest
from django.core.management import call_command

from compass.models import Region, SelfAssessment
from questionnaire.benchmarking import GENERATED_KEY

pytestmark = pytest.mark.django_db


def test_setup_demo_creates_marked_benchmark_peers_once_and_the_page_shows_them(demo_db, client):
    generated = SelfAssessment.objects.filter(**{f"snapshot__{GENERATED_KEY}": True})
    first = sorted(generated.values_list("cycle__municipality__code", "cycle__year", "snapshot"))
    municipalities = {code for code, _year, _snapshot in first}
    assert 60 <= len(municipalities) <= 120
    assert {year for _code, year, _snapshot in first} == {2025, 2026}
    assert "GM0344" not in municipalities and "GM0307" not in municipalities
    # Most of Veilig Thuis Utrecht, and several size classes.
    vt20 = set(Region.objects.get(code="VT20").municipalities.values_list("code", flat=True))
    assert len(municipalities & vt20) >= (len(vt20) - 2) * 0.8
    size_classes = set(
        generated.values_list("cycle__municipality__size_class", flat=True).distinct()
    )
    assert len(size_classes) >= 5
    # Utrecht's own demo submission is real (not marked).
    own = SelfAssessment.objects.get(cycle__municipality__code="GM0344", cycle__year=2026)
    assert GENERATED_KEY not in own.snapshot

    call_command("setup_demo", verbosity=0)  # idempotent and deterministic
    again = sorted(generated.values_list("cycle__municipality__code", "cycle__year", "snapshot"))
    assert again == first

    client.login(username="alice", password="kompas-demo")
    response = client.get(f"/jaarcycli/{own.cycle_id}/vergelijking/")
    page = response.content.decode()
    assert "Deze vergelijking bevat gegenereerde demogegevens." in page
    assert "n&nbsp;=&nbsp;" in page
