"""Defining a municipality's districts: load them from a CBS table, or type, rename, remove.

Every change of the district list goes through here (the page for coordinators, the
`load_districts` command, the demo). A district with a cycle (or a member limited to it) is
never deleted: its cycles and people point at it (PROTECT for cycles, CASCADE would silently
drop the members), so it is kept and reported instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from compass.cbs.districts import DistrictRow
from compass.cbs.errors import CbsError, DistrictOutsideMunicipality, NoDistricts
from compass.models import Cycle, District, Membership, Municipality
from compass.models.districts import district_code_belongs_to, validate_district_code


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept_in_use: list[District] = field(default_factory=list)  # not in the file, but in use
    kept_typed: list[District] = field(default_factory=list)  # typed in, not in the file


def in_use(districts: Iterable[District]) -> set[int]:
    """The ids of the districts that have a cycle or a member limited to them."""
    ids = [d.pk for d in districts]
    with_cycles = Cycle.objects.filter(district__in=ids).values_list("district_id", flat=True)
    with_members = Membership.objects.filter(district__in=ids).values_list("district_id", flat=True)
    return set(with_cycles) | set(with_members)


@transaction.atomic
def load_districts(
    municipality: Municipality, rows: Iterable[DistrictRow], source_detail: str
) -> LoadResult:
    """Make the municipality's CBS districts those of `rows`, all or nothing.

    New codes are created, known ones updated (name, population, children 0-14; a typed
    district found in the file becomes a CBS district), CBS districts missing from the file
    are removed unless they are in use, and typed districts missing from it are left alone.
    """
    rows = list(rows)
    if not rows:
        raise NoDistricts(_("the file holds no districts of %(name)s") % {"name": municipality})
    for row in rows:
        if not district_code_belongs_to(row.code, municipality.code):
            raise DistrictOutsideMunicipality(
                _("%(line)s: district %(code)s does not lie in %(name)s (codes WK%(digits)s..)")
                % {
                    "line": row.line or row.code,
                    "code": row.code,
                    "name": municipality.name,
                    "digits": municipality.code[2:],
                }
            )
    # One load at a time per municipality: a second upload waits for the first to finish.
    Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
    existing = {d.code: d for d in District.objects.filter(municipality=municipality)}
    result = LoadResult()
    detail = source_detail[:200]
    for row in rows:
        values = {
            "name": plain_name(row.name),
            "population": row.population,
            "youth_population": row.youth_population,
            "source": District.Source.CBS,
            "source_detail": detail,
        }
        district = existing.pop(row.code, None)
        if district is None:
            District.objects.create(municipality=municipality, code=row.code, **values)
            result.created.append(row.code)
        elif all(getattr(district, name) == value for name, value in values.items()):
            result.unchanged.append(row.code)
        else:
            for name, value in values.items():
                setattr(district, name, value)
            district.save(update_fields=list(values))
            result.updated.append(row.code)
    used = in_use(existing.values())
    for district in sorted(existing.values(), key=lambda d: d.code):
        if district.pk in used:
            result.kept_in_use.append(district)
        elif district.source == District.Source.TYPED:
            result.kept_typed.append(district)
        else:
            district.delete()
            result.removed.append(district.code)
    return result


NUMBERED = re.compile(r"^wijk\s+\d+\s+(?=\S)", re.IGNORECASE)


def plain_name(cbs_name: str) -> str:
    """The district's name without CBS's numbering: "Wijk 03 Overvecht" -> "Overvecht".

    Some municipalities (Utrecht) name their districts "Wijk 03 Overvecht" in CBS's tables;
    the number is in the code (WK034403), and every page says "wijk Overvecht", so the stored
    name is the plain one. A name that is only "Wijk 03" stays as it is.
    """
    return NUMBERED.sub("", cbs_name.strip())


def add_district(municipality: Municipality, code: str, name: str) -> District:
    """A district typed in by a coordinator: a CBS code of this municipality, not yet used."""
    code = (code or "").strip().upper()
    name = " ".join((name or "").split())
    if not municipality.is_active:
        raise ValidationError(_("A merged municipality cannot get new districts."))
    errors = {}
    try:
        validate_district_code(code)
    except ValidationError as error:
        errors["code"] = error.messages
    else:
        if not district_code_belongs_to(code, municipality.code):
            errors["code"] = [
                _(
                    "District %(code)s does not lie in %(municipality)s: its code must start "
                    "with WK%(digits)s."
                )
                % {"code": code, "municipality": municipality.name, "digits": municipality.code[2:]}
            ]
        elif District.objects.filter(code=code).exists():
            errors["code"] = [_("District %(code)s already exists.") % {"code": code}]
    if not name:
        errors["name"] = [_("Enter the name of the district.")]
    elif len(name) > 120:
        errors["name"] = [_("The name can be at most 120 characters long.")]
    if errors:
        raise ValidationError(errors)
    return District.objects.create(
        municipality=municipality, code=code, name=name, source=District.Source.TYPED
    )


def rename_district(district: District, name: str) -> District:
    """Change the name of a typed district (a CBS district takes its name from CBS)."""
    name = " ".join((name or "").split())
    if district.source != District.Source.TYPED:
        raise ValidationError(
            _("%(name)s comes from a CBS table: load a newer table to change its name.")
            % {"name": district.name}
        )
    if not name:
        raise ValidationError({"name": [_("Enter the name of the district.")]})
    if len(name) > 120:
        raise ValidationError({"name": [_("The name can be at most 120 characters long.")]})
    district.name = name
    district.save(update_fields=["name"])
    return district


@transaction.atomic
def remove_district(district: District) -> None:
    """Delete a district that has no cycle and no member limited to it."""
    if in_use([district]):
        raise ValidationError(
            _(
                "%(name)s has an annual cycle or team members limited to it, so it stays. "
                "Remove those first."
            )
            % {"name": district.name}
        )
    district.delete()


def district_failure(error: CbsError) -> str:
    """The message a coordinator reads when a districts file is refused (Dutch via gettext)."""
    messages = {
        "malformed_data": _("The file cannot be read."),
        "no_districts": _("The file holds no districts of this municipality."),
        "district_outside_municipality": _("The file holds a district of another municipality."),
    }
    return _("%(message)s No district has been changed. (%(detail)s)") % {
        "message": messages.get(error.code, _("The districts could not be loaded.")),
        "detail": error.detail,
    }
