"""A step saved exactly as rendered changes nothing (issue 13, item 1 and the round-trip guard).

Date inputs (`type="date"`) must carry ISO values whatever the language: filled with the
Dutch display format (31-12-2028) a browser shows them empty and sends nothing, so saving
the step again erased "Erkenning geldig tot" and refused step 7 ("Wanneer (datum)" is
required). The browser test in tests/e2e/test_cycle_round_trip.py does the same in Chromium.
"""

import datetime

import pytest
from django import forms
from django.utils import translation

from compass.models import ChangeRecord, ImprovementAction, Offering, StepProgress
from questionnaire import steps
from questionnaire.cycle_forms import DateInput
from tests.questionnaire.cycle_helpers import logged_in, start, step_url
from tests.questionnaire.foreign_rows import make_rows
from tests.questionnaire.form_as_browser import ISO_DATE, form_data

pytestmark = pytest.mark.django_db

LANGUAGES = ["nl", "en"]


def stored(cycle):
    """Everything a step stores for this cycle, as plain values."""
    out = {}
    for definition in steps.STEP_DEFS.values():
        for part in definition.parts:
            rows = part.model.objects.filter(cycle=cycle).order_by("pk")
            out[part.prefix] = [sorted(row.items()) for row in rows.values()]
    out["links"] = sorted(
        (
            o.pk,
            tuple(o.target_groups.values_list("pk", flat=True)),
            tuple(o.results.values_list("pk", flat=True)),
        )
        for o in Offering.objects.filter(cycle=cycle)
    )
    out["progress"] = sorted(
        StepProgress.objects.filter(cycle=cycle).values_list(
            "step", "version", "status", "draft", "saved_at"
        )
    )
    out["history"] = ChangeRecord.objects.filter(cycle=cycle).count()
    return out


@pytest.fixture
def filled(gemeente_a, alice):
    cycle = start(gemeente_a, 2026, alice)
    make_rows(cycle, "Utrecht")
    for definition in steps.STEP_DEFS.values():
        StepProgress.objects.update_or_create(
            cycle=cycle, step=definition.step, defaults={"status": StepProgress.Status.DONE}
        )
    return cycle


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("step", [d.step.value for d in steps.STEP_DEFS.values()])
def test_a_step_saved_as_rendered_changes_nothing(step, language, filled, alice):
    client = logged_in(alice)
    client.cookies["django_language"] = language
    before = stored(filled)
    page = client.get(step_url(filled, step), headers={"accept-language": language})
    assert page.status_code == 200
    assert f'lang="{language}"' in page.content.decode()
    data, dates = form_data(page.content.decode())
    for name, value in dates:
        assert ISO_DATE.match(value), (name, value)
    data["action"] = ["save"]
    response = client.post(step_url(filled, step), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert stored(filled) == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_date_inputs_carry_iso_values_in_every_language(language, filled, alice):
    client = logged_in(alice)
    client.cookies["django_language"] = language
    offerings = client.get(step_url(filled, "aanbod")).content.decode()
    assert 'type="date" name="offerings-0-valid_until" value="2028-12-31"' in offerings
    actions = client.get(step_url(filled, "verbeterplan")).content.decode()
    assert 'type="date" name="actions-0-due" value="2026-09-01"' in actions


def test_the_history_still_shows_dates_the_dutch_way(filled, alice):
    client = logged_in(alice)
    data, _dates = form_data(client.get(step_url(filled, "aanbod")).content.decode())
    data["offerings-0-valid_until"] = ["2029-06-30"]
    data["action"] = ["save"]
    assert client.post(step_url(filled, "aanbod"), data).status_code == 302
    record = ChangeRecord.objects.get(cycle=filled, step="aanbod")
    assert (record.shown.old, record.shown.new) == ("31-12-2028", "30-6-2029")
    assert Offering.objects.get(cycle=filled).valid_until == datetime.date(2029, 6, 30)


def test_a_draft_with_a_date_typed_the_dutch_way_is_shown_as_iso(filled, alice):
    """A browser without a date picker lets people type 31-12-2028: the draft keeps it."""
    client = logged_in(alice)
    data, _dates = form_data(client.get(step_url(filled, "verbeterplan")).content.decode())
    data["actions-0-due"] = ["15-3-2027"]
    data["action"] = ["draft"]
    assert client.post(step_url(filled, "verbeterplan"), data).status_code == 302
    page = client.get(step_url(filled, "verbeterplan")).content.decode()
    assert 'name="actions-0-due" value="2027-03-15"' in page
    data, _dates = form_data(page)
    data["action"] = ["save"]
    assert client.post(step_url(filled, "verbeterplan"), data).status_code == 302
    assert ImprovementAction.objects.get(cycle=filled).due == datetime.date(2027, 3, 15)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_date_widget_is_iso_for_dates_and_dutch_strings(language):
    widget = DateInput()
    with translation.override(language):
        assert widget.format_value(datetime.date(2028, 12, 31)) == "2028-12-31"
        assert widget.format_value("2028-12-31") == "2028-12-31"
        assert widget.format_value("geen datum") == "geen datum"
        assert widget.format_value(None) is None
    with translation.override("nl"):
        assert widget.format_value("31-12-2028") == "2028-12-31"


def project_forms():
    """Every form class defined in the project's own apps (their modules imported)."""
    import importlib
    import pkgutil

    for app in ("compass", "questionnaire", "cms", "exports"):
        try:
            package = importlib.import_module(app)
        except ImportError:
            continue
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            importlib.import_module(info.name)
    seen, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in {"compass", "questionnaire", "cms", "exports"}:
                seen.append(sub)
    return seen


def test_every_date_input_of_the_project_is_iso_in_every_language():
    found = []
    for form_class in project_forms():
        for name, field in getattr(form_class, "base_fields", {}).items():
            widget = field.widget
            if isinstance(widget, forms.DateInput) and widget.input_type == "date":
                found.append(f"{form_class.__name__}.{name}")
                for language in LANGUAGES:
                    with translation.override(language):
                        value = widget.format_value(datetime.date(2028, 12, 31))
                    assert value == "2028-12-31", (form_class, name, language, value)
    assert {"OfferingForm.valid_until", "ActionForm.due"} <= set(found)


def test_the_demo_cycle_saved_as_rendered_changes_nothing(demo_db):
    """The demo's 2026 cycle had the same date fault (issue 13, item 1)."""
    from django.contrib.auth import get_user_model

    from compass.models import Cycle

    cycle = Cycle.objects.municipal().get(municipality__name="Utrecht", year=2026)
    client = logged_in(get_user_model().objects.get(username="alice"))
    for definition in steps.STEP_DEFS.values():
        step = definition.step.value
        before = stored(cycle)
        data, dates = form_data(client.get(step_url(cycle, step)).content.decode())
        assert all(ISO_DATE.match(value) for _name, value in dates if value), dates
        data["action"] = ["save"]
        response = client.post(step_url(cycle, step), data)
        assert response.status_code == 302, (step, response.content.decode()[:2000])
        after = stored(cycle)
        # A step that was not done yet becomes done (and gets a new version); nothing else.
        for key in before:
            if key != "progress":
                assert after[key] == before[key], (step, key)
    assert ImprovementAction.objects.filter(cycle=cycle).exclude(due=None).exists()
