"""The report and exports of one district, and the municipal report with the district annex
(issue 22, item 5): what they say, their file names, the PDF variants, the query counts and who
may read them.

PDFs are rendered for real (inline, tests/conftest.py) and read back with pypdf. Strings added
by this work may not be translated yet in the test run, so the tests look for names, codes and
numbers, which every language shows the same.
"""

import io
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from compass.models import Cycle
from exports import cycle_tables, pdf_tasks, portable
from exports.models import ExportLog, PdfRender
from exports.views.report import _print_html
from tests.exports import district_setup as ds

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.PDF_RENDERING = "inline"
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def municipal(gemeente_a, alice):
    return ds.municipal_cycle(gemeente_a, alice)


@pytest.fixture
def districts(municipal):
    return ds.named_districts(municipal)


@pytest.fixture
def overvecht(districts):
    return districts["WK034406"]


@pytest.fixture
def team(gemeente_a, districts):
    """dina: editor limited to Overvecht; olaf: reader limited to Binnenstad."""
    return {
        "dina": ds.district_member(gemeente_a, "WK034406", "editor", "dina"),
        "olaf": ds.district_member(gemeente_a, "WK034401", "reader", "olaf"),
    }


def pdf_text(response) -> str:
    content = b"".join(response.streaming_content)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


# --- One district ----------------------------------------------------------------------------


def test_the_district_report_names_district_and_municipality_and_shows_its_own_figures(
    client_for, bob, municipal, overvecht
):
    page = client_for(bob).get(reverse("exports:report", args=[overvecht.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Overvecht" in html and "WK034406" in html and "Utrecht" in html
    assert "17,25" in html  # the district's own figure
    assert ds.MUNICIPAL_FIGURE[0] not in html  # never the municipality's figure
    assert "62.000" not in html  # no estimate from the municipality's youth population
    assert "Binnenstad" not in html  # nor another district's rows
    # The shared ambitions are there, marked as the municipality's.
    assert "Minder kindermishandeling in de stad" in html
    assert html.count('class="utrecht-paragraph report-shared"') == 2
    # The municipal report does show its estimate and figure, and no district's rows.
    municipal_html = client_for(bob).get(reverse("exports:report", args=[municipal.pk]))
    text = municipal_html.content.decode()
    assert "62.000" in text and ds.MUNICIPAL_FIGURE[0] in text
    assert "Meldingen Overvecht" not in text


def test_the_district_pdf_names_its_district_and_is_named_after_it(client_for, bob, overvecht):
    response = client_for(bob).get(reverse("exports:report_pdf", args=[overvecht.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="kwaliteitskompas-utrecht-overvecht-2026.pdf"'
    )
    text = flat(pdf_text(response))
    assert "Overvecht (WK034406)" in text and "Utrecht" in text
    assert "17,25" in text and "Buurtteam Overvecht" in text
    assert ds.MUNICIPAL_FIGURE[0] not in text and "62.000" not in text
    assert "Binnenstad" not in text
    render = PdfRender.objects.get()
    assert (render.cycle, render.variant) == (overvecht, "")


def test_the_district_downloads_are_named_after_the_district(client_for, bob, overvecht):
    client = client_for(bob)
    expected = {
        reverse(
            "exports:xlsx", args=[overvecht.pk]
        ): "kwaliteitskompas-utrecht-overvecht-2026.xlsx",
        reverse(
            "exports:json", args=[overvecht.pk]
        ): "kwaliteitskompas-utrecht-overvecht-2026.json",
        reverse("exports:csv", args=[overvecht.pk, "aanbod"]): (
            "kwaliteitskompas-utrecht-overvecht-2026-aanbod.csv"
        ),
    }
    for url, name in expected.items():
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    page = client.get(reverse("exports:downloads", args=[overvecht.pk])).content.decode()
    assert "Overvecht (WK034406), Utrecht" in page
    assert "kwaliteitskompas-utrecht-overvecht-2026-aanbod.csv" in page
    # The district's workbook holds its own offering, not the other district's.
    workbook = load_workbook(io.BytesIO(client.get(list(expected)[0]).content))
    cells = {c.value for sheet in workbook for row in sheet.iter_rows() for c in row}
    assert "Buurtteam Overvecht" in cells and "Buurtteam Binnenstad" not in cells


# --- The JSON of a district cycle -------------------------------------------------------------


def test_the_json_of_a_district_cycle_says_its_district_and_is_lossless(overvecht):
    data = json.loads(portable.dumps(portable.export_cycle(overvecht)))
    assert data["district"] == {
        "code": "WK034406",
        "name": "Overvecht",
        "municipal_cycle_year": 2026,
    }
    assert data["source"]["district_code"] == "WK034406"
    body = data["cycle"]
    assert [f["label"] for f in body["figures"]] == ["Meldingen Overvecht"]
    assert [a["text"] for a in body["ambitions"]] == ["Minder kindermishandeling in de stad"]
    assert {a["what"] for a in body["actions"]} == {
        "Open actie Overvecht",
        "Afgeronde actie Overvecht",
    }


def test_a_municipal_json_has_no_district(municipal, districts):
    assert "district" not in portable.export_cycle(municipal)


def test_the_import_of_a_district_cycle_file_is_refused_and_writes_nothing(
    client_for, alice, overvecht
):
    content = portable.dumps(portable.export_cycle(overvecht))
    before = Cycle.objects.count()
    page = client_for(alice).post(
        reverse("exports:import", args=["GM0344"]),
        {"year": 2030, "file": io.BytesIO(content)},
    )
    assert page.status_code == 200  # the form again, with the reason
    body = page.content.decode()
    assert "Overvecht (WK034406)" in body
    assert Cycle.objects.count() == before
    assert not ExportLog.objects.filter(kind=ExportLog.Kind.JSON_IMPORT).exists()
    with pytest.raises(portable.ImportRefused) as refused:
        portable.import_cycle(json.loads(content), overvecht.municipality, 2031)
    assert "WK034406" in refused.value.messages[0]


def test_a_district_file_with_a_broken_district_value_is_still_refused(alice, overvecht):
    data = json.loads(portable.dumps(portable.export_cycle(overvecht)))
    for broken in ("WK034406", ["x"], {"code": 7}, {}):
        data["district"] = broken
        with pytest.raises(portable.ImportRefused):
            portable.import_cycle(data, overvecht.municipality, 2031)
    assert Cycle.objects.filter(year=2031).count() == 0


# --- The municipal report with the district annex -----------------------------------------------


def annex_url(name, cycle):
    return reverse(name, args=[cycle.pk]) + "?wijkbijlage=1"


def test_the_annex_shows_every_district_with_its_own_rows(client_for, bob, municipal, districts):
    html = client_for(bob).get(annex_url("exports:report", municipal)).content.decode()
    for _code, (name, _value, shown) in ds.DISTRICTS.items():
        assert f"Meldingen {name}" in html and shown in html
        assert f"Gezinnen in {name}" in html and f"Buurtteam {name}" in html
        assert f"Open actie {name}" in html
        assert f"Afgeronde actie {name}" not in html  # only open actions
    assert 'id="wijkbijlage"' in html
    assert html.index("Binnenstad (WK034401)") < html.index("Overvecht (WK034406)")
    plain = client_for(bob).get(reverse("exports:report", args=[municipal.pk])).content.decode()
    assert "Meldingen Overvecht" not in plain and 'id="wijkbijlage"' not in plain
    assert "?wijkbijlage=1" in plain  # the link to the variant


def test_the_annex_pdf_holds_both_districts_and_is_its_own_variant(
    client_for, bob, municipal, districts
):
    client = client_for(bob)
    plain = client.get(reverse("exports:report_pdf", args=[municipal.pk]))
    assert (
        plain["Content-Disposition"] == 'attachment; filename="kwaliteitskompas-utrecht-2026.pdf"'
    )
    assert "Meldingen Overvecht" not in flat(pdf_text(plain))
    response = client.get(annex_url("exports:report_pdf", municipal))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="kwaliteitskompas-utrecht-2026-met-wijkbijlage.pdf"'
    )
    text = flat(pdf_text(response))
    for _code, (name, _value, shown) in ds.DISTRICTS.items():
        assert f"{name} (" in text and f"Meldingen {name}" in text and shown in text
    renders = {r.variant: r for r in PdfRender.objects.filter(cycle=municipal)}
    assert set(renders) == {"", "wijkbijlage"}
    assert renders[""].content_key != renders["wijkbijlage"].content_key
    # A named render of one variant is never served for the other: the plain render's id with
    # the annex parameter gives the annex PDF.
    named = client.get(annex_url("exports:report_pdf", municipal) + f"&opdracht={renders[''].pk}")
    assert "Meldingen Overvecht" in flat(pdf_text(named))
    again = client.get(
        reverse("exports:report_pdf", args=[municipal.pk])
        + f"?opdracht={renders['wijkbijlage'].pk}"
    )
    assert "Meldingen Overvecht" not in flat(pdf_text(again))
    status = client.get(
        annex_url("exports:report_pdf_status", municipal) + f"&opdracht={renders[''].pk}"
    )
    assert status.status_code == 404  # the plain render is not a render of the annex
    logged = ExportLog.objects.filter(kind=ExportLog.Kind.PDF).values_list("detail", flat=True)
    assert sum("wijkbijlage" in d for d in logged) == 2


def test_a_waiting_render_of_one_variant_does_not_supersede_the_other(monkeypatch, municipal):
    class Enqueued:
        id = "test"

    class Queue:  # the task is enqueued, never run
        @staticmethod
        def enqueue(*args):
            return Enqueued()

    monkeypatch.setattr(pdf_tasks, "render_pdf", Queue())
    plain = pdf_tasks.request_pdf(municipal, "<p>a</p>", "nl")
    annex = pdf_tasks.request_pdf(municipal, "<p>a</p>", "nl", variant="wijkbijlage")
    assert plain.content_key != annex.content_key  # same HTML, different variant
    assert {plain.status, annex.status} == {PdfRender.Status.PENDING}
    newer = pdf_tasks.request_pdf(municipal, "<p>b</p>", "nl")
    statuses = dict(PdfRender.objects.values_list("pk", "status"))
    assert statuses[plain.pk] == PdfRender.Status.SUPERSEDED
    assert statuses[annex.pk] == statuses[newer.pk] == PdfRender.Status.PENDING


def test_the_waiting_page_of_the_annex_keeps_the_variant(client_for, bob, municipal, districts):
    with translation.override("nl"):
        html = _print_html(municipal, bob, annex=True)
    waiting = PdfRender.objects.create(
        cycle=municipal,
        language="nl",
        variant="wijkbijlage",
        content_key=pdf_tasks.key_for(html, "nl", "wijkbijlage"),
        html=html,
    )
    response = client_for(bob).get(annex_url("exports:report_pdf", municipal))
    assert response.status_code == 202
    page = response.content.decode()
    assert f"?wijkbijlage=1&amp;opdracht={waiting.pk}" in page  # download and status URLs
    assert PdfRender.objects.count() == 1


def test_pruning_keeps_the_newest_pdf_of_each_variant(municipal):
    from datetime import timedelta

    from django.core.files.base import ContentFile

    old = pdf_tasks.now() - timedelta(days=90)
    kept = []
    for variant, key in (("", "c"), ("wijkbijlage", "d")):
        render = PdfRender.objects.create(
            cycle=municipal,
            language="nl",
            variant=variant,
            content_key=key * 64,
            status=PdfRender.Status.READY,
            finished_at=old,
        )
        pdf_tasks.storage().save(pdf_tasks.path_for(render.content_key), ContentFile(b"%PDF"))
        kept.append(render.pk)
    assert pdf_tasks.prune(retention_days=30) == (0, 0)
    assert sorted(PdfRender.objects.values_list("pk", flat=True)) == sorted(kept)


def test_the_plain_key_did_not_change():
    """Stored PDFs of the report keep their key: the variant only enters a variant's key."""
    assert pdf_tasks.key_for("<p>a</p>", "nl") == pdf_tasks.key_for("<p>a</p>", "nl", "")
    assert pdf_tasks.key_for("<p>a</p>", "nl") != pdf_tasks.key_for("<p>a</p>", "nl", "x")


def test_the_annex_costs_the_same_queries_for_3_and_for_100_districts(client_for, bob, municipal):
    ds.more_districts(municipal, 3)
    client = client_for(bob)
    url = annex_url("exports:report", municipal)
    workbook = reverse("exports:xlsx", args=[municipal.pk])
    client.get(url)  # warm up (sessions, content types)
    counts = []
    for _round in range(2):
        cache.clear()
        with CaptureQueriesContext(connection) as html_queries:
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as xlsx_queries:
            assert client.get(workbook).status_code == 200
        counts.append((len(html_queries), len(xlsx_queries)))
        if _round == 0:
            # WK034400 ... WK034499: every two-digit district code of the municipality.
            ds.more_districts(municipal, 10, start=0)
            ds.more_districts(municipal, 87, start=13)
    assert Cycle.objects.filter(parent=municipal).count() == 100
    assert counts[0] == counts[1], counts


def test_the_municipal_workbook_has_the_district_sheets(client_for, bob, municipal, districts):
    response = client_for(bob).get(reverse("exports:xlsx", args=[municipal.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    municipal_sheets = len(cycle_tables.TABLES)
    extra = workbook.worksheets[municipal_sheets:]
    overview = [[c.value for c in row] for row in extra[0].iter_rows()]
    assert [row[:2] for row in overview[1:]] == [
        ["WK034401", "Binnenstad"],
        ["WK034406", "Overvecht"],
    ]
    assert overview[1][2] == 35_000 and overview[1][-1] == 1  # one open action
    values = {tuple(c.value for c in row[:3]) for sheet in extra[1:] for row in sheet.iter_rows()}
    assert ("WK034406", "Overvecht", "Meldingen Overvecht") in values
    assert ("WK034401", "Binnenstad", "Buurtteam Binnenstad") in values
    # Shared parts are the municipality's sheets only; a district cycle's workbook has none.
    assert not any("Minder meldingen" in str(v) for v in values)
    single = client_for(bob).get(reverse("exports:xlsx", args=[districts["WK034406"].pk]))
    assert len(load_workbook(io.BytesIO(single.content)).worksheets) == municipal_sheets


# --- Who may read what ---------------------------------------------------------------------------

DISTRICT_VIEWS = [
    "exports:report",
    "exports:report_pdf",
    "exports:report_pdf_status",
    "exports:downloads",
    "exports:xlsx",
    "exports:json",
]
ANNEX_VIEWS = ["exports:report", "exports:report_pdf", "exports:report_pdf_status"]


def url_for(name, cycle, annex=False):
    path = reverse(name, args=[cycle.pk])
    query = ["wijkbijlage=1"] if annex else []
    if name == "exports:report_pdf_status":
        render = PdfRender.objects.create(
            cycle=cycle,
            language="nl",
            content_key=("a" if annex else "b") * 64,
            status=PdfRender.Status.READY,
            variant="wijkbijlage" if annex else "",
        )
        query.append(f"opdracht={render.pk}")
    return path + ("?" + "&".join(query) if query else "")


def who(cast, team, name):
    return team.get(name) or cast[name]


ROLES = [
    ("alice", 200, 200),  # coordinator
    ("dave", 200, 200),  # editor
    ("bob", 200, 200),  # reader
    ("dina", 200, 404),  # editor limited to Overvecht: its district, not the municipal cycle
    ("olaf", 404, 404),  # reader limited to Binnenstad
    ("pia", 403, 403),  # partner through a sharing agreement: view_cycle only
    ("quinn", 404, 404),  # outsider
    ("erin", 404, 404),  # content editor
]


@pytest.mark.parametrize("name", DISTRICT_VIEWS)
@pytest.mark.parametrize("user, district_status, _annex_status", ROLES)
def test_the_district_cycle_exports_follow_cycle_access(
    cast, team, client_for, overvecht, name, user, district_status, _annex_status
):
    response = client_for(who(cast, team, user)).get(url_for(name, overvecht))
    assert response.status_code == district_status


@pytest.mark.parametrize("name", ANNEX_VIEWS)
@pytest.mark.parametrize("user, _district_status, annex_status", ROLES)
def test_the_annex_needs_export_on_the_municipal_cycle(
    cast, team, client_for, municipal, name, user, _district_status, annex_status
):
    response = client_for(who(cast, team, user)).get(url_for(name, municipal, annex=True))
    assert response.status_code == annex_status
    logged = ExportLog.objects.filter(cycle=municipal).exists()
    assert logged == (annex_status == 200 and not name.endswith("status"))


@pytest.mark.parametrize("name", ANNEX_VIEWS)
def test_anonymous_visitors_go_to_the_login_page(client, municipal, overvecht, name):
    for url in (url_for(name, overvecht), url_for(name, municipal, annex=True)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", ANNEX_VIEWS)
def test_a_district_cycle_has_no_annex(cast, team, client_for, overvecht, name):
    """Asked of a district cycle, the annex answers 404, also to its own members."""
    for user in (cast["alice"], team["dina"]):
        assert client_for(user).get(url_for(name, overvecht, annex=True)).status_code == 404
