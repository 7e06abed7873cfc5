"""Business rules of the annual cycle: starting (and later copying forward and closing) a cycle.

Views stay thin and call these functions; access is checked by the caller through
`compass.access` before anything here runs.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from compass.models import (
    Ambition,
    ChangeRecord,
    Cycle,
    Municipality,
    Offering,
    Result,
    Step,
    StepProgress,
)

POLICY_PERIOD_YEARS = 4


@transaction.atomic
def start_cycle(
    municipality: Municipality,
    year: int,
    user=None,
    policy_start_year: int | None = None,
    policy_end_year: int | None = None,
    copy_forward: bool = False,
) -> Cycle:
    """Start an empty cycle for (municipality, year), linked to the latest earlier cycle.

    With `copy_forward`, the previous cycle's ambitions, results, target groups, offering and
    open improvement actions are carried over (figures and outcomes are not).
    Without a policy period, the previous cycle's period is kept while it still covers the
    year; otherwise a new period of four years starts in this year.
    """
    if not municipality.is_active:
        raise ValidationError(_("A merged municipality cannot start a new annual cycle."))
    if Cycle.objects.municipal().filter(municipality=municipality, year=year).exists():
        raise ValidationError(
            _("%(municipality)s already has an annual cycle for %(year)s.")
            % {"municipality": municipality, "year": year}
        )
    previous = (
        Cycle.objects.municipal()
        .filter(municipality=municipality, year__lt=year)
        .order_by("-year")
        .first()
    )
    if policy_start_year is None:
        if previous and previous.policy_start_year <= year <= previous.policy_end_year:
            policy_start_year, policy_end_year = (
                previous.policy_start_year,
                previous.policy_end_year,
            )
        else:
            policy_start_year = year
    if policy_end_year is None:
        policy_end_year = policy_start_year + POLICY_PERIOD_YEARS - 1
    cycle = Cycle(
        municipality=municipality,
        year=year,
        policy_start_year=policy_start_year,
        policy_end_year=policy_end_year,
        previous=previous,
        created_by=user,
    )
    cycle.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            cycle.save()
    except IntegrityError:
        # Two people starting the same cycle at once: the second one loses cleanly.
        raise ValidationError(
            _("%(municipality)s already has an annual cycle for %(year)s.")
            % {"municipality": municipality, "year": year}
        ) from None
    if copy_forward and previous is not None:
        copy_forward_from(previous, cycle)
    return cycle


def copy_forward_from(
    source: Cycle,
    target: Cycle,
    skip_shared: bool = False,
    mapped: dict[str, dict[int, object]] | None = None,
) -> None:
    """Copy into `target` what the registry's copy rules say (compass.parts, `Part.copy`).

    Today: ambitions, results, target groups, offering and open improvement actions. The parts
    are walked in registry order (a part after what it points at), so every link is mapped to
    the copy of the item it pointed at; a link to an item that is not copied is left empty.
    With `skip_shared` (a district cycle) the shared parts are left out: they are mirrored from
    the municipal cycle instead (compass.district_cycles), and `mapped` says, per shared part,
    which row of the target an old row's link now points at.
    """
    from compass import parts

    copies: dict[str, dict[int, object]] = dict(mapped or {})
    for part in parts.PARTS.values():
        if part.copy is parts.Copy.NONE or (skip_shared and part.shared):
            continue
        copied = copies.setdefault(part.key, {})
        singles = [f for f in part.links if f.kind == parts.REFERENCE]
        many = [f for f in part.links if f.kind == parts.REFERENCES]
        for item in part.rows_to_copy(source):
            linked = {f.name: [other.pk for other in getattr(item, f.name).all()] for f in many}
            old = item.pk
            item.pk = None
            item.cycle = target
            for link in singles:
                setattr(item, link.name, copies.get(link.ref, {}).get(getattr(item, link.attname)))
            item.save()
            for link in many:
                known = copies.get(link.ref, {})
                getattr(item, link.name).set([known[pk] for pk in linked[link.name] if pk in known])
            copied[old] = item


# --- Status: one active cycle per municipality -------------------------------------------------


def settle_status(cycle: Cycle) -> bool:
    """Make an unsaved cycle a draft when it would be a second active cycle; True if changed.

    A municipality has at most one active cycle (also a database constraint,
    `cycle_one_active_per_municipality`); starting, importing or copying a cycle never makes a
    second one: the new cycle becomes a draft and the active one stays as it is.
    """
    if cycle.status != Cycle.Status.ACTIVE:
        return False
    if cycle.district_id:
        others = Cycle.objects.filter(district=cycle.district_id, status=Cycle.Status.ACTIVE)
    else:
        others = Cycle.objects.municipal().filter(
            municipality=cycle.municipality_id, status=Cycle.Status.ACTIVE
        )
    if cycle.pk:
        others = others.exclude(pk=cycle.pk)
    if not others.exists():
        return False
    cycle.status = Cycle.Status.DRAFT
    return True


def next_step(progress) -> tuple[int, str] | None:
    """(number, step) of the first step that is not done, or None when every step is done.

    `progress` maps a step to its StepProgress (steps without one are not started), as the
    dashboard has it; its "start here" text follows this, whether the cycle was filled in
    step by step or imported.
    """
    for number, step in enumerate(Step.values, 1):
        item = progress.get(step)
        if item is None or item.status != StepProgress.Status.DONE:
            return number, step
    return None


# --- Completeness ----------------------------------------------------------------------------


def missing_items(cycle: Cycle) -> dict[str, list[str]]:
    """Return, per step, what is still missing in the cycle (Dutch messages, a few queries)."""
    return missing_items_by_cycle([cycle])[cycle.pk]


def missing_items_by_cycle(cycles) -> dict[int, dict[str, list[str]]]:
    """`missing_items` of many cycles at once (cycle id -> step -> messages).

    The same rules in the same four queries whatever the number of cycles, so the roll-up of a
    municipality's district cycles (compass.district_rollup) costs what one dashboard costs.
    """
    ids = [cycle.pk for cycle in cycles]
    missing = {pk: {step: [] for step in Step.values} for pk in ids}
    results: dict[int, list[Result]] = {pk: [] for pk in ids}
    for result in Result.objects.filter(cycle_id__in=ids).only(
        "cycle_id", "text", "type", "target_value", "target_year", "ambition_id"
    ):
        results[result.cycle_id].append(result)
    for pk, rows in results.items():
        for result in rows:
            if result.target_value is None or result.target_year is None:
                missing[pk][Step.AMBITIONS].append(
                    _("The result “%(result)s” has no target value or target year.")
                    % {"result": result.text}
                )
        if rows and all(r.type != Result.Type.SUBSTANTIVE for r in rows):
            missing[pk][Step.AMBITIONS].append(
                _(
                    "All results are process or precondition results: add at least one "
                    "substantive result about children's lives."
                )
            )
    served = set(
        Offering.results.through.objects.filter(offering__cycle_id__in=ids).values_list(
            "offering__cycle_id", "result__ambition_id"
        )
    )
    for ambition in Ambition.objects.filter(cycle_id__in=ids).only("cycle_id", "text"):
        if (ambition.cycle_id, ambition.pk) not in served:
            missing[ambition.cycle_id][Step.OFFERING].append(
                _("The ambition “%(ambition)s” has no offering.") % {"ambition": ambition.text}
            )
    for offering in Offering.objects.filter(cycle_id__in=ids).only(
        "cycle_id", "name", "evidence_level", "databank"
    ):
        if not offering.evidence_level:
            missing[offering.cycle_id][Step.OFFERING].append(
                _("The offering “%(offering)s” has no evidence level.")
                % {"offering": offering.name}
            )
        elif offering.needs_databank:
            # A databank's verdict is in that databank's words: say which databank gave it.
            missing[offering.cycle_id][Step.OFFERING].append(
                _("The offering “%(offering)s” does not say which databank judged it.")
                % {"offering": offering.name}
            )
    return missing


# --- Drafts, locking and history ---------------------------------------------------------------


class StaleVersionError(Exception):
    """Someone else saved the step after this user opened it."""


def progress_for(cycle: Cycle, step: str) -> StepProgress:
    progress, _created = StepProgress.objects.get_or_create(cycle=cycle, step=step)
    return progress


def claim_version(cycle: Cycle, step: str, version: int | None, user, **changes) -> int:
    """Raise the step's version if it is still `version`; raise StaleVersionError otherwise.

    One conditional UPDATE, so of two simultaneous saves exactly one wins.
    """
    from django.db.models import F
    from django.utils import timezone

    progress_for(cycle, step)
    now = timezone.now()
    updated = StepProgress.objects.filter(cycle=cycle, step=step, version=version).update(
        version=F("version") + 1, saved_at=now, saved_by=user, **changes
    )
    if not updated:
        raise StaleVersionError
    return version + 1


def record_changes(cycle: Cycle, step: str, user, rows) -> None:
    """Store history rows: `compass.parts.history.Change` data (field names, raw values).

    A plain (item, field, old, new) tuple of text is still stored as text, shown as it is.
    """
    from compass.parts.history import Change

    records = []
    for row in rows:
        if isinstance(row, Change):
            records.append(
                ChangeRecord(
                    cycle=cycle,
                    step=step,
                    user=user,
                    event=row.event,
                    part=row.part,
                    item=str(row.item)[:300],
                    field_name=row.field,
                    old_value=row.old,
                    new_value=row.new,
                )
            )
            continue
        item, field, old, new = row
        records.append(
            ChangeRecord(
                cycle=cycle,
                step=step,
                user=user,
                item=str(item)[:300],
                field=str(field)[:200],
                old=str(old),
                new=str(new),
            )
        )
    ChangeRecord.objects.bulk_create(records)


def record_import(cycle: Cycle, user, origin: str) -> None:
    """History of an imported cycle: one row per step, "imported from a JSON export" as data.

    `origin` is the file's provenance as given (municipality, year, code); the words around it
    are shown in the reader's language (compass.parts.history).
    """
    ChangeRecord.objects.bulk_create(
        ChangeRecord(
            cycle=cycle,
            step=step,
            user=user,
            event=ChangeRecord.Event.IMPORTED,
            item=origin[:300],
        )
        for step in Step.values
    )
