"""Import: check the whole file, then write it as a new cycle in one transaction."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from compass import parts, services
from compass.models import (
    Answer,
    Cycle,
    Municipality,
    SelfAssessment,
    StepProgress,
)
from exports.portable.format import source_of
from exports.portable.problems import ImportRefused
from exports.portable.validate import Plan, validate


def import_cycle(data: dict, municipality: Municipality, year: int, user=None):
    """Check the file, then write it as a new cycle in one transaction; return (cycle, plan)."""
    if not municipality.is_active:
        raise ImportRefused([_("A merged municipality cannot start a new annual cycle.")])
    refuse_district_file(data)
    exists = _("%(municipality)s already has an annual cycle for %(year)s.") % {
        "municipality": municipality,
        "year": year,
    }
    if Cycle.objects.municipal().filter(municipality=municipality, year=year).exists():
        raise ImportRefused([exists], field="year")
    plan = validate(data, municipality, year)
    try:
        with transaction.atomic():
            cycle = _write(plan, data, municipality, year, user)
    except IntegrityError:
        # Two people importing or starting the same cycle at once.
        raise ImportRefused([exists], field="year") from None
    return cycle, plan


def refuse_district_file(data: dict) -> None:
    """Refuse the export of a district cycle (it has "district"), before anything is checked.

    A district cycle shares the ambitions and results of its municipal cycle (mirrors that only
    the municipal cycle writes, compass.district_cycles): imported as a municipal cycle they
    would become the municipality's own, and imported as a district cycle they would be
    replaced by the municipal cycle's at its next save. Neither is what the file says, so it is
    refused with the reason; a district cycle is started beside its municipal cycle instead.
    """
    district = data.get("district")
    if district is None:
        return
    name = code = ""
    if isinstance(district, dict):
        name = district.get("name") if isinstance(district.get("name"), str) else ""
        code = district.get("code") if isinstance(district.get("code"), str) else ""
    which = " ".join(part for part in (name[:120], f"({code[:8]})" if code else "") if part)
    raise ImportRefused(
        [
            _(
                "This file is the export of the annual cycle of district %(district)s. The annual "
                "cycle of a district cannot be imported: it shares the ambitions and results of "
                "its municipality's annual cycle. Import the municipality's annual cycle, or "
                "start the district's annual cycle beside it."
            )
            % {"district": which or "?"}
        ]
    )


def _write(plan: Plan, data, municipality, year, user) -> Cycle:
    cycle = plan.cycle
    cycle.previous = (
        Cycle.objects.municipal()
        .filter(municipality=municipality, year__lt=year)
        .order_by("-year")
        .first()
    )
    cycle.created_by = user
    plan.made_draft = services.settle_status(cycle)
    cycle.save()
    for progress in plan.steps:
        progress.cycle = cycle
    StepProgress.objects.bulk_create(plan.steps)
    _write_parts(plan, cycle)
    _write_assessments(plan, cycle)
    _write_history(cycle, source_of(data), user)
    return cycle


def _write_parts(plan: Plan, cycle: Cycle) -> None:
    """Every part in the registry's order: a row's links point at rows already written."""
    saved: dict[str, dict[str, object]] = {}  # part key -> {local key: saved instance}
    for part in parts.PARTS.values():
        rows = plan.rows.get(part.key, [])
        for row in rows:
            row.instance.cycle = cycle
            for item in part.links:
                if item.kind == parts.REFERENCE:
                    key = row.links.get(item.name)
                    setattr(row.instance, item.name, saved[item.ref][key] if key else None)
        part.model.objects.bulk_create([row.instance for row in rows])
        if part.key_prefix:
            saved[part.key] = {row.key: row.instance for row in rows}
        for item in part.links:
            if item.kind == parts.REFERENCES:
                _write_links(item, rows, saved[item.ref])


def _write_links(item, rows, targets: dict) -> None:
    """The rows of a many-to-many link (an offering's target groups or results)."""
    through = item.model_field.remote_field.through
    own = f"{item.model_field.m2m_field_name()}_id"
    other = f"{item.model_field.m2m_reverse_field_name()}_id"
    through.objects.bulk_create(
        through(**{own: row.instance.pk, other: targets[key].pk})
        for row in rows
        for key in row.links.get(item.name, [])
    )


def _write_assessments(plan: Plan, cycle: Cycle) -> None:
    for assessment, _answers in plan.assessments:
        assessment.cycle = cycle
    SelfAssessment.objects.bulk_create([s for s, _a in plan.assessments])
    answers = []
    for assessment, items in plan.assessments:
        for answer in items:
            answer.assessment = assessment
            answers.append(answer)
    Answer.objects.bulk_create(answers)


def _write_history(cycle: Cycle, source: dict, user) -> None:
    """One history row per step, as data (compass.services.record_import)."""
    origin = " ".join(
        str(source[k]) for k in ("municipality_name", "year", "municipality_code") if k in source
    )
    services.record_import(cycle, user, origin)
