"""The annual cycle: start a cycle, its dashboard, the seven steps, their history and help.

Every view reaches the cycle through `compass.access.get_cycle_for` (404 for outsiders, 403
for a write without change permission). The steps are the wizard in questionnaire.wizard;
saving a step is questionnaire.step_saving; the rules live in compass.access and
compass.services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cms.guidance import guidance_for_block
from compass import access, district_cycles, people, services
from compass.models import Ambition as AmbitionModel
from compass.models import (
    ChangeRecord,
    Cycle,
    ImprovementAction,
    Offering,
    OutcomeMeasurement,
    QualityCheck,
    Result,
    SituationFigure,
    Step,
    StepProgress,
    TargetGroup,
    step_title,
)
from questionnaire import expired_input, steps, wizard
from questionnaire.cycle_forms import StartCycleForm

HISTORY_LENGTH = 200


# --- Start a cycle -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def start_cycle(request, code):
    municipality = access.get_municipality_for(request.user, code, access.CHANGE_CYCLE)
    latest = municipality.cycles.municipal().order_by("-year").first()
    form = StartCycleForm(
        request.POST or None, initial={"year": (latest.year + 1) if latest else None}
    )
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.start_cycle(
                municipality,
                form.cleaned_data["year"],
                request.user,
                copy_forward=form.cleaned_data["copy_forward"],
            )
        except ValidationError as error:
            form.add_error("year", error)
        else:
            messages.success(
                request, _("The annual cycle %(year)s has started.") % {"year": cycle.year}
            )
            return redirect("questionnaire:cycle", cycle=cycle.pk)
    return render(
        request,
        "questionnaire/cycle_start.html",
        {"municipality": municipality, "form": form, "latest": latest},
    )


# --- Dashboard -----------------------------------------------------------------------------


def _count(model, **filters):
    query = (
        model.objects.filter(cycle=OuterRef("pk"), **filters)
        .order_by()
        .values("cycle")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(query, output_field=IntegerField()), 0)


STEP_COUNTS = {
    Step.SITUATION: ("figures",),
    Step.AMBITIONS: ("ambitions", "results"),
    Step.TARGET_GROUPS: ("target_groups",),
    Step.OFFERING: ("offerings",),
    Step.QUALITY: ("quality_checks",),
    Step.OUTCOMES: ("outcomes",),
    Step.IMPROVEMENT: ("actions",),
}
COUNT_LABELS = {
    "figures": ngettext_lazy("%(n)s figure", "%(n)s figures", "n"),
    "ambitions": ngettext_lazy("%(n)s ambition", "%(n)s ambitions", "n"),
    "results": ngettext_lazy("%(n)s result", "%(n)s results", "n"),
    "target_groups": ngettext_lazy("%(n)s target group", "%(n)s target groups", "n"),
    "offerings": ngettext_lazy("%(n)s offering", "%(n)s offerings", "n"),
    "quality_checks": ngettext_lazy("%(n)s quality check", "%(n)s quality checks", "n"),
    "outcomes": ngettext_lazy("%(n)s outcome measurement", "%(n)s outcome measurements", "n"),
    "actions": ngettext_lazy("%(n)s improvement action", "%(n)s improvement actions", "n"),
}


@require_GET
@login_required
def dashboard(request, cycle):
    cycle = access.get_cycle_for(request.user, cycle, access.VIEW_CYCLE)
    counts = (
        Cycle.objects.filter(pk=cycle.pk)
        .annotate(
            n_figures=_count(SituationFigure),
            n_ambitions=_count(AmbitionModel),
            n_results=_count(Result),
            n_target_groups=_count(TargetGroup),
            n_offerings=_count(Offering),
            n_quality_checks=_count(QualityCheck),
            n_outcomes=_count(OutcomeMeasurement),
            n_actions=_count(ImprovementAction),
        )
        .values(*[f"n_{key}" for key in COUNT_LABELS])
        .get()
    )
    progress = {
        p.step: p for p in StepProgress.objects.filter(cycle=cycle).select_related("saved_by")
    }
    # A district cycle's shared step (Ambities) is the municipal cycle's: its state is read there.
    shared = district_cycles.shared_steps() if cycle.district_id else set()
    own = list(progress.values())
    if shared:
        progress.update(
            {
                p.step: p
                for p in StepProgress.objects.filter(
                    cycle=cycle.parent_id, step__in=shared
                ).select_related("saved_by")
            }
        )
        for step in shared:
            progress.setdefault(step, StepProgress(cycle=cycle.parent, step=step))
    latest_ids = (
        ChangeRecord.objects.filter(cycle=cycle)
        .values("step")
        .annotate(
            last=Subquery(
                ChangeRecord.objects.filter(cycle=cycle, step=OuterRef("step"))
                .order_by("-at", "-pk")
                .values("pk")[:1]
            )
        )
        .values_list("last", flat=True)
    )
    last_changes = {
        c.step: c
        for c in ChangeRecord.objects.filter(pk__in=list(latest_ids)).select_related("user")
    }
    missing = services.missing_items(cycle)
    rows = []
    for number, step in enumerate(steps.STEPS, 1):
        item = progress.get(step)
        rows.append(
            {
                "number": number,
                "step": step,
                "label": step_title(step),
                "status": (
                    gettext("%(status)s (the municipality's)")
                    % {"status": item.get_status_display()}
                    if step in shared
                    else item.get_status_display()
                )
                if item
                else StepProgress.Status.NOT_STARTED.label,
                "done": bool(item and item.status == StepProgress.Status.DONE),
                "has_draft": bool(item and item.draft),
                "progress": item,
                "counts": [
                    COUNT_LABELS[key] % {"n": counts[f"n_{key}"]} for key in STEP_COUNTS[step]
                ],
                "missing": missing[step],
                "last_change": last_changes.get(step),
                "who": people.shown_name(request.user, last_changes[step].user, cycle.municipality)
                if step in last_changes and last_changes[step].user_id
                else "–",
            }
        )
    mine = [p for p in own if p.saved_by_id == request.user.pk and p.saved_at]
    resume = max(mine, key=lambda p: p.saved_at) if mine else None
    return render(
        request,
        "questionnaire/cycle_dashboard.html",
        {
            "cycle": cycle,
            "rows": rows,
            "complete": all(r["done"] and not r["missing"] for r in rows),
            "can_change": access.can_write_cycle(request.user, cycle),
            "can_export": access.has_cycle_perm(request.user, access.EXPORT_CYCLE, cycle),
            "resume": resume,
            "next_step": services.next_step(progress),
            # "Start with step 1" only while nothing of the cycle was saved yet.
            "started": any(p.saved_at or p.status != StepProgress.Status.NOT_STARTED for p in own),
            "guidance": guidance_for_block(0, request),
        },
    )


# --- A step: the wizard (questionnaire.wizard.CycleWizard) -----------------------------------

step = wizard.CycleWizard.as_view()


# --- A form sent without a valid CSRF token (settings.CSRF_FAILURE_VIEW) ----------------------


def csrf_failure(request, reason=""):
    """Refuse the POST in Dutch, keeping a step's input the way an expired session does.

    Clearing every cookie removes both the login and the CSRF cookie, so the POST of a step
    never reaches the step view: it is kept here (only when signed by its typist, see
    questionnaire.expired_input), and given back on the step after logging in again.
    """
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    is_step = (
        match is not None
        and match.view_name == "questionnaire:cycle_step"
        and steps.step_def(match.kwargs.get("step", "")) is not None
    )
    kept = is_step and request.method == "POST" and expired_input.stash(request, request.POST)
    next_url = request.get_full_path() if is_step else "/"
    if kept and not request.user.is_authenticated:
        next_url = redirect_to_login(request.get_full_path())["Location"]
    if request.method == "POST" and request.POST.get("action") == wizard.AUTOSAVE:
        if kept:
            message = _(
                "Not saved: your browser did not send its security cookie. Your input has "
                "been kept: reload the page (log in again if asked) and it is shown, ready "
                "to save."
            )
        else:
            message = _(
                "Not saved: your browser did not send its security cookie. Reload the page "
                "and save again."
            )
        return JsonResponse({"saved": False, "message": message}, status=403)
    return render(
        request,
        "questionnaire/csrf_failure.html",
        {"kept": kept, "next_url": next_url},
        status=403,
    )


# --- History and help ----------------------------------------------------------------------


@require_GET
@login_required
def history(request, cycle, step):
    definition = steps.step_def(step)
    if definition is None:
        raise Http404
    cycle = access.get_cycle_for(request.user, cycle, access.VIEW_CYCLE)
    changes = list(
        ChangeRecord.objects.filter(cycle=cycle, step=definition.step).select_related("user")[
            :HISTORY_LENGTH
        ]
    )
    return render(
        request,
        "questionnaire/cycle_history.html",
        {"cycle": cycle, "step": definition.step, "changes": changes, "limit": HISTORY_LENGTH},
    )


@require_GET
def help_page(request):
    return render(request, "questionnaire/cycle_help.html", {"steps": steps.STEP_DEFS.values()})
