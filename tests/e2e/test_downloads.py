"""A reader downloads the workbook; a coordinator imports a JSON export as a new cycle (axe)."""

import io
import re

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from compass.models import Cycle
from exports.models import ExportLog
from tests.e2e.test_cycle import log_in


def open_downloads(checked_page, year=2026):
    cycle = Cycle.objects.municipal().get(municipality__code="GM0344", year=year)
    checked_page.goto(f"/jaarcycli/{cycle.pk}/downloads/")
    expect(checked_page.page.get_by_role("heading", level=1)).to_have_text(
        f"Downloads van de jaarcyclus {year} van Utrecht"
    )
    return cycle


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reader_downloads_the_workbook(checked_page):
    call_command("setup_demo", verbosity=0)
    page = checked_page.page
    log_in(checked_page, "bob")
    cycle = open_downloads(checked_page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Werkmap downloaden (XLSX)").click()
    download = info.value
    assert download.suggested_filename == "kwaliteitskompas-utrecht-2026.xlsx"
    # The download's temporary path has no .xlsx suffix, which openpyxl's path check wants.
    book = load_workbook(io.BytesIO(download.path().read_bytes()))
    assert "Aanbod" in book.sheetnames and "Resultaten" in book.sheetnames
    assert book["Aanbod"]["A1"].value == "Aanbod"
    assert book["Aanbod"].max_row > 1  # the demo cycle has offering
    with page.expect_download() as info:
        page.get_by_role("link", name="Aanbod (CSV)", exact=True).click()
    assert info.value.suggested_filename == "kwaliteitskompas-utrecht-2026-aanbod.csv"
    assert list(
        ExportLog.objects.filter(cycle=cycle).order_by("pk").values_list("user__username", "kind")
    ) == [("bob", "xlsx"), ("bob", "csv")]
    # A reader is no coordinator: no import link.
    expect(page.get_by_role("link", name=re.compile("importeren"))).to_have_count(0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_coordinator_imports_a_json_export_as_a_new_year(checked_page, tmp_path):
    call_command("setup_demo", verbosity=0)
    page = checked_page.page
    log_in(checked_page, "alice")
    open_downloads(checked_page)
    with page.expect_download() as info:
        page.get_by_role("link", name="JSON downloaden").click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name == "kwaliteitskompas-utrecht-2026.json"

    checked_page.follow(
        page.get_by_role(
            "link", name="Een JSON-export importeren als nieuwe jaarcyclus van Utrecht"
        )
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Een jaarcyclus importeren in Utrecht"
    )
    # First a mistake: the year that already exists. Nothing is imported, the summary says why.
    page.get_by_label("Jaar", exact=True).fill("2026")
    page.get_by_label("JSON-bestand").set_input_files(str(saved))
    checked_page.follow(page.get_by_role("button", name="Jaarcyclus importeren"))
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Utrecht heeft al een jaarcyclus voor 2026.")
    page.get_by_label("Jaar", exact=True).fill("2028")
    page.get_by_label("JSON-bestand").set_input_files(str(saved))
    checked_page.follow(page.get_by_role("button", name="Jaarcyclus importeren"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Jaarcyclus 2028 van Utrecht")
    expect(page.get_by_text("De jaarcyclus 2028 is geïmporteerd.")).to_be_visible()
    imported = Cycle.objects.municipal().get(municipality__code="GM0344", year=2028)
    source = Cycle.objects.municipal().get(municipality__code="GM0344", year=2026)
    assert imported.offerings.count() == source.offerings.count() > 0
    assert ExportLog.objects.filter(cycle=imported, kind="json_import").count() == 1
