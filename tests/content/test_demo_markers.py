"""Invented numbers never pass as real (issue 19, item 1; DOMAIN-REVIEW H1).

On the demo installation every figure of the council report, its PDF and the exports says
that it is demo data; the national comparison says it comes from generated peers; the example
measure set is called an example set; every page carries the demo notice.
"""

import io
import json
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from compass import demodata
from compass.models import Cycle

pytestmark = pytest.mark.django_db

DEMO_WORDS = re.compile(r"DEMODATA|\bdemo\b", re.IGNORECASE)
EXAMPLE_SET = "Voorbeeldset — geen officiële vragenlijst van NJi of Movisie"


@pytest.fixture
def demo(settings):
    settings.PDF_RENDERING = "inline"
    settings.LANGUAGE_CODE = "nl"
    cache.clear()
    call_command("setup_demo", verbosity=0)
    cache.clear()
    yield Cycle.objects.municipal().get(municipality__code="GM0344", year=2026)
    cache.clear()


def test_cbs_source_keeps_the_demo_marker_of_an_invented_table():
    marked = "CBS 84849NED: Veilig Thuis (DEMODATA: verzonnen cijfers), folder"
    assert demodata.cbs_figure_source("84849NED", marked) == (
        "CBS StatLine 84849NED (DEMODATA: verzonnen cijfers)"
    )
    assert demodata.cbs_figure_source("84849NED", "CBS 84849NED: Huiselijk geweld") == (
        "CBS StatLine 84849NED"
    )


def _figure_rows(html: str) -> list[str]:
    """The rows of the report's figures table (block 1)."""
    table = html.split('id="blok-1-title"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", table, re.S)[1:]


def test_every_demo_figure_says_it_is_demo_data_in_report_pdf_and_exports(demo, client):
    cycle = demo
    sources = list(cycle.figures.values_list("source", flat=True))
    assert sources and all(DEMO_WORDS.search(s) for s in sources), sources
    assert sum("CBS StatLine 84849NED (DEMODATA" in s for s in sources) >= 1
    assert not any(s == "CBS StatLine 84849NED" for s in sources)

    client.login(username="alice", password="kompas-demo")
    with translation.override("nl"):
        html = client.get(reverse("exports:report", args=[cycle.pk])).content.decode()
    rows = _figure_rows(html)
    assert len(rows) == len(sources)
    assert all(DEMO_WORDS.search(row) for row in rows), rows
    assert "Demo-installatie" in html
    assert "gegenereerde demogegevens" in html
    assert EXAMPLE_SET in html

    from exports.pdf import html_to_pdf
    from exports.views.report import _print_html

    with translation.override("nl"):
        pdf = PdfReader(io.BytesIO(html_to_pdf(_print_html(cycle))))
    pages = [re.sub(r"\s+", " ", page.extract_text()) for page in pdf.pages]
    text = " ".join(pages)
    assert text.count("DEMODATA: verzonnen cijfers") >= 1
    assert "gegenereerde demogegevens" in text
    assert "Voorbeeldset" in text
    # Every page after the cover names the demo installation in its footer.
    assert all("Demo-installatie" in page for page in pages), [p[-200:] for p in pages]

    csv = client.get(reverse("exports:csv", args=[cycle.pk, "situatie-cijfers"]))
    lines = csv.content.decode("utf-8-sig").splitlines()[1:]
    assert lines and all(DEMO_WORDS.search(line) for line in lines), lines

    book = load_workbook(io.BytesIO(client.get(reverse("exports:xlsx", args=[cycle.pk])).content))
    sheet = next(ws for ws in book.worksheets if "ijfers" in ws.title)
    values = [
        " ".join(str(c) for c in row if c is not None)
        for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert values and all(DEMO_WORDS.search(v) for v in values), values

    data = json.loads(client.get(reverse("exports:json", args=[cycle.pk])).content)
    figures = json.dumps(data, ensure_ascii=False)
    assert "DEMODATA: verzonnen cijfers" in figures


def test_every_page_of_a_demo_installation_shows_the_demo_notice(demo, client):
    for url in ["/", "/kwaliteitskompas/", reverse("login")]:
        body = client.get(url, follow=True).content.decode()
        assert "Demo-installatie" in body, url
    client.login(username="bob", password="kompas-demo")
    body = client.get(reverse("questionnaire:self_assessment_results", args=[demo.pk]))
    assert EXAMPLE_SET in body.content.decode()


def test_a_normal_installation_shows_no_demo_notice(client, settings):
    settings.DEMO_MODE = False
    cache.clear()
    assert "Demo-installatie" not in client.get(reverse("login"), follow=True).content.decode()
    settings.DEMO_MODE = True
    assert "Demo-installatie" in client.get(reverse("login"), follow=True).content.decode()
    settings.DEMO_MODE = False
    demodata.mark_demo_installation()
    assert "Demo-installatie" in client.get(reverse("login"), follow=True).content.decode()
    demodata.mark_demo_installation(False)
    assert "Demo-installatie" not in client.get(reverse("login"), follow=True).content.decode()


def test_the_demo_veilig_thuis_folder_has_the_real_titles_and_multiples_of_five():
    import json as _json

    from compass.demo import DEMO_FIGURES

    info = _json.loads((DEMO_FIGURES / "84849NED_TableInfos.json").read_text())["value"][0]
    assert info["Title"].startswith("Huiselijk geweld; rol/functie, organisatie, duur geweld")
    assert "DEMODATA" in info["Title"]
    props = _json.loads((DEMO_FIGURES / "84849NED_DataProperties.json").read_text())["value"]
    titles = {p["Title"] for p in props}
    assert {"Kenmerken adviezen/meldingen", "Gestarte adviezen", "Ontvangen meldingen"} <= titles
    values = []
    for name in ["84849NED_TypedDataSet.json", "84849NED_TypedDataSet_skip42.json"]:
        for row in _json.loads((DEMO_FIGURES / name).read_text())["value"]:
            values += [row["Adviezen_1"], row["Meldingen_2"]]
    assert values.count(None) == 1  # the one suppressed cell (IJsselstein, 2019) stays empty
    numbers = [v for v in values if v is not None]
    assert numbers and all(v % 5 == 0 for v in numbers)
    national = max(numbers)
    assert 100_000 < national < 200_000  # national yearly totals near the real magnitude
