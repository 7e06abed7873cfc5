"""Sweep: another municipality's row ids POSTed into every formset through every cycle URL.

carol posts, to every URL pattern of the project that takes a cycle (her own Amersfoort
cycle, every step), a body whose every formset holds one row with the id of a Utrecht row, for
every action a step knows. No response, history or draft shown back may carry Utrecht's text,
and no Utrecht row may change. The formsets come from the step definitions, so a new formset
is swept too (and must get a row in tests/questionnaire/foreign_rows.py).
"""

import json

import pytest
from django.test import Client

from compass.models import ChangeRecord, StepProgress
from questionnaire import steps
from tests.questionnaire.cycle_helpers import start
from tests.questionnaire.foreign_rows import SECRET, make_rows, own_row
from tests.test_url_sweep import all_patterns

pytestmark = pytest.mark.django_db

ACTIONS = [{"action": "save"}, {"action": "next"}, {"action": "draft"}, {"action": "autosave"}]
ACTIONS += [{"goto": "overview"}, {"action": "draft", "add": "ambitions"}]


def foreign_body(cycle, utrecht, own):
    """Every formset of every step with a row whose id is Utrecht's (one body for all)."""
    data = {"version": "0"}
    for definition in steps.STEP_DEFS.values():
        for part in definition.parts:
            if part.single:
                continue
            assert part.prefix in utrecht, f"add a {part.prefix} row to foreign_rows.make_rows"
            data[f"{part.prefix}-TOTAL_FORMS"] = "1"
            data[f"{part.prefix}-INITIAL_FORMS"] = "1"
            data[f"{part.prefix}-0-id"] = str(utrecht[part.prefix].pk)
            for key, value in own_row(part.prefix, own).items():
                data[f"{part.prefix}-0-{key}"] = value
    return data


def utrecht_state(rows):
    return sorted(
        (
            prefix,
            sorted((k, str(v)) for k, v in type(r).objects.filter(pk=r.pk).values().get().items()),
        )
        for prefix, r in rows.items()
    )


def test_foreign_row_ids_into_every_formset_leak_nothing(gemeente_a, gemeente_b, alice, carol):
    utrecht = make_rows(start(gemeente_a, 2026, alice), SECRET)
    cycle = start(gemeente_b, 2026, carol)
    own = make_rows(cycle, "Amersfoort")
    before = utrecht_state(utrecht)
    body = foreign_body(cycle, utrecht, own)
    routes = [r for r in all_patterns() if "<int:cycle>" in r]
    urls = []
    for route in routes:
        url = "/" + route.replace("<int:cycle>", str(cycle.pk)).replace("<slug:table>", "ambities")
        if "<slug:step>" in route:
            urls += [url.replace("<slug:step>", d.step.value) for d in steps.STEP_DEFS.values()]
        else:
            urls.append(url)
    assert len(urls) >= 15
    client = Client()
    client.force_login(carol)
    posted = 0
    for url in urls:
        step = url.rstrip("/").rsplit("/", 1)[-1]
        for action in ACTIONS:
            # The step's current version, so every action is really carried out (no 409).
            version = StepProgress.objects.filter(cycle=cycle, step=step).first()
            body["version"] = str(version.version if version else 0)
            response = client.post(url, {**body, **action})
            assert response.status_code < 500, (url, action)
            assert SECRET not in response.content.decode(errors="replace"), (url, action)
            posted += 1
        # The drafts shown back, the history, the dashboard.
        for step in steps.STEP_DEFS:
            for page in (
                f"/jaarcycli/{cycle.pk}/{step}/",
                f"/jaarcycli/{cycle.pk}/{step}/geschiedenis/",
            ):
                assert SECRET not in client.get(page).content.decode(), (url, page)
    assert posted == len(urls) * len(ACTIONS)
    assert not [
        record
        for record in ChangeRecord.objects.filter(cycle=cycle)
        if SECRET
        in " ".join(
            [record.item, record.old, record.new, *record.shown.__dict__.values()]
            + [json.dumps(record.old_value), json.dumps(record.new_value)]
        )
    ]
    assert SECRET not in client.get(f"/jaarcycli/{cycle.pk}/").content.decode()
    assert utrecht_state(utrecht) == before


def test_the_sweep_can_see_a_leak(gemeente_a, alice, carol, gemeente_b):
    """The check above can fail: Utrecht's own coordinator does see the text on its step."""
    utrecht = make_rows(start(gemeente_a, 2026, alice), SECRET)
    client = Client()
    client.force_login(alice)
    page = client.get(f"/jaarcycli/{utrecht['ambitions'].cycle_id}/ambities/").content.decode()
    assert SECRET in page
