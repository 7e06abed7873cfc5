"""The purchasing check of a cycle (issue 23, docs/purchasing.md): the page, a gap into an
improvement action, and a figure of the cycle as the expected number of reported families.

Reading needs view permission on the cycle (outsiders 404); both writes go through
compass.purchasing, which checks `compass.access.check_cycle_write` (readers and partners 403,
a closed cycle 403) and records the history.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from compass import access, purchasing
from compass.models import SituationFigure, Step


def _page(cycle) -> str:
    return reverse("questionnaire:purchasing", args=[cycle.pk])


@require_GET
@login_required
def check(request, cycle):
    cycle = access.get_cycle_for(request.user, cycle, access.VIEW_CYCLE)
    result = purchasing.check_for(cycle)
    can_write = access.can_write_cycle(request.user, cycle)
    figures = []
    if can_write:
        figures = list(SituationFigure.objects.filter(cycle=cycle).order_by("label", "period"))
    return render(
        request,
        "questionnaire/purchasing.html",
        {
            "cycle": cycle,
            "check": result,
            "can_write": can_write,
            "figures": figures,
            "offering_step": reverse("questionnaire:cycle_step", args=[cycle.pk, Step.OFFERING]),
        },
    )


@require_POST
@login_required
def to_action(request, cycle):
    cycle = access.get_cycle_for_write(request.user, cycle)
    code = str(request.POST.get("help_kind", ""))[:40]
    try:
        action = purchasing.gap_to_action(cycle, request.user, code)
    except purchasing.NotAGap:
        messages.error(
            request,
            _("This kind of help has no gap or over-supply (any more); no action was added."),
        )
        return redirect(_page(cycle))
    messages.success(
        request,
        _("Added to the improvement plan: %(what)s") % {"what": action.what},
    )
    return redirect(_page(cycle) + "#gaps")


@require_POST
@login_required
def take_over(request, cycle):
    cycle = access.get_cycle_for_write(request.user, cycle)
    raw = str(request.POST.get("figure", ""))
    figure = None
    if raw.isdigit():
        figure = SituationFigure.objects.filter(cycle=cycle, pk=int(raw)).first()
    if figure is None:
        messages.error(request, _("Choose one of the figures of this annual cycle."))
        return redirect(_page(cycle) + "#families")
    try:
        purchasing.take_over_figure(cycle, request.user, figure)
    except ValidationError as error:  # e.g. a figure above the largest possible number
        messages.error(request, " ".join(error.messages))
        return redirect(_page(cycle) + "#families")
    messages.success(
        request,
        _("The expected number of reported families is now taken from '%(figure)s'.")
        % {"figure": figure.label},
    )
    return redirect(_page(cycle) + "#families")
