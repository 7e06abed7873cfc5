"""Writing figures into the cycle: the one write of the Situatie step's figure actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from compass import parts, services
from compass.models import SituationFigure, Step, StepProgress
from compass.parts.history import Change
from questionnaire.cycle_forms import MAX_ROWS
from questionnaire.situation.drafts import merge_into_draft
from questionnaire.situation.panel import figure_key

FIGURES = parts.get("figures")


@dataclass(frozen=True)
class FigureSpec:
    indicator_id: int | None
    label: str
    period: str
    value: Decimal
    source: str
    provisional: bool

    @property
    def key(self) -> tuple:
        return figure_key(self.indicator_id, self.label, self.period, self.source)


@dataclass
class StoreResult:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    draft: str = ""  # "" (no draft), "merged" or "kept" (a draft that could not be read)


class TooManyFigures(Exception):
    pass


def _change(figure, name, before, after) -> Change:
    """A history row as data (compass.parts.history), shown in the reader's language."""
    field = FIGURES.field(name)
    return Change(FIGURES.key, figure.label, name, field.raw(before), field.raw(after))


@transaction.atomic
def store_figures(cycle, user, specs: list[FigureSpec]) -> StoreResult:
    """Add or update the figures of the Situatie step; see questionnaire/situation/__init__.py."""
    progress = services.progress_for(cycle, Step.SITUATION)
    progress = StepProgress.objects.select_for_update().get(pk=progress.pk)
    existing = {}
    for figure in SituationFigure.objects.filter(cycle=cycle).order_by("pk"):
        existing.setdefault(
            figure_key(figure.indicator_id, figure.label, figure.period, figure.source), figure
        )
    new_keys = {spec.key for spec in specs} - set(existing)
    if SituationFigure.objects.filter(cycle=cycle).count() + len(new_keys) > MAX_ROWS:
        raise TooManyFigures
    result = StoreResult()
    history = []
    to_create, changed_old = [], []
    for spec in specs:
        figure = existing.get(spec.key)
        if figure is None:
            figure = SituationFigure(
                cycle=cycle,
                indicator_id=spec.indicator_id,
                label=spec.label,
                period=spec.period,
                value=spec.value,
                source=spec.source,
                provisional=spec.provisional,
            )
            existing[spec.key] = figure
            to_create.append(figure)
            for name in ("label", "period", "value", "source", "provisional"):
                history.append(_change(figure, name, None, getattr(figure, name)))
            continue
        if figure in to_create:
            continue  # the same figure twice in one request
        if figure.value == spec.value and figure.provisional == spec.provisional:
            result.unchanged.append(figure)
            continue
        old = (figure.value, figure.provisional)
        for name, before, after in (
            ("value", figure.value, spec.value),
            ("provisional", figure.provisional, spec.provisional),
        ):
            if before != after:
                history.append(_change(figure, name, before, after))
        figure.value, figure.provisional = spec.value, spec.provisional
        figure.save(update_fields=["value", "provisional"])
        changed_old.append((figure, old))
        result.updated.append(figure)
    # One INSERT for all; PostgreSQL and SQLite (3.35+) return the ids the draft needs.
    SituationFigure.objects.bulk_create(to_create)
    result.created = to_create
    if not to_create and not changed_old:
        return result
    services.record_changes(cycle, Step.SITUATION, user, history)
    draft = progress.draft
    if draft:
        merged = merge_into_draft(draft, to_create, changed_old)
        result.draft = "merged" if merged is not None else "kept"
        draft = merged if merged is not None else draft
    done = StepProgress.Status.DONE
    StepProgress.objects.filter(pk=progress.pk).update(
        version=F("version") + 1,
        saved_at=timezone.now(),
        saved_by=user,
        draft=draft,
        status=Case(
            When(status=done, then=Value(done)), default=Value(StepProgress.Status.IN_PROGRESS)
        ),
    )
    return result
