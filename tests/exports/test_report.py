"""The council report: one context, read back from the real PDF (pypdf) and the HTML page."""

import io
import logging
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from compass import numbers
from compass.models import Cycle, ImprovementAction
from exports.reports import build_cycle_report
from exports.views.report import _print_html
from tests.exports.report_data import demo_cycle, grow

pytestmark = pytest.mark.django_db

SECTIONS_NL = [
    "Samenvatting",
    "Blok 0: Samenwerking",
    "Blok 1: Monitoring & ambities",
    "Blok 2: Maatschappelijk resultaat",
    "Blok 3: Activiteiten en aanbod",
    "Blok 4: Kwaliteit van activiteiten",
    "Blok 5: Uitkomsten",
    "Zelfevaluatie",
    "Blok 6: Verbetercyclus",
]


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
    cache.clear()  # the national benchmark is cached for a minute
    yield
    cache.clear()


@pytest.fixture
def cycle(gemeente_a, alice):
    return demo_cycle(gemeente_a)


def pdf_of(cycle, language="nl"):
    from exports.pdf import html_to_pdf

    with translation.override(language):
        html = _print_html(cycle)
        return html, PdfReader(io.BytesIO(html_to_pdf(html)))


def text_of(reader) -> str:
    # Table cells wrap; compare on single spaces.
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def test_number_formatting_is_dutch_by_default():
    with translation.override("nl"):
        assert numbers.decimal(1234.5) == "1.234,5"
        assert numbers.decimal(None) == "–"
        assert numbers.percent(55.55, 1) == "55,6%"
        assert numbers.percent(61, 1) == "61,0%"
    with translation.override("en"):
        assert numbers.decimal(1234.5) == "1,234.5"


def test_the_demo_pdf_has_every_section_and_the_cycles_real_values(cycle, caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    report = build_cycle_report(cycle)
    _html, reader = pdf_of(cycle)
    text = text_of(reader)
    for title in SECTIONS_NL:
        assert text.count(title) >= 2, title  # in the contents and as the section heading
    # A result's target value and year, with its on-track verdict.
    result = cycle.results.get(text__startswith="Meer professionals")
    assert f"{numbers.decimal(result.target_value)}% {result.target_year}" in text
    assert "Op koers" in text
    # An offering with its evidence level and the databank that judged it (issue 19, H2 and
    # M3); a role is no intervention, local work is in no databank.
    assert "Stevig Ouderschap" in text
    assert "Eerste aanwijzingen voor effectiviteit" in text
    assert "Databank Effectieve Jeugdinterventies (NJi)" in text
    assert "Niet van toepassing (geen interventie)" in text
    assert "Staat niet in een databank / niet beoordeeld" in text
    assert "Effectief – eerste aanwijzingen" not in text
    # The improvement plan: who and when.
    action = cycle.actions.get(what__startswith="Nazorg na een melding")
    assert action.who in text and "1 september 2026" in text
    # Self-assessment scores and the national benchmark.
    overall = report.assessment["rows"][0]
    assert overall["value"] == "43,8%" and f"Totale realisatie: {overall['value']}" in text
    assert "Landelijke mediaan" in text and overall["median_text"] in text
    # Prevalence estimate with its arithmetic and source.
    assert "62.000 × 30 per 1.000 = 1.860" in text and "CBS Impactmonitor (test)" in text
    # Cover, outcomes.
    assert "Gemeente Utrecht · jaarcyclus 2026" in text and "actief" in text
    assert "87,0%" in text  # usefulness of the first outcome
    assert 8 <= len(reader.pages) <= 14, len(reader.pages)
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")], caplog.records


def test_pdf_has_a_running_header_and_page_footer_and_is_tagged(cycle):
    html, reader = pdf_of(cycle)
    total = len(reader.pages)
    assert "Pagina 1 van" not in reader.pages[0].extract_text()  # the cover has no footer
    for number, page in enumerate(reader.pages[1:], start=2):
        page_text = page.extract_text()
        assert f"Pagina {number} van {total}" in page_text
        assert "Gemeente Utrecht · jaarcyclus 2026" in page_text
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and root["/Lang"] == "nl"
    assert reader.metadata.title == "Jaarcyclus 2026 van Utrecht"
    assert '<html lang="nl">' in html


def test_table_of_contents_names_the_page_of_the_improvement_plan(cycle):
    _html, reader = pdf_of(cycle)
    toc = reader.pages[1].extract_text()
    plan_page = next(
        i + 1
        for i, page in enumerate(reader.pages)
        if i > 1 and "Verbeterplan: wat, wie, wanneer" in page.extract_text()
    )
    assert re.search(rf"Blok 6: Verbetercyclus[ .]+{plan_page}\b", toc), toc


def test_english_variant(cycle):
    _html, reader = pdf_of(cycle, "en")
    text = text_of(reader)
    assert "Summary" in text and "Block 6: Improvement cycle" in text
    assert "Page 2 of" in text and "Municipality of Utrecht · annual cycle 2026" in text
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_unknown_youth_population_shows_unknown_not_a_guess(gemeente_a, alice):
    cycle = demo_cycle(gemeente_a, youth_population=None)
    with translation.override("nl"):
        html = _print_html(cycle)
    assert "onbekend" in html and "1.860" not in html


def test_results_get_the_on_track_verdict_of_the_domain_rule(cycle):
    report = build_cycle_report(cycle)
    rows = {r["text"]: r for a in report.ambitions for r in a["results"]}
    assert {r["status"] for r in rows.values()} <= {"on_track", "off_track", "no_data"}
    not_on_track = [r for r in rows.values() if r["status"] == "off_track"]
    assert not_on_track and all(r["chart"] for r in rows.values())


def test_a_cycle_without_anything_still_renders(gemeente_a, alice):
    cycle = Cycle.objects.create(
        municipality=gemeente_a, year=2027, policy_start_year=2025, policy_end_year=2028
    )
    _html, reader = pdf_of(cycle)
    text = text_of(reader)
    assert "Van deze jaarcyclus is nog geen zelfevaluatie ingediend." in text
    assert "Er zijn geen verbeteracties ingevoerd." in text
    assert len(reader.pages) <= 12


def queries_for(cycle) -> int:
    cycle = Cycle.objects.select_related("municipality").get(pk=cycle.pk)
    cache.clear()  # count the national benchmark's queries too
    with CaptureQueriesContext(connection) as queries:
        build_cycle_report(cycle)
    return len(queries)


def test_the_context_takes_the_same_number_of_queries_for_30_ambitions_and_100_offerings(cycle):
    small = queries_for(cycle)
    grow(cycle, ambitions=30, offerings=100)
    assert queries_for(cycle) == small <= 25
    assert len(build_cycle_report(cycle).offerings) == 104


def test_html_report_page_has_every_section_and_constant_queries(
    cycle, bob, client, django_assert_max_num_queries
):
    client.force_login(bob)
    url = reverse("exports:report", args=[cycle.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for title in SECTIONS_NL:
        assert title.replace("&", "&amp;") in html, title
    assert f'href="/jaarcycli/{cycle.pk}/rapport/pdf/"' in html
    grow(cycle, ambitions=30, offerings=100)
    with django_assert_max_num_queries(40):
        assert client.get(url).status_code == 200


def test_the_same_cycle_gives_the_same_print_html_and_a_change_another(cycle):
    with translation.override("nl"):
        first, second = _print_html(cycle), _print_html(cycle)
        ImprovementAction.objects.filter(cycle=cycle).update(who="Wethouder jeugd")
        changed = _print_html(cycle)
    assert first == second != changed


def test_the_youth_population_basis_is_named_when_the_estimate_carries_it():
    from types import SimpleNamespace

    from exports.reports import _youth_basis

    with translation.override("nl"):
        assert _youth_basis(SimpleNamespace()) == ""  # an estimate without a basis
        assert _youth_basis(SimpleNamespace(youth_source="CBS 03759ned", youth_year=2024)) == (
            "CBS 03759ned 2024"
        )
        estimated = SimpleNamespace(youth_source="CBS", youth_year=2019, youth_estimated=True)
        assert _youth_basis(estimated) == "CBS 2019, geschat uit leeftijdsgroepen"


MIN_LINES_PER_PAGE = 8  # besides the running header and the page footer


def test_no_page_between_the_cover_and_the_last_is_nearly_empty(cycle):
    """A forced page break once left two lines of Blok 5 alone on a page (issue 13 item 10)."""
    _html, reader = pdf_of(cycle)
    counts = []
    for page in reader.pages:
        lines = [line for line in page.extract_text().splitlines() if line.strip()]
        counts.append(len(lines) - 2)  # the running header and the "Pagina n van m" footer
    assert all(count >= MIN_LINES_PER_PAGE for count in counts[1:-1]), counts


def test_the_score_chart_has_a_visible_gridline_at_100_percent(cycle):
    html, _reader = pdf_of(cycle)
    svg = re.search(r'<svg class="report-score-chart".*?</svg>', html, re.S).group(0)
    grid = re.findall(r'<line class="report-score-chart__grid" data-value="(\d+)"', svg)
    assert grid == ["0", "25", "50", "75", "100"]
    assert re.search(r">100\s?%</text>", svg)
    # Drawn over the peer bands (a band reaching 100 % hid the line) and under the bars.
    last_band = svg.rindex('fill="#c9d8ea"')
    assert svg.index('data-value="100"') > last_band
