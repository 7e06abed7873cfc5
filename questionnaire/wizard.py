"""The guided flow through the compass blocks: the seven steps, their forms and the wizard.

Each step is its own saved part of a cycle with its own draft and done state (PITFALLS.md:
no single long wizard whose `done()` re-validates every step). A step holds one or more
*parts*: a formset of items (ambitions, results ...) or a single form (the reading of the
figures); `build_step` returns them as one form-like object (BuiltStep). `CycleWizard` is
django-formtools' named-URL wizard over these steps with the database draft storage
(questionnaire.storage); it stores the raw POST as a draft (Previous, Save draft, Add row,
the step navigation) or has the step validated and saved by questionnaire.step_saving.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import ClassVar

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.forms import modelformset_factory
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from formtools.wizard.views import NamedUrlWizardView, StepsHelper, WizardView

from cms.guidance import guidance_for_block
from cms.snippets import Indicator
from compass import access, numbers, people, services
from compass import parts as registry
from compass.models import STEP_BLOCK, BlockProgress, Cycle, Offering, Result, Step
from compass.parts.history import Change
from questionnaire import cycle_forms, expired_input, merge, step_saving
from questionnaire.situation.panel import panel as situation_panel
from questionnaire.storage import DraftStorage

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
        choices=("target_groups", "results"),
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


def build_choices(cycle: Cycle, keys) -> dict[str, list[tuple[int, str]]]:
    loaders = {
        "indicators": lambda: Indicator.objects.order_by("name").values_list("pk", "name"),
        "ambitions": lambda: cycle.ambitions.order_by("pk").values_list("pk", "text"),
        "results": lambda: cycle.results.order_by("pk").values_list("pk", "text"),
        "target_groups": lambda: cycle.target_groups.order_by("pk").values_list("pk", "name"),
        "offerings": lambda: cycle.offerings.order_by("pk").values_list("pk", "name"),
    }
    return {key: [(pk, _truncate(label)) for pk, label in loaders[key]()] for key in keys}


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


def _formset_class(part: Part):
    formset = type(
        f"{part.model.__name__}FormSet",
        (cycle_forms.CycleFormSet,),
        {"unique_reference": part.unique_reference},
    )
    return modelformset_factory(
        part.model,
        form=part.form_class,
        formset=formset,
        extra=0,
        can_delete=True,
        max_num=part.max_rows,
        absolute_max=part.max_rows,
        validate_max=True,
    )


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
    for part in definition.parts:
        if part.single:
            instance = part.model.objects.filter(cycle=cycle).first() or part.model(cycle=cycle)
            form = part.form_class(data, instance=instance, prefix=part.prefix, **kwargs)
        else:
            queryset = _queryset(part, cycle)
            formset_class = _formset_class(part)
            if data is None:
                items = list(queryset)
                formset_class.extra = 0 if items else 1
                form = formset_class(queryset=queryset, prefix=part.prefix, form_kwargs=kwargs)
                form._queryset = queryset  # reuse the loaded rows
                form._queryset._result_cache = items
                form._queryset._prefetch_done = True
            else:
                form = formset_class(
                    data, queryset=queryset, prefix=part.prefix, form_kwargs=kwargs
                )
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


def _display(form, name, value) -> str:
    if value is None or value == "" or value == []:
        return ""
    field_obj = form.fields[name]
    choices = getattr(field_obj, "choices", None)
    if choices:
        labels = {str(key): str(label) for key, label in choices}
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
    through = Offering.results.through.objects.filter(offering__cycle=cycle)
    served = set(through.values_list("result_id", flat=True))
    linked = set(through.values_list("offering_id", flat=True))
    return {
        "results_without_offering": [
            r
            for r in Result.objects.filter(cycle=cycle).order_by("pk").only("text")
            if r.pk not in served
        ],
        "offerings_without_result": [
            o
            for o in Offering.objects.filter(cycle=cycle).order_by("pk").only("name")
            if o.pk not in linked
        ],
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


# --- The wizard: django-formtools' named-URL wizard over the steps above ----------------------


def step_forms() -> list[tuple[str, type]]:
    """The wizard's form list: one (step slug, step form class) per step, in order."""
    return [(definition.step.value, BuiltStep) for definition in STEP_DEFS.values()]


class CycleWizard(NamedUrlWizardView):
    """The guided flow of one cycle: `/jaarcycli/<cycle>/<step>/`, any step opened directly.

    formtools gives the step order, the step URLs, the go-to-step navigation
    (`wizard_goto_step`), the per-step form (`get_form`) and processing (`process_step`) and
    the storage API; the storage is the database draft of (cycle, step) (DraftStorage). Its
    defaults that would lose input are overridden (PITFALLS.md): going to another step stores
    the raw POST as the draft first (`render_goto_step`), and every step saves itself when it
    validates (`process_step` -> questionnaire.step_saving) instead of one `done()` that
    re-validates every step, so `done()` is never reached.
    """

    url_name = "questionnaire:cycle_step"
    template_name = "questionnaire/cycle_step.html"
    http_method_names = ["get", "post"]
    # The old name of the step navigation buttons; kept for pages opened before the change.
    legacy_goto_field = "goto"

    @classmethod
    def get_initkwargs(cls, *args, **kwargs):
        kwargs.setdefault("url_name", cls.url_name)
        return super().get_initkwargs(step_forms(), *args, **kwargs)

    # --- Set-up: the cycle, the access rule, the (cycle, step) draft storage --------------

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        self.definition = step_def(kwargs.get("step", ""))
        if self.definition is None:
            raise Http404
        if not request.user.is_authenticated:
            return self.session_expired(request)
        self.cycle = access.get_cycle_for(request.user, kwargs["cycle"], access.VIEW_CYCLE)
        self.editable = access.can_write_cycle(request.user, self.cycle)
        self.prefix = self.get_prefix(request, *args, **kwargs)
        progress = BlockProgress.objects.filter(cycle=self.cycle, step=self.definition.step)
        self.storage = DraftStorage(
            progress.first() or BlockProgress(cycle=self.cycle, step=self.definition.step),
            request,
        )
        self.steps = StepsHelper(self)
        # formtools' own dispatch would build a session/cookie storage: skip to View's.
        return super(WizardView, self).dispatch(request, *args, **kwargs)

    def get_prefix(self, request, *args, **kwargs):
        return f"cycle{kwargs['cycle']}"

    def get_step_url(self, step):
        return reverse(self.url_name, kwargs={"cycle": self.cycle.pk, "step": step})

    def get_form(self, step=None, data=None, files=None):
        definition = self.definition if step is None else step_def(step)
        return build_step(definition, self.cycle, data)

    def session_expired(self, request):
        """A request without a login: keep a signed POST for its typist, then log in."""
        kept = request.method == "POST" and expired_input.stash(request, request.POST)
        if request.method == "POST" and request.POST.get("action") == AUTOSAVE:
            return JsonResponse({"saved": False, "message": _session_expired(kept)}, status=401)
        if kept:
            messages.info(
                request,
                gettext(
                    "Your session had expired. Your input has been kept: log in again and it "
                    "is shown on the step, ready to save."
                ),
            )
        return redirect_to_login(request.get_full_path())

    # --- GET: the step, with its draft or the input kept from an expired session ----------

    def get(self, request, *args, **kwargs):
        data, restored = None, False
        pending = expired_input.pop(request)
        if self.editable and pending is not None:
            data, restored = pending, True
        elif self.editable:
            data = self.storage.current_step_data
        form = self.get_form(data=data)
        if data is not None:
            quiet(form)
        # Restored input keeps the version it was typed against, so a save in between is seen.
        version = _version(data) if restored and _version(data) >= 0 else None
        return self.render(form, restored=restored, version=version)

    def render(self, form=None, *, status=200, version=None, conflicts=(), **kwargs):
        form = form or self.get_form()
        context = self.get_context_data(form=form)
        context.update(
            self.step_context(form, version=version, conflicts=conflicts, **kwargs),
        )
        return render(self.request, self.template_name, context, status=status)

    def step_context(self, built, *, version, conflicts, conflict=False, restored=False):
        request, cycle, definition = self.request, self.cycle, self.definition
        progress, editable = self.storage.progress, self.editable
        context = {
            "cycle": cycle,
            "definition": definition,
            "step": definition.step,
            "steps": [(n, s) for n, s in enumerate(STEPS, 1)],
            "number": self.steps.step1,
            "previous": step_or_none(self.steps.prev),
            "following": step_or_none(self.steps.next),
            "progress": progress,
            "saved_by": people.shown_name(request.user, progress.saved_by, cycle.municipality)
            if progress.saved_by_id
            else gettext("someone"),
            "version": progress.version if version is None else version,
            "parts": built.forms,
            "errors": built.errors() if editable else [],
            "editable": editable,
            "conflict": conflict,
            "conflicts": conflicts,
            "base": merge.base_of(built) if editable else "",
            "restored": restored,
            "guidance": guidance_for_block(definition.block, request),
            "owner": expired_input.owner_token(request.user) if editable else "",
        }
        if not editable:
            context["read_only"] = read_only(built)
        if definition.coverage:
            context["coverage"] = coverage(cycle)
        if definition.step == Step.SITUATION:  # CBS and local figures, prevalence (issue 9)
            context["situation"] = situation_panel(cycle)
        return context

    # --- POST: the buttons of the step -----------------------------------------------------

    def post(self, request, *args, **kwargs):
        try:
            access.check_cycle_write(request.user, self.cycle)
        except access.CycleClosed as refusal:
            if request.POST.get("action") == AUTOSAVE:
                # The autosave script reads JSON: say why, in Dutch, instead of an HTML page.
                return JsonResponse({"saved": False, "message": str(refusal)}, status=403)
            raise
        post = merge.apply_choices(request.POST)
        action, add = post.get("action", "draft"), post.get("add")
        self.data, self.version = post, _version(post)
        adding = add in {part.prefix for part in self.definition.parts if not part.single}
        if adding:
            self.data, action = add_row(post, add), "draft"
        if action == AUTOSAVE:
            return self.autosave()
        goto = post.get("wizard_goto_step") or post.get(self.legacy_goto_field, "")
        if action not in SAVE_ACTIONS and goto in self.get_form_list():
            return self.render_goto_step(goto)
        if action not in SAVE_ACTIONS and goto == OVERVIEW:
            return self.leave(reverse("questionnaire:cycle", args=[self.cycle.pk]))
        if action in SAVE_ACTIONS:
            form = self.get_form(data=self.data)
            try:
                saved = self.process_step(form)
            except services.StaleVersionError:
                return self.conflict()
            if not saved.valid:  # kept as a draft so nothing is lost: show the errors
                self.reload_storage()
                return self.render(form, version=saved.version)
            messages.success(request, _saved_message(saved.changes))
            if action == "next":
                return self.render_next_step(form)
            return redirect(self.get_step_url(self.steps.current))
        try:
            self.keep_draft()
        except services.StaleVersionError:
            return self.conflict()
        if action == "previous":
            return self.render_goto_step(self.steps.prev, stored=True)
        if action == "dashboard":
            return redirect("questionnaire:cycle", cycle=self.cycle.pk)
        if adding:
            # Land on the new (last) row; site.js moves the focus into it.
            row = int(self.data[f"{add}-TOTAL_FORMS"]) - 1
            return redirect(f"{self.get_step_url(self.steps.current)}#{add}-row-{row}")
        messages.success(request, gettext("Draft saved. It has not been checked yet."))
        return redirect(self.get_step_url(self.steps.current))

    def process_step(self, form):
        """Validate and save the step (its own record): questionnaire.step_saving."""
        return step_saving.save_step(
            self.cycle, self.definition.step, form, self.request.user, self.version
        )

    def reload_storage(self) -> None:
        """Read the step's draft storage again after the service wrote to it."""
        progress = services.progress_for(self.cycle, self.definition.step)
        self.storage = DraftStorage(progress, self.request)

    def keep_draft(self) -> int:
        return step_saving.keep_draft(
            self.cycle, self.definition.step, self.data, self.request.user, self.version
        )

    def render_goto_step(self, goto_step, stored=False, **kwargs):
        """formtools shows the other step at once and the input is lost (#284): keep it first."""
        if goto_step is None:  # Previous on the first step
            return redirect("questionnaire:cycle", cycle=self.cycle.pk)
        if not stored:
            left = self.leave(None)
            if left is not None:
                return left
        return super().render_goto_step(goto_step, **kwargs)

    def leave(self, url):
        """Keep the input as a draft before leaving, unless nothing was typed; then go to `url`.

        Returns the 409 page when somebody saved the step in between, else the redirect to
        `url` (None: the caller redirects).
        """
        typed = self.storage.draft is not None or self.get_form(data=self.data).has_changed()
        if typed:
            try:
                self.keep_draft()
            except services.StaleVersionError:
                return self.conflict()
        return redirect(url) if url else None

    def render_next_step(self, form, **kwargs):
        """The next step; after the last step the overview (never formtools' done())."""
        if self.steps.next is None:
            return redirect("questionnaire:cycle", cycle=self.cycle.pk)
        return super().render_next_step(form, **kwargs)

    def render_done(self, form, **kwargs):
        raise Http404  # every step saves itself; there is no "done" step to open

    def autosave(self) -> JsonResponse:
        """Store the input as the step's draft and answer in JSON (the page's JavaScript)."""
        try:
            new_version = self.keep_draft()
        except services.StaleVersionError:
            progress = services.progress_for(self.cycle, self.definition.step)
            who = (
                people.shown_name(self.request.user, progress.saved_by, self.cycle.municipality)
                if progress.saved_by_id
                else gettext("someone")
            )
            message = gettext(
                "Not saved: %(who)s saved this step at %(when)s, after you opened it. Press "
                "Save draft: your input is then shown merged with their changes, nothing you "
                "typed is lost."
            ) % {"who": who, "when": _moment(progress.saved_at)}
            return JsonResponse({"saved": False, "conflict": True, "message": message}, status=409)
        progress = services.progress_for(self.cycle, self.definition.step)
        when = formats.time_format(timezone.localtime(progress.draft_saved_at), "H:i")
        return JsonResponse(
            {
                "saved": True,
                "version": new_version,
                "message": gettext("Draft saved at %(time)s; it has not been checked yet.")
                % {"time": when},
            }
        )

    def conflict(self):
        """Refuse the save (HTTP 409) and show the input merged with the save made in between.

        Per field against the `base` the page was rendered from (questionnaire.merge): what
        only the other person changed is taken over, what only this user changed stays, and
        what both changed is listed side by side; the user's own value stays in the form.
        """
        self.reload_storage()
        merged, conflicts = merge.merge_step(self.get_form(), self.data, self.data.get("base"))
        built = self.get_form(data=merged)
        quiet(built)
        return self.render(built, status=409, conflict=True, conflicts=conflicts)


AUTOSAVE = "autosave"  # the page's JavaScript stores the draft and reads JSON
SAVE_ACTIONS = {"save", "next"}
OVERVIEW = "overview"


def step_or_none(slug):
    return Step(slug) if slug else None


def _version(post) -> int:
    try:
        return int(post.get("version", ""))
    except (AttributeError, ValueError):
        return -1


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else ""


def _saved_message(changes: int) -> str:
    if not changes:
        return gettext("Saved: nothing had changed.")
    return ngettext("Saved: %(n)s change.", "Saved: %(n)s changes.", changes) % {"n": changes}


def _session_expired(kept: bool) -> str:
    if kept:
        return gettext(
            "Your session has expired. Your input has been kept: log in again and it is shown "
            "on the step, ready to save."
        )
    return gettext("Your session has expired: log in again to save your input.")
