"""Region membership per year (issue 19 M7): which Veilig Thuis region a municipality belonged
to in a given year. Veilig Thuis regions change (26 in 2023, 25 in 2024 in the CBS tables), so
a year's figures and benchmark use the membership of that year.

The rule: the newest loaded CBS edition (``RegionMembership.year``) that is not later than the
year; when no edition that old is loaded, the current membership (``Region.municipalities``,
the newest edition), since that is the best that is known.
"""

from __future__ import annotations

from django.db.models import Max

from compass.models import Region, RegionMembership


def edition_for(year: int | None, kind: str = Region.Kind.VEILIG_THUIS) -> int | None:
    """The loaded edition whose membership holds in ``year``, or None (use the current one)."""
    if year is None:
        return None
    found = RegionMembership.objects.filter(region__kind=kind, year__lte=year).aggregate(
        edition=Max("year")
    )
    return found["edition"]


def vt_region_codes(municipality_ids=None, year: int | None = None) -> dict[int, str]:
    """Municipality id -> its Veilig Thuis region code in ``year`` (None: the current one)."""
    edition = edition_for(year)
    if edition is None:
        rows = Region.municipalities.through.objects.filter(region__kind=Region.Kind.VEILIG_THUIS)
    else:
        rows = RegionMembership.objects.filter(region__kind=Region.Kind.VEILIG_THUIS, year=edition)
    if municipality_ids is not None:
        rows = rows.filter(municipality_id__in=list(municipality_ids))
    return dict(rows.values_list("municipality_id", "region__code"))


def veilig_thuis_region(municipality, year: int | None = None) -> Region | None:
    """The municipality's Veilig Thuis region in ``year`` (None: the current one)."""
    edition = edition_for(year)
    if edition is None:
        regions = Region.objects.filter(kind=Region.Kind.VEILIG_THUIS, municipalities=municipality)
    else:
        regions = Region.objects.filter(
            kind=Region.Kind.VEILIG_THUIS,
            memberships__municipality=municipality,
            memberships__year=edition,
        )
    return regions.order_by("code").first()
