"""A closed cycle is read-only: every write endpoint refuses it and stores nothing (issue 13.3).

The write endpoints are enumerated from the URLconf: every named URL of our apps is either a
write endpoint with an entry in WRITES (tried against a closed cycle), a read-only endpoint in
READS (which must answer 405 to a POST), or an endpoint that does not write into a cycle, in
NOT_CYCLE_WRITES with the reason. A new URL without an entry fails
`test_every_url_of_our_apps_is_classified`.
"""

import io

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

from compass.models import Cycle, SelfAssessment, Step
from exports import portable
from questionnaire import assessment as self_assessment
from questionnaire import steps
from tests.exports.cycle_builders import rich_cycle
from tests.questionnaire.assessment_helpers import form_data
from tests.questionnaire.cycle_helpers import post_data
from tests.url_routes import fill

pytestmark = pytest.mark.django_db

CLOSED_TEXT = "Deze jaarcyclus is afgesloten"


def _step_posts(cycle):
    posts = []
    for step in steps.STEPS:
        new_rows = {part.prefix: [{}] for part in steps.step_def(step).parts if not part.single}
        for action in ("save", "next", "draft", "previous", "dashboard", "autosave"):
            posts.append((f"/jaarcycli/{cycle.pk}/{step}/", post_data(cycle, step, action=action)))
        posts.append(
            (
                f"/jaarcycli/{cycle.pk}/{step}/",
                post_data(cycle, step, rows=new_rows, action="draft") | {"add": "x"},
            )
        )
        posts.append(
            (
                f"/jaarcycli/{cycle.pk}/{step}/",
                post_data(cycle, step, action="draft") | {"goto": "overview"},
            )
        )
    return posts


def _answers(cycle, action):
    assessment = self_assessment.latest(cycle)
    data = form_data(assessment.measure_set, default="3")
    data["action"] = action
    return [(f"/jaarcycli/{cycle.pk}/zelfevaluatie/", data)]


def _district(cycle, user):
    from compass.models import District

    District.objects.create(municipality=cycle.municipality, code="WK034401", name="Wijk 01 West")


def _csv_upload(cycle):
    content = b"indicator;periode;waarde;bron;voorlopig\n;2025;12,5;Eigen registratie;nee\n"
    upload = io.BytesIO(content)
    upload.name = "cijfers.csv"
    return [(f"/jaarcycli/{cycle.pk}/situatie/cijfers/uploaden/", {"file": upload})]


def _import(cycle):
    data = portable.dumps(portable.export_cycle(cycle))
    upload = io.BytesIO(data if isinstance(data, bytes) else data.encode())
    upload.name = "jaarcyclus.json"
    return [
        (
            f"/gemeenten/{cycle.municipality.code}/jaarcyclus/importeren/",
            {"file": upload, "year": cycle.year},
        )
    ]


def _submit_latest(cycle, user):
    assessment = self_assessment.latest(cycle)
    if not assessment.is_submitted:
        for answer in assessment.answers.filter(value=""):
            answer.value = "2"
            answer.save()
        view = self_assessment.load_measure_set(assessment.measure_set)
        self_assessment.submit(assessment, view, user)


# name -> (posts for a closed cycle, preparation before closing, the refusal's status)
WRITES = {
    "questionnaire:cycle_step": (_step_posts, None, 403),
    "questionnaire:situation_take_over": (
        lambda c: [(f"/jaarcycli/{c.pk}/situatie/cijfers/overnemen/", {"observation": ["1"]})],
        None,
        403,
    ),
    "questionnaire:situation_upload": (_csv_upload, None, 403),
    "questionnaire:purchasing_action": (
        lambda c: [(f"/jaarcycli/{c.pk}/inkoopcheck/actie/", {"help_kind": "schuldhulp"})],
        None,
        403,
    ),
    "questionnaire:purchasing_take_over": (
        lambda c: (
            [
                (f"/jaarcycli/{c.pk}/inkoopcheck/overnemen/", {"figure": str(f.pk)})
                for f in c.figures.all()[:1]
            ]
            or [(f"/jaarcycli/{c.pk}/inkoopcheck/overnemen/", {"figure": "1"})]
        ),
        None,
        403,
    ),
    "questionnaire:self_assessment": (
        lambda c: _answers(c, "save") + _answers(c, "submit"),
        None,
        403,
    ),
    "questionnaire:self_assessment_reopen": (
        lambda c: [(f"/jaarcycli/{c.pk}/zelfevaluatie/heropenen/", {})],
        _submit_latest,
        403,
    ),
    # A cycle for the closed cycle's year cannot be started or imported (it exists).
    "questionnaire:cycle_start": (
        lambda c: [(f"/gemeenten/{c.municipality.code}/jaarcyclus/nieuw/", {"year": c.year})],
        None,
        200,
    ),
    "exports:import": (_import, None, 200),
    # A district cycle is not started beside a closed municipal cycle (it would share it).
    "questionnaire:district_cycle_start": (
        lambda c: [(f"/gemeenten/{c.municipality.code}/wijken/WK034401/jaarcyclus/nieuw/", {})],
        _district,
        403,
    ),
}
READS = {
    "questionnaire:start",
    "questionnaire:districts",
    "questionnaire:figures",
    "questionnaire:figure_detail",
    "questionnaire:cycle_help",
    "questionnaire:situation_csv_template",
    "questionnaire:cycle",
    "questionnaire:cycle_history",
    "questionnaire:purchasing",
    "questionnaire:district_rollup",
    "questionnaire:benchmark",
    "questionnaire:self_assessment_results",
    "questionnaire:self_assessment_version",
    "exports:downloads",
    "exports:xlsx",
    "exports:json",
    "exports:csv",
    "exports:report",
    "exports:report_pdf",
    "exports:report_pdf_status",
}
NOT_CYCLE_WRITES = {
    "questionnaire:team": "the municipality's team, not a cycle",
    "questionnaire:team_add": "the municipality's team, not a cycle",
    "questionnaire:team_role": "the municipality's team, not a cycle",
    "questionnaire:team_remove": "the municipality's team, not a cycle",
    "questionnaire:team_district": "the municipality's team (a member's district), not a cycle",
    "questionnaire:invitation": "accepting an invitation to a team",
    "questionnaire:agreements": "sharing agreements between municipalities",
    "questionnaire:agreement_join": "sharing agreements between municipalities",
    "questionnaire:agreement_leave": "sharing agreements between municipalities",
    "questionnaire:agreement_accept": "sharing agreements between municipalities",
    "questionnaire:agreement_refuse": "sharing agreements between municipalities",
    "questionnaire:agreement_withdraw": "sharing agreements between municipalities",
    "questionnaire:team_withdraw": "the municipality's team, not a cycle",
    "questionnaire:districts_upload": "the municipality's districts, not a cycle",
    "questionnaire:district_add": "the municipality's districts, not a cycle",
    "questionnaire:district_rename": "the municipality's districts, not a cycle",
    "questionnaire:district_remove": "the municipality's districts, not a cycle",
    "questionnaire:account": "the user's own account, not a cycle",
    "questionnaire:account_email": "the user's own account, not a cycle",
    "questionnaire:moved_cycle_url": "a permanent redirect to /jaarcycli/; the target decides",
    "questionnaire:exchange": "the practice exchange (threads and posts), not a cycle",
    "questionnaire:exchange_ask": "the practice exchange (threads and posts), not a cycle",
    "questionnaire:exchange_thread": "the practice exchange (threads and posts), not a cycle",
    "questionnaire:exchange_follow": "the practice exchange (threads and posts), not a cycle",
    "questionnaire:exchange_helpful": "the practice exchange (threads and posts), not a cycle",
    "questionnaire:exchange_report": "the practice exchange (threads and posts), not a cycle",
    "questionnaire:exchange_hide": "the practice exchange (threads and posts), not a cycle",
    "questionnaire:exchange_tip": "the practice exchange (threads and posts), not a cycle",
    "questionnaire:exchange_moderation": "the practice exchange (threads and posts), not a cycle",
    "questionnaire:exchange_digest": "the practice exchange (threads and posts), not a cycle",
    "questionnaire:exchange_unsubscribe": "the practice exchange (threads and posts), not a cycle",
    "questionnaire:exchange_high": "the practice exchange: reads submitted results, writes nothing",
    "questionnaire:exchange_findable": "a municipality's findability in the exchange, no cycle",
}
OUR_NAMESPACES = ("questionnaire", "exports")


def named_urls(patterns=None, namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            yield from named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and namespace in OUR_NAMESPACES:
            yield f"{namespace}:{pattern.name}", str(pattern.pattern)


def test_every_url_of_our_apps_is_classified():
    names = {name for name, _route in named_urls()}
    classified = set(WRITES) | READS | set(NOT_CYCLE_WRITES)
    assert names - classified == set(), "new URL: add it to WRITES, READS or NOT_CYCLE_WRITES"
    assert classified - names == set()


def fingerprint():
    """Every row of every model of ours, as stored."""
    rows = {}
    for app in ("compass", "exports"):
        for model in apps.get_app_config(app).get_models():
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    return rows


@pytest.fixture
def closed_cycle(gemeente_a, alice):
    def make(prepare=None):
        cycle = rich_cycle(gemeente_a, user=alice)
        if prepare is not None:
            prepare(cycle, alice)
        Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.CLOSED)
        cycle.refresh_from_db()
        return cycle

    return make


@pytest.mark.parametrize("name", sorted(READS))
def test_read_only_urls_refuse_a_post(name, closed_cycle, client_for, alice):
    cycle = closed_cycle()
    route = dict(named_urls())[name]
    response = client_for(alice).post(fill(route, cycle), {})
    assert response.status_code == 405, name


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_closed_cycle_refuses_every_write(name, closed_cycle, client_for, alice, admin_user):
    posts, prepare, status = WRITES[name]
    cycle = closed_cycle(prepare)
    assert SelfAssessment.objects.filter(cycle=cycle).exists()
    requests = posts(cycle)
    assert requests
    for user in (alice, admin_user):  # the coordinator and even the superuser
        client = client_for(user)
        for path, data in requests:
            for item in data.values():
                if hasattr(item, "seek"):
                    item.seek(0)
            before = fingerprint()
            with translation.override("nl"):
                response = client.post(path, data, HTTP_ACCEPT_LANGUAGE="nl")
            assert response.status_code == status, (path, data.get("action"))
            if status == 403:
                assert CLOSED_TEXT in response.content.decode(), path
            assert fingerprint() == before, (path, data.get("action"))


def test_closed_cycle_pages_offer_no_write_buttons(closed_cycle, client_for, alice):
    cycle = closed_cycle()
    page = client_for(alice).get(f"/jaarcycli/{cycle.pk}/zelfevaluatie/").content.decode()
    assert 'name="action" value="submit"' not in page
    assert 'value="save"' not in page
    step = client_for(alice).get(f"/jaarcycli/{cycle.pk}/{Step.AMBITIONS}/").content.decode()
    assert 'value="save"' not in step


def test_the_autosave_of_a_closed_cycle_answers_json_in_dutch(closed_cycle, client_for, alice):
    cycle = closed_cycle(None)
    step = steps.STEPS[0]
    response = client_for(alice).post(
        f"/jaarcycli/{cycle.pk}/{step}/",
        post_data(cycle, step, action="autosave"),
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 403
    body = response.json()  # the script reads JSON, not an error page
    assert body["saved"] is False and CLOSED_TEXT in body["message"]
