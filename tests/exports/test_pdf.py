"""The PDF renderer: real WeasyPrint output, read back as text."""

import io
import logging
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from exports.pdf import PdfRenderingError, render_pdf, static_path_for

TEMPLATES = Path(__file__).resolve().parent / "templates"


@pytest.fixture(autouse=True)
def _test_templates(settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [TEMPLATES, *settings.TEMPLATES[0]["DIRS"]]}
    ]


def context(sections=3, rows=30, **extra):
    return {
        "document_title": "Samenvatting jaarcyclus 2026 - Gemeente Utrecht",
        "document_author": "Gemeente Utrecht",
        "sections": [
            {"title": f"Blok {n}", "rows": range(1, rows + 1)} for n in range(1, sections + 1)
        ],
        **extra,
    }


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


@pytest.fixture
def weasyprint_log(caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    return caplog


def test_pdf_has_cover_toc_sections_and_dutch_text(weasyprint_log):
    rendered = render_pdf("exports_test/document.html", context(), language="nl")
    reader = read(rendered.pdf)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Samenvatting jaarcyclus" in text
    assert "Één kind op de dertig" in text and "€ 12.500" in text and "reïntegratie" in text
    for n in (1, 2, 3):
        assert f"Blok {n}" in text
    assert 5 <= len(reader.pages) <= 12
    assert not [r for r in weasyprint_log.records if r.levelno >= logging.WARNING]
    assert "<title>Samenvatting jaarcyclus 2026 - Gemeente Utrecht</title>" in rendered.html


def test_running_header_and_page_footer_on_every_page_but_the_cover():
    reader = read(render_pdf("exports_test/document.html", context(), language="nl").pdf)
    total = len(reader.pages)
    cover = reader.pages[0].extract_text()
    assert "Pagina 1 van" not in cover
    assert "Gemeente Utrecht · jaarcyclus 2026" in cover  # the cover shows it as a subtitle
    for number, page in enumerate(reader.pages[1:], start=2):
        text = page.extract_text()
        assert f"Pagina {number} van {total}" in text
        assert "Gemeente Utrecht · jaarcyclus 2026" in text
        assert "Kwaliteitskompas" in text


def test_table_of_contents_names_the_page_of_each_section():
    reader = read(render_pdf("exports_test/document.html", context(), language="nl").pdf)
    toc = reader.pages[1].extract_text()
    first_section_page = next(
        i + 1 for i, page in enumerate(reader.pages) if "Resultaten 1" in page.extract_text()
    )
    assert re.search(rf"Blok 1 \.+ {first_section_page}\n", toc), toc


def test_english_page_label_when_rendered_in_english():
    reader = read(render_pdf("exports_test/document.html", context(), language="en").pdf)
    assert "Page 2 of" in reader.pages[1].extract_text()


def test_pdf_is_tagged_with_title_and_language():
    reader = read(render_pdf("exports_test/document.html", context(), language="nl").pdf)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "nl"
    assert reader.metadata.title == "Samenvatting jaarcyclus 2026 - Gemeente Utrecht"


def test_fonts_are_the_self_hosted_noto_sans_embedded():
    reader = read(render_pdf("exports_test/document.html", context(), language="nl").pdf)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
    assert fonts, "no fonts in the PDF"
    assert all("Noto-Sans" in name for name in fonts), fonts


def test_a_long_document_grows_in_pages_not_in_errors():
    short = read(render_pdf("exports_test/document.html", context(rows=5)).pdf)
    long = read(render_pdf("exports_test/document.html", context(rows=120)).pdf)
    assert len(long.pages) > len(short.pages)


def test_an_external_url_is_refused_and_never_fetched():
    with pytest.raises(PdfRenderingError):
        render_pdf("exports_test/document.html", context(external_image=True))


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/static/exports/css/print.css",
        "https://pdf.kwaliteitskompas.invalid/static/../settings.py",
        "https://pdf.kwaliteitskompas.invalid/static/",
        "https://pdf.kwaliteitskompas.invalid/media/secret.pdf",
    ],
)
def test_static_path_for_refuses_anything_but_our_static_files(url):
    assert static_path_for(url) is None


def test_static_path_for_finds_the_print_stylesheet_and_font():
    css = static_path_for("https://pdf.kwaliteitskompas.invalid/static/exports/css/print.css")
    font = static_path_for(
        "https://pdf.kwaliteitskompas.invalid/static/fonts/noto-sans/noto-sans-latin-400-normal.woff2"
    )
    assert css is not None and css.name == "print.css"
    assert font is not None and font.stat().st_size > 10_000
