"""The guided flow: django-formtools' named-URL wizard over the steps (questionnaire.steps).

`CycleWizard` serves /jaarcycli/<cycle>/<step>/ with the database draft storage
(questionnaire.storage): it stores the raw POST as a draft (Previous, Save draft, Add row, the
step navigation) or has the step validated and saved by questionnaire.step_saving.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from formtools.wizard.views import NamedUrlWizardView, StepsHelper, WizardView

from cms.guidance import guidance_for_block
from compass import access, district_cycles, people, services
from compass.models import Step, StepProgress, step_title
from questionnaire import (
    closed_rows,
    district_pages,
    expired_input,
    merge,
    step_saving,
    step_sources,
)
from questionnaire.situation.panel import panel as situation_panel
from questionnaire.steps import (
    STEP_DEFS,
    STEPS,
    BuiltStep,
    add_row,
    build_step,
    coverage,
    quiet,
    read_only,
    step_def,
)
from questionnaire.storage import DraftStorage

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
        # A district cycle shows its municipality's ambitions read-only (compass.district_cycles).
        self.shared_step = district_cycles.is_shared_step(self.cycle, self.definition.step)
        self.editable = access.can_write_cycle(request.user, self.cycle) and not self.shared_step
        self.prefix = self.get_prefix(request, *args, **kwargs)
        progress = StepProgress.objects.filter(cycle=self.cycle, step=self.definition.step)
        self.storage = DraftStorage(
            progress.first() or StepProgress(cycle=self.cycle, step=self.definition.step),
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
        if editable:  # a big step shows its saved rows closed (questionnaire.closed_rows)
            opened = self.request.GET.get(closed_rows.OPENED)
            closed_rows.close(built, closed_rows.opened_row(self.definition, opened))
        context = {
            "cycle": cycle,
            "definition": definition,
            "step": definition.step,
            "steps": [(n, s, step_title(s)) for n, s in enumerate(STEPS, 1)],
            "number": self.steps.step1,
            "step_title": step_title(definition.step),
            "sources": step_sources.for_step(definition.step),
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
        if self.shared_step:  # the municipality's ambitions: say where they are changed
            context["shared_step"] = True
            context["municipal_step_url"] = district_pages.municipal_step_url(
                request.user, cycle, definition.step
            )
        if definition.coverage:
            context["coverage"] = coverage(cycle)
        if definition.step == Step.SITUATION:  # CBS and local figures, prevalence (issue 9)
            context["situation"] = situation_panel(cycle)
        return context

    # --- POST: the buttons of the step -----------------------------------------------------

    def post(self, request, *args, **kwargs):
        try:
            step_saving.check_step_write(request.user, self.cycle, self.definition.step)
        except (access.CycleClosed, step_saving.SharedStep) as refusal:
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
        opening = closed_rows.opened_row(self.definition, post.get(closed_rows.OPEN))
        if opening:  # Wijzigen on a closed row: store the draft, show the row open
            action = "draft"
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
        if opening:
            url, row = self.get_step_url(self.steps.current), opening.rsplit("-", 1)
            return redirect(f"{url}?{closed_rows.OPENED}={opening}#{row[0]}-row-{row[1]}")
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
