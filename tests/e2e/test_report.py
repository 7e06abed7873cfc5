"""A reader opens the council report in the browser (axe on every page) and downloads the PDF
rendered by the session's real `manage.py db_worker` process (`task_worker`, conftest.py)."""

import io
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect
from pypdf import PdfReader

from compass.models import Cycle
from exports.models import ExportLog, PdfRender
from tests.e2e.conftest import SCREENSHOT_DIR
from tests.e2e.test_cycle import log_in


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reader_reads_the_report_and_downloads_the_pdf(checked_page, task_worker):
    # No PDF from an earlier test of the session (the crawl requests one): the real render path.
    task_worker.forget_stored_pdfs()
    cache.clear()
    call_command("setup_demo", verbosity=0)
    cycle = Cycle.objects.municipal().get(municipality__code="GM0344", year=2026)
    page = checked_page.page
    log_in(checked_page, "bob")
    checked_page.goto(f"/jaarcycli/{cycle.pk}/rapport/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jaarcyclus 2026 van Utrecht")
    for title in ("Samenvatting", "Blok 2: Maatschappelijk resultaat", "Zelfevaluatie"):
        expect(page.get_by_role("heading", level=2, name=title)).to_be_visible()
    expect(page.get_by_role("img", name="Realisatie per thema")).to_be_visible()
    expect(page.get_by_text("Buurtteams Utrecht met Veilig Thuis")).to_be_visible()
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "report.png"), full_page=True)

    # The first download waits for the session's worker (it renders in a child process): an
    # accessible 202 page that checks by itself and starts the download when the file is ready.
    with page.expect_download(timeout=90_000) as download_info:
        checked_page.follow(page.get_by_role("link", name="Downloaden als PDF"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Het PDF-bestand wordt gemaakt")
        expect(page.get_by_role("link", name="Opnieuw proberen")).to_be_visible()
    download = download_info.value
    assert download.suggested_filename == "kwaliteitskompas-utrecht-2026.pdf"
    reader = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Jaarcyclus 2026 van Utrecht" in text and "Pagina 2 van" in text
    expect(page.get_by_text("Het PDF-bestand is klaar")).to_be_visible()
    assert list(ExportLog.objects.filter(cycle=cycle).values_list("kind", flat=True)) == [
        "pdf",
        "html",
    ]
    render = PdfRender.objects.get(cycle=cycle)
    assert render.status == "ready" and render.render_seconds > 0
    assert DBTaskResult.objects.get(id=render.task_id).worker_ids  # run by the worker
