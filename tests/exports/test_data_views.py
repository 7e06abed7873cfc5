"""The downloads page, the CSV/XLSX/JSON downloads and the import page against the whole cast."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from compass import access, parts
from compass.models import (
    Ambition,
    Answer,
    ChangeRecord,
    Cycle,
    Offering,
    Result,
    SituationFigure,
)
from exports import cycle_tables, portable
from exports.models import ExportLog
from tests.exports.cycle_builders import HOSTILE, UNICODE, rich_cycle

pytestmark = pytest.mark.django_db

CAST = ["alice", "dave", "bob", "carol", "bert", "pia", "quinn", "erin", "admin", "anonymous"]
LOGIN = "login"
EXPORT = {
    "alice": 200,
    "dave": 200,
    "bob": 200,  # readers may download
    "carol": 404,
    "bert": 404,
    "pia": 403,  # a partner through an agreement reads, but may not export
    "quinn": 404,
    "erin": 404,
    "admin": 200,
    "anonymous": LOGIN,
}
IMPORT = {
    "alice": 200,
    "dave": 403,
    "bob": 403,
    "carol": 404,
    "bert": 404,
    "pia": 403,
    "quinn": 404,
    "erin": 404,
    "admin": 200,
    "anonymous": LOGIN,
}


@pytest.fixture
def cycle_a(cast, gemeente_a, alice):
    return rich_cycle(gemeente_a, user=alice)


def download_urls(cycle):
    return [
        reverse("exports:downloads", args=[cycle.pk]),
        reverse("exports:csv", args=[cycle.pk, "aanbod"]),
        reverse("exports:xlsx", args=[cycle.pk]),
        reverse("exports:json", args=[cycle.pk]),
    ]


def assert_status(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("who", CAST)
def test_download_views_permission_matrix(who, cast, client_for, cycle_a):
    client = client_for(cast[who])
    for url in download_urls(cycle_a):
        assert_status(client.get(url), EXPORT[who])
        assert client.post(url).status_code in (405, 302)  # read-only views


@pytest.mark.parametrize("who", CAST)
def test_import_view_permission_matrix(who, cast, client_for, cycle_a, gemeente_a):
    client = client_for(cast[who])
    url = reverse("exports:import", args=[gemeente_a.code])
    before = Cycle.objects.count()
    assert_status(client.get(url), IMPORT[who])
    data = portable.dumps(portable.export_cycle(cycle_a))
    response = client.post(url, {"year": 2030, "file": SimpleUploadedFile("x.json", data)})
    if IMPORT[who] == 200:
        assert response.status_code == 302
        assert Cycle.objects.count() == before + 1
    else:
        assert_status(response, IMPORT[who])
        assert Cycle.objects.count() == before


def test_unknown_table_or_cycle_is_404(alice, client_for, cycle_a):
    client = client_for(alice)
    assert client.get(f"/jaarcycli/{cycle_a.pk}/downloads/geheim.csv").status_code == 404
    assert client.get("/jaarcycli/999999/downloads/").status_code == 404
    assert client.get("/gemeenten/GM9999/jaarcyclus/importeren/").status_code == 404


def test_every_download_is_logged(bob, client_for, cycle_a):
    client = client_for(bob)
    client.get(reverse("exports:downloads", args=[cycle_a.pk]))
    assert not ExportLog.objects.exists()  # the page itself is no export
    for url in download_urls(cycle_a)[1:]:
        client.get(url)
    logs = list(ExportLog.objects.order_by("pk").values_list("user__username", "kind", "detail"))
    assert logs == [
        ("bob", "csv", "aanbod"),
        ("bob", "xlsx", "kwaliteitskompas-utrecht-2026.xlsx"),
        ("bob", "json", "kwaliteitskompas-utrecht-2026.json"),
    ]


def test_refused_downloads_are_not_logged(pia, carol, client_for, cycle_a):
    for user in (pia, carol):
        for url in download_urls(cycle_a)[1:]:
            client_for(user).get(url)
    assert not ExportLog.objects.exists()


def test_downloads_page_lists_every_table_with_dutch_names(bob, client_for, cycle_a):
    page = client_for(bob).get(reverse("exports:downloads", args=[cycle_a.pk])).content.decode()
    assert "Downloads van de jaarcyclus 2026 van Utrecht" in page
    for slug in cycle_tables.TABLES:
        assert f"/jaarcycli/{cycle_a.pk}/downloads/{slug}.csv" in page
    assert 'download="kwaliteitskompas-utrecht-2026-aanbod.csv"' in page
    assert "Werkmap downloaden (XLSX)" in page and "JSON downloaden" in page
    assert "importeren" not in page.lower().split("</main>")[0].split("json downloaden")[-1]


def test_coordinators_see_the_import_link(alice, client_for, cycle_a):
    page = client_for(alice).get(reverse("exports:downloads", args=[cycle_a.pk])).content.decode()
    assert reverse("exports:import", args=["GM0344"]) in page


# --- CSV ------------------------------------------------------------------------------------


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_csv_has_dutch_headers_labels_and_a_dutch_filename(bob, client_for, cycle_a):
    response = client_for(bob).get(reverse("exports:csv", args=[cycle_a.pk, "aanbod"]))
    assert response["Content-Disposition"] == (
        'attachment; filename="kwaliteitskompas-utrecht-2026-aanbod.csv"'
    )
    rows = read_csv(response)
    assert rows[0] == [
        "Aanbod",
        "Soort aanbod",
        "Aanbieder",
        "Doelgroepen",
        "Resultaten waaraan het bijdraagt",
        "Erkenningsniveau",
        "Databank",
        "Link naar de databank",
        "Erkenning geldig tot",
        "Capaciteit",
    ]
    assert rows[1][0] == "'-Huisbezoek"  # escaped: would be a formula
    assert rows[1][1] == "preventie" and rows[1][5] == "Sterke aanwijzingen voor effectiviteit"
    assert rows[1][6] == "Databank Effectieve Jeugdinterventies (NJi)"
    assert rows[1][3] == f"Ouders met partnergeweld; {UNICODE}"
    assert rows[1][8] == "2028-12-31" and rows[1][9] == "40"


def test_csv_escapes_formulas_and_writes_decimal_commas(bob, client_for, cycle_a):
    # A negative figure is refused on entry since issue 16, but one stored before may remain.
    SituationFigure.objects.filter(cycle=cycle_a, label=HOSTILE).update(value=Decimal("-0.50"))
    client = client_for(bob)
    figures = read_csv(client.get(reverse("exports:csv", args=[cycle_a.pk, "situatie-cijfers"])))
    assert figures[2][0] == "'" + HOSTILE
    assert figures[1][3] == "4,15" and figures[2][3] == "-0,50"  # negative numbers stay numbers
    results = read_csv(client.get(reverse("exports:csv", args=[cycle_a.pk, "resultaten"])))
    assert results[2][2] == "'@Proces"
    plan = read_csv(client.get(reverse("exports:csv", args=[cycle_a.pk, "verbeterplan"])))
    assert plan[2][0] == "'" + HOSTILE


@pytest.mark.parametrize("text", ["=1+1", "+31", "-x", "@SUM(A1)", "\t=1", " =1+1", "\n@A"])
def test_every_formula_start_is_escaped_in_csv_and_xlsx(text, bob, client_for, cycle_a):
    Ambition.objects.filter(cycle=cycle_a).update(text=text)
    client = client_for(bob)
    rows = read_csv(client.get(reverse("exports:csv", args=[cycle_a.pk, "ambities"])))
    assert rows[1][1] == "'" + text
    book = load_workbook(io.BytesIO(client.get(reverse("exports:xlsx", args=[cycle_a.pk])).content))
    cell = book["Ambities"]["B2"]
    assert cell.value == "'" + text and cell.data_type == "s"


# --- XLSX -----------------------------------------------------------------------------------


def test_workbook_has_a_sheet_per_table_with_dutch_headers_and_numbers(bob, client_for, cycle_a):
    response = client_for(bob).get(reverse("exports:xlsx", args=[cycle_a.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "kwaliteitskompas-utrecht-2026.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Cijfers",
        "Duiding van de cijfers",
        "Ambities",
        "Resultaten",
        "Resultaatwaarden",
        "Doelgroepen",
        "Aanbod",
        "Veranderverhaal",
        "Inkoopcheck",
        "Hulp per aanbod",
        "Kwaliteit",
        "Uitkomsten",
        "Verbeterplan",
        "Uitkomst inkoopcheck",
        "Zelfevaluatie",
        "Scores zelfevaluatie",
    ]
    figures = book["Cijfers"]
    assert [c.value for c in figures[1]][:4] == ["Cijfer", "Indicator", "Periode", "Waarde"]
    assert figures["A1"].font.bold and figures.freeze_panes == "A2"
    assert figures["D2"].value == 4.15 and figures["D2"].data_type == "n"
    assert figures["F2"].value == "ja"
    assert figures.column_dimensions["A"].width >= 10
    results = book["Resultaten"]
    assert results["E2"].value == 12.34 and results["H2"].value == 2036
    assert results["J2"].value == "lager is beter"
    quality = book["Kwaliteit"]
    assert [c.value for c in quality[2]][1:5] == ["ja", "deels", "nee", "weet niet"]
    answers = book["Zelfevaluatie"]
    assert answers["A2"].value == 2 and answers["B2"].value == "open"
    assert answers["D2"].value == "Maatregel m1"
    scores = book["Scores zelfevaluatie"]
    assert scores["B2"].value == "Totaal" and isinstance(scores["E2"].value, float)
    # No cell anywhere is a formula.
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_headers_and_labels_follow_the_language(bob, client_for, cycle_a, settings):
    client = client_for(bob)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    book = load_workbook(io.BytesIO(client.get(reverse("exports:xlsx", args=[cycle_a.pk])).content))
    assert "Offering" in book.sheetnames and "Figures" in book.sheetnames
    offering = book["Offering"]
    assert [c.value for c in offering[1]][:2] == ["Offering", "Kind of offering"]
    assert offering["B2"].value == "prevention"


def test_an_empty_cycle_gives_headers_only(alice, client_for, gemeente_a):
    from compass import services

    cycle = services.start_cycle(gemeente_a, 2030, alice)
    book = load_workbook(
        io.BytesIO(client_for(alice).get(reverse("exports:xlsx", args=[cycle.pk])).content)
    )
    assert book["Aanbod"].max_row == 1
    # A header and a row per question of the reading (its factors too), unanswered.
    assert book["Duiding van de cijfers"].max_row == 1 + len(parts.get("reading").fields) == 12


# --- Query counts -----------------------------------------------------------------------------


def grow(cycle, n):
    results = list(Result.objects.filter(cycle=cycle))
    for i in range(n):
        offering = Offering.objects.create(cycle=cycle, name=f"Extra {i}", kind="help")
        offering.results.set(results)


@pytest.mark.parametrize("name", ["exports:xlsx", "exports:json", "exports:downloads"])
def test_queries_do_not_grow_with_the_rows(
    name, bob, client_for, cycle_a, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(bob)
    url = reverse(name, args=[cycle_a.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    grow(cycle_a, 60)
    with django_assert_max_num_queries(len(small)):
        client.get(url)
    assert len(small) <= 40


def test_csv_queries_do_not_grow_with_the_rows(bob, client_for, cycle_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(bob)
    counts = []
    for extra in (0, 60):
        grow(cycle_a, extra)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("exports:csv", args=[cycle_a.pk, "aanbod"]))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_import_queries_do_not_grow_with_the_rows(alice, gemeente_a, cycle_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for year, extra in ((2031, 0), (2032, 60)):
        grow(cycle_a, extra)
        data = portable.parse(portable.dumps(portable.export_cycle(cycle_a)))
        with CaptureQueriesContext(connection) as queries:
            portable.import_cycle(data, gemeente_a, year, alice)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- The import page --------------------------------------------------------------------------


def post_import(client, code, content: bytes, year=2027):
    return client.post(
        reverse("exports:import", args=[code]),
        {"year": year, "file": SimpleUploadedFile("export.json", content)},
    )


def test_coordinator_imports_and_lands_on_the_new_dashboard(alice, client_for, cycle_a):
    client = client_for(alice)
    content = client.get(reverse("exports:json", args=[cycle_a.pk])).content
    response = post_import(client, "GM0344", content, 2027)
    new = Cycle.objects.municipal().get(municipality__code="GM0344", year=2027)
    assert response.status_code == 302
    assert response["Location"] == reverse("questionnaire:cycle", kwargs={"cycle": new.pk})
    log = ExportLog.objects.get(kind="json_import")
    assert (log.cycle, log.user, log.detail) == (new, alice, "GM0344 2026")
    page = client.get(response["Location"]).content.decode()
    assert "De jaarcyclus 2027 is geïmporteerd." in page
    again = json.loads(client.get(reverse("exports:json", args=[new.pk])).content)
    original = json.loads(content)
    # Utrecht's 2026 cycle is active, so the imported 2027 copy is a draft (one active cycle).
    assert (original["cycle"]["status"], again["cycle"]["status"]) == ("active", "draft")
    again["cycle"]["status"] = "active"
    assert portable.without_provenance(again) == portable.without_provenance(original)


def row_counts():
    return [m.objects.count() for m in (Cycle, Ambition, Offering, Answer, ChangeRecord, ExportLog)]


@pytest.mark.parametrize(
    ("content", "year", "message"),
    [
        (b"niet json", 2027, "Het bestand is geen geldig JSON-bestand."),
        (b"[]", 2027, "geen JSON-export van een jaarcyclus"),
        (None, 2026, "Utrecht heeft al een jaarcyclus voor 2026."),
        (None, 1990, "minstens 2000"),
    ],
)
def test_import_errors_are_shown_in_the_error_summary(
    content, year, message, alice, client_for, cycle_a
):
    client = client_for(alice)
    content = content or client.get(reverse("exports:json", args=[cycle_a.pk])).content
    before = row_counts()
    response = post_import(client, "GM0344", content, year)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="error-summary"' in page and message in page
    assert row_counts() == before


def test_item_errors_say_where(alice, client_for, cycle_a):
    client = client_for(alice)
    data = json.loads(client.get(reverse("exports:json", args=[cycle_a.pk])).content)
    data["cycle"]["offerings"][2]["evidence_level"] = "x"
    data["cycle"]["results"][0]["target_value"] = "12,5"
    before = row_counts()
    page = post_import(client, "GM0344", json.dumps(data).encode()).content.decode()
    assert "Aanbod 3: Erkenningsniveau: Waarde &#x27;x&#x27; is geen geldige keuze." in page
    assert "Resultaat 1: Streefwaarde:" in page
    assert row_counts() == before


def test_a_too_large_upload_is_stopped_by_the_upload_handler(
    alice, client_for, settings, monkeypatch
):
    def never(upload):
        raise AssertionError("the handler should have stopped the file before the form read it")

    monkeypatch.setattr(portable, "read_upload", never)
    settings.EXPORT_JSON_MAX_BYTES = 1024 * 1024
    before = row_counts()
    response = post_import(client_for(alice), "GM0344", b"{" + b" " * 1_200_000 + b"}")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Het bestand is groter dan 1,0\xa0MB." in page
    assert "Dit veld is verplicht" not in page  # the year arrived before the file
    assert row_counts() == before


def test_the_form_keeps_the_dutch_conventions(alice, client_for, cycle_a):
    page = client_for(alice).get(reverse("exports:import", args=["GM0344"])).content.decode()
    assert "Een jaarcyclus importeren in Utrecht" in page
    assert 'enctype="multipart/form-data"' in page and 'value="2027"' in page


# --- The access helper --------------------------------------------------------------------------


def test_only_coordinators_are_coordinators(cast, gemeente_a, gemeente_b):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    assert access.get_municipality_as_coordinator(cast["alice"], "GM0344") == gemeente_a
    assert access.get_municipality_as_coordinator(cast["admin"], gemeente_a.pk) == gemeente_a
    for who in ("dave", "bob", "pia"):
        with pytest.raises(PermissionDenied):
            access.get_municipality_as_coordinator(cast[who], "GM0344")
    for who in ("carol", "quinn", "erin"):
        with pytest.raises(Http404):
            access.get_municipality_as_coordinator(cast[who], "GM0344")
    gemeente_a.status = "merged"
    gemeente_a.save()
    with pytest.raises(PermissionDenied):  # a merged municipality takes no new cycles
        access.get_municipality_as_coordinator(cast["alice"], "GM0344")


def test_decimal_values_survive_the_view_round_trip(alice, client_for, cycle_a):
    client = client_for(alice)
    content = client.get(reverse("exports:json", args=[cycle_a.pk])).content
    post_import(client, "GM0344", content, 2028)
    copy = Result.objects.get(cycle__year=2028, text="Minder kinderen ervaren geweld thuis")
    assert copy.baseline_value == Decimal("12.34") and copy.target_value == Decimal("9.10")


def test_the_import_still_checks_csrf(alice, cycle_a):
    """The view is csrf_exempt only to install the upload handler first; csrf_protect follows."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    before = row_counts()
    content = portable.dumps(portable.export_cycle(cycle_a))
    response = post_import(client, "GM0344", content, 2029)
    assert response.status_code == 403
    assert row_counts() == before


# --- Log forgery ------------------------------------------------------------------------------


def test_line_breaks_in_an_imports_source_cannot_forge_log_lines(
    alice, client_for, cycle_a, caplog
):
    import logging

    from django.conf import settings

    client = client_for(alice)
    data = json.loads(client.get(reverse("exports:json", args=[cycle_a.pk])).content)
    forged = "INFO exports: export kind=json cycle=1 municipality=GM0363 user=1 detail=forged"
    data["source"]["municipality_code"] = f"GM0344\n{forged}\r\u2028\x85"
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="exports"):
        response = post_import(client, "GM0344", json.dumps(data).encode(), 2027)
    assert response.status_code == 302
    formatter = logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"])
    lines = [formatter.format(r) for r in caplog.records if r.name == "exports"]
    assert len(lines) == 1
    assert lines[0].splitlines() == [lines[0]]  # one record, one line
    assert "GM0344\\n" + forged in lines[0]
    log = ExportLog.objects.get(kind="json_import")
    assert len(log.detail.splitlines()) == 1


def test_log_values_are_escaped_and_bounded():
    from exports.log import clean

    assert clean("a\nb\r\tc\\n") == "a\\nb\\r\\tc\\\\n"
    assert clean("x\x00\x1b[31m\u2028\u202e") == "x\\x00\\x1b[31m\\u2028\\u202e"
    assert clean("Zoë ’s-Hertogenbosch") == "Zoë ’s-Hertogenbosch"
    assert clean("x" * 500) == "x" * 200 + "…"
    assert clean(None) == ""
