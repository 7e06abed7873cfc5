"""The districts of a municipal cycle side by side (issue 22 item 2, docs/cycle.md "Wijken:
overzicht"): `/jaarcycli/<cycle>/wijken/`.

Everyone with view permission on the municipal cycle reads it (coordinator, editor, reader,
partners with an agreement). A member limited to one district holds nothing on the municipal
cycle and gets 404, and so does a district cycle's /wijken/: the roll-up belongs to the
municipal cycle (`access.get_municipal_cycle_for`). The arithmetic is compass.district_rollup.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from compass import access, district_rollup
from compass.models import Step, step_title


@require_GET
@login_required
def rollup(request, cycle):
    cycle = access.get_municipal_cycle_for(request.user, cycle, access.VIEW_CYCLE)
    result = district_rollup.build(cycle)
    titles = {step: step_title(step) for step in Step.values}
    return render(
        request,
        "questionnaire/district_rollup.html",
        {
            "cycle": cycle,
            "rollup": result,
            "gap_rows": [
                (gap, [titles[step] for step in gap.steps_not_done]) for gap in result.gaps
            ],
        },
    )
