"""Issue 14.2: stored script through the JSON import, performed through HTTP.

carol (coordinator of Amersfoort) exports her cycle, crafts the frozen self-assessment result
in the file so that it still agrees with itself (javascript: links in the improvement
suggestions, hostile theme and measure titles), and imports it. pia (partner of Amersfoort
through a closed agreement) then opens Amersfoort's results: no link other than http(s) or a
path of this site, and none of the crafted titles, may reach her page.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from compass.models import Cycle, SelfAssessment
from questionnaire import scoring
from tests.exports.cycle_builders import rich_cycle

pytestmark = pytest.mark.django_db

SCRIPT = "javascript:fetch('/accounts/password/change/')//"
TITLE = "Thema-VERVALST-9911"
MEASURE = "Maatregel-VERVALST-4471"


def _craft(snapshot):
    """Put the attack into the snapshot so that it still agrees with itself.

    The links are copied unchanged from the measure set into the ranked suggestions, so the
    same change in both places is what a recomputation (of the unfixed engine) gives.
    """
    assert scoring.recompute(snapshot).to_dict() == snapshot["result"]
    crafted = [f"Klik hier\n{SCRIPT}", "Ook\n  JaVaScRiPt:alert(1)"]
    for suggestion in snapshot["measure_set"]["suggestions"] + snapshot["result"]["suggestions"]:
        suggestion["links"] = crafted
    snapshot["labels"]["themes"] = dict.fromkeys(snapshot["labels"]["themes"], TITLE)
    snapshot["labels"]["measures"] = dict.fromkeys(snapshot["labels"]["measures"], MEASURE)
    return snapshot


def _crafted_export(client, cycle):
    data = json.loads(client.get(f"/jaarcycli/{cycle.pk}/downloads/jaarcyclus.json").content)
    for version in data["cycle"]["self_assessments"]:
        if version.get("snapshot"):
            version["snapshot"] = _craft(version["snapshot"])
    return json.dumps(data).encode()


def _import(client, code, content, year):
    return client.post(
        f"/gemeenten/{code}/jaarcyclus/importeren/",
        {"year": year, "file": SimpleUploadedFile("export.json", content)},
    )


@pytest.fixture
def attack(carol, pia, gemeente_b, closed_agreement_b, client_for):
    source = rich_cycle(gemeente_b, user=carol)
    client = client_for(carol)
    content = _crafted_export(client, source)
    assert SCRIPT in content.decode()
    response = _import(client, gemeente_b.code, content, 2027)
    return response, gemeente_b


def test_a_crafted_snapshot_never_reaches_a_partner_as_a_script_link(attack, pia, client_for):
    response, gemeente_b = attack
    imported = Cycle.objects.municipal().filter(municipality=gemeente_b, year=2027).first()
    if imported is None:  # refused outright: nothing stored, and that is fine too
        assert response.status_code == 200
        return
    for assessment in SelfAssessment.objects.filter(cycle=imported):
        assert "javascript" not in json.dumps(assessment.snapshot).lower()
        assert TITLE not in json.dumps(assessment.snapshot)
    page = client_for(pia).get(f"/jaarcycli/{imported.pk}/zelfevaluatie/uitslag/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "javascript:" not in html.lower()
    assert TITLE not in html and MEASURE not in html
    assert "Thema 1" in html  # the titles are the server's own


def test_the_import_rebuilds_the_snapshot_from_the_servers_measure_set(attack):
    response, gemeente_b = attack
    assert response.status_code == 302
    imported = Cycle.objects.municipal().get(municipality=gemeente_b, year=2027)
    submitted = SelfAssessment.objects.get(cycle=imported, status="submitted")
    links = [
        link
        for s in submitted.snapshot["measure_set"]["suggestions"]
        + submitted.snapshot["result"]["suggestions"]
        for link in s["links"]
    ]
    assert links and all(link.endswith("\nhttps://www.nji.nl/") for link in links)
    assert submitted.snapshot["labels"]["themes"]["t1"] == "Thema 1"


def test_stored_script_links_of_earlier_imports_are_not_shown(
    carol, pia, gemeente_b, closed_agreement_b, client_for
):
    """A snapshot stored before the fix (straight into the database) shows no script link."""
    cycle = rich_cycle(gemeente_b, user=carol)
    submitted = SelfAssessment.objects.get(cycle=cycle, status="submitted")
    snapshot = _craft(submitted.snapshot)
    SelfAssessment.objects.filter(pk=submitted.pk).update(snapshot=snapshot)
    response = client_for(pia).get(f"/jaarcycli/{cycle.pk}/zelfevaluatie/versies/1/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "javascript:" not in html.lower()
    assert "Begin met m" in html  # the suggestions themselves are still shown


def test_members_read_the_results_of_an_imported_cycle(alice, client_for, gemeente_a):
    """Issue 13.2: every imported cycle's results page answered 500 for members."""
    source = rich_cycle(gemeente_a, user=alice)
    client = client_for(alice)
    content = client.get(f"/jaarcycli/{source.pk}/downloads/jaarcyclus.json").content
    assert _import(client, gemeente_a.code, content, 2027).status_code == 302
    imported = Cycle.objects.municipal().get(municipality=gemeente_a, year=2027)
    for path in ("zelfevaluatie/uitslag/", "zelfevaluatie/versies/1/", "zelfevaluatie/"):
        response = client.get(f"/jaarcycli/{imported.pk}/{path}")
        assert response.status_code == 200, path
    assert client.get(f"/jaarcycli/{imported.pk}/rapport/").status_code == 200
