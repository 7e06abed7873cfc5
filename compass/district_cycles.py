"""District cycles: a district's own pass through the compass beside its municipality's cycle.

A district cycle (issue 22) holds its own figures, target groups, offering, quality, outcomes
and improvement plan, and shares the municipal cycle's ambitions and results: the registry's
`shared` parts (compass/parts/declarations.py) are mirrored into every district cycle of the
municipal cycle (`sync_shared`), row by row, each mirror pointing at its municipal row
(`shared_from`). A mirror is an ordinary row of the district cycle, so everything that reads one
cycle (its steps, links between parts, report, exports, JSON) works on a district cycle
unchanged; its step shows the mirrors read-only, and they are only ever written here.

Why mirrors and not links into the municipal cycle: every item carries its cycle and every
query filters on one cycle (docs/cycle.md); a link from a district's offering to a municipal
result would break that rule for every reader of a cycle. Deleting a municipal row deletes its
mirrors (CASCADE), and the links of district rows to them with it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from compass.models import Cycle, District


def shared_parts():
    from compass import parts

    return [part for part in parts.PARTS.values() if part.shared]


def shared_steps() -> set[str]:
    """The steps whose every part is shared: read-only in a district cycle."""
    from compass import parts

    steps: dict[str, bool] = {}
    for part in parts.PARTS.values():
        steps[part.step] = steps.get(part.step, True) and part.shared
    return {step for step, shared in steps.items() if shared}


def is_shared_step(cycle: Cycle, step: str) -> bool:
    """Whether the step of this cycle only shows what its municipal cycle holds."""
    return cycle.district_id is not None and step in shared_steps()


@transaction.atomic
def start_district_cycle(district: District, year: int, user=None) -> Cycle:
    """Start the cycle of `district` for `year`, beside the municipal cycle of that year.

    The municipal cycle must exist (its ambitions are shared); the district's latest earlier
    cycle is its `previous`, and what the registry copies forward (target groups, offering,
    open improvement actions) is copied from it; the shared parts come from the municipal
    cycle, and a copied link to an old shared row points at the mirror of the same municipal
    row in the new cycle when there is one.
    """
    from compass.services import copy_forward_from

    municipality = district.municipality
    if not municipality.is_active:
        raise ValidationError(_("A merged municipality cannot start a new annual cycle."))
    parent = Cycle.objects.municipal().filter(municipality=municipality, year=year).first()
    if parent is None:
        raise ValidationError(
            _(
                "Start the annual cycle %(year)s of %(municipality)s first: a district cycle "
                "shares its ambitions."
            )
            % {"year": year, "municipality": municipality}
        )
    if Cycle.objects.filter(district=district, year=year).exists():
        raise ValidationError(
            _("%(district)s already has an annual cycle for %(year)s.")
            % {"district": district.name, "year": year}
        )
    previous = Cycle.objects.filter(district=district, year__lt=year).order_by("-year").first()
    cycle = Cycle(
        municipality=municipality,
        district=district,
        parent=parent,
        year=year,
        policy_start_year=parent.policy_start_year,
        policy_end_year=parent.policy_end_year,
        previous=previous,
        created_by=user,
    )
    cycle.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            cycle.save()
    except IntegrityError:
        raise ValidationError(
            _("%(district)s already has an annual cycle for %(year)s.")
            % {"district": district.name, "year": year}
        ) from None
    mirrors = mirror_into(cycle)
    if previous is not None:
        mapped = _previous_mirrors(previous, cycle, mirrors)
        copy_forward_from(previous, cycle, skip_shared=True, mapped=mapped)
    return cycle


def sync_shared(municipal_cycle: Cycle) -> int:
    """Mirror the shared parts of a municipal cycle into each of its district cycles.

    Called after every write of a shared part (a step save, a JSON import). Returns the number
    of district cycles brought up to date. A closed district cycle keeps what it had.
    """
    if municipal_cycle.district_id is not None:
        return 0
    count = 0
    for district_cycle in municipal_cycle.district_cycles.exclude(status=Cycle.Status.CLOSED):
        mirror_into(district_cycle)
        count += 1
    return count


def mirror_into(district_cycle: Cycle) -> dict[str, dict[int, object]]:
    """Make the district cycle's shared rows equal to its municipal cycle's; return, per part,
    municipal row id -> mirror. Rows are created, updated (only what changed) and deleted with
    a constant number of queries per part."""
    from compass import parts

    source_cycle = district_cycle.parent
    mirrors: dict[str, dict[int, object]] = {}
    for part in shared_parts():
        model = part.model
        singles = [f for f in part.fields if f.kind == parts.REFERENCE]
        many = [f for f in part.fields if f.kind == parts.REFERENCES]
        own = [f for f in part.fields if f.kind not in (parts.REFERENCE, parts.REFERENCES)]
        sources = list(part.queryset(source_cycle))
        existing = {row.shared_from_id: row for row in model.objects.filter(cycle=district_cycle)}
        orphans = [row.pk for key, row in existing.items() if key not in {s.pk for s in sources}]
        if orphans:
            model.objects.filter(pk__in=orphans).delete()
        mapped = mirrors.setdefault(part.key, {})
        create, update, changed_fields = [], [], set()
        for source in sources:
            values = {f.attname: getattr(source, f.attname) for f in own}
            for link in singles:
                target = mirrors.get(link.ref, {}).get(getattr(source, link.attname))
                values[link.attname] = target.pk if target is not None else None
            mirror = existing.get(source.pk)
            if mirror is None:
                mirror = model(cycle=district_cycle, shared_from=source, **values)
                create.append(mirror)
            else:
                differs = [name for name, value in values.items() if getattr(mirror, name) != value]
                for name in differs:
                    setattr(mirror, name, values[name])
                if differs:
                    update.append(mirror)
                    changed_fields.update(differs)
            mapped[source.pk] = mirror
        if create:
            model.objects.bulk_create(create)
        if update:
            model.objects.bulk_update(update, sorted(changed_fields))
        for link in many:  # no shared part has one today; kept general for the registry
            for source in sources:
                known = mirrors.get(link.ref, {})
                targets = [known[o.pk] for o in getattr(source, link.name).all() if o.pk in known]
                getattr(mapped[source.pk], link.name).set(targets)
    return mirrors


def _previous_mirrors(
    previous: Cycle, cycle: Cycle, mirrors: dict[str, dict[int, object]]
) -> dict[str, dict[int, object]]:
    """Per shared part: a mirror of the previous district cycle -> the mirror in the new cycle
    of the same municipal row carried into this year's municipal cycle (matched on its text,
    as copy-forward keeps no link between a row and its copy). Unmatched: no entry, so
    copy-forward leaves the link empty, as it does for anything not copied."""
    by_text = _carried_over(previous.parent, cycle.parent)
    mapped: dict[str, dict[int, object]] = {}
    for part in shared_parts():
        rows = part.model.objects.filter(cycle=previous).values_list("pk", "shared_from_id")
        now = by_text.get(part.key, {})
        here = mirrors.get(part.key, {})
        mapped[part.key] = {
            old: here[now[source]] for old, source in rows if now.get(source) in here
        }
    return mapped


def _carried_over(old_parent: Cycle | None, new_parent: Cycle) -> dict[str, dict[int, int]]:
    """Per shared part: last year's municipal row id -> this year's municipal row id, matched
    on the row's text (copy-forward keeps no link between a row and its copy)."""
    found: dict[str, dict[int, int]] = {}
    if old_parent is None:
        return found
    for part in shared_parts():
        if not any(f.name == "text" for f in part.fields):
            continue
        new = {}
        for pk, text in part.model.objects.filter(cycle=new_parent).values_list("pk", "text"):
            new.setdefault(text, pk)
        old = part.model.objects.filter(cycle=old_parent).values_list("pk", "text")
        found[part.key] = {pk: new[text] for pk, text in old if text in new}
    return found
