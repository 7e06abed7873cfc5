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

from django.db import transaction
from django.db.models import Case, Value, When

from compass import access, services
from compass.models import Cycle, StepProgress
from questionnaire.storage import DraftStorage

DONE = StepProgress.Status.DONE


@dataclass(frozen=True)
class Saved:
    """What `save_step` did: `valid` False means the input was kept as a draft only."""

    valid: bool
    changes: int
    version: int


def keep_draft(cycle: Cycle, step: str, data, user, version: int) -> int:
    """Store `data` (a POST) as the step's draft; return the step's new version.

    A step that was done stays done; any other becomes in progress.
    """
    access.check_cycle_write(user, cycle)
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
    the version are written together, the draft is cleared and the step is done.
    """
    access.check_cycle_write(user, cycle)
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
    return Saved(True, changes, new_version)
