"""The report views: permissions, the export log, the stored PDFs, 202 and failures.

The tasks run where they are enqueued (the immediate backend, tests/conftest.py); the queue
itself, with real `db_worker` processes, is tested in tests/exports/test_pdf_queue.py.
"""

import io
import logging
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from compass import services
from compass.models import ImprovementAction
from exports import pdf, pdf_tasks
from exports.models import ExportLog, PdfRender
from exports.views.report import _print_html

pytestmark = pytest.mark.django_db

VIEWS = ["exports:report", "exports:report_pdf", "exports:report_pdf_status"]


@pytest.fixture(autouse=True)
def _inline(settings, tmp_path):
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
def cycle(gemeente_a, alice):
    """A small cycle: renders in well under a second."""
    cycle = services.start_cycle(gemeente_a, 2026, alice)
    ImprovementAction.objects.create(
        cycle=cycle,
        what="Routekaart herzien",
        who="Beleidsadviseur jeugd",
        due="2026-10-01",
        decision="strengthen",
    )
    return cycle


@pytest.fixture
def renders(monkeypatch):
    """Count real renders (the renderer still runs)."""
    calls = []
    real = pdf.html_to_pdf

    def counting(html, name="document"):
        calls.append(name)
        return real(html, name)

    monkeypatch.setattr(pdf, "html_to_pdf", counting)
    return calls


def url(name, cycle):
    path = reverse(name, args=[cycle.pk])
    if name == "exports:report_pdf_status":  # the status of one requested render
        render = PdfRender.objects.filter(cycle=cycle).first() or PdfRender.objects.create(
            cycle=cycle, language="nl", content_key="0" * 64, status=PdfRender.Status.READY
        )
        path += f"?opdracht={render.pk}"
    return path


def status_of(client, cycle, render=None):
    render = render or PdfRender.objects.filter(cycle=cycle).first()
    path = reverse("exports:report_pdf_status", args=[cycle.pk])
    return client.get(f"{path}?opdracht={render.pk}").json()


@pytest.mark.parametrize("name", VIEWS)
@pytest.mark.parametrize(
    "who, status",
    [
        ("alice", 200),
        ("dave", 200),
        ("bob", 200),  # readers may export
        ("pia", 403),  # partner with an agreement: view_cycle only
        ("quinn", 404),
        ("carol", 404),
        ("bert", 404),
        ("erin", 404),
    ],
)
def test_permission_matrix(cast, cycle, client_for, name, who, status):
    response = client_for(cast[who]).get(url(name, cycle))
    assert response.status_code == status
    if status == 200:
        assert ExportLog.objects.filter(user=cast[who]).count() == (
            0 if name.endswith("status") else 1
        )
    else:
        assert not ExportLog.objects.exists()


@pytest.mark.parametrize("name", VIEWS)
def test_anonymous_goes_to_the_login_page(client, cycle, name):
    response = client.get(url(name, cycle))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", VIEWS)
def test_post_is_not_allowed(client_for, bob, cycle, name):
    assert client_for(bob).post(url(name, cycle)).status_code == 405


def test_unknown_cycle_is_404(client_for, bob):
    assert client_for(bob).get("/jaarcycli/999999/rapport/pdf/").status_code == 404


def test_the_pdf_download_is_logged_and_named_in_dutch(client_for, bob, cycle):
    response = client_for(bob).get(url("exports:report_pdf", cycle))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="kwaliteitskompas-utrecht-2026.pdf"'
    )
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert "Routekaart herzien" in "".join(p.extract_text() for p in reader.pages)
    entry = ExportLog.objects.get()
    assert (entry.user, entry.cycle, entry.kind) == (bob, cycle, "pdf")


def test_the_html_report_is_logged(client_for, bob, cycle):
    assert client_for(bob).get(url("exports:report", cycle)).status_code == 200
    assert ExportLog.objects.get().kind == "html"


def test_english_requester_gets_the_english_pdf(client_for, bob, cycle):
    client = client_for(bob)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get(url("exports:report_pdf", cycle))
    assert 'filename="quality-compass-utrecht-2026.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "Page 2 of" in reader.pages[1].extract_text()


def test_an_unchanged_cycle_is_rendered_once_and_a_changed_one_again(
    client_for, bob, alice, cycle, renders
):
    pdf_url = url("exports:report_pdf", cycle)
    first = b"".join(client_for(bob).get(pdf_url).streaming_content)
    again = b"".join(client_for(alice).get(pdf_url).streaming_content)
    assert first == again and len(renders) == 1
    assert len(pdf_tasks.storage().listdir(pdf_tasks.STORAGE_DIR)[1]) == 1
    ImprovementAction.objects.filter(cycle=cycle).update(who="Wethouder jeugd")
    changed = b"".join(client_for(bob).get(pdf_url).streaming_content)
    assert len(renders) == 2 and changed != first
    assert "Wethouder jeugd" in PdfReader(io.BytesIO(changed)).pages[-1].extract_text()
    assert ExportLog.objects.filter(kind="pdf").count() == 3


def test_while_a_render_of_the_same_pdf_waits_nobody_starts_another(
    client_for, bob, alice, cycle, renders, django_assert_max_num_queries
):
    # A render of exactly this content waits for a worker (requested on another app server).
    client = client_for(bob)
    with translation.override("nl"):
        html = _print_html(cycle, bob)
    waiting = PdfRender.objects.create(
        cycle=cycle, language="nl", content_key=pdf_tasks.key_for(html, "nl"), html=html
    )
    response = client.get(url("exports:report_pdf", cycle))
    assert response.status_code == 202 and renders == []
    page = response.content.decode()
    assert "Het PDF-bestand wordt gemaakt" in page
    assert f'href="{url("exports:report_pdf", cycle)}?opdracht={waiting.pk}"' in page
    assert "Opnieuw proberen" in page and "http-equiv" not in page
    assert PdfRender.objects.count() == 1
    assert status_of(client, cycle, waiting) == {"status": "pending"}
    assert not ExportLog.objects.filter(kind="pdf").exists()
    # A worker runs the waiting task; the status says ready and the named render is served.
    assert pdf_tasks.render_pdf.call(waiting.pk) == "ready"
    assert status_of(client, cycle, waiting) == {"status": "ready"}
    with django_assert_max_num_queries(12):  # served by id, the report is not built again
        response = client.get(f"{url('exports:report_pdf', cycle)}?opdracht={waiting.pk}")
    assert response.status_code == 200 and len(renders) == 1
    assert ExportLog.objects.filter(kind="pdf").count() == 1


def test_a_failed_render_shows_a_dutch_message_and_is_not_retried_at_once(
    client_for, bob, cycle, monkeypatch, caplog
):
    calls = []

    def broken(html, name="document"):
        calls.append(1)
        logging.getLogger("exports.pdf").error("PDF rendering of %s failed", name)
        raise pdf.PdfRenderingError("boom")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    client = client_for(bob)
    for _ in range(3):
        response = client.get(url("exports:report_pdf", cycle))
        assert response.status_code == 503
        text = response.content.decode()
        assert "Het PDF-bestand kon niet worden gemaakt" in text
        assert "Lees het rapport als webpagina, of probeer het later opnieuw" in text
    assert len(calls) == 1
    assert status_of(client, cycle) == {"status": "failed"}
    assert any("could not be rendered" in r.getMessage() for r in caplog.records)
    assert not ExportLog.objects.exists()


def test_the_child_process_renders_with_limits(settings, client_for, bob, cycle):
    settings.PDF_RENDERING = "process"  # a child process with a memory and a time limit
    response = client_for(bob).get(url("exports:report_pdf", cycle))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert "Routekaart herzien" in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(body)).pages
    )
    render = PdfRender.objects.get()
    assert render.status == "ready" and render.size == len(body) and render.html == ""
    assert render.render_seconds > 0 and render.started_at <= render.finished_at


def test_stored_pdfs_live_outside_the_media_folder():
    from django.conf import settings as django_settings

    location = Path(pdf_tasks.storage().location).resolve()
    media = Path(django_settings.MEDIA_ROOT).resolve()
    assert location != media and media not in location.parents
