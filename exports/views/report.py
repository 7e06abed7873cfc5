"""The council report of a cycle: the accessible HTML page and the PDF, from one context.

Readers, editors and coordinators of the municipality hold `export_cycle`; partners of a sharing
agreement (only `view_cycle`) get 403 and everyone else 404 (compass.access). Every served page
and PDF is logged (exports.log.record). The PDF is rendered once per content by a background
worker (exports/pdf_tasks.py); until it is ready the view answers 202 with a page that asks the
status view, which reads one `PdfRender` row by id and never rebuilds the report.

Variants (issue 22): a district cycle's report is the report of that cycle (its district named
on the cover, in the title and in the file name). A municipal cycle's report can carry the
district annex (`?wijkbijlage=1` on the page, the PDF and the status URL): a variant of its own
in the PDF key, the render row and the file name, so one variant is never served for the other.
Asking a district cycle for the annex answers 404: it has no districts.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render as render_page
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from compass import access
from exports import naming, pdf_tasks
from exports.log import record
from exports.models import ExportLog, PdfRender
from exports.reports import build_cycle_report

# The query parameter of the municipal report with the district annex, and its PdfRender variant.
ANNEX_PARAMETER = "wijkbijlage"
ANNEX_VARIANT = "wijkbijlage"


def wants_annex(request, cycle) -> bool:
    """Whether the request asks for the district annex (`?wijkbijlage=1`); 404 when it asks it
    of a district cycle. Access to the annex is access to the municipal cycle's exports: the
    view has already checked `export_cycle` on it (a member limited to a district has none)."""
    if request.GET.get(ANNEX_PARAMETER, "") != "1":
        return False
    if cycle.district_id:
        raise Http404("a district cycle has no district annex")
    return True


def _print_html(cycle, reader=None, annex: bool = False) -> str:
    report = build_cycle_report(cycle, reader, annex=annex)
    return render_to_string(
        "exports/report_print.html",
        {
            "report": report,
            "document_title": report.title,
            "document_author": report.municipality_name,
            "document_description": report.subtitle,
        },
    )


def filename_for(cycle, annex: bool = False) -> str:
    """kwaliteitskompas-utrecht-2026.pdf, kwaliteitskompas-utrecht-overvecht-2026.pdf (a
    district cycle), kwaliteitskompas-utrecht-2026-met-wijkbijlage.pdf (the annex)."""
    # Translators: the start of the PDF's file name, lower case without spaces.
    stem = slugify(_("quality-compass"))
    suffix = f"-{naming.ANNEX_SUFFIX}" if annex else ""
    return f"{stem}-{naming.place_slug(cycle)}-{cycle.year}{suffix}.pdf"


def _with_annex(url: str, annex: bool, more: str = "") -> str:
    query = "&".join(q for q in (f"{ANNEX_PARAMETER}=1" if annex else "", more) if q)
    return f"{url}?{query}" if query else url


@require_GET
@login_required
def report(request, cycle):
    cycle = access.get_cycle_for(request.user, cycle, access.EXPORT_CYCLE)
    annex = wants_annex(request, cycle)
    context = {
        "report": build_cycle_report(cycle, request.user, annex=annex),
        "annex_parameter": ANNEX_PARAMETER,
        "has_districts": not cycle.district_id and cycle.district_cycles.exists(),
    }
    detail = translation.get_language() + (f" {ANNEX_VARIANT}" if annex else "")
    record(request.user, cycle, ExportLog.Kind.HTML, detail=detail)
    return render_page(request, "exports/report_page.html", context)


# The query parameter that names a render (PdfRender.pk) on the download and status URLs.
RENDER_PARAMETER = "opdracht"


def _render_named(request, cycle, annex: bool = False):
    """The render the request names (?opdracht=<id>) of this cycle and variant, or None."""
    raw = request.GET.get(RENDER_PARAMETER, "")
    if not raw.isdigit() or len(raw) > 18:
        return None
    return (
        PdfRender.objects.filter(pk=int(raw), cycle=cycle, variant=ANNEX_VARIANT if annex else "")
        .only(
            "pk", "status", "content_key", "language", "error", "started_at", "cycle_id", "variant"
        )
        .first()
    )


def _serve(request, cycle, render, annex: bool = False):
    variant = f" {render.variant}" if render.variant else ""
    record(
        request.user,
        cycle,
        ExportLog.Kind.PDF,
        detail=f"{render.language} {render.content_key[:16]}{variant}",
    )
    return FileResponse(
        pdf_tasks.storage().open(pdf_tasks.path_for(render.content_key), "rb"),
        as_attachment=True,
        filename=filename_for(cycle, annex),
        content_type="application/pdf",
    )


@never_cache
@require_GET
@login_required
def report_pdf(request, cycle):
    """Serve the PDF when it is ready; else request it and answer 202 (or 503 when it failed).

    With ?opdracht=<id> of a finished render the file is served without building the report
    again (the waiting page's script comes back here when the status says "ready").
    """
    cycle = access.get_cycle_for(request.user, cycle, access.EXPORT_CYCLE)
    annex = wants_annex(request, cycle)
    named = _render_named(request, cycle, annex)
    if (
        named is not None
        and named.status == PdfRender.Status.READY
        and pdf_tasks.storage().exists(pdf_tasks.path_for(named.content_key))
    ):
        return _serve(request, cycle, named, annex)
    language = translation.get_language()
    render = pdf_tasks.request_pdf(
        cycle,
        _print_html(cycle, request.user, annex),
        language,
        request.user,
        variant=ANNEX_VARIANT if annex else "",
    )
    state = pdf_tasks.state_of(render)
    if state is pdf_tasks.State.READY:
        return _serve(request, cycle, render, annex)
    pdf_url = reverse("exports:report_pdf", args=[cycle.pk])
    named_query = f"{RENDER_PARAMETER}={render.pk}"
    context = {
        "cycle": cycle,
        "render": render,
        "pdf_url": _with_annex(pdf_url, annex, named_query),
        "retry_url": _with_annex(pdf_url, annex),
        "status_url": _with_annex(
            reverse("exports:report_pdf_status", args=[cycle.pk]), annex, named_query
        ),
        "report_url": _with_annex(reverse("exports:report", args=[cycle.pk]), annex),
    }
    if state is not pdf_tasks.State.PENDING:  # failed (a superseded row is never returned)
        response = render_page(request, "exports/report_pdf_failed.html", context, status=503)
        response["Retry-After"] = str(settings.PDF_RETRY_AFTER_FAILURE_SECONDS or 60)
        return response
    return render_page(request, "exports/report_pdf_pending.html", context, status=202)


@never_cache
@require_GET
@login_required
def report_pdf_status(request, cycle):
    """The status of one render (?opdracht=<id>) for the waiting page's script: reads that row
    (and fails it when its worker died), never the report. 404 without a render of this cycle."""
    cycle = access.get_cycle_for(request.user, cycle, access.EXPORT_CYCLE)
    render = _render_named(request, cycle, wants_annex(request, cycle))
    if render is None:
        raise Http404("no such PDF render")
    if (
        render.status == PdfRender.Status.RUNNING
        and render.started_at < pdf_tasks.now() - pdf_tasks.stall_deadline()
        and pdf_tasks.reap_stalled(render_id=render.pk)
    ):
        render.refresh_from_db(fields=["status", "error"])
    return JsonResponse({"status": str(pdf_tasks.state_of(render))})
