"""Helpers for the cycle tests: build a step's POST the way the browser sends it."""

from django.test import Client

from compass import services
from compass.models import StepProgress
from questionnaire import steps
from questionnaire.expired_input import owner_token


def step_url(cycle, step):
    return f"/jaarcycli/{cycle.pk}/{step}/"


def version_of(cycle, step):
    progress = StepProgress.objects.filter(cycle=cycle, step=step).first()
    return progress.version if progress else 0


def post_data(
    cycle, step, rows=None, single=None, action="next", version=None, existing=None, owner=None
):
    """A POST for `step`: `rows` maps a formset prefix to a list of row dicts (new rows).

    `owner` is the user whose page sent it (the form's signed `owner` field).
    """
    definition = steps.step_def(step)
    rows = rows or {}
    existing = existing or {}
    data = {"action": action, "version": version_of(cycle, step) if version is None else version}
    if owner is not None:
        data["owner"] = owner_token(owner)
    for part in definition.parts:
        if part.single:
            for key, value in (single or {}).items():
                data[f"{part.prefix}-{key}"] = value
            continue
        old = existing.get(part.prefix, [])
        new = rows.get(part.prefix, [])
        data[f"{part.prefix}-TOTAL_FORMS"] = len(old) + len(new)
        data[f"{part.prefix}-INITIAL_FORMS"] = len(old)
        for index, row in enumerate(old + new):
            for key, value in row.items():
                data[f"{part.prefix}-{index}-{key}"] = value
    return data


def start(municipality, year=2026, user=None, **kwargs):
    return services.start_cycle(municipality, year, user, **kwargs)


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client
