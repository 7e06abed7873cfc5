"""Downloads of a cycle (CSV per table, one XLSX workbook, the JSON export) and the JSON import.

Every view reaches the cycle or municipality through `compass.access`: downloads need
`export_cycle` (readers have it; partner municipalities with only `view_cycle` get 403,
outsiders 404); the import needs a coordinator of the target municipality. Every download and
every import is logged with `exports.log.record`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from compass import access
from exports import cycle_tables, portable
from exports.district_tables import district_tables
from exports.forms import ImportCycleForm, SizeLimitUploadHandler
from exports.log import record
from exports.models import ExportLog
from exports.naming import place_label
from exports.tabular import to_csv, to_xlsx

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON_TYPE = "application/json; charset=utf-8"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@login_required
def downloads(request, cycle):
    cycle = access.get_cycle_for(request.user, cycle, access.EXPORT_CYCLE)
    tables = [
        {
            "slug": slug,
            "title": definition.title,
            "description": definition.description,
            "filename": cycle_tables.file_name(cycle, slug, "csv"),
        }
        for slug, definition in cycle_tables.TABLES.items()
    ]
    return render(
        request,
        "exports/downloads.html",
        {
            "cycle": cycle,
            "tables": tables,
            "xlsx_name": cycle_tables.file_name(cycle, "", "xlsx"),
            "json_name": cycle_tables.file_name(cycle, "", "json"),
            "can_import": access.is_coordinator(request.user, cycle.municipality),
            "place": place_label(cycle),
            "has_districts": not cycle.district_id and cycle.district_cycles.exists(),
        },
    )


@require_GET
@login_required
def table_csv(request, cycle, table):
    definition = cycle_tables.TABLES.get(table)
    if definition is None:
        raise Http404
    cycle = access.get_cycle_for(request.user, cycle, access.EXPORT_CYCLE)
    content = to_csv(definition.table(cycle))
    record(request.user, cycle, ExportLog.Kind.CSV, table)
    return _download(content, CSV_TYPE, cycle_tables.file_name(cycle, table, "csv"))


@require_GET
@login_required
def workbook(request, cycle):
    cycle = access.get_cycle_for(request.user, cycle, access.EXPORT_CYCLE)
    # A municipal cycle with district cycles gets the district sheets (exports.district_tables).
    content = to_xlsx(cycle_tables.all_tables(cycle) + district_tables(cycle))
    filename = cycle_tables.file_name(cycle, "", "xlsx")
    record(request.user, cycle, ExportLog.Kind.XLSX, filename)
    return _download(content, XLSX_TYPE, filename)


@require_GET
@login_required
def cycle_json(request, cycle):
    cycle = access.get_cycle_for(request.user, cycle, access.EXPORT_CYCLE)
    content = portable.dumps(portable.export_cycle(cycle))
    filename = cycle_tables.file_name(cycle, "", "json")
    record(request.user, cycle, ExportLog.Kind.JSON, filename)
    return _download(content, JSON_TYPE, filename)


# --- Import ----------------------------------------------------------------------------------


@csrf_exempt  # checked by csrf_protect below, after the upload handler is in place
@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def import_cycle(request, code):
    # Access first: an outsider's upload is never read.
    municipality = access.get_municipality_as_coordinator(request.user, code)
    handler = SizeLimitUploadHandler(request)
    request.upload_handlers.insert(0, handler)
    return _import_cycle(request, municipality, handler)


@csrf_protect
def _import_cycle(request, municipality, handler):
    if request.method != "POST":
        latest = municipality.cycles.municipal().order_by("-year").first()
        form = ImportCycleForm(initial={"year": (latest.year + 1) if latest else None})
        return _render_import(request, municipality, form)
    form = ImportCycleForm(request.POST, request.FILES, too_large=handler.exceeded)
    if form.is_valid():
        try:
            cycle, plan = portable.import_cycle(
                form.parsed, municipality, form.cleaned_data["year"], request.user
            )
        except portable.ImportRefused as refused:
            form.add_error(refused.field, refused.messages)
        else:
            source = portable.source_of(form.parsed)
            detail = " ".join(
                str(source.get(k, "")) for k in ("municipality_code", "year") if source.get(k)
            )
            record(request.user, cycle, ExportLog.Kind.JSON_IMPORT, detail)
            messages.success(
                request,
                _("The annual cycle %(year)s has been imported.") % {"year": cycle.year},
            )
            if plan.made_draft:
                messages.info(
                    request,
                    _(
                        "%(municipality)s already has an active annual cycle, so the imported "
                        "cycle has been saved as a draft."
                    )
                    % {"municipality": municipality.name},
                )
            if plan.moved_period:
                messages.info(
                    request,
                    _(
                        "The policy period has been moved to %(start)s–%(end)s so that it "
                        "includes %(year)s."
                    )
                    % {
                        "start": cycle.policy_start_year,
                        "end": cycle.policy_end_year,
                        "year": cycle.year,
                    },
                )
            return redirect("questionnaire:cycle", cycle=cycle.pk)
    return _render_import(request, municipality, form)


def _render_import(request, municipality, form):
    return render(
        request,
        "exports/import.html",
        {"municipality": municipality, "form": form},
    )
