"""The annual cycle: start a cycle, its dashboard, the seven steps, their history and help.

Every view reaches the cycle through `compass.access.get_cycle_for` (404 for outsiders, 403
for a write without change permission); the rules live in compass.services and
questionnaire.wizard.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cms.guidance import guidance_for_block
from compass import access, people, services
from compass.models import Ambition as AmbitionModel
from compass.models import (
    BlockProgress,
    ChangeRecord,
    Cycle,
    ImprovementAction,
    Offering,
    OutcomeMeasurement,
    QualityCheck,
    Result,
    SituationFigure,
    Step,
    TargetGroup,
)
from questionnaire import merge, wizard
from questionnaire.cycle_forms import StartCycleForm
from questionnaire.situation.panel import panel as situation_panel
from questionnaire.storage import DraftStorage

PENDING_KEY = "pending_posts"
PENDING_MAX_CHARS = 200_000
HISTORY_LENGTH = 200
DRAFT_ACTIONS = {"previous", "draft", "dashboard"}
SAVE_ACTIONS = {"save", "next"}
# The page's JavaScript stores the draft before the user leaves the step another way than
# through its buttons (a link, closing the tab) and answers in JSON.
AUTOSAVE = "autosave"
# Which user typed a step's input: a signed user id in the form, so input kept from an
# expired session is only ever given back to the user who typed it.
OWNER_SALT = "questionnaire.cycle_step.owner"
OVERVIEW = "overview"


def can_change(user, cycle: Cycle) -> bool:
    return access.can_write_cycle(user, cycle)


# --- Start a cycle -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def start_cycle(request, code):
    municipality = access.get_municipality_for(request.user, code, access.CHANGE_CYCLE)
    latest = municipality.cycles.order_by("-year").first()
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
        p.step: p for p in BlockProgress.objects.filter(cycle=cycle).select_related("saved_by")
    }
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
    for number, step in enumerate(wizard.STEPS, 1):
        item = progress.get(step)
        rows.append(
            {
                "number": number,
                "step": step,
                "label": step.label,
                "status": item.get_status_display()
                if item
                else BlockProgress.Status.NOT_STARTED.label,
                "done": bool(item and item.status == BlockProgress.Status.DONE),
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
    mine = [p for p in progress.values() if p.saved_by_id == request.user.pk and p.saved_at]
    resume = max(mine, key=lambda p: p.saved_at) if mine else None
    return render(
        request,
        "questionnaire/cycle_dashboard.html",
        {
            "cycle": cycle,
            "rows": rows,
            "complete": all(r["done"] and not r["missing"] for r in rows),
            "can_change": can_change(request.user, cycle),
            "can_export": access.has_perm(request.user, access.EXPORT_CYCLE, cycle.municipality),
            "resume": resume,
            "next_step": services.next_step(progress),
            # "Start with step 1" only while nothing of the cycle was saved yet.
            "started": any(
                p.saved_at or p.status != BlockProgress.Status.NOT_STARTED
                for p in progress.values()
            ),
            "guidance": guidance_for_block(0, request),
        },
    )


# --- A step --------------------------------------------------------------------------------


def owner_token(user) -> str:
    """The signed user id the step form carries (see OWNER_SALT)."""
    return signing.Signer(salt=OWNER_SALT).sign(str(user.pk))


def _owner_of(data) -> int | None:
    try:
        return int(signing.Signer(salt=OWNER_SALT).unsign(data.get("owner") or ""))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def _stash_pending(request, data) -> bool:
    """Keep a POST that arrived without a login in the (new, anonymous) session.

    Only a POST signed by the user who typed it is kept, and it is only given back to that
    user (`_pop_pending`), so nobody else logging in on the same browser ever sees it.
    """
    if _owner_of(data) is None:
        return False
    stored = {key: values for key, values in data.lists() if key != "csrfmiddlewaretoken"}
    if len(repr(stored)) > PENDING_MAX_CHARS:
        return False
    pending = request.session.get(PENDING_KEY, {})
    pending[request.path] = stored
    request.session[PENDING_KEY] = pending
    return True


def _pop_pending(request):
    from django.utils.datastructures import MultiValueDict

    pending = request.session.get(PENDING_KEY)
    if not pending or request.path not in pending:
        return None
    data = MultiValueDict(pending.pop(request.path))
    request.session[PENDING_KEY] = pending
    if _owner_of(data) != request.user.pk:
        return None  # typed by somebody else on this browser: dropped, never shown
    return data


def _render_step(
    request,
    cycle,
    definition,
    progress,
    built,
    *,
    status=200,
    editable=True,
    conflict=False,
    restored=False,
    version=None,
    conflicts=(),
):
    previous, following = wizard.neighbours(definition.step)
    context = {
        "cycle": cycle,
        "definition": definition,
        "step": definition.step,
        "steps": [(n, s) for n, s in enumerate(wizard.STEPS, 1)],
        "number": wizard.STEPS.index(definition.step) + 1,
        "previous": previous,
        "following": following,
        "progress": progress,
        "saved_by": people.shown_name(request.user, progress.saved_by, cycle.municipality)
        if progress.saved_by_id
        else _("someone"),
        "version": progress.version if version is None else version,
        "parts": built.forms,
        "errors": built.errors() if editable else [],
        "editable": editable,
        "conflict": conflict,
        "conflicts": conflicts,
        "base": merge.base_of(built) if editable else "",
        "restored": restored,
        "guidance": guidance_for_block(definition.block, request),
        "owner": owner_token(request.user) if editable else "",
    }
    if not editable:
        context["read_only"] = wizard.read_only(built)
    if definition.coverage:
        context["coverage"] = wizard.coverage(cycle)
    if definition.step == Step.SITUATION:  # CBS and local figures, prevalence (issue 9)
        context["situation"] = situation_panel(cycle)
    return render(request, "questionnaire/cycle_step.html", context, status=status)


@require_http_methods(["GET", "POST"])
def step(request, cycle, step):
    definition = wizard.step_def(step)
    if definition is None:
        raise Http404
    if not request.user.is_authenticated:
        kept = request.method == "POST" and _stash_pending(request, request.POST)
        if request.method == "POST" and request.POST.get("action") == AUTOSAVE:
            return _session_expired_json(kept)
        if kept:
            messages.info(
                request,
                _(
                    "Your session had expired. Your input has been kept: log in again and it is "
                    "shown on the step, ready to save."
                ),
            )
        return redirect_to_login(request.get_full_path())
    cycle = access.get_cycle_for(request.user, cycle, access.VIEW_CYCLE)
    editable = can_change(request.user, cycle)
    if request.method == "POST":
        try:
            access.check_cycle_write(request.user, cycle)
        except access.CycleClosed as refusal:
            if request.POST.get("action") == AUTOSAVE:
                # The autosave script reads JSON: say why, in Dutch, instead of an HTML page.
                return JsonResponse({"saved": False, "message": str(refusal)}, status=403)
            raise
        return _post_step(request, cycle, definition)
    progress = BlockProgress.objects.filter(cycle=cycle, step=definition.step).first()
    progress = progress or BlockProgress(cycle=cycle, step=definition.step)
    data, restored = None, False
    pending = _pop_pending(request)
    if editable and pending is not None:
        data, restored = pending, True
    elif editable and progress.draft:
        data = DraftStorage(progress, request).draft
    built = wizard.build_step(definition, cycle, data)
    if data is not None:
        wizard.quiet(built)
    # Restored input keeps the version it was typed against, so a save in between is noticed.
    version = _version(data) if restored and _version(data) >= 0 else None
    return _render_step(
        request,
        cycle,
        definition,
        progress,
        built,
        editable=editable,
        restored=restored,
        version=version,
    )


def _version(post) -> int:
    try:
        return int(post.get("version", ""))
    except ValueError:
        return -1


def _session_expired_json(kept: bool) -> JsonResponse:
    if kept:
        message = _(
            "Your session has expired. Your input has been kept: log in again and it is shown "
            "on the step, ready to save."
        )
    else:
        message = _("Your session has expired: log in again to save your input.")
    return JsonResponse({"saved": False, "message": message}, status=401)


def _destination(cycle, target: str):
    """The URL a step-navigation button leads to, or None for an unknown target."""
    if target == OVERVIEW:
        return reverse("questionnaire:cycle", args=[cycle.pk])
    if wizard.step_def(target) is not None:
        return reverse("questionnaire:cycle_step", args=[cycle.pk, target])
    return None


def _post_step(request, cycle, definition):
    user, post = request.user, merge.apply_choices(request.POST)
    action = post.get("action", "draft")
    add = post.get("add")
    prefixes = {part.prefix for part in definition.parts if not part.single}
    data = post
    if add in prefixes:
        data, action = wizard.add_row(post, add), "draft"
    version = _version(post)
    progress = services.progress_for(cycle, definition.step)
    if action == AUTOSAVE:
        return _autosave(request, cycle, definition, progress, data, version)
    destination = _destination(cycle, post.get("goto", ""))
    if destination and action not in SAVE_ACTIONS:
        # Leaving through the step navigation: keep the input as a draft first, unless
        # nothing was typed (then there is nothing to keep and the step stays as it was).
        if not progress.draft and not wizard.build_step(definition, cycle, data).has_changed():
            return redirect(destination)
        try:
            _keep_draft(request, cycle, definition, progress, data, version)
        except services.StaleVersionError:
            return _conflict(request, cycle, definition, data)
        return redirect(destination)
    if action in SAVE_ACTIONS:
        built = wizard.build_step(definition, cycle, data)
        if built.is_valid() and _unchanged(progress, built, version):
            # A done step saved exactly as shown: nothing to store, the version stays.
            messages.success(request, _("Saved: nothing had changed."))
            return _after_save(cycle, definition, action)
        if built.is_valid():
            try:
                with transaction.atomic():
                    services.claim_version(
                        cycle,
                        definition.step,
                        version,
                        user,
                        draft={},
                        draft_saved_at=None,
                        status=BlockProgress.Status.DONE,
                    )
                    changed = wizard.save_step(built, user)
            except services.StaleVersionError:
                return _conflict(request, cycle, definition, data)
            if changed:
                messages.success(
                    request,
                    ngettext("Saved: %(n)s change.", "Saved: %(n)s changes.", changed)
                    % {"n": changed},
                )
            else:
                messages.success(request, _("Saved: nothing had changed."))
            return _after_save(cycle, definition, action)
        # Invalid: keep the input as a draft so nothing is lost, and show the errors.
        try:
            new_version = _keep_draft(request, cycle, definition, progress, data, version)
        except services.StaleVersionError:
            return _conflict(request, cycle, definition, data)
        progress.refresh_from_db()
        return _render_step(request, cycle, definition, progress, built, version=new_version)
    try:
        _keep_draft(request, cycle, definition, progress, data, version)
    except services.StaleVersionError:
        return _conflict(request, cycle, definition, data)
    if action == "previous":
        previous, _following = wizard.neighbours(definition.step)
        if previous:
            return redirect("questionnaire:cycle_step", cycle=cycle.pk, step=previous)
        return redirect("questionnaire:cycle", cycle=cycle.pk)
    if action == "dashboard":
        return redirect("questionnaire:cycle", cycle=cycle.pk)
    if add in prefixes:
        # Land on the new (last) row; site.js moves the focus into it.
        url = reverse("questionnaire:cycle_step", args=[cycle.pk, definition.step])
        row = int(data[f"{add}-TOTAL_FORMS"]) - 1
        return redirect(f"{url}#{add}-row-{row}")
    messages.success(request, _("Draft saved. It has not been checked yet."))
    return redirect("questionnaire:cycle_step", cycle=cycle.pk, step=definition.step)


def _unchanged(progress, built, version) -> bool:
    return (
        progress.status == BlockProgress.Status.DONE
        and not progress.draft
        and version == progress.version
        and not built.has_changed()
    )


def _after_save(cycle, definition, action):
    _previous, following = wizard.neighbours(definition.step)
    if action == "next":
        if following:
            return redirect("questionnaire:cycle_step", cycle=cycle.pk, step=following)
        return redirect("questionnaire:cycle", cycle=cycle.pk)
    return redirect("questionnaire:cycle_step", cycle=cycle.pk, step=definition.step)


def _autosave(request, cycle, definition, progress, data, version) -> JsonResponse:
    """Store the input as the step's draft and answer in JSON (the page's JavaScript)."""
    try:
        new_version = _keep_draft(request, cycle, definition, progress, data, version)
    except services.StaleVersionError:
        progress.refresh_from_db()
        who = (
            people.shown_name(request.user, progress.saved_by, cycle.municipality)
            if progress.saved_by_id
            else _("someone")
        )
        message = _(
            "Not saved: %(who)s saved this step at %(when)s, after you opened it. Press "
            "Save draft: your input is then shown merged with their changes, nothing you "
            "typed is lost."
        ) % {"who": who, "when": _moment(progress.saved_at)}
        return JsonResponse({"saved": False, "conflict": True, "message": message}, status=409)
    when = formats.time_format(timezone.localtime(progress.draft_saved_at), "H:i")
    return JsonResponse(
        {
            "saved": True,
            "version": new_version,
            "message": _("Draft saved at %(time)s; it has not been checked yet.") % {"time": when},
        }
    )


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else ""


def _keep_draft(request, cycle, definition, progress, data, version) -> int:
    """Store the unvalidated input as the step's draft; return the new version.

    Raises StaleVersionError when somebody saved the step since `version` (nothing is stored).
    A step that was done stays done; any other becomes in progress.
    """
    DraftStorage(progress, request).store(data)
    done = BlockProgress.Status.DONE
    return services.claim_version(
        cycle,
        definition.step,
        version,
        request.user,
        draft=progress.draft,
        draft_saved_at=progress.draft_saved_at,
        status=Case(
            When(status=done, then=Value(done)),
            default=Value(BlockProgress.Status.IN_PROGRESS),
        ),
    )


def _conflict(request, cycle, definition, data):
    """Refuse the save (HTTP 409) and show the input merged with the save made in between.

    Per field against the `base` the page was rendered from (questionnaire.merge): what only
    the other person changed is taken over, what only this user changed stays, and what both
    changed is listed side by side; the user's own value stays in the form to choose from.
    """
    progress = services.progress_for(cycle, definition.step)
    merged, conflicts = merge.merge_step(
        wizard.build_step(definition, cycle), data, data.get("base")
    )
    built = wizard.build_step(definition, cycle, merged)
    wizard.quiet(built)
    return _render_step(
        request,
        cycle,
        definition,
        progress,
        built,
        status=409,
        conflict=True,
        conflicts=conflicts,
    )


# --- A form sent without a valid CSRF token (settings.CSRF_FAILURE_VIEW) ----------------------


def csrf_failure(request, reason=""):
    """Refuse the POST in Dutch, keeping a step's input the way an expired session does.

    Clearing every cookie removes both the login and the CSRF cookie, so the POST of a step
    never reaches the step view: it is kept here (only when signed by its typist, see
    `_stash_pending`), and given back on the step after logging in again.
    """
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    is_step = (
        match is not None
        and match.view_name == "questionnaire:cycle_step"
        and wizard.step_def(match.kwargs.get("step", "")) is not None
    )
    kept = is_step and request.method == "POST" and _stash_pending(request, request.POST)
    next_url = request.get_full_path() if is_step else "/"
    if kept and not request.user.is_authenticated:
        next_url = redirect_to_login(request.get_full_path())["Location"]
    if request.method == "POST" and request.POST.get("action") == AUTOSAVE:
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
    definition = wizard.step_def(step)
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
    return render(request, "questionnaire/cycle_help.html", {"steps": wizard.STEP_DEFS.values()})
