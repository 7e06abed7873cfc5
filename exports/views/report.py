"""The council report of a cycle: the accessible HTML page and the PDF, from one context.

Readers, editors and coordinators of the municipality hold `export_cycle`; partners of a sharing
agreement (only `view_cycle`) get 403 and everyone else 404 (compass.access). Every served page
and PDF is logged (exports.log.record). The PDF is rendered once per content, off the request
(exports/pdf_jobs.py); until it is ready the view answers 202 with a page that checks again.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from compass import access
from exports import pdf_jobs
from exports.log import record
from exports.models import ExportLog
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
    return render(request, "exports/report_page.html", context)


@never_cache
@require_GET
@login_required
def report_pdf(request, cycle):
    cycle = access.get_cycle_for(request.user, cycle, access.EXPORT_CYCLE)
    language = translation.get_language()
    state, key = pdf_jobs.ensure(_print_html(cycle, request.user), language)
    context = {
        "cycle": cycle,
        "pdf_url": reverse("exports:report_pdf", args=[cycle.pk]),
        "status_url": reverse("exports:report_pdf_status", args=[cycle.pk]),
        "report_url": reverse("exports:report", args=[cycle.pk]),
    }
    if state is pdf_jobs.State.FAILED:
        response = render(request, "exports/report_pdf_failed.html", context, status=503)
        response["Retry-After"] = str(pdf_jobs._retry_seconds() or 60)
        return response
    if state is pdf_jobs.State.PENDING:
        return render(request, "exports/report_pdf_pending.html", context, status=202)
    record(request.user, cycle, ExportLog.Kind.PDF, detail=f"{language} {key[:16]}")
    return FileResponse(
        pdf_jobs.storage().open(pdf_jobs.path_for(key), "rb"),
        as_attachment=True,
        filename=filename_for(cycle),
        content_type="application/pdf",
    )


@never_cache
@require_GET
@login_required
def report_pdf_status(request, cycle):
    """Whether the PDF is ready, for the waiting page's script (starts a render if needed)."""
    cycle = access.get_cycle_for(request.user, cycle, access.EXPORT_CYCLE)
    state, _key = pdf_jobs.ensure(_print_html(cycle, request.user), translation.get_language())
    return JsonResponse({"status": str(state)})
