"""The pages of a district cycle (issue 22): they say whose cycle it is, the shared Ambities step
is read-only with a note, every other step and action works, the situation step reads the
district's own CBS figures, and the municipal-only links are not offered."""

from decimal import Decimal

import pytest
from django.utils import timezone, translation

from compass.models import (
    Ambition,
    CbsObservation,
    ChangeRecord,
    SituationFigure,
    Step,
    StepProgress,
    TargetGroup,
)
from questionnaire import steps
from questionnaire.step_saving import shared_step_message
from tests.compass.test_closed_cycle import fingerprint
from tests.factories import IndicatorFactory
from tests.questionnaire.cycle_helpers import post_data

pytestmark = pytest.mark.django_db


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_the_dashboard_names_the_district_and_links_the_municipal_cycle(
    district_cycles, client_for, alice, dina
):
    cycle = district_cycles.own
    html = page(client_for(alice), f"/jaarcycli/{cycle.pk}/")
    assert 'id="district-banner"' in html
    assert "Binnenstad" in html and "WK034401" in html and "Utrecht" in html
    title = html.split("<title>")[1].split("</title>")[0]
    assert "Binnenstad" in title and "Utrecht" in title
    assert f'href="/jaarcycli/{district_cycles.municipal.pk}/"' in html  # banner and breadcrumb
    assert 'class="breadcrumbs"' in html
    # Municipal only: no self-assessment or benchmark on a district cycle.
    assert f"/jaarcycli/{cycle.pk}/zelfevaluatie/" not in html
    assert f"/jaarcycli/{cycle.pk}/vergelijking/" not in html
    # A member limited to the district never gets a link to what they cannot open.
    limited = page(client_for(dina), f"/jaarcycli/{cycle.pk}/")
    assert 'id="district-banner"' in limited
    assert f'href="/jaarcycli/{district_cycles.municipal.pk}/"' not in limited
    assert "/gemeenten/GM0344/cijfers/" not in limited


def test_the_municipal_dashboard_has_no_banner(district_cycles, client_for, alice):
    html = page(client_for(alice), f"/jaarcycli/{district_cycles.municipal.pk}/")
    assert 'id="district-banner"' not in html
    assert f"/jaarcycli/{district_cycles.municipal.pk}/zelfevaluatie/" in html


@pytest.mark.parametrize("step", steps.STEPS)
def test_every_step_and_its_history_name_the_district(step, district_cycles, client_for, dina):
    cycle = district_cycles.own
    client = client_for(dina)
    for path in (f"/jaarcycli/{cycle.pk}/{step}/", f"/jaarcycli/{cycle.pk}/{step}/geschiedenis/"):
        html = page(client, path)
        assert 'id="district-banner"' in html, path
        title = html.split("<title>")[1].split("</title>")[0]
        assert "Binnenstad" in title, path


def test_the_ambities_step_is_read_only_with_a_note(district_cycles, client_for, alice, dina):
    cycle = district_cycles.own
    for user in (alice, dina):
        html = page(client_for(user), f"/jaarcycli/{cycle.pk}/{Step.AMBITIONS}/")
        assert 'id="shared-step-note"' in html
        assert 'id="step-form"' not in html  # no form: no save, draft or autosave
        for button in ('value="save"', 'value="draft"', 'value="next"', "autosave-status"):
            assert button not in html, button
        assert "Ieder kind groeit veilig op" in html  # the municipality's ambition, shown
    # The coordinator can read the municipal cycle: the note links its Ambities step.
    alice_html = page(client_for(alice), f"/jaarcycli/{cycle.pk}/{Step.AMBITIONS}/")
    assert f"/jaarcycli/{district_cycles.municipal.pk}/{Step.AMBITIONS}/" in alice_html
    dina_html = page(client_for(dina), f"/jaarcycli/{cycle.pk}/{Step.AMBITIONS}/")
    assert f"/jaarcycli/{district_cycles.municipal.pk}/" not in dina_html


@pytest.mark.parametrize("action", ["save", "next", "draft", "previous", "dashboard", "autosave"])
def test_a_forged_post_to_the_shared_step_is_refused_and_stores_nothing(
    action, district_cycles, client_for, alice, dina
):
    cycle = district_cycles.own
    data = post_data(
        cycle, Step.AMBITIONS, rows={"ambitions": [{"kind": "reduce", "text": "Vals"}]}
    )
    data["action"] = action
    with translation.override("nl"):
        message = str(shared_step_message())
    for user in (alice, dina):
        before = fingerprint()
        response = client_for(user).post(
            f"/jaarcycli/{cycle.pk}/{Step.AMBITIONS}/", data, HTTP_ACCEPT_LANGUAGE="nl"
        )
        assert response.status_code == 403
        body = response.json()["message"] if action == "autosave" else response.content.decode()
        assert message in body
        assert fingerprint() == before
    assert not Ambition.objects.filter(text="Vals").exists()


def test_every_other_step_saves_on_a_district_cycle(district_cycles, client_for, dina):
    cycle = district_cycles.own
    client = client_for(dina)
    existing = list(TargetGroup.objects.filter(cycle=cycle).values("id", "name"))
    data = post_data(
        cycle,
        Step.TARGET_GROUPS,
        rows={"target_groups": [{"name": "Tieners in de Binnenstad"}]},
        existing={"target_groups": [{"id": r["id"], "name": r["name"]} for r in existing]},
        action="save",
    )
    response = client.post(f"/jaarcycli/{cycle.pk}/{Step.TARGET_GROUPS}/", data)
    assert response.status_code in (200, 302)
    # Whatever the step's required fields, a draft is always kept: nothing is refused.
    progress = StepProgress.objects.get(cycle=cycle, step=Step.TARGET_GROUPS)
    assert progress.version >= 1
    municipal = district_cycles.municipal
    assert not TargetGroup.objects.filter(cycle=municipal, name="Tieners in de Binnenstad").exists()
    for step in steps.STEPS:
        if step == Step.AMBITIONS:
            continue
        response = client.post(
            f"/jaarcycli/{cycle.pk}/{step}/", post_data(cycle, step, action="draft")
        )
        assert response.status_code == 302, step


def test_the_history_of_a_district_cycle_is_its_own(district_cycles, client_for, alice):
    cycle = district_cycles.own
    ChangeRecord.objects.filter(cycle=district_cycles.municipal).update(step=Step.TARGET_GROUPS)
    html = page(client_for(alice), f"/jaarcycli/{cycle.pk}/{Step.TARGET_GROUPS}/geschiedenis/")
    assert 'id="district-banner"' in html


def test_purchasing_check_and_exports_work_on_a_district_cycle(district_cycles, client_for, dina):
    cycle = district_cycles.own
    client = client_for(dina)
    html = page(client, f"/jaarcycli/{cycle.pk}/inkoopcheck/")
    assert "Binnenstad" in html or "inkoopcheck" in html.lower()
    for path in (
        f"/jaarcycli/{cycle.pk}/downloads/",
        f"/jaarcycli/{cycle.pk}/downloads/jaarcyclus.json",
        f"/jaarcycli/{cycle.pk}/downloads/werkmap.xlsx",
        f"/jaarcycli/{cycle.pk}/rapport/",
    ):
        assert client.get(path).status_code == 200, path
    figure = SituationFigure.objects.get(cycle=cycle, label="Meldingen Binnenstad")
    response = client.post(f"/jaarcycli/{cycle.pk}/inkoopcheck/overnemen/", {"figure": figure.pk})
    assert response.status_code == 302


# --- The situation step: the district's own CBS figures -------------------------------------


@pytest.fixture
def cbs_indicator(db):
    indicator = IndicatorFactory(code="vt-meldingen-wijk", name="Meldingen", cbs_table_id="T1")
    return indicator


def observe(indicator, code, value, period="2024JJ00"):
    return CbsObservation.objects.create(
        indicator=indicator,
        table_id="T1",
        region_code=code,
        period=period,
        value=value,
        imported_at=timezone.now(),
    )


def test_a_district_without_cbs_figures_says_so(district_cycles, cbs_indicator, client_for, alice):
    observe(cbs_indicator, "GM0344", Decimal("41.5"))  # the municipality's figure only
    cycle = district_cycles.own
    html = page(client_for(alice), f"/jaarcycli/{cycle.pk}/{Step.SITUATION}/")
    assert 'id="no-cbs-figures"' in html
    assert "41,5" not in html and "41.5" not in html  # never shown as the district's
    municipal = page(client_for(alice), f"/jaarcycli/{district_cycles.municipal.pk}/situatie/")
    assert 'id="no-cbs-figures"' not in municipal
    assert "41,5" in municipal or "41.5" in municipal


def test_a_district_shows_its_own_cbs_figures_beside_the_municipality(
    district_cycles, cbs_indicator, client_for, alice
):
    own = observe(cbs_indicator, "WK034401", Decimal("12.25"))
    beside = observe(cbs_indicator, "GM0344", Decimal("41.5"))
    observe(cbs_indicator, "WK034402", Decimal("99.75"))  # another district: never here
    cycle = district_cycles.own
    html = page(client_for(alice), f"/jaarcycli/{cycle.pk}/{Step.SITUATION}/")
    assert 'id="no-cbs-figures"' not in html
    assert "12,25" in html or "12.25" in html
    assert "99,75" not in html and "99.75" not in html
    # Taking them over stores the district's figure under the indicator's own name and the
    # municipality's under the municipality's name.
    response = client_for(alice).post(
        f"/jaarcycli/{cycle.pk}/situatie/cijfers/overnemen/",
        {"observation": [str(own.pk), str(beside.pk)]},
    )
    assert response.status_code == 302
    stored = dict(
        SituationFigure.objects.filter(cycle=cycle, source__startswith="CBS").values_list(
            "label", "value"
        )
    )
    assert stored == {"Meldingen": Decimal("12.25"), "Meldingen – Utrecht": Decimal("41.50")}


def test_the_other_districts_figure_cannot_be_taken_over(
    district_cycles, cbs_indicator, client_for, alice
):
    foreign = observe(cbs_indicator, "WK034402", Decimal("99.75"))
    cycle = district_cycles.own
    client_for(alice).post(
        f"/jaarcycli/{cycle.pk}/situatie/cijfers/overnemen/", {"observation": [str(foreign.pk)]}
    )
    assert not SituationFigure.objects.filter(cycle=cycle, value=Decimal("99.75")).exists()


def test_the_csv_upload_works_on_a_district_cycle(district_cycles, client_for, dina):
    import io

    from questionnaire.situation.csv_upload import template_csv

    cycle = district_cycles.own
    upload = io.BytesIO(template_csv())
    upload.name = "cijfers.csv"
    client = client_for(dina)
    assert client.get(f"/jaarcycli/{cycle.pk}/situatie/cijfers/uploaden/").status_code == 200
    response = client.post(f"/jaarcycli/{cycle.pk}/situatie/cijfers/uploaden/", {"file": upload})
    assert response.status_code == 302
    assert SituationFigure.objects.filter(cycle=cycle).count() > 1
