"""The steps of the guided flow: their parts and forms, built from a POST or a draft, saved.

Each step is its own saved part of a cycle with its own draft and done state (PITFALLS.md:
no single long wizard whose `done()` re-validates every step). A step holds one or more
*parts* of the registry (compass.parts): a formset of items (ambitions, results ...) or a
single form (the reading of the figures); `build_step` returns them as one form-like object
(BuiltStep) that the wizard (questionnaire.wizard) hands to questionnaire.step_saving.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import ClassVar

from django.db import transaction
from django.forms import modelformset_factory
from django.utils import formats
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from cms.family_profiles import FamilyProfileSet, HelpKind
from cms.snippets import Indicator
from compass import numbers, services
from compass import parts as registry
from compass.models import STEP_BLOCK, Cycle, Offering, Result, Step
from compass.parts.history import Change
from questionnaire import closed_rows, cycle_forms

STEPS = list(Step)


@dataclass(frozen=True)
class Part:
    prefix: str
    title: str
    form_class: type
    model: type
    row_label: str = ""
    single: bool = False
    prefetch: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    unique_reference: str | None = None
    max_rows: int = registry.MAX_ROWS


@dataclass(frozen=True)
class StepDef:
    step: Step
    intro: str
    parts: tuple[Part, ...]
    choices: tuple[str, ...] = ()
    coverage: bool = False

    @property
    def block(self) -> int:
        return STEP_BLOCK[self.step]


def _parts(step: Step) -> tuple[Part, ...]:
    """The parts of a step as the registry declares them (compass.parts), with their forms."""
    return tuple(
        Part(
            part.key,
            part.title,
            cycle_forms.FORMS[part.key],
            part.model,
            part.row_label,
            single=part.single,
            prefetch=tuple(x.name for x in part.fields if x.kind == registry.REFERENCES),
            unique_reference=part.unique_reference or None,
            max_rows=part.max_rows,
        )
        for part in registry.for_step(step)
    )


STEP_DEFS = {
    Step.SITUATION: StepDef(
        Step.SITUATION,
        _(
            "Which figures tell how children in your municipality are doing, and how did the "
            "team read them? Count and tell: signals from practice belong beside the numbers."
        ),
        _parts(Step.SITUATION),
        choices=("indicators",),
    ),
    Step.AMBITIONS: StepDef(
        Step.AMBITIONS,
        _(
            "What do you want for children, and how do you make it measurable: what is "
            "different, in a number and a year? Save new ambitions first; then you can link "
            "results to them."
        ),
        _parts(Step.AMBITIONS),
        choices=("ambitions", "results", "indicators"),
    ),
    Step.TARGET_GROUPS: StepDef(
        Step.TARGET_GROUPS,
        _("Which risk groups does the policy focus on, and how many people do they count?"),
        _parts(Step.TARGET_GROUPS),
    ),
    Step.OFFERING: StepDef(
        Step.OFFERING,
        _(
            "Which services and partners help to reach the results, and why do you expect "
            "them to work?"
        ),
        _parts(Step.OFFERING),
        choices=("target_groups", "results", "offerings", "help_kinds", "profile_sets"),
        coverage=True,
    ),
    Step.QUALITY: StepDef(
        Step.QUALITY,
        _("Is each offering well founded, and are its professionals trained and supervised?"),
        _parts(Step.QUALITY),
        choices=("offerings",),
    ),
    Step.OUTCOMES: StepDef(
        Step.OUTCOMES,
        _(
            "What does each offering deliver for its participants: reach, dropout, usefulness, "
            "goals reached? Tell the story behind the figures."
        ),
        _parts(Step.OUTCOMES),
        choices=("offerings",),
    ),
    Step.IMPROVEMENT: StepDef(
        Step.IMPROVEMENT,
        _("What do you continue, strengthen or stop; who does what, and when?"),
        _parts(Step.IMPROVEMENT),
        choices=("results", "offerings"),
    ),
}


def step_def(slug: str) -> StepDef | None:
    try:
        return STEP_DEFS[Step(slug)]
    except ValueError:
        return None


def neighbours(step: Step) -> tuple[Step | None, Step | None]:
    index = STEPS.index(step)
    previous = STEPS[index - 1] if index else None
    following = STEPS[index + 1] if index + 1 < len(STEPS) else None
    return previous, following


# --- Choices: the ids a row may point at, this cycle only, one query per kind ---------------


def _truncate(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def build_choices(cycle: Cycle, keys) -> dict[str, cycle_forms.SharedChoices]:
    loaders = {
        "indicators": lambda: Indicator.objects.order_by("name").values_list("pk", "name"),
        "ambitions": lambda: cycle.ambitions.order_by("pk").values_list("pk", "text"),
        "results": lambda: cycle.results.order_by("pk").values_list("pk", "text"),
        "target_groups": lambda: cycle.target_groups.order_by("pk").values_list("pk", "name"),
        "offerings": lambda: cycle.offerings.order_by("pk").values_list("pk", "name"),
        "help_kinds": lambda: HelpKind.objects.order_by("name").values_list("code", "name"),
        "profile_sets": lambda: [
            (s.code, str(s)) for s in FamilyProfileSet.objects.filter(live=True)
        ],
    }
    return {
        key: cycle_forms.SharedChoices((pk, _truncate(label)) for pk, label in loaders[key]())
        for key in keys
    }


# --- Building the forms of a step ---------------------------------------------------------


@dataclass
class BuiltStep:
    """The "form" of one wizard step: the step's formsets and forms, bound to `data` if given.

    formtools accepts any form-like class per step; this one exposes is_valid, errors,
    has_changed and save over all of the step's parts.
    """

    base_fields: ClassVar[dict] = {}  # formtools looks for file fields here: there are none

    definition: StepDef
    cycle: Cycle
    forms: list = field(default_factory=list)  # (part, formset or form)
    choices: dict = field(default_factory=dict)
    data: object = None

    def save(self, user) -> int:
        """Write the validated rows and their history; return the number of changes."""
        return write_step(self, user)

    def is_valid(self) -> bool:
        valid = all(form.is_valid() for _part, form in self.forms)
        return self._check_references() and valid

    def _check_references(self) -> bool:
        """Refuse a row that points at an item removed in the same save."""
        deleted: dict[str, set[int]] = {}
        for part, form in self.forms:
            if not part.single and form.is_bound and form.is_valid():
                deleted[part.prefix] = {
                    row.instance.pk for row in form.deleted_forms if row.instance.pk
                }
        ok = True
        for part, form in self.forms:
            if part.single or not form.is_bound or not form.is_valid():
                continue
            for row in form.forms:
                if row in form.deleted_forms or not row.has_changed() and not row.instance.pk:
                    continue
                for name, (key, _required) in row.references.items():
                    if row.cleaned_data.get(name) in deleted.get(key, set()):
                        row.add_error(name, gettext("You remove the item this row points at."))
                        ok = False
        return ok

    def has_changed(self) -> bool:
        """Whether the bound input differs from what is saved (a broken formset counts)."""
        for part, form in self.forms:
            if not form.is_bound:
                continue
            if not part.single and not form.management_form.is_valid():
                return True
            if form.has_changed():
                return True
        return False

    def errors(self) -> list[tuple[str, str, str]]:
        """Every error as (label, message, field id) for the error summary."""
        out = []
        for part, form in self.forms:
            if not form.is_bound:
                continue
            rows = [(None, form)] if part.single else list(enumerate(form.forms, 1))
            if not part.single:
                out += [
                    (str(part.title), str(e), f"part-{part.prefix}") for e in form.non_form_errors()
                ]
            for number, row in rows:
                prefix = f"{part.row_label} {number}: " if number else ""
                for error in row.non_field_errors():
                    out.append((f"{prefix}".rstrip(": "), str(error), f"part-{part.prefix}"))
                for bound in row:
                    for error in bound.errors:
                        out.append(
                            (
                                f"{prefix}{bound.label}",
                                str(error),
                                bound.id_for_label or f"{bound.auto_id}_0",
                            )
                        )
        return out


_FORMSETS: dict[tuple, type] = {}


def _formset_class(part: Part):
    """The part's formset class, made once per process.

    modelformset_factory makes a new form class whose fields Django builds again from the
    model; made per request, and with every field's choices deep-copied for every row, that
    was most of the time of building a step of a hundred rows (profiled,
    benchmarks/results.md). The form class is made once and shares its choices
    (cycle_forms.freeze_choices).
    """
    key = (part.prefix, part.form_class, part.model, part.max_rows, part.unique_reference)
    if key not in _FORMSETS:
        _FORMSETS[key] = _make_formset_class(part)
    return _FORMSETS[key]


def _make_formset_class(part: Part):
    formset = type(
        f"{part.model.__name__}FormSet",
        (cycle_forms.CycleFormSet,),
        {"unique_reference": part.unique_reference},
    )
    formset_class = modelformset_factory(
        part.model,
        form=part.form_class,
        formset=formset,
        extra=0,
        can_delete=True,
        max_num=part.max_rows,
        absolute_max=part.max_rows,
        validate_max=True,
    )
    cycle_forms.freeze_choices(formset_class.form)
    return formset_class


def _queryset(part: Part, cycle: Cycle):
    queryset = part.model.objects.filter(cycle=cycle).order_by("pk")
    if part.prefetch:
        queryset = queryset.prefetch_related(*part.prefetch)
    return queryset


def build_step(definition: StepDef, cycle: Cycle, data=None) -> BuiltStep:
    """Return the step's forms, bound to `data` (a POST or a draft) when given."""
    built = BuiltStep(
        definition, cycle, choices=build_choices(cycle, definition.choices), data=data
    )
    kwargs = {"cycle": cycle, "choices": built.choices}
    rows = None
    for part in definition.parts:
        if part.single:
            instance = part.model.objects.filter(cycle=cycle).first() or part.model(cycle=cycle)
            form = part.form_class(data, instance=instance, prefix=part.prefix, **kwargs)
        else:
            queryset = _queryset(part, cycle)
            formset_class = _formset_class(part)
            if data is None:
                items = list(queryset)
                if not items:  # an empty part opens with one empty row
                    formset_class = type(formset_class.__name__, (formset_class,), {"extra": 1})
                form = formset_class(queryset=queryset, prefix=part.prefix, form_kwargs=kwargs)
                form._queryset = queryset  # reuse the loaded rows
                form._queryset._result_cache = items
                form._queryset._prefetch_done = True
            else:
                if rows is None:  # the formsets fill rows shown closed (closed_rows.fill)
                    rows = data.copy()
                form = formset_class(
                    rows, queryset=queryset, prefix=part.prefix, form_kwargs=kwargs
                )
                closed_rows.fill(form, rows)
        built.forms.append((part, form))
    return built


def quiet(built: BuiltStep) -> None:
    """Show a draft without its errors: drafts are unvalidated until Save or Next."""
    from django.forms.utils import ErrorDict, ErrorList

    for part, form in built.forms:
        if not form.is_bound:
            continue
        if part.single:
            form._errors = ErrorDict()
            continue
        if not form.management_form.is_valid():
            continue
        form._errors = []
        form._non_form_errors = ErrorList()
        for row in form.forms:
            row._errors = ErrorDict()


def add_row(data, prefix: str):
    """Return a copy of the POST with one more (empty) row in the formset `prefix`."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, "0"))
    except ValueError:
        total = 0
    data[key] = str(min(max(total, 0) + 1, registry.get(prefix).max_rows))
    return data


# --- Saving --------------------------------------------------------------------------------


def _labels(choices) -> dict[str, str]:
    """{key: label} of a field's choices; made once per set of choices and language.

    The read-only view and the closed rows show a hundred rows' links: building this for
    every cell was the read-only aanbod step's largest cost. Shared choices are per request
    (SharedChoices) or per process (FrozenChoices, whose labels are translated per language).
    """
    cache = getattr(choices, "labels_by_language", None)
    language = get_language()
    if cache is not None and language in cache:
        return cache[language]
    labels = {}
    for key, label in choices:
        # A group of choices (label is the group's list of (key, label)) is flattened.
        pairs = label if isinstance(label, list | tuple) else [(key, label)]
        labels.update({str(k): str(v) for k, v in pairs})
    if isinstance(choices, cycle_forms.SharedChoices | cycle_forms.FrozenChoices):
        choices.labels_by_language = {**(cache or {}), language: labels}
    return labels


def _display(form, name, value) -> str:
    if value is None or value == "" or value == []:
        return ""
    field_obj = form.fields[name]
    choices = getattr(field_obj, "choices", None)
    if choices:
        labels = _labels(choices)
        if isinstance(value, list | tuple):
            return ", ".join(labels.get(str(v), str(v)) for v in value)
        return labels.get(str(value), str(value))
    if isinstance(value, Decimal):
        return numbers.exact(value)
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if value is True:
        return gettext("yes")
    if value is False:
        return gettext("no")
    return str(value)


def _raw(form, field, value):
    """A form value as history data; a link keeps the text of what it pointed at."""
    if field.kind in (registry.REFERENCE, registry.INDICATOR, registry.REFERENCES):
        labels = {str(key): str(label) for key, label in form.fields[field.name].choices}
        if field.kind == registry.REFERENCES:
            return field.raw([(v, labels.get(str(v), str(v))) for v in value or []])
        if value in (None, ""):
            return None
        return field.raw(value, labels.get(str(value), str(value)))
    return field.raw(value)


def _changes(form, part: Part) -> list[Change]:
    """What the bound form changes, as data (field names and raw values, no text).

    The item's own text is filled in after the save (`dataclasses.replace`), when the row
    and its links exist.
    """
    declared = registry.get(part.prefix)
    rows = []
    hidden = {form._meta.model._meta.pk.name} if hasattr(form, "_meta") else set()
    for name in form.changed_data:
        # The row's id and any other hidden field are bookkeeping, never a change to show.
        if name == "DELETE" or name in hidden or name not in form.fields:
            continue
        if form.fields[name].widget.is_hidden:
            continue
        try:
            field = declared.field(name)
        except KeyError:
            continue
        old = form.initial.get(name) if form.instance.pk else None
        rows.append(
            Change(
                declared.key,
                "",
                name,
                _raw(form, field, old),
                _raw(form, field, form.cleaned_data.get(name)),
            )
        )
    return rows


@transaction.atomic
def write_step(built: BuiltStep, user) -> int:
    """Write the validated step's rows and their history; return the number of changes.

    Called through BuiltStep.save by questionnaire.step_saving.save_step, inside the
    transaction that also raises the step's version.
    """
    cycle = built.cycle
    history = []
    for part, form in built.forms:
        if part.single:
            if form.has_changed():
                history += _changes(form, part)
                obj = form.save(commit=False)
                obj.cycle = cycle
                obj.save()
            continue
        for row in form.deleted_forms:
            if row.instance.pk:
                history.append(Change(part.prefix, str(row.instance), event="removed"))
                row.instance.delete()
        for row in form.forms:
            if row in form.deleted_forms or not row.has_changed():
                continue
            changes = _changes(row, part)
            obj = row.save(commit=False)
            obj.cycle = cycle
            row.apply_references(obj)
            obj.save()
            row.save_references(obj)
            history += [replace(change, item=str(obj)) for change in changes]
    services.record_changes(cycle, built.definition.step, user, history)
    return len(history)


# --- The coverage view of the offering step ---------------------------------------------------


def coverage(cycle: Cycle) -> dict:
    """Results without offering and offering without result (two queries)."""
    links = Offering.results.through.objects.filter(offering__cycle=cycle)
    return {
        "results_without_offering": list(
            Result.objects.filter(cycle=cycle)
            .exclude(pk__in=links.values("result_id"))
            .order_by("pk")
            .only("text")
        ),
        "offerings_without_result": list(
            Offering.objects.filter(cycle=cycle)
            .exclude(pk__in=links.values("offering_id"))
            .order_by("pk")
            .only("name")
        ),
    }


# --- Read-only view for readers and partners ---------------------------------------------------


def read_only(built: BuiltStep) -> list[dict]:
    """The step's saved content as plain rows of display values (unbound forms only)."""
    parts = []
    for part, form in built.forms:
        if part.single:
            parts.append(
                {
                    "part": part,
                    "pairs": [
                        (bound.label, _display(form, bound.name, form.initial.get(bound.name)))
                        for bound in form.visible_fields()
                    ],
                }
            )
            continue
        rows = list(form.initial_forms)
        headers = [
            bound.label for bound in form.empty_form.visible_fields() if bound.name != "DELETE"
        ]
        names = [bound.name for bound in form.empty_form.visible_fields() if bound.name != "DELETE"]
        parts.append(
            {
                "part": part,
                "headers": headers,
                "rows": [
                    [_display(row, name, row.initial.get(name)) for name in names] for row in rows
                ],
            }
        )
    return parts
