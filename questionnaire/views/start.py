"""The "Mijn gemeenten" start page after login."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from compass import access
from compass.models import Cycle, Municipality


def cycles_by_municipality(municipalities) -> dict[int, list]:
    """Return the cycles per municipality id, newest year first, in one query."""
    cycles: dict[int, list] = {}
    for cycle in (
        Cycle.objects.municipal().filter(municipality__in=municipalities).order_by("-year")
    ):
        cycles.setdefault(cycle.municipality_id, []).append(cycle)
    return cycles


def cycles_by_district(user, district_ids) -> dict[int, list]:
    """The cycles of the districts a member is limited to, per district id, newest first, in
    one query; read through `access.cycles_for`, the one list rule for cycles."""
    cycles: dict[int, list] = {}
    if district_ids:
        for cycle in (
            access.cycles_for(user, access.VIEW_CYCLE)
            .filter(district__in=district_ids)
            .order_by("-year")
        ):
            cycles.setdefault(cycle.district_id, []).append(cycle)
    return cycles


@require_GET
@login_required
def start(request):
    user = request.user
    memberships = list(
        user.memberships.select_related("municipality", "district").order_by("municipality__name")
    )
    own = [m.municipality for m in memberships]
    checker = access.checker_for(user)
    if own:
        checker.prefetch_perms(own)
    rows = [
        {
            "municipality": m.municipality,
            "role": m.get_role_display(),
            # A member limited to one district sees that district's cycles, not the
            # municipality's (compass.access); the district is named.
            "district": m.district,
            "manage_team": access.has_perm(user, access.MANAGE_TEAM, m.municipality),
            "start_cycle": access.has_perm(user, access.CHANGE_CYCLE, m.municipality),
            "import_cycle": access.is_coordinator(user, m.municipality),
            # The districts page is for members of the whole municipality (not one district).
            "districts": m.district_id is None
            and access.has_perm(user, access.VIEW_CYCLE, m.municipality),
        }
        for m in memberships
    ]
    shared = []
    if not user.is_superuser:
        shared = list(
            access.municipalities_for(user, access.VIEW_CYCLE)
            .exclude(pk__in=[m.pk for m in own])
            .order_by("name")
        )
    whole = [m.municipality for m in memberships if not m.district_id]
    cycles = cycles_by_municipality(whole + shared)
    district_cycles = cycles_by_district(
        user, [m.district_id for m in memberships if m.district_id]
    )
    for row in rows:
        if row["district"] is not None:
            row["cycles"] = district_cycles.get(row["district"].pk, [])
        else:
            row["cycles"] = cycles.get(row["municipality"].pk, [])
    for municipality in shared:
        municipality.cycle_list = cycles.get(municipality.pk, [])
    return render(
        request,
        "questionnaire/start.html",
        {
            "rows": rows,
            "shared": shared,
            "all_count": Municipality.objects.count() if user.is_superuser else None,
        },
    )
