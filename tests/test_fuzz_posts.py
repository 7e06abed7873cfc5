"""Hostile input to every endpoint that accepts a POST (issue 20, item 7).

The endpoints come from the URLconf (every named URL of our apps and of the project's own
views), so a new one cannot be forgotten: each is tried by alice (coordinator of A) with its
URL filled with A's ids, and with the ids of B (a municipality she has no access to). The
field names come from the form the same URL shows on a GET, plus a few made-up ones. Values
are drawn by hypothesis: very long strings, unicode (right-to-left, zero-width, control
characters, NUL), HTML and script, SQL-like text, huge and negative numbers, decimals with many
digits, fields left out and fields sent twice.

What must hold: never a 5xx; the marker script never comes back raw in the response nor in
the pages that show what was stored; nothing of municipality B changes.

Few examples per endpoint in `make test`; FUZZ_EXAMPLES=200 (say) for a longer run.
"""

import html
import os
import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compass.models import Step
from tests.exports.cycle_builders import rich_cycle
from tests.url_routes import fill

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
SCRIPT = "<script>alert('fuzz')</script>"
MARKERS = (SCRIPT, "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>')
# Namespaced URLs of our apps, and the project's own views at the top level.
OUR_NAMESPACES = ("questionnaire", "exports")
TOP_LEVEL = {
    "login",
    "logout",
    "password_change",
    "set_language",
    "switch_language",
    "favicon",
    "error_preview",
    "healthz",
}

hostile_text = st.one_of(
    st.sampled_from(
        [
            *MARKERS,
            "'; DROP TABLE compass_cycle; --",
            "1 OR 1=1",
            "\u202eevil\u202c",  # right-to-left override
            "a\u200bb\u200d\ufeff",  # zero-width characters
            "nul\x00byte",
            "\x01\x02\x1b[31m\x7f",
            "𝕳𝖊𝖑𝖑𝖔 🚸 ß ñ é",
            "9" * 400,
            "-99999999999999999999",
            "1e308",
            "NaN",
            "0.0000000000000000000001",
            "12345678901234567890.123456789012345",
            "-1",
            "",
            " ",
            "x" * 20_000,
        ]
    ),
    st.text(max_size=300),
    st.integers().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)


def named_urls(patterns=None, namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from named_urls(pattern.url_patterns, pattern.namespace or namespace)
        elif not isinstance(pattern, URLPattern) or not pattern.name:
            continue
        elif namespace in OUR_NAMESPACES:
            yield f"{namespace}:{pattern.name}", str(pattern.pattern)
        elif not namespace and pattern.name in TOP_LEVEL:
            yield pattern.name, str(pattern.pattern)


FIELD_RE = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', re.I)


def form_fields(client, path):
    response = client.get(path)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return []
    names = sorted(set(FIELD_RE.findall(response.content.decode())) - {"csrfmiddlewaretoken"})
    return [html.unescape(name) for name in names]


def municipality_rows(municipality):
    """Every row of our models that belongs to `municipality` (directly or through a cycle)."""
    rows = {}
    for app in ("compass", "exports"):
        for model in apps.get_app_config(app).get_models():
            fields = {f.name for f in model._meta.get_fields()}
            if "municipality" in fields:
                query = model.objects.filter(municipality=municipality)
            elif "cycle" in fields:
                query = model.objects.filter(cycle__municipality=municipality)
            elif model._meta.model_name == "municipality":
                query = model.objects.filter(pk=municipality.pk)
            else:
                continue
            rows[model._meta.label] = list(query.order_by("pk").values())
    return rows


def assert_no_raw_marker(content: str, where: str):
    for marker in MARKERS:
        assert marker not in content, f"{marker!r} shown unescaped on {where}"


@pytest.fixture
def world(gemeente_a, gemeente_b, alice, carol, client_for):
    own = rich_cycle(gemeente_a, user=alice)
    measure_set = own.self_assessments.first().measure_set
    other = rich_cycle(gemeente_b, user=carol, measure_set=measure_set)
    client = client_for(alice)
    targets, reads = [], set()
    for name, route in sorted(named_urls()):
        own_path = fill(route, own)
        # An endpoint that refuses every POST (405) is read-only: nothing to fuzz.
        if client.post(own_path, {}).status_code == 405:
            reads.add(name)
            continue
        client.force_login(alice)  # the probe may have been the logout
        # The form alice sees on her own page; the same fields go to the other's address.
        fields = form_fields(client, own_path) + ["id", "pk", "municipality", "cycle"]
        for path in dict.fromkeys([own_path, fill(route, other)]):
            targets.append((name, path, fields))
    # Ids of the other municipality, for the fields that name a row, cycle or municipality.
    forged = [str(other.pk), gemeente_b.code, str(gemeente_b.pk)]
    for model in apps.get_app_config("compass").get_models():
        if "cycle" in {f.name for f in model._meta.get_fields()}:
            forged += [
                str(pk) for pk in model.objects.filter(cycle=other).values_list("pk", flat=True)
            ]
    return own, other, client, targets, reads, sorted(set(forged))


ID_FIELD = re.compile(r"(^|[-_])(id|pk|municipality|cycle|request|observation|membership|user)$")


def _post_data(data, fields, values, forged):
    post = {}
    for index, field in enumerate(fields):
        choice = data.draw(st.sampled_from(["value", "value", "missing", "twice"]))
        if choice == "missing":
            continue
        value = values[index % len(values)]
        if ID_FIELD.search(field) and data.draw(st.booleans()):
            value = data.draw(st.sampled_from(forged))
        post[field] = [value, data.draw(hostile_text)] if choice == "twice" else value
    return post


def test_every_post_endpoint_is_fuzzed(world):
    """The list itself: every URL of ours is a target, with both municipalities' ids."""
    _own, other, _client, targets, reads, forged_ids = world
    assert str(other.pk) in forged_ids and len(forged_ids) > 5
    names = {name for name, _path, _fields in targets}
    assert names | reads == {name for name, _route in named_urls()}
    assert {
        "questionnaire:cycle_step",
        "questionnaire:self_assessment",
        "questionnaire:team_add",
        "questionnaire:agreement_join",
        "exports:import",
        "login",
    } <= names
    assert "exports:xlsx" in reads
    # Every endpoint with a cycle in its address is also tried with the other municipality's.
    forged = {name for name, path, _fields in targets if f"/{other.pk}/" in path}
    assert "questionnaire:cycle_step" in forged and "questionnaire:self_assessment" in forged


def test_hostile_posts_never_fail_leak_or_cross_municipalities(world, gemeente_b, alice):
    own, _other, client, targets, _reads, forged = world
    shown_after = [f"/jaarcycli/{own.pk}/", f"/jaarcycli/{own.pk}/{Step.AMBITIONS}/"]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def run(data):
        values = data.draw(st.lists(hostile_text, min_size=1, max_size=6))
        b_before = municipality_rows(gemeente_b)
        for name, path, fields in targets:
            post = _post_data(data, fields, values, forged)
            response = client.post(path, post)
            client.force_login(alice)  # logout, password change: stay alice for the next one
            assert response.status_code < 500, (name, path, post)
            if "text/html" in response.get("Content-Type", "") and not response.streaming:
                assert_no_raw_marker(response.content.decode(errors="replace"), path)
        for path in shown_after:
            response = client.get(path, follow=True)
            assert response.status_code < 500, path
            assert_no_raw_marker(response.content.decode(), path)
        assert municipality_rows(gemeente_b) == b_before, "a post by alice changed B's data"

    run()


def test_stored_script_is_shown_escaped_everywhere(gemeente_a, alice, client_for):
    """A valid save whose texts are all markup: stored as typed, shown only escaped."""
    from compass.models import SituationFigure
    from tests.questionnaire.cycle_helpers import post_data, start, step_url

    cycle = start(gemeente_a, user=alice)
    client = client_for(alice)
    row = {"label": SCRIPT, "period": "2025", "value": "12", "source": MARKERS[1]}
    save = post_data(cycle, "situatie", rows={"figures": [row]}, action="save")
    assert client.post(step_url(cycle, "situatie"), save).status_code == 302
    stored = SituationFigure.objects.get(cycle=cycle)
    assert stored.label == SCRIPT, "the text must be stored as typed, not mangled"
    pages = [
        step_url(cycle, "situatie"),
        f"/jaarcycli/{cycle.pk}/",
        f"/jaarcycli/{cycle.pk}/situatie/geschiedenis/",
        f"/jaarcycli/{cycle.pk}/rapport/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        content = response.content.decode()
        assert_no_raw_marker(content, path)
    assert html.escape(SCRIPT, quote=False) in client.get(pages[0]).content.decode().replace(
        "&#x27;", "'"
    )
