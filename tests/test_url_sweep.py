"""Request every URL pattern of the project as every member of the cast.

Path parameters are filled with real ids of Gemeente B's objects (Amersfoort): its code, its
closed sharing agreement, an open invitation, and its members' ids in POST data. The test fails
on any 500 (the test client re-raises exceptions), when a response to someone outside B
contains the name or e-mail of a B member, its invitee, or the text of B's closed agreement,
and when any of those requests changed B's team or agreements.
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from compass import invitations, services
from compass.models import (
    AgreementParticipation,
    Ambition,
    Answer,
    Invitation,
    Membership,
    SelfAssessment,
    StepProgress,
)
from questionnaire import assessment as self_assessment
from tests.questionnaire.assessment_helpers import ASPECTS, make_measure_set

pytestmark = pytest.mark.django_db

# Patterns with their own authentication, not ours to sweep (reason given).
SKIPPED_PREFIXES = {
    "django-admin/": "Django admin: staff-only, its own login and permission checks",
    "cms-admin/": "Wagtail admin: its own login and Wagtail permissions",
    "documents/": "Wagtail documents: served with Wagtail's own collection privacy rules",
    "^media/": "uploaded media files, only in DEBUG, no views of ours",
}
# Regex patterns have no named parameters to fill: one sample path each.
REGEX_SAMPLES = {r"^((?:[\w\-]+/)*)$": ["", "gemeenten-amersfoort/"]}
OUTSIDERS = ["alice", "dave", "bob", "pia", "quinn", "erin", "anonymous"]


def all_patterns(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if any(route.startswith(skip) for skip in SKIPPED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            yield from all_patterns(pattern.url_patterns, route)
        else:
            assert isinstance(pattern, URLPattern)
            yield route


def fill(route, values):
    if route in REGEX_SAMPLES:
        return ["/" + sample for sample in REGEX_SAMPLES[route]]
    assert "^" not in route, f"new regex pattern {route!r}: add a sample to REGEX_SAMPLES"

    def value(match):
        name = match.group(2)
        assert name in values, f"no value of Gemeente B for <{name}> in {route!r}"
        return str(values[name])

    return ["/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)]


@pytest.fixture
def b_private(cast, gemeente_b, closed_agreement_b, carol, bert):
    invitation = Invitation.objects.create(
        municipality=gemeente_b, email="genodigde.geheim@amersfoort.example", role="reader"
    )
    # B's annual cycle with a private ambition and a draft (issue 5).
    cycle = services.start_cycle(gemeente_b, 2026, carol)
    Ambition.objects.create(cycle=cycle, kind="reduce", text="Ambitie-geheim-Amersfoort-4412")
    StepProgress.objects.create(
        cycle=cycle,
        step="doelgroepen",
        draft={
            "target_groups-TOTAL_FORMS": ["1"],
            "target_groups-INITIAL_FORMS": ["0"],
            "target_groups-0-name": ["Concept-geheim-9081"],
        },
    )
    # Pia reads B's cycles through their agreement; nobody else outside B may.
    cycle_text = ["Ambitie-geheim-Amersfoort-4412", "Concept-geheim-9081"]
    members = [
        "Carol Visser",
        "carol@example.org",
        "Bertholda",
        "Amersfoortse-Kwak",
        "bert.kwak@amersfoort.example",
        invitation.email,
    ]
    agreement_text = ["Afspraak-geheim-7731", "Amersfoort en Nieuwegein", *cycle_text]
    # B's cycle also has a submitted self-assessment (submitted by carol).
    measure_set = make_measure_set()
    assessment = self_assessment.start(cycle, measure_set)
    Answer.objects.bulk_create(
        Answer(assessment=assessment, measure_code=code, aspect=aspect, value="2")
        for code in ("m1", "m2", "m3")
        for aspect in ASPECTS
    )
    view = self_assessment.load_measure_set(measure_set)
    self_assessment.submit(assessment, view, carol)
    values = {
        "code": gemeente_b.code,
        "pk": closed_agreement_b.pk,
        "token": invitations.token_for(invitation),
        "uidb64": urlsafe_base64_encode(force_bytes(carol.pk)),  # a password-reset link
        "restriction_id": 1,
        "page_view_restriction_id": 1,
        "page_id": 1,
        "indicator": "vt-meldingen",
        "cycle_pk": cycle.pk,
        "version": 1,
        "cycle": cycle.pk,
        "step": "ambities",
        "table": "ambities",
        "district": f"WK{gemeente_b.code[2:]}01",
    }
    common = {
        "membership": Membership.objects.get(user=bert).pk,
        "role": "coordinator",
        "email": "indringer@example.org",
        "municipality": gemeente_b.code,
    }
    # Two POST bodies, as the views read different "action" values: the self-assessment's
    # submit and the cycle step's next.
    assessment_post = {
        **common,
        "measure_set": f"{measure_set.pk}:{measure_set.version}",
        "action": "submit",
        "m1.reach.value": "4",
        "m1.reach.version": "1",
        "m1.reach.orig": "2",
    }
    cycle_post = {
        **common,
        "action": "next",
        "version": "0",
        "ambitions-TOTAL_FORMS": "1",
        "ambitions-INITIAL_FORMS": "0",
        "ambitions-0-kind": "reduce",
        "ambitions-0-text": "Ingebroken ambitie",
        "year": "2027",
        "copy_forward": "1",
    }
    return members, agreement_text, values, [assessment_post, cycle_post]


def state_of_b(gemeente_b):
    return (
        sorted(Membership.objects.filter(municipality=gemeente_b).values_list("user_id", "role")),
        sorted(
            AgreementParticipation.objects.filter(municipality=gemeente_b).values_list(
                "agreement_id", "left_at"
            )
        ),
        Invitation.objects.filter(municipality=gemeente_b).count(),
        sorted(
            SelfAssessment.objects.filter(cycle__municipality=gemeente_b).values_list(
                "version", "status"
            )
        ),
        sorted(
            Answer.objects.filter(assessment__cycle__municipality=gemeente_b).values_list(
                "measure_code", "aspect", "value", "version"
            )
        ),
        sorted(gemeente_b.cycles.values_list("year", flat=True)),
        sorted(Ambition.objects.filter(cycle__municipality=gemeente_b).values_list("text")),
        sorted(
            StepProgress.objects.filter(cycle__municipality=gemeente_b).values_list(
                "step", "version", "draft"
            )
        ),
    )


def test_sweep_finds_our_views():
    routes = list(all_patterns())
    for route in (
        "gemeenten/<str:code>/team/",
        "samenwerking/<int:pk>/verlaten/",
        "healthz/",
        "jaarcycli/<int:cycle_pk>/vergelijking/",
        "jaarcycli/<int:cycle>/downloads/<slug:table>.csv",
        "gemeenten/<str:code>/jaarcyclus/importeren/",
    ):
        assert route in routes


def test_no_url_leaks_another_municipalitys_data_or_fails(cast, gemeente_b, b_private):
    members, agreement_text, values, posts = b_private
    before = state_of_b(gemeente_b)
    urls = [url for route in all_patterns() for url in fill(route, values)]
    assert len(urls) >= 15
    checked = 0
    for who in OUTSIDERS:
        forbidden = members + ([] if who == "pia" else agreement_text)
        for url in urls:
            for data in (None, *posts):
                client = Client()
                if cast[who] is not None:
                    client.force_login(cast[who])
                response = client.get(url) if data is None else client.post(url, data)
                method = "get" if data is None else f"post {data['action']}"
                assert response.status_code < 500, (who, method, url)
                body = response.content.decode(errors="replace")
                leaked = [text for text in forbidden if text in body]
                assert not leaked, (who, method, url, leaked)
                checked += 1
    assert checked == len(OUTSIDERS) * len(urls) * (1 + len(posts))
    assert state_of_b(gemeente_b) == before


def test_members_of_b_do_see_their_own_data(cast, client_for, b_private):
    """The check above can fail: the same strings are on B's pages for B's coordinator."""
    members, agreement_text, values, _posts = b_private
    client = client_for(cast["carol"])
    team = client.get(f"/gemeenten/{values['code']}/team/").content.decode()
    assert all(text in team for text in members)
    agreements = client.get("/samenwerking/").content.decode()
    assert all(text in agreements for text in agreement_text[:2])
    cycle = client.get(f"/jaarcycli/{values['cycle']}/").content.decode()
    assert "Jaarcyclus 2026 van Amersfoort" in cycle
    step = client.get(f"/jaarcycli/{values['cycle']}/ambities/").content.decode()
    assert agreement_text[2] in step
    draft = client.get(f"/jaarcycli/{values['cycle']}/doelgroepen/").content.decode()
    assert agreement_text[3] in draft
