"""Refusals: the problems of a file, each saying where, in the reader's language."""

from __future__ import annotations

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compass.models import (
    Ambition,
    Answer,
    Cycle,
    ImprovementAction,
    Offering,
    OutcomeMeasurement,
    QualityCheck,
    Result,
    ResultValue,
    SelfAssessment,
    SituationFigure,
    SituationReading,
    StepProgress,
    TargetGroup,
)

MAX_ERRORS = 50


class ImportRefused(Exception):
    """The file cannot be imported; `messages` say why in the active language, with where."""

    def __init__(self, messages, field: str = "file"):
        self.messages = list(messages)
        self.field = field
        super().__init__("; ".join(str(m) for m in self.messages))


class Problems:
    """Collected error messages, each saying where; stops collecting after MAX_ERRORS."""

    def __init__(self):
        self.items: list[str] = []

    def add(self, where: str, message) -> None:
        self.items.append(f"{where}: {message}" if where else str(message))

    def __bool__(self):
        return bool(self.items)

    def raise_if_any(self):
        if self.items:
            shown = self.items[:MAX_ERRORS]
            if len(self.items) > MAX_ERRORS:
                shown.append(_("… and %(n)s more problems.") % {"n": len(self.items) - MAX_ERRORS})
            raise ImportRefused(shown)


# How an item is named in an error message ("Aanbod 3: ..."); not every model has a
# translated verbose name.
PART_LABELS = {
    Cycle: gettext_lazy("Annual cycle"),
    StepProgress: gettext_lazy("Step"),
    SituationFigure: gettext_lazy("Figure"),
    SituationReading: gettext_lazy("Reading of the figures"),
    Ambition: gettext_lazy("Ambition"),
    Result: gettext_lazy("Result"),
    ResultValue: gettext_lazy("Result value"),
    TargetGroup: gettext_lazy("Target group"),
    Offering: gettext_lazy("Offering"),
    QualityCheck: gettext_lazy("Quality"),
    OutcomeMeasurement: gettext_lazy("Outcome"),
    ImprovementAction: gettext_lazy("Improvement action"),
    SelfAssessment: gettext_lazy("Self-assessment"),
    Answer: gettext_lazy("Answer"),
}


def where(model, index: int | None = None) -> str:
    """The name of an item in a message: "Aanbod 3", or "Jaarcyclus" without a number.

    A part without an entry above is named by its registry row label.
    """
    label = PART_LABELS.get(model)
    if label is None:
        from compass import parts

        label = parts.for_model(model).row_label
    name = str(label)
    return name if index is None else f"{name} {index}"


def field_label(model, name: str) -> str:
    try:
        return str(capfirst(model._meta.get_field(name).verbose_name))
    except Exception:  # a key that is no field: show it as it is
        return name
