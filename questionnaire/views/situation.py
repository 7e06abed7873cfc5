"""The Situatie step's figure actions: take CBS figures into the cycle, upload local figures as
CSV, download the CSV template.

Writes need change permission on the cycle's municipality (readers and partners: 403;
outsiders: 404, through compass.access) and an open cycle. The rules live in
questionnaire/situation/; the step page itself shows the panel (questionnaire.wizard.CycleWizard).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compass import access
from compass.models import Cycle, Step
from questionnaire.cycle_forms import MAX_ROWS
from questionnaire.situation import cbs_takeover, csv_upload, storing


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file with local figures"),
        help_text=gettext_lazy(
            "Columns indicator;periode;waarde;bron;voorlopig, separated by ; or , (UTF-8 or "
            "Latin-1, decimal comma or point)."
        ),
        error_messages={
            "required": gettext_lazy("Choose a CSV file."),
            "empty": gettext_lazy("The file is empty."),
            "invalid": gettext_lazy("Choose a CSV file."),
        },
    )


def _writable_cycle(request, pk) -> Cycle:
    return access.get_cycle_for_write(request.user, pk)


def _step_url(cycle, anchor="") -> str:
    url = reverse("questionnaire:cycle_step", args=[cycle.pk, Step.SITUATION])
    return f"{url}#{anchor}" if anchor else url


def _report(request, result) -> None:
    parts = []
    if result.created:
        n = len(result.created)
        parts.append(
            ngettext(
                "%(n)s figure added to the annual cycle",
                "%(n)s figures added to the annual cycle",
                n,
            )
            % {"n": n}
        )
    if result.updated:
        n = len(result.updated)
        parts.append(ngettext("%(n)s figure updated", "%(n)s figures updated", n) % {"n": n})
    if result.unchanged:
        n = len(result.unchanged)
        parts.append(
            ngettext(
                "%(n)s figure was already in the annual cycle",
                "%(n)s figures were already in the annual cycle",
                n,
            )
            % {"n": n}
        )
    messages.success(request, "; ".join(parts) + ".")
    if result.draft == "merged":
        messages.info(
            request,
            _(
                "This step has a draft that is not saved yet: the figures have been added to it, "
                "so you see them below and your draft stays as you left it."
            ),
        )
    elif result.draft == "kept":
        messages.warning(
            request,
            _(
                "This step has a draft that could not be combined with the new figures: they "
                "are saved, and show in the form once the step is saved."
            ),
        )


@require_POST
@login_required
def take_over(request, cycle):
    cycle = _writable_cycle(request, cycle)
    ids = request.POST.getlist("observation")
    if not ids:
        messages.error(request, _("Choose the figures you want to take over first."))
        return redirect(_step_url(cycle, "cbs-figures"))
    try:
        result, left_out = cbs_takeover.take_over(cycle, request.user, ids)
    except storing.TooManyFigures:
        messages.error(
            request,
            _("The step can hold at most %(n)s figures: remove some first.") % {"n": MAX_ROWS},
        )
        return redirect(_step_url(cycle, "cbs-figures"))
    if left_out:
        messages.warning(
            request,
            ngettext(
                "%(n)s chosen figure could not be taken over: it is unknown or suppressed.",
                "%(n)s chosen figures could not be taken over: they are unknown or suppressed.",
                left_out,
            )
            % {"n": left_out},
        )
    if result.created or result.updated or result.unchanged:
        _report(request, result)
    return redirect(_step_url(cycle, "cbs-figures"))


@require_http_methods(["GET", "POST"])
@login_required
def upload(request, cycle):
    cycle = _writable_cycle(request, cycle)
    errors = []
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST":
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            if uploaded.size > csv_upload.MAX_UPLOAD_BYTES:
                data = b"x" * (csv_upload.MAX_UPLOAD_BYTES + 1)  # refused without reading it
            else:
                data = uploaded.read(csv_upload.MAX_UPLOAD_BYTES + 1)
            specs, errors = csv_upload.read_local_csv(data, cycle)
            if not errors:
                try:
                    result = storing.store_figures(cycle, request.user, specs)
                except storing.TooManyFigures:
                    errors = [
                        _("The step can hold at most %(n)s figures: remove some first.")
                        % {"n": MAX_ROWS}
                    ]
                else:
                    _report(request, result)
                    return redirect(_step_url(cycle, "part-figures"))
        else:
            errors = [str(e) for e in form.errors.get("file", [])]
    return render(
        request,
        "questionnaire/situation/upload.html",
        {"cycle": cycle, "form": form, "errors": errors},
        status=400 if errors else 200,
    )


@require_GET
def csv_template(request):
    response = HttpResponse(csv_upload.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="eigen-cijfers-sjabloon.csv"'
    return response
