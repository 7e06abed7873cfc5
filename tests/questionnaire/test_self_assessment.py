"""The self-assessment: drafts, submit, reopen, permissions, bad input, concurrency, results."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compass.models import Answer, SelfAssessment
from questionnaire import scoring
from questionnaire.assessment import (
    AssessmentError,
    answers_of,
    engine_answers,
    load_measure_set,
    result_of,
    start,
)
from questionnaire.assessment import (
    reopen as reopen_assessment,
)
from questionnaire.assessment import (
    submit as submit_assessment,
)
from tests.questionnaire.assessment_helpers import (
    ASPECTS,
    form_data,
    make_cycle,
    make_measure_set,
)

pytestmark = pytest.mark.django_db

ALL = [(m, a) for m in ("m1", "m2", "m3") for a in ASPECTS]


def url(cycle, suffix=""):
    return f"/jaarcycli/{cycle.pk}/zelfevaluatie/{suffix}"


@pytest.fixture
def measure_set(db):
    return make_measure_set()


@pytest.fixture
def cycle(gemeente_a):
    return make_cycle(gemeente_a)


def text_of(response):
    return re.sub(r"\s+", " ", response.content.decode())


def answered(cycle, values, user):
    """Start the cycle's assessment and store the given answers {(code, aspect): value}."""
    assessment = start(cycle)
    Answer.objects.bulk_create(
        Answer(assessment=assessment, measure_code=m, aspect=a, value=v, updated_by=user)
        for (m, a), v in values.items()
    )
    return assessment


# --- Service ----------------------------------------------------------------------------------


def test_a_new_assessment_uses_the_newest_live_measure_set(cycle):
    make_measure_set(name="Oud", version=1)
    newest = make_measure_set(name="Nieuw", version=2, codes=["n1", "n2", "n3"])
    draft = make_measure_set(name="Concept", version=3, codes=["d1", "d2", "d3"])
    draft.live = False
    draft.save()
    assessment = start(cycle)
    assert (assessment.measure_set, assessment.measure_set_version, assessment.version) == (
        newest,
        2,
        1,
    )
    assert start(cycle) == assessment  # starting again returns the same version


def test_submit_freezes_answers_with_measure_set_and_scoring_versions(cycle, alice, measure_set):
    assessment = answered(cycle, dict.fromkeys(ALL, "3") | {("m1", "reach"): "1"}, alice)
    view = load_measure_set(measure_set)
    assessment = submit_assessment(assessment, view, alice)
    assessment.refresh_from_db()
    assert assessment.status == SelfAssessment.Status.SUBMITTED
    assert assessment.submitted_by == alice and assessment.submitted_at is not None
    snapshot = assessment.snapshot
    assert snapshot["scoring_version"] == scoring.SCORING_VERSION
    assert snapshot["measure_set"]["version"] == "1"
    assert snapshot["answers"]["m1"] == {"what_we_do": 3, "reach": 1, "embedding": 3}
    assert snapshot["labels"]["measures"]["m1"] == "Maatregel m1"
    # The frozen result recomputes identically and equals the stored result.
    assert scoring.recompute(snapshot) == result_of(assessment)


def test_a_submitted_result_stays_when_editors_change_the_measure_set(cycle, alice, measure_set):
    assessment = answered(cycle, dict.fromkeys(ALL, "2"), alice)
    assessment = submit_assessment(assessment, load_measure_set(measure_set), alice)
    before = result_of(assessment)
    measure = measure_set.themes.get(code="t1").measures.get(code="m1")
    measure.weight = 5
    measure.title = "Andere titel"
    measure.save()
    assessment.refresh_from_db()
    assert result_of(assessment) == before
    assert scoring.recompute(assessment.snapshot) == before
    assert assessment.snapshot["labels"]["measures"]["m1"] == "Maatregel m1"


def test_submit_refuses_missing_answers_and_lists_every_one(cycle, alice, measure_set):
    assessment = answered(cycle, {("m1", "reach"): "3"}, alice)
    with pytest.raises(AssessmentError) as info:
        submit_assessment(assessment, load_measure_set(measure_set), alice)
    missing = [p for p in info.value.problems if p.code == "missing_answer"]
    assert len(missing) == 8
    assessment.refresh_from_db()
    assert assessment.status == SelfAssessment.Status.OPEN and assessment.snapshot is None


def test_reopen_creates_the_next_version_and_keeps_the_submitted_one(cycle, alice, measure_set):
    assessment = answered(cycle, dict.fromkeys(ALL, "4"), alice)
    assessment = submit_assessment(assessment, load_measure_set(measure_set), alice)
    snapshot = assessment.snapshot
    new = reopen_assessment(assessment, alice)
    assessment.refresh_from_db()
    assert (new.version, new.status, new.measure_set) == (2, "open", measure_set)
    assert assessment.snapshot == snapshot and assessment.is_submitted
    assert new.answers.count() == 9
    with pytest.raises(AssessmentError):
        reopen_assessment(assessment, alice)  # only the newest submitted version


# --- Views: the permission matrix -------------------------------------------------------------

# who: (GET answer page, POST save, POST submit, POST reopen, GET results)
MATRIX = {
    "alice": (200, 302, 302, 302, 200),
    "dave": (200, 302, 403, 403, 200),
    "bob": (200, 403, 403, 403, 200),
    "pia": (200, 403, 403, 403, 200),
    "carol": (404, 404, 404, 404, 404),
    "bert": (404, 404, 404, 404, 404),
    "quinn": (404, 404, 404, 404, 404),
    "erin": (404, 404, 404, 404, 404),
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_permission_matrix_of_the_self_assessment(who, cast, client_for, cycle, measure_set):
    expected = MATRIX[who]
    client = client_for(cast[who])
    assert client.get(url(cycle)).status_code == expected[0]
    save = form_data(measure_set, default="3")
    assert client.post(url(cycle), save).status_code == expected[1]
    submit = form_data(measure_set, default="3") | {"action": "submit"}
    if expected[1] == 302:  # the save above stored version 1 of each answer
        submit = form_data(measure_set, default="3", versions=dict.fromkeys(ALL, 1))
        for key in [k for k in submit if k.endswith(".orig")]:
            submit[key] = "3"
        submit["action"] = "submit"
    assert client.post(url(cycle), submit).status_code == expected[2]
    if expected[2] != 302 and SelfAssessment.objects.filter(cycle=cycle).exists():
        # Let the coordinator submit, so reopen and results have something to act on.
        alice = client_for(cast["alice"])
        assert alice.post(url(cycle), submit).status_code == 302
    assert client.post(url(cycle, "heropenen/")).status_code == expected[3]
    assert client.get(url(cycle, "uitslag/")).status_code == expected[4]


def test_anonymous_is_sent_to_the_login_page(client, cycle, measure_set):
    for path in (url(cycle), url(cycle, "uitslag/"), url(cycle, "versies/1/")):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(url(cycle), form_data(measure_set, default="3")).status_code == 302
    assert not SelfAssessment.objects.exists()


def test_a_reader_sees_answers_read_only(client_for, bob, alice, cycle, measure_set):
    answered(cycle, {("m1", "reach"): "2"}, alice)
    page = text_of(client_for(bob).get(url(cycle)))
    assert 'type="radio"' not in page and "Opslaan" not in page
    assert "2 geteld: minder dan de helft van de doelgroep" in page  # the reach wording


def test_an_editor_saves_but_cannot_submit(client_for, dave, cycle, measure_set):
    page = text_of(client_for(dave).get(url(cycle)))
    assert "Opslaan" in page and "Indienen" not in page


def test_start_page_links_each_cycle_to_its_self_assessment(client_for, alice, cycle):
    page = client_for(alice).get("/gemeenten/").content.decode()
    assert f'href="/jaarcycli/{cycle.pk}/zelfevaluatie/"' in page


# --- Views: answering -------------------------------------------------------------------------


def test_saving_a_partial_draft_keeps_it_without_errors(client_for, dave, cycle, measure_set):
    client = client_for(dave)
    data = form_data(
        measure_set,
        values={("m1", "reach"): "2", ("m2", "embedding"): "not_applicable"},
        notes={("m1", "reach"): "Alleen in de wijk Overvecht."},
    )
    response = client.post(url(cycle), data)
    assert response.status_code == 302
    answers = {(a.measure_code, a.aspect): a for a in Answer.objects.all()}
    assert set(answers) == {("m1", "reach"), ("m2", "embedding")}
    assert answers[("m1", "reach")].note == "Alleen in de wijk Overvecht."
    assert answers[("m1", "reach")].updated_by == dave
    page = text_of(client.get(url(cycle)))
    assert "Uw antwoorden zijn opgeslagen." in page
    assert "2 van 9 vragen beantwoord" in page
    assert "2 van 6 vragen beantwoord" in page  # theme 1


def test_answer_page_uses_fieldsets_with_legends_and_labelled_progress(
    client_for, dave, cycle, measure_set
):
    page = client_for(dave).get(url(cycle)).content.decode()
    assert page.count("<fieldset") == 3 + 9
    assert 'id="q-m1-reach"' in page
    assert '<label for="progress-all">' in page and '<progress id="progress-all"' in page
    assert "niet van toepassing" in page and "weet niet" in page and "in voorbereiding" in page


def test_submit_with_missing_answers_lists_each_and_keeps_the_draft(
    client_for, alice, cycle, measure_set
):
    data = form_data(measure_set, values={("m1", "reach"): "4"}) | {"action": "submit"}
    response = client_for(alice).post(url(cycle), data)
    assert response.status_code == 400
    page = text_of(response)
    assert 'href="#q-m1-what_we_do"' in page
    assert "Beantwoord wat doen we bij maatregel m1." in page
    assert page.count("Beantwoord ") >= 8
    assert Answer.objects.get().value == "4"
    assert not SelfAssessment.objects.filter(status="submitted").exists()


def test_submit_shows_results_with_scores_and_suggestions(client_for, alice, cycle, measure_set):
    client = client_for(alice)
    values = dict.fromkeys(ALL, "3") | {
        ("m1", "reach"): "0",
        ("m3", "what_we_do"): "dont_know",
        ("m3", "reach"): "1",
        ("m3", "embedding"): "0",
    }
    data = form_data(measure_set, values=values) | {"action": "submit"}
    response = client.post(url(cycle), data)
    assert response.status_code == 302 and response["Location"].endswith("/uitslag/")
    assessment = SelfAssessment.objects.get()
    spec = load_measure_set(measure_set).spec
    expected = scoring.score_assessment(
        spec, engine_answers(answers_of(assessment)), scoring.Thresholds(40, 70)
    )
    page = text_of(client.get(url(cycle, "uitslag/")))
    assert f"{expected.overall:.0f}%" in page
    assert "Totale realisatie" in page
    assert "Vergroot het bereik van m1." in page and "Begin met m3." in page
    assert 'href="https://www.nji.nl/"' in page and "Dossier m1" in page
    assert 'class="band band--low">laag' in page  # colour class and words
    assert 'role="img"' in page and '<title id="chart-svg-title">' in page
    assert "<caption" in page and 'scope="row"' in page
    assert "1 antwoord was ‘weet niet’" in page
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert not re.search(r'="[\d.]*,[\d.]*"', svg)  # no Dutch decimal commas in coordinates
    assert re.search(r'class="bar-chart__bar band-fill--\w+"', svg)
    assert re.search(r'width="\d+\.\d"', svg)  # a fractional bar width, written with a point


# --- Bad input --------------------------------------------------------------------------------


def test_an_answer_outside_the_scale_is_refused_and_nothing_stored(
    client_for, dave, cycle, measure_set
):
    data = form_data(measure_set, values={("m1", "reach"): "7", ("m2", "reach"): "3"})
    response = client_for(dave).post(url(cycle), data)
    assert response.status_code == 400
    assert "Kies bij bereik van maatregel m1 een antwoord van 0 tot en met 4" in text_of(response)
    assert not Answer.objects.exists()


def test_a_measure_of_another_version_is_refused_and_nothing_stored(
    client_for, dave, cycle, measure_set
):
    data = form_data(measure_set, values={("m1", "reach"): "3"}) | {"x9.reach.value": "2"}
    response = client_for(dave).post(url(cycle), data)
    assert response.status_code == 400
    assert "Maatregel x9 hoort niet bij versie 1 van de vragenset." in text_of(response)
    assert not Answer.objects.exists()


def test_an_unknown_aspect_is_refused_and_nothing_stored(client_for, dave, cycle, measure_set):
    data = form_data(measure_set, values={("m1", "reach"): "3"}) | {"m1.budget.value": "2"}
    response = client_for(dave).post(url(cycle), data)
    assert response.status_code == 400
    assert "Maatregel m1 heeft geen aspect budget." in text_of(response)
    assert not Answer.objects.exists()


def test_a_form_of_another_measure_set_version_is_refused(client_for, dave, cycle, measure_set):
    data = form_data(measure_set, values={("m1", "reach"): "3"}, token=f"{measure_set.pk}:99")
    response = client_for(dave).post(url(cycle), data)
    assert response.status_code == 400
    assert "horen bij een andere versie van de vragenset" in text_of(response)
    assert not Answer.objects.exists()


@pytest.mark.parametrize("forged", ["999999", "0", "-1", "abc", "99999999999999999999"])
def test_a_forged_cycle_id_is_not_found(client_for, alice, measure_set, forged):
    client = client_for(alice)
    assert client.get(f"/jaarcycli/{forged}/zelfevaluatie/").status_code == 404
    response = client.post(
        f"/jaarcycli/{forged}/zelfevaluatie/", form_data(measure_set, default="3")
    )
    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_saving_a_submitted_assessment_is_refused(client_for, alice, cycle, measure_set):
    assessment = answered(cycle, dict.fromkeys(ALL, "3"), alice)
    assessment = submit_assessment(assessment, load_measure_set(measure_set), alice)
    response = client_for(alice).post(url(cycle), form_data(measure_set, default="1"))
    assert response.status_code == 400
    assert "Deze zelfevaluatie is ingediend" in text_of(response)
    assert set(Answer.objects.values_list("value", flat=True)) == {"3"}


def test_an_unknown_version_of_the_results_is_not_found(client_for, alice, cycle, measure_set):
    assessment = answered(cycle, dict.fromkeys(ALL, "3"), alice)
    client = client_for(alice)
    assert client.get(url(cycle, "versies/1/")).status_code == 404  # not submitted yet
    assessment = submit_assessment(assessment, load_measure_set(measure_set), alice)
    assert client.get(url(cycle, "versies/1/")).status_code == 200
    assert client.get(url(cycle, "versies/2/")).status_code == 404


# --- Two people at once -----------------------------------------------------------------------


def test_the_later_save_of_the_same_answer_is_refused_and_the_input_kept(
    client_for, alice, dave, cycle, measure_set
):
    first, second = client_for(alice), client_for(dave)
    # Both opened the empty form (version 0); alice saves first.
    assert (
        first.post(url(cycle), form_data(measure_set, values={("m1", "reach"): "4"})).status_code
        == 302
    )
    response = second.post(
        url(cycle),
        form_data(
            measure_set,
            values={("m1", "reach"): "1", ("m2", "reach"): "2"},
            notes={("m1", "reach"): "Mijn toelichting"},
        ),
    )
    assert response.status_code == 409
    page = text_of(response)
    assert (
        "is intussen door iemand anders gewijzigd (nu: 4 geteld: (bijna) de hele doelgroep)" in page
    )
    assert 'href="#q-m1-reach"' in page
    assert "Mijn toelichting" in page  # the input is kept
    assert re.search(r'name="m1\.reach\.value" value="1" id="[^"]+" checked', page)
    answer = Answer.objects.get(measure_code="m1", aspect="reach")
    assert (answer.value, answer.updated_by) == ("4", alice)
    # The other, untouched answer of the same save went through.
    assert Answer.objects.get(measure_code="m2", aspect="reach").value == "2"
    # Saving again from the re-rendered form (now at version 1) replaces it deliberately.
    again = form_data(measure_set, values={("m1", "reach"): "1", ("m2", "reach"): "2"})
    again["m1.reach.version"], again["m1.reach.orig"] = 1, "4"
    again["m2.reach.version"], again["m2.reach.orig"] = 1, "2"
    assert second.post(url(cycle), again).status_code == 302
    assert Answer.objects.get(measure_code="m1", aspect="reach").value == "1"


def test_a_colleagues_answer_is_not_overwritten_by_an_untouched_field(
    client_for, alice, dave, cycle, measure_set
):
    client_for(alice).post(url(cycle), form_data(measure_set, values={("m1", "reach"): "4"}))
    # dave's form was rendered before: m1 reach empty and untouched, he answers m2.
    response = client_for(dave).post(
        url(cycle), form_data(measure_set, values={("m2", "reach"): "2"})
    )
    assert response.status_code == 302
    assert Answer.objects.get(measure_code="m1", aspect="reach").value == "4"


# --- Reopen and versions ----------------------------------------------------------------------


def test_reopen_via_the_page_keeps_the_old_version_viewable(client_for, alice, cycle, measure_set):
    assessment = answered(cycle, dict.fromkeys(ALL, "2"), alice)
    assessment = submit_assessment(assessment, load_measure_set(measure_set), alice)
    client = client_for(alice)
    response = client.post(url(cycle, "heropenen/"), follow=True)
    assert "Versie 2 is geopend met de antwoorden van versie 1" in text_of(response)
    data = form_data(measure_set, default="4", versions=dict.fromkeys(ALL, 1))
    for key in [k for k in data if k.endswith(".orig")]:
        data[key] = "2"
    data["action"] = "submit"
    assert client.post(url(cycle), data).status_code == 302
    latest = text_of(client.get(url(cycle, "uitslag/")))
    assert "100%" in latest and "Versie 2, ingediend op" in latest
    old = text_of(client.get(url(cycle, "versies/1/")))
    assert "50%" in old and "Versie 1, ingediend op" in old
    assert f'href="/jaarcycli/{cycle.pk}/zelfevaluatie/versies/1/"' in latest


# --- Comparison across cycles and measure-set versions ----------------------------------------


def test_results_compare_with_the_previous_cycle_by_measure_code(client_for, alice, gemeente_a):
    old_set = make_measure_set(name="Set", version=1, codes=["m1", "m2", "gone"])
    cycle_2025 = make_cycle(gemeente_a, 2025)
    old = answered(cycle_2025, {(m, a): "1" for m in ("m1", "m2", "gone") for a in ASPECTS}, alice)
    submit_assessment(old, load_measure_set(old_set), alice)
    new_set = make_measure_set(name="Set", version=2, codes=["m1", "m2", "new"])
    cycle_2026 = make_cycle(gemeente_a, 2026, previous=cycle_2025)
    new = answered(cycle_2026, {(m, a): "3" for m in ("m1", "m2", "new") for a in ASPECTS}, alice)
    assert new.measure_set == new_set
    submit_assessment(new, load_measure_set(new_set), alice)
    page = text_of(client_for(alice).get(url(cycle_2026, "uitslag/")))
    assert "Vergeleken met de ingediende zelfevaluatie van 2025 (versie 1)" in page
    assert "Die gebruikte versie 1 van de vragenset" in page
    assert "+50" in page  # 25% -> 75% for the carried-over measures
    assert "Nieuw in deze versie van de vragenset: new Maatregel new" in page
    assert "Niet meer in de vragenset: gone Maatregel gone" in page


# --- Query counts -----------------------------------------------------------------------------


def count_queries(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context.captured_queries)


def submitted_cycle(municipality, year, measure_set, user):
    cycle = make_cycle(municipality, year)
    codes = list(load_measure_set(measure_set).measures)
    assessment = answered(cycle, {(m, a): "2" for m in codes for a in ASPECTS}, user)
    assessment = submit_assessment(assessment, load_measure_set(measure_set), user)
    return cycle


def test_answer_and_results_pages_use_queries_constant_in_the_measures(
    client_for, alice, gemeente_a, django_assert_max_num_queries
):
    client = client_for(alice)
    small_set = make_measure_set((1, 1), name="Klein")
    small = submitted_cycle(gemeente_a, 2024, small_set, alice)
    small_counts = (
        count_queries(client, url(small)),
        count_queries(client, url(small, "uitslag/")),
    )
    big_set = make_measure_set(
        (10, 10, 5), name="Groot", version=2, codes=[f"g{i}" for i in range(25)]
    )
    big = submitted_cycle(gemeente_a, 2026, big_set, alice)
    big_counts = (count_queries(client, url(big)), count_queries(client, url(big, "uitslag/")))
    assert small_counts == big_counts
    with django_assert_max_num_queries(13):  # measured: 11
        client.get(url(big))
    # measured: 10 (7, and three to know whether the reader takes part in the practice exchange)
    with django_assert_max_num_queries(11):
        client.get(url(big, "uitslag/"))


def test_a_partner_reads_the_results_without_who_submitted(
    client_for, pia, regio_utrecht, alice, cycle, measure_set
):
    assessment = answered(cycle, dict.fromkeys(ALL, "3"), alice)
    submit_assessment(assessment, load_measure_set(measure_set), alice)
    partner = text_of(client_for(pia).get(url(cycle, "uitslag/")))
    assert "Versie 1, ingediend op" in partner and "Alice" not in partner
    own = text_of(client_for(alice).get(url(cycle, "uitslag/")))
    assert "door Alice de Vries" in own


# --- Demo -------------------------------------------------------------------------------------


def test_setup_demo_gives_utrecht_submitted_self_assessments_with_suggestions(demo_db, client):
    from django.core.management import call_command

    from compass.models import Cycle

    call_command("setup_demo", verbosity=0)  # idempotent
    cycle = Cycle.objects.municipal().get(municipality__code="GM0344", year=2026)
    assert cycle.previous.year == 2025
    assert SelfAssessment.objects.filter(cycle__municipality__code="GM0344").count() == 2
    assessment = cycle.self_assessments.get()
    assert assessment.is_submitted and assessment.version == 1
    values = set(assessment.answers.values_list("value", flat=True))
    assert {"dont_know", "not_applicable", "0", "4"} <= values
    assert scoring.recompute(assessment.snapshot) == result_of(assessment)
    assert len(result_of(assessment).suggestions) == scoring.DEFAULT_TOP
    assert client.login(username="alice", password="kompas-demo")
    page = text_of(client.get(url(cycle, "uitslag/")))
    assert "Verbetersuggesties" in page and "Mogelijke winst" in page
    # Every gain is a number as a Dutch reader writes it (a pre-formatted "8,3" through a
    # template's floatformat came out empty).
    gains = re.findall(r"Mogelijke winst: (\S*) procentpunten", page)
    assert len(gains) == scoring.DEFAULT_TOP
    assert all(re.fullmatch(r"\d+(,\d)?", gain) for gain in gains), gains
    assert "Vergeleken met de ingediende zelfevaluatie van 2025 (versie 1)" in page


# --- Saving one answer at a time (the enhancing script) ---------------------------------------


def one_answer(measure_set, key, value, version=0, orig="", note=""):
    return {
        "measure_set": f"{measure_set.pk}:{measure_set.version}",
        "action": "save",
        f"{key}.value": value,
        f"{key}.note": note,
        f"{key}.version": version,
        f"{key}.orig": orig,
        f"{key}.orignote": "",
    }


def test_one_answer_saved_by_script_returns_its_stored_version(
    client_for, dave, cycle, measure_set
):
    client = client_for(dave)
    json = {"HTTP_ACCEPT": "application/json"}
    response = client.post(url(cycle), one_answer(measure_set, "m2.reach", "3"), **json)
    assert response.status_code == 200
    assert response.json() == {
        "saved": 1,
        "answers": {"m2.reach": {"version": 1, "value": "3", "note": ""}},
        "conflicts": {},
    }
    again = one_answer(measure_set, "m2.reach", "4", version=1, orig="3", note="Gestart")
    assert client.post(url(cycle), again, **json).json()["answers"]["m2.reach"]["version"] == 2
    assert list(Answer.objects.values_list("measure_code", "value", "note")) == [
        ("m2", "4", "Gestart")
    ]


def test_a_script_save_of_a_changed_answer_is_refused_with_the_current_version(
    client_for, alice, dave, cycle, measure_set
):
    json = {"HTTP_ACCEPT": "application/json"}
    client_for(alice).post(url(cycle), one_answer(measure_set, "m1.reach", "4"), **json)
    response = client_for(dave).post(url(cycle), one_answer(measure_set, "m1.reach", "1"), **json)
    assert response.status_code == 409
    body = response.json()
    assert body["saved"] == 0
    assert body["answers"]["m1.reach"] == {"version": 1, "value": "4", "note": ""}
    assert (
        "is intussen door iemand anders gewijzigd (nu: 4 geteld: (bijna) de hele doelgroep)"
        in body["conflicts"]["m1.reach"]
    )
    assert Answer.objects.get().value == "4"


def test_a_script_save_outside_the_scale_is_refused_in_dutch(client_for, dave, cycle, measure_set):
    response = client_for(dave).post(
        url(cycle), one_answer(measure_set, "m1.reach", "9"), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert "Kies bij bereik van maatregel m1" in response.json()["errors"][0]
    assert not Answer.objects.exists()


def test_a_full_save_racing_the_script_with_the_same_answer_is_no_conflict(
    client_for, dave, cycle, measure_set
):
    client = client_for(dave)
    client.post(
        url(cycle), one_answer(measure_set, "m1.reach", "4"), HTTP_ACCEPT="application/json"
    )
    # The form was submitted with the hidden fields from before the script's save.
    response = client.post(url(cycle), form_data(measure_set, values={("m1", "reach"): "4"}))
    assert response.status_code == 302
    assert Answer.objects.get().version == 1
