"""The permission matrix of district cycles (issue 22, item 4).

Every URL of our apps that takes a cycle is requested on a district cycle (Binnenstad of
Utrecht) and on its municipal cycle, as: coordinator (alice), editor (dave), reader (bob),
editor limited to THIS district (dina), reader limited to this district (rita), editor limited
to ANOTHER district (otto), partner municipality with an agreement (pia), outsider (carol),
content editor (erin), superuser (admin) and anonymous. A URL that takes a cycle and has no
case below fails `test_every_cycle_url_is_classified_for_district_cycles`: a new URL must say
what it answers on a district cycle too.

A member limited to a district reaches only that district's cycles: 404 on the municipal
cycle and on other districts' cycles, and on every page of the municipality as a whole (team,
start or import a cycle, figures, the exchange's findability).
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from compass.models import SituationFigure, Step
from exports import pdf_tasks
from tests.compass.test_closed_cycle import named_urls
from tests.questionnaire.assessment_helpers import form_data
from tests.questionnaire.cycle_helpers import post_data
from tests.url_routes import fill

pytestmark = pytest.mark.django_db

ROLES = ["alice", "dave", "bob", "dina", "rita", "otto", "pia", "carol", "erin", "admin", "anon"]
LOGIN = "login"

# Per kind of URL and role: (status on the district cycle, status on the municipal cycle).
# 302 on a POST is a change that was made (or a message on the page it redirects to).
READ = {
    "alice": (200, 200),
    "dave": (200, 200),
    "bob": (200, 200),
    "dina": (200, 404),
    "rita": (200, 404),
    "otto": (404, 404),
    "pia": (200, 200),
    "carol": (404, 404),
    "erin": (404, 404),
    "admin": (200, 200),
    "anon": (LOGIN, LOGIN),
}
EXPORT = READ | {"pia": (403, 403)}  # partners read, they do not download
WRITE = {
    "alice": (302, 302),
    "dave": (302, 302),
    "bob": (403, 403),
    "dina": (302, 404),
    "rita": (403, 404),
    "otto": (404, 404),
    "pia": (403, 403),
    "carol": (404, 404),
    "erin": (404, 404),
    "admin": (302, 302),
    "anon": (LOGIN, LOGIN),
}
# The Ambities step of a district cycle shows the municipality's ambitions: nobody writes them
# there (403 with the message), the municipal cycle is written as usual.
SHARED_WRITE = WRITE | {
    "alice": (403, 302),
    "dave": (403, 302),
    "dina": (403, 404),
    "admin": (403, 302),
}
# The self-assessment and its benchmark exist only for the municipal cycle.
MUNICIPAL_READ = {
    role: (404 if expected[0] != LOGIN else LOGIN, expected[1]) for role, expected in READ.items()
}
MUNICIPAL_SUBMIT = {
    "alice": (404, 302),
    "dave": (404, 403),
    "bob": (404, 403),
    "dina": (404, 404),
    "rita": (404, 404),
    "otto": (404, 404),
    "pia": (404, 403),
    "carol": (404, 404),
    "erin": (404, 404),
    "admin": (404, 302),
    "anon": (LOGIN, LOGIN),
}
MUNICIPAL_ANSWER = MUNICIPAL_SUBMIT | {"dave": (404, 302)}
MOVED = dict.fromkeys(ROLES, (301, 301))  # a permanent redirect: the target decides


def _csv(_cycle):
    from questionnaire.situation.csv_upload import template_csv

    upload = io.BytesIO(template_csv())
    upload.name = "cijfers.csv"
    return {"file": upload}


def _figure(cycle):
    figure = SituationFigure.objects.filter(cycle=cycle).first()
    return {"figure": str(figure.pk) if figure else "1"}


def _step(step):
    return lambda cycle: post_data(cycle, step, action="draft")


def _answers(cycle):
    from questionnaire import assessment

    latest = assessment.latest(cycle)
    if latest is None:  # a district cycle has none
        return {"action": "save"}
    versions = {(a.measure_code, a.aspect): a.version for a in latest.answers.all()}
    return form_data(latest.measure_set, default="3", versions=versions) | {"action": "save"}


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    expected: dict
    data: Callable | None = None
    step: str = Step.TARGET_GROUPS
    query: str = ""


CASES = [
    Case("questionnaire:cycle", "get", READ),
    Case("questionnaire:cycle_step", "get", READ),
    Case("questionnaire:cycle_step", "get", READ, step=Step.AMBITIONS),
    Case("questionnaire:cycle_step", "get", READ, step=Step.SITUATION),
    Case("questionnaire:cycle_step", "post", WRITE, _step(Step.TARGET_GROUPS)),
    Case("questionnaire:cycle_step", "post", SHARED_WRITE, _step(Step.AMBITIONS), Step.AMBITIONS),
    Case("questionnaire:cycle_history", "get", READ),
    Case("questionnaire:cycle_history", "get", READ, step=Step.AMBITIONS),
    Case("questionnaire:purchasing", "get", READ),
    Case("questionnaire:purchasing_action", "post", WRITE, lambda c: {"help_kind": "schuldhulp"}),
    Case("questionnaire:purchasing_take_over", "post", WRITE, _figure),
    Case("questionnaire:situation_take_over", "post", WRITE, lambda c: {"observation": ["1"]}),
    Case(
        "questionnaire:situation_upload",
        "get",
        WRITE | {"alice": (200, 200), "dave": (200, 200), "dina": (200, 404), "admin": (200, 200)},
    ),  # noqa: E501
    Case("questionnaire:situation_upload", "post", WRITE, _csv),
    Case("questionnaire:self_assessment", "get", MUNICIPAL_READ),
    Case("questionnaire:self_assessment", "post", MUNICIPAL_ANSWER, _answers),
    Case("questionnaire:self_assessment_reopen", "post", MUNICIPAL_SUBMIT, lambda c: {}),
    Case("questionnaire:self_assessment_results", "get", MUNICIPAL_READ),
    Case("questionnaire:self_assessment_version", "get", MUNICIPAL_READ),
    Case("questionnaire:benchmark", "get", MUNICIPAL_READ),
    Case("questionnaire:district_rollup", "get", MUNICIPAL_READ),
    Case("questionnaire:moved_cycle_url", "get", MOVED),
    Case("exports:downloads", "get", EXPORT),
    Case("exports:xlsx", "get", EXPORT),
    Case("exports:json", "get", EXPORT),
    Case("exports:csv", "get", EXPORT),
    Case("exports:report", "get", EXPORT),
    Case("exports:report_pdf", "get", EXPORT),
    Case("exports:report_pdf_status", "get", EXPORT, query="?opdracht=render"),
]
CYCLE_PARAMETER = re.compile(r"<(?:int:)?(cycle|cycle_pk)>")


def cycle_urls() -> dict[str, list[str]]:
    routes: dict[str, list[str]] = {}
    for name, route in named_urls():
        if CYCLE_PARAMETER.search(route):
            routes.setdefault(name, []).append(route)
    return routes


def test_every_cycle_url_is_classified_for_district_cycles():
    classified = {case.name for case in CASES}
    names = set(cycle_urls())
    assert names - classified == set(), "new cycle URL: add its Case for district cycles"
    assert classified - names == set()


@pytest.fixture
def everyone(cast, dina, rita, otto):
    return cast | {"dina": dina, "rita": rita, "otto": otto, "anon": None}


@pytest.fixture
def quick_pdf(monkeypatch):
    """The PDF itself is not what this matrix tests: a stand-in instead of WeasyPrint."""
    monkeypatch.setattr(pdf_tasks, "run_render", lambda html, language: b"%PDF-1.4\n%%EOF\n")


def _path(case: Case, cycle, route: str) -> str:
    path = fill(route, cycle).replace(f"/{Step.AMBITIONS}/", f"/{case.step}/")
    return path + case.query


def _request(client, case: Case, cycle, route: str):
    path = _path(case, cycle, route)
    if case.query == "?opdracht=render":  # the status of a render of this cycle
        from exports.models import PdfRender

        render = PdfRender.objects.filter(cycle=cycle).order_by("-pk").first()
        path = path.replace("render", str(render.pk if render else 0))
    if case.method == "get":
        return client.get(path)
    return client.post(path, case.data(cycle) if case.data else {})


def _error_text(response) -> str:
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    found = re.search(r"(?i)(fout|error|regel|line)[^.]*\.", text)
    return f" ({found.group(0)[:200]})" if found else ""


def _status(response):
    if response.status_code == 302 and response.url.startswith(reverse("login")):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.name}-{c.method}-{c.step}")
def test_district_permission_matrix(case, everyone, district_cycles, quick_pdf, client_for):
    if case.name == "exports:report_pdf_status":  # a render of each cycle to ask about
        admin = client_for(everyone["admin"])
        for cycle in (district_cycles.own, district_cycles.municipal):
            admin.get(reverse("exports:report_pdf", args=[cycle.pk]))
    wrong = []
    for route in cycle_urls()[case.name]:
        for role in ROLES:
            client = client_for(everyone[role])
            for index, cycle in enumerate((district_cycles.own, district_cycles.municipal)):
                if case.name == "questionnaire:self_assessment_reopen" and index == 1:
                    from tests.compass.test_closed_cycle import _submit_latest

                    _submit_latest(cycle, everyone["alice"])
                response = _request(client, case, cycle, route)
                got = _status(response)
                if got != case.expected[role][index]:
                    which = "district" if index == 0 else "municipal"
                    detail = _error_text(response) if got == 400 else ""
                    wrong.append(
                        f"{role} on {which}: {got}, expected {case.expected[role][index]}{detail}"
                    )
    assert not wrong, wrong


def test_another_districts_cycle_is_404_for_a_district_member(
    district_cycles, dina, rita, client_for
):
    for user in (dina, rita):
        client = client_for(user)
        for name, route in named_urls():
            if not CYCLE_PARAMETER.search(route) or name == "questionnaire:moved_cycle_url":
                continue
            path = fill(route, district_cycles.other)
            response = client.get(path)
            if response.status_code == 405:
                response = client.post(path, {})
            assert response.status_code == 404, (user.username, name)


def test_a_district_member_reaches_nothing_of_the_municipality_as_a_whole(
    district_cycles, dina, rita, otto, client_for
):
    """Team, starting or importing a cycle, the figures pages, findability: all 404."""
    for user in (dina, rita, otto):
        client = client_for(user)
        for name, route in named_urls():
            if "<str:code>" not in route or name == "questionnaire:moved_cycle_url":
                continue
            path = fill(route, district_cycles.municipal)
            response = client.get(path)
            if response.status_code == 405:
                response = client.post(path, {"year": 2027, "role": "reader"})
            assert response.status_code == 404, (user.username, name)
