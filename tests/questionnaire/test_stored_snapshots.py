"""Issue 13.2: an unreadable or old stored snapshot is a Dutch message on the page, never a 500.

One reader (questionnaire.assessment.read_result) serves the results page, its versions, the
comparison with last year, the council report and the downloads.
"""

import pytest
from django.utils import timezone

from compass.models import SelfAssessment
from questionnaire.assessment import load_measure_set, read_result, start, submit
from tests.questionnaire.assessment_helpers import make_cycle, make_measure_set

pytestmark = pytest.mark.django_db

MESSAGE = "De opgeslagen uitslag van deze versie kan niet worden gelezen"
OLD_SHAPE = {  # what the demo's generated peers stored before: no scoring_version, no bands
    "measure_set": {"themes": [{"code": "t1"}], "measures": [{"code": "m1", "theme": "t1"}]},
    "result": {
        "overall": 50.0,
        "themes": [{"code": "t1", "realisation": 50.0}],
        "measures": [{"code": "m1", "theme": "t1", "realisation": 50.0}],
    },
    "labels": {"name": "Testset", "themes": {"t1": "Thema 1"}, "measures": {}},
}
DAMAGED = [
    OLD_SHAPE,
    {},
    {"result": []},
    {"result": "kapot"},
    ["niet", "een", "object"],
]


def _submitted(cycle, measure_set, snapshot, version=1):
    return SelfAssessment.objects.create(
        cycle=cycle,
        version=version,
        measure_set=measure_set,
        measure_set_version=measure_set.version,
        status=SelfAssessment.Status.SUBMITTED,
        submitted_at=timezone.now(),
        snapshot=snapshot,
    )


@pytest.mark.parametrize("snapshot", DAMAGED)
def test_unreadable_snapshots_give_a_message_not_a_500(snapshot, alice, client_for, gemeente_a):
    measure_set = make_measure_set()
    cycle = make_cycle(gemeente_a, 2026)
    _submitted(cycle, measure_set, snapshot)
    client = client_for(alice)
    for path in (
        f"/jaarcycli/{cycle.pk}/zelfevaluatie/uitslag/",
        f"/jaarcycli/{cycle.pk}/zelfevaluatie/versies/1/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert MESSAGE in response.content.decode()
    assert client.get(f"/jaarcycli/{cycle.pk}/rapport/").status_code == 200
    assert (
        client.get(f"/jaarcycli/{cycle.pk}/downloads/zelfevaluatie-scores.csv").status_code == 200
    )


def test_a_result_with_values_outside_the_scale_is_unreadable(alice, gemeente_a):
    measure_set = make_measure_set()
    cycle = make_cycle(gemeente_a, 2026)
    assessment = start(cycle, measure_set)
    for code in ("m1", "m2", "m3"):
        for aspect in ("what_we_do", "reach", "embedding"):
            assessment.answers.create(measure_code=code, aspect=aspect, value="2")
    view = load_measure_set(measure_set)
    assessment = submit(assessment, view, alice)
    assert read_result(assessment).readable
    assessment.snapshot["result"]["overall"] = "50%"
    assert not read_result(assessment).readable
    assessment.snapshot["result"]["overall"] = 250.0
    assert not read_result(assessment).readable


def test_last_years_unreadable_result_is_not_compared(alice, client_for, gemeente_a):
    measure_set = make_measure_set()
    last = make_cycle(gemeente_a, 2025)
    _submitted(last, measure_set, OLD_SHAPE)
    cycle = make_cycle(gemeente_a, 2026, previous=last)
    assessment = start(cycle, measure_set)
    for code in ("m1", "m2", "m3"):
        for aspect in ("what_we_do", "reach", "embedding"):
            assessment.answers.create(measure_code=code, aspect=aspect, value="3")
    submit(assessment, load_measure_set(measure_set), alice)
    response = client_for(alice).get(f"/jaarcycli/{cycle.pk}/zelfevaluatie/uitslag/")
    assert response.status_code == 200
    assert "De opgeslagen uitslag van 2025 (versie 1) kan niet worden gelezen" in (
        response.content.decode()
    )


def test_the_demos_generated_peers_are_scored_from_their_stored_answers(
    admin_user, client_for, gemeente_p
):
    """Issue 13.2: the demo peers' snapshots lacked scoring_version (500) and had no answers."""
    from questionnaire import demo, scoring
    from questionnaire.benchmarking import GENERATED_KEY
    from tests.factories import MunicipalityFactory

    make_measure_set()
    for i in range(8):
        MunicipalityFactory(code=f"GM{7000 + i:04d}", name=f"Peer {i}")
    assert demo.setup_benchmark_peers() > 0
    generated = SelfAssessment.objects.filter(**{f"snapshot__{GENERATED_KEY}": True})
    assert generated.exists()
    for assessment in generated:
        stored = read_result(assessment)
        assert stored.readable
        assert scoring.recompute(assessment.snapshot) == stored.result
        assert assessment.answers.count() == 9
        snapshot_answers = assessment.snapshot["answers"]
        for answer in assessment.answers.all():
            if answer.value:
                value = int(answer.value) if answer.value.isdigit() else answer.value
                assert snapshot_answers[answer.measure_code][answer.aspect] == value
    peer = generated.first()
    client = client_for(admin_user)
    for path in ("zelfevaluatie/uitslag/", "zelfevaluatie/versies/1/"):
        response = client.get(f"/jaarcycli/{peer.cycle_id}/{path}")
        assert response.status_code == 200
        assert MESSAGE not in response.content.decode()
    answers_page = client.get(f"/jaarcycli/{peer.cycle_id}/zelfevaluatie/").content.decode()
    assert "0 van 9" not in answers_page
