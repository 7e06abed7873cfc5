"""The districts (wijken) of a municipality, issue 22: the list, loading them from a CBS file,
typing, renaming and removing one, and starting a district's annual cycle.

Members of the whole municipality read the list (`access.get_municipality_as_member`); only
coordinators change it (`access.get_municipality_as_coordinator`). Every change goes through
`compass.districts` (or `compass.district_cycles`), and bad input re-renders the page with a
Dutch message and status 400, nothing stored.
"""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from compass import access, district_cycles, districts
from compass.cbs.districts import read_districts
from compass.cbs.errors import BadDistrictRows, CbsError
from compass.models import Cycle, District
from questionnaire.district_forms import DistrictFileForm, DistrictForm, DistrictNameForm


def _latest_cycle(municipality):
    return Cycle.objects.municipal().filter(municipality=municipality).order_by("-year").first()


def _page(
    request,
    municipality,
    *,
    file_form=None,
    file_errors=None,
    add_form=None,
    name_form=None,
    name_district=None,
    problem="",
    status=200,
):
    """The list with its forms; one query for the districts, one for their cycles."""
    rows = list(
        District.objects.filter(municipality=municipality)
        .annotate(members=Count("memberships"))
        .prefetch_related(
            Prefetch("cycles", queryset=Cycle.objects.order_by("-year"), to_attr="cycle_list")
        )
        .order_by("code")
    )
    latest = _latest_cycle(municipality)
    manage = access.is_coordinator(request.user, municipality)
    for district in rows:
        years = {cycle.year for cycle in district.cycle_list}
        district.can_start = bool(
            manage
            and latest
            and latest.status != Cycle.Status.CLOSED
            and municipality.is_active
            and latest.year not in years
        )
        district.can_remove = manage and not district.cycle_list and not district.members
        district.can_rename = manage and district.source == District.Source.TYPED
    return render(
        request,
        "questionnaire/districts.html",
        {
            "municipality": municipality,
            "districts": rows,
            "latest": latest,
            "manage": manage,
            "file_form": file_form or DistrictFileForm(),
            "file_errors": file_errors or [],
            "add_form": add_form or DistrictForm(),
            "name_form": name_form,
            "name_district": name_district,
            "problem": problem,
            "max_kb": settings.DISTRICTS_FILE_MAX_BYTES // 1024,
        },
        status=status,
    )


def _back(municipality):
    return redirect("questionnaire:districts", code=municipality.code)


def _district(municipality, code) -> District:
    """A district of this municipality by its WK code (404 for any other code)."""
    try:
        return District.objects.get(municipality=municipality, code=str(code).upper())
    except District.DoesNotExist:
        raise Http404 from None


@require_GET
@login_required
def district_list(request, code):
    municipality = access.get_municipality_as_member(request.user, code)
    return _page(request, municipality)


@require_POST
@login_required
def upload(request, code):
    municipality = access.get_municipality_as_coordinator(request.user, code)
    form = DistrictFileForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = [str(e) for e in form.errors.get("file", [])]
        return _page(request, municipality, file_form=form, file_errors=errors, status=400)
    uploaded = form.cleaned_data["file"]
    limit = settings.DISTRICTS_FILE_MAX_BYTES
    # A file over the limit is refused without reading it whole.
    data = b"x" * (limit + 1) if uploaded.size > limit else uploaded.read(limit + 1)
    name = Path(uploaded.name or "").name[:100]
    try:
        table = read_districts(data, max_bytes=limit)
        rows = table.for_municipality(municipality.code, municipality.name)
        result = districts.load_districts(municipality, rows, f"CBS, {name}")
    except BadDistrictRows as error:
        errors = error.problems
    except CbsError as error:
        errors = [districts.district_failure(error)]
    else:
        _report(request, result, table.has_population)
        return _back(municipality)
    return _page(request, municipality, file_form=form, file_errors=errors, status=400)


def _report(request, result, has_population):
    messages.success(
        request,
        _(
            "Districts loaded: %(created)d new, %(updated)d changed, %(unchanged)d unchanged, "
            "%(removed)d removed."
        )
        % {
            "created": len(result.created),
            "updated": len(result.updated),
            "unchanged": len(result.unchanged),
            "removed": len(result.removed),
        },
    )
    if result.kept_in_use:
        messages.warning(
            request,
            ngettext(
                "%(names)s is not in the file, but it stays: it has an annual cycle or members.",
                "%(names)s are not in the file, but they stay: they have annual cycles or members.",
                len(result.kept_in_use),
            )
            % {"names": ", ".join(d.name for d in result.kept_in_use)},
        )
    if result.kept_typed:
        messages.info(
            request,
            _("Typed in and not in the file, left as they are: %(names)s.")
            % {"names": ", ".join(d.name for d in result.kept_typed)},
        )
    if not has_population:
        messages.info(
            request,
            _("The file has no population column: the number of inhabitants stays empty."),
        )


@require_POST
@login_required
def add(request, code):
    municipality = access.get_municipality_as_coordinator(request.user, code)
    form = DistrictForm(request.POST)
    if form.is_valid():
        try:
            district = districts.add_district(
                municipality, form.cleaned_data["code"], form.cleaned_data["name"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("District %(district)s has been added.") % {"district": district}
            )
            return _back(municipality)
    return _page(request, municipality, add_form=form, status=400)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@require_POST
@login_required
def rename(request, code, district):
    municipality = access.get_municipality_as_coordinator(request.user, code)
    district = _district(municipality, district)
    form = DistrictNameForm(request.POST)
    if form.is_valid():
        try:
            districts.rename_district(district, form.cleaned_data["name"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("The district is now called %(name)s.") % {"name": district.name}
            )
            return _back(municipality)
    return _page(request, municipality, name_form=form, name_district=district, status=400)


@require_POST
@login_required
def remove(request, code, district):
    municipality = access.get_municipality_as_coordinator(request.user, code)
    district = _district(municipality, district)
    try:
        districts.remove_district(district)
    except ValidationError as error:
        return _page(request, municipality, problem=" ".join(error.messages), status=400)
    messages.success(request, _("District %(district)s has been removed.") % {"district": district})
    return _back(municipality)


@require_POST
@login_required
def start_cycle(request, code, district):
    """Start the district's cycle for the year of the municipality's latest cycle."""
    municipality = access.get_municipality_as_coordinator(request.user, code)
    district = _district(municipality, district)
    latest = _latest_cycle(municipality)
    if latest is None:
        return _page(
            request,
            municipality,
            problem=_(
                "Start an annual cycle of %(name)s first: a district cycle shares its ambitions."
            )
            % {"name": municipality.name},
            status=400,
        )
    if latest.status == Cycle.Status.CLOSED:
        # Nothing new is started in a closed year: the district cycle would share its parts.
        raise access.CycleClosed(access.closed_message())
    try:
        cycle = district_cycles.start_district_cycle(district, latest.year, request.user)
    except ValidationError as error:
        return _page(request, municipality, problem=" ".join(error.messages), status=400)
    messages.success(
        request,
        _("The annual cycle %(year)s of %(district)s has started.")
        % {"year": cycle.year, "district": district.name},
    )
    return redirect("questionnaire:cycle", cycle=cycle.pk)
