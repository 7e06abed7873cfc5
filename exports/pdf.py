"""Render a template to PDF with WeasyPrint: A4, self-hosted fonts, tagged, never on the network.

`render_pdf()` returns the HTML and the PDF bytes, so the HTML preview and the PDF come from one
template and one context (CONVENTIONS.md, "PDFs"). WeasyPrint is imported inside the function:
importing it loads Pango, which only the PDF path needs.
"""

from __future__ import annotations

import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

# WeasyPrint resolves relative URLs against this origin; only our static files live there.
PDF_ORIGIN = "https://pdf.kwaliteitskompas.invalid"
PDF_VARIANT = "pdf/ua-1"
logger = logging.getLogger(__name__)


class PdfRenderingError(Exception):
    """The PDF could not be rendered (a missing asset, a WeasyPrint failure)."""


@dataclass(frozen=True)
class RenderedPdf:
    html: str
    pdf: bytes


def static_path_for(url: str) -> Path | None:
    """Return the local file of a static URL on the PDF origin, or None."""
    prefix = f"{PDF_ORIGIN}{settings.STATIC_URL}"
    if not url.startswith(prefix):
        return None
    relative = url[len(prefix) :].split("?", 1)[0].split("#", 1)[0]
    if not relative or ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    # Production: {% static %} names hashed files that only exist in STATIC_ROOT.
    collected = Path(settings.STATIC_ROOT) / relative
    return collected if collected.is_file() else None


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serve our static files and data: URLs; refuse everything else (no network)."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_path_for(url)
            if path is None:
                raise ValueError(f"the PDF may only use our own static files, not {url}")
            mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), headers={"Content-Type": mime_type})

    return StaticOnlyFetcher


def render_pdf(template_name: str, context: dict, language: str | None = None) -> RenderedPdf:
    """Render `template_name` with `context` to HTML and to a tagged A4 PDF."""
    with translation.override(language or translation.get_language()):
        html = render_to_string(template_name, context)
    return RenderedPdf(html=html, pdf=html_to_pdf(html, name=template_name))


def html_to_pdf(html: str, name: str = "document") -> bytes:
    """Turn rendered HTML into a tagged A4 PDF; needs no database, only the static files."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    fetcher = _fetcher_class()(allowed_protocols={"https", "data"}, fail_on_errors=True)
    try:
        document = HTML(string=html, base_url=f"{PDF_ORIGIN}/", url_fetcher=fetcher)
        return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True, uncompressed_pdf=False)
    except (Exception, FatalURLFetchingError) as exc:  # one kind for the caller
        logger.exception("PDF rendering of %s failed", name)
        raise PdfRenderingError(str(exc)) from exc
