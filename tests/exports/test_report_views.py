"""The report views: permissions, the export log, the PDF cache, the lock, 202 and failures."""

import io
import logging
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from compass import services
from compass.models import ImprovementAction
from exports import pdf, pdf_jobs
from exports.models import ExportLog
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
    return reverse(name, args=[cycle.pk])


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
    assert len(pdf_jobs.storage().listdir(pdf_jobs.STORAGE_DIR)[1]) == 1
    ImprovementAction.objects.filter(cycle=cycle).update(who="Wethouder jeugd")
    changed = b"".join(client_for(bob).get(pdf_url).streaming_content)
    assert len(renders) == 2 and changed != first
    assert "Wethouder jeugd" in PdfReader(io.BytesIO(changed)).pages[-1].extract_text()
    assert ExportLog.objects.filter(kind="pdf").count() == 3


def test_while_someone_renders_the_same_pdf_nobody_renders_it_again(
    client_for, bob, cycle, renders
):
    # Another request (or app server) holds the lock of exactly this content.
    client = client_for(bob)
    with translation.override("nl"):
        key = pdf_jobs.key_for(_print_html(cycle), "nl")
    assert cache.add(f"exports:pdf-lock:{key}", 1, 60)
    response = client.get(url("exports:report_pdf", cycle))
    assert response.status_code == 202 and renders == []
    html = response.content.decode()
    assert "Het PDF-bestand wordt gemaakt" in html
    assert f'href="{url("exports:report_pdf", cycle)}"' in html  # "Opnieuw proberen"
    assert "Opnieuw proberen" in html and "http-equiv" not in html
    assert client.get(url("exports:report_pdf_status", cycle)).json() == {"status": "pending"}
    assert not ExportLog.objects.filter(kind="pdf").exists()
    # When the lock is gone the next request renders and serves it.
    cache.delete(f"exports:pdf-lock:{key}")
    assert client.get(url("exports:report_pdf_status", cycle)).json() == {"status": "ready"}
    assert client.get(url("exports:report_pdf", cycle)).status_code == 200
    assert len(renders) == 1


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
        assert "Het PDF-bestand kon niet worden gemaakt" in response.content.decode()
    assert len(calls) == 1
    assert client.get(url("exports:report_pdf_status", cycle)).json() == {"status": "failed"}
    assert any("could not be rendered" in r.getMessage() for r in caplog.records)
    assert not ExportLog.objects.exists()


def test_the_real_process_path_renders_off_the_request(settings, client_for, bob, cycle):
    settings.PDF_RENDERING = "process"
    settings.PDF_WORKERS = 1
    client = client_for(bob)
    try:
        response = client.get(url("exports:report_pdf", cycle))
        assert response.status_code == 202  # answered at once; a child process renders
        deadline = time.monotonic() + 90
        status = "pending"
        while status == "pending" and time.monotonic() < deadline:
            time.sleep(0.3)
            status = client.get(url("exports:report_pdf_status", cycle)).json()["status"]
        assert status == "ready"
        response = client.get(url("exports:report_pdf", cycle))
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        assert "Routekaart herzien" in "".join(
            p.extract_text() for p in PdfReader(io.BytesIO(body)).pages
        )
    finally:
        pdf_jobs.shutdown()


def test_stored_pdfs_live_outside_the_media_folder():
    from django.conf import settings as django_settings

    location = Path(pdf_jobs.storage().location).resolve()
    media = Path(django_settings.MEDIA_ROOT).resolve()
    assert location != media and media not in location.parents
