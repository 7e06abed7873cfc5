"""The council report of a cycle: the accessible HTML page and the PDF, from one context.

Readers, editors and coordinators of the municipality hold `export_cycle`; partners of a sharing
agreement (only `view_cycle`) get 403 and everyone else 404 (compass.access). Every served page
and PDF is logged (exports.log.record). The PDF is rendered once per content by a background
worker (exports/pdf_tasks.py); until it is ready the view answers 202 with a page that asks the
status view, which reads one `PdfRender` row by id and never rebuilds the report.
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
from exports import pdf_tasks
from exports.log import record
from exports.models import ExportLog, PdfRender
from exports.reports import build_cycle_report


def _print_html(cycle, reader=None) -> str:
    report = build_cycle_report(cycle, reader)
    return render_to_string(
        "exports/report_print.html",
        {
            "report": report,
            "document_title": report.title,
            "document_author": report.municipality_name,
            "document_description": report.subtitle,
        },
    )


def filename_for(cycle) -> str:
    # Translators: the start of the PDF's file name, lower case without spaces.
    stem = slugify(_("quality-compass"))
    return f"{stem}-{slugify(cycle.municipality.name)}-{cycle.year}.pdf"


@require_GET
@login_required
def report(request, cycle):
    cycle = access.get_cycle_for(request.user, cycle, access.EXPORT_CYCLE)
    context = {"report": build_cycle_report(cycle, request.user)}
    record(request.user, cycle, ExportLog.Kind.HTML, detail=translation.get_language())
    return render_page(request, "exports/report_page.html", context)


# The query parameter that names a render (PdfRender.pk) on the download and status URLs.
RENDER_PARAMETER = "opdracht"


def _render_named(request, cycle):
    """The render the request names (?opdracht=<id>) of this cycle, or None."""
    raw = request.GET.get(RENDER_PARAMETER, "")
    if not raw.isdigit():
        return None
    return (
        PdfRender.objects.filter(pk=int(raw), cycle=cycle)
        .only("pk", "status", "content_key", "language", "error", "started_at", "cycle_id")
        .first()
    )


def _serve(request, cycle, render):
    record(
        request.user,
        cycle,
        ExportLog.Kind.PDF,
        detail=f"{render.language} {render.content_key[:16]}",
    )
    return FileResponse(
        pdf_tasks.storage().open(pdf_tasks.path_for(render.content_key), "rb"),
        as_attachment=True,
        filename=filename_for(cycle),
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
    named = _render_named(request, cycle)
    if (
        named is not None
        and named.status == PdfRender.Status.READY
        and pdf_tasks.storage().exists(pdf_tasks.path_for(named.content_key))
    ):
        return _serve(request, cycle, named)
    language = translation.get_language()
    render = pdf_tasks.request_pdf(cycle, _print_html(cycle, request.user), language, request.user)
    state = pdf_tasks.state_of(render)
    if state is pdf_tasks.State.READY:
        return _serve(request, cycle, render)
    pdf_url = reverse("exports:report_pdf", args=[cycle.pk])
    context = {
        "cycle": cycle,
        "render": render,
        "pdf_url": f"{pdf_url}?{RENDER_PARAMETER}={render.pk}",
        "retry_url": pdf_url,
        "status_url": reverse("exports:report_pdf_status", args=[cycle.pk])
        + f"?{RENDER_PARAMETER}={render.pk}",
        "report_url": reverse("exports:report", args=[cycle.pk]),
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
    render = _render_named(request, cycle)
    if render is None:
        raise Http404("no such PDF render")
    if (
        render.status == PdfRender.Status.RUNNING
        and render.started_at < pdf_tasks.now() - pdf_tasks.stall_deadline()
        and pdf_tasks.reap_stalled(render_id=render.pk)
    ):
        render.refresh_from_db(fields=["status", "error"])
    return JsonResponse({"status": str(pdf_tasks.state_of(render))})
