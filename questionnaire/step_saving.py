"""Saving one step of a cycle: the service every entry path of the guided flow goes through.

`keep_draft` stores the raw, unvalidated input as the step's draft (Previous, Save draft,
Add row, the step navigation, autosave, and a save that does not validate). `save_step`
validates the step's forms and either keeps them as a draft (invalid) or writes them, their
history and the step's new version in one transaction. Both refuse a closed cycle or a user
without change permission through `compass.access.check_cycle_write` (the one place of that
rule) and raise `compass.services.StaleVersionError` when somebody saved the step after
`version` was shown (nothing is stored then; the caller shows the merge, HTTP 409).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, Value, When
from django.utils.translation import gettext as _

from compass import access, district_cycles, parts, services
from compass.models import Cycle, StepProgress
from questionnaire.storage import DraftStorage

DONE = StepProgress.Status.DONE


@dataclass(frozen=True)
class Saved:
    """What `save_step` did: `valid` False means the input was kept as a draft only."""

    valid: bool
    changes: int
    version: int


class SharedStep(PermissionDenied):
    """A write to a district cycle's shared step: refused with a message (HTTP 403)."""


def check_step_write(user, cycle: Cycle, step: str) -> None:
    """`access.check_cycle_write`, and a district cycle's shared step (its municipality's
    ambitions) is read-only there: 403 with a message that says where to change it."""
    access.check_cycle_write(user, cycle)
    if district_cycles.is_shared_step(cycle, step):
        raise SharedStep(shared_step_message())


def shared_step_message() -> str:
    return _(
        "A district cycle shares the ambitions and results of its municipality: they are "
        "changed in the municipal cycle, not here."
    )


def keep_draft(cycle: Cycle, step: str, data, user, version: int) -> int:
    """Store `data` (a POST) as the step's draft; return the step's new version.

    A step that was done stays done; any other becomes in progress.
    """
    check_step_write(user, cycle, step)
    storage = DraftStorage(services.progress_for(cycle, step))
    storage.store(data)
    return services.claim_version(
        cycle,
        step,
        version,
        user,
        draft=storage.progress.draft,
        draft_saved_at=storage.progress.draft_saved_at,
        status=Case(
            When(status=DONE, then=Value(DONE)),
            default=Value(StepProgress.Status.IN_PROGRESS),
        ),
    )


def save_step(cycle: Cycle, step: str, forms, user, version: int) -> Saved:
    """Validate and save the step's `forms` (questionnaire.steps.BuiltStep, bound to a POST).

    Invalid input is kept as the draft (`Saved.valid` is False). A done step saved exactly as
    it is stored changes nothing, not even its version. Otherwise the rows, their history and
    the version are written together, the draft is cleared and the step is done; a step with
    shared parts brings the municipality's district cycles up to date in the same transaction.
    """
    check_step_write(user, cycle, step)
    progress = services.progress_for(cycle, step)
    if not forms.is_valid():
        return Saved(False, 0, keep_draft(cycle, step, forms.data, user, version))
    if (
        progress.status == DONE
        and not progress.draft
        and version == progress.version
        and not forms.has_changed()
    ):
        return Saved(True, 0, progress.version)
    with transaction.atomic():
        new_version = services.claim_version(
            cycle, step, version, user, draft={}, draft_saved_at=None, status=DONE
        )
        changes = forms.save(user)  # the rows and their history
        if changes and any(part.shared for part in parts.for_step(step)):
            district_cycles.sync_shared(cycle)
    return Saved(True, changes, new_version)
