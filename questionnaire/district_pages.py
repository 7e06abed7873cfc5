"""How the pages of a district cycle name it and point back to the municipal cycle.

A district cycle (compass.district_cycles) looks like any cycle, so every page of it must say
whose cycle it is: the district and its municipality, in the title, heading and breadcrumb,
with a link to the municipal cycle for those who may read it (a member limited to the district
may not: they never see the link). Municipal cycles are named as before.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from compass import access
from compass.models import Cycle


def cycle_place(cycle: Cycle) -> str:
    """The name a cycle's pages use: "Utrecht", or "wijk Binnenstad van gemeente Utrecht"."""
    if not cycle.district_id:
        return cycle.municipality.name
    return _("district %(district)s of the municipality of %(municipality)s") % {
        "district": cycle.district.name,
        "municipality": cycle.municipality.name,
    }


def municipal_cycle_url(user, cycle: Cycle) -> str:
    """The municipal cycle of a district cycle, if the user may read it; else ""."""
    if not cycle.parent_id:
        return ""
    parent = cycle.parent
    if not access.has_cycle_perm(user, access.VIEW_CYCLE, parent):
        return ""
    return reverse("questionnaire:cycle", args=[parent.pk])


def sees_municipality(user, cycle: Cycle) -> bool:
    """Whether the user reads the cycle's municipality as a whole (its figures pages, its
    municipal cycle); a member limited to a district does not."""
    return access.has_perm(user, access.VIEW_CYCLE, cycle.municipality)


def municipal_step_url(user, cycle: Cycle, step: str) -> str:
    """The same step of the municipal cycle (where shared parts are changed), if readable."""
    if not municipal_cycle_url(user, cycle):
        return ""
    return reverse("questionnaire:cycle_step", args=[cycle.parent_id, step])
