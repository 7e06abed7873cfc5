"""Database-backed draft storage of the guided flow, keyed on (cycle, step).

It subclasses django-formtools' BaseStorage so the flow speaks the formtools storage API
(`get_step_data` / `set_step_data` / `reset`), but the data live in the step's StepProgress
row instead of a cookie (silently dropped above 4 KB) or the session (gone at logout). So a
draft survives logout, session expiry, a crash and a switch of device (see PITFALLS.md).
"""

from django.utils import timezone
from formtools.wizard.storage.base import BaseStorage

from compass.models import StepProgress


class DraftStorage(BaseStorage):
    """The raw, unvalidated POST of one step of one cycle."""

    def __init__(self, progress: StepProgress, request=None):
        super().__init__(f"cycle{progress.cycle_id}_{progress.step}", request)
        self.progress = progress
        self.step = progress.step
        self.init_data()
        self.current_step = progress.step
        if progress.draft:
            self.data[self.step_data_key][self.step] = progress.draft

    @property
    def draft(self):
        """The stored POST as a MultiValueDict, or None when there is no draft."""
        return self.get_step_data(self.step)

    def store(self, post) -> None:
        """Keep the POST (without the CSRF token) as the step's draft; the caller saves."""
        # PostgreSQL cannot store NUL characters in JSON; they never belong in a form anyway.
        data = {
            key.replace("\x00", ""): [value.replace("\x00", "") for value in values]
            for key, values in post.lists()
            if key != "csrfmiddlewaretoken"
        }
        self.set_step_data(self.step, data)
        self.progress.draft = data
        self.progress.draft_saved_at = timezone.now()

    def reset(self):
        super().reset()
        self.progress.draft = {}
        self.progress.draft_saved_at = None
