"""The self-assessment of a cycle: answering (drafts, submit), reopening, results per version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cms.choices import Band
from compass import access, charts, numbers
from compass import exchange as exchange_rules
from compass.models import AnswerValue, answer_choices, answer_label
from questionnaire import scoring
from questionnaire.assessment import (
    ASPECTS,
    AssessmentError,
    Posted,
    answers_of,
    check_posted,
    current_measure_set,
    latest,
    latest_submitted,
    load_measure_set,
    problem,
    read_result,
    save_answers,
    split_link,
    start,
)
from questionnaire.assessment import (
    reopen as reopen_assessment,
)
from questionnaire.assessment import (
    submit as submit_assessment,
)
from questionnaire.messages import aspect_label, problem_message

CHOICES = AnswerValue.choices


def field_id(code: str, aspect: str) -> str:
    return f"q-{code}-{aspect}"


def _key(code: str, aspect: str) -> str:
    return f"{code}.{aspect}"


def _int(value, default=0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _set_token(measure_set) -> str:
    return f"{measure_set.pk}:{measure_set.version}"


def _posted(request, view) -> tuple[list[Posted], list]:
    """Read the form: one Posted per aspect of the set; names of other measures are problems."""
    data = request.POST
    posted = []
    known = {_key(code, aspect) for code in view.measures for aspect in ASPECTS}
    problems = []
    for name in data:
        if name.endswith(".value") and name[: -len(".value")] not in known:
            code, _sep, aspect = name[: -len(".value")].partition(".")
            if code in view.measures:
                problems.append(problem("unknown_aspect", measure=code, aspect=aspect))
            else:
                problems.append(problem("unknown_measure", measure=code, version=view.spec.version))
    for code in view.measures:
        for aspect in ASPECTS:
            key = _key(code, aspect)
            posted.append(
                Posted(
                    measure_code=code,
                    aspect=aspect,
                    value=data.get(f"{key}.value", "").strip(),
                    note=data.get(f"{key}.note", "").strip(),
                    version=_int(data.get(f"{key}.version")),
                    original_value=data.get(f"{key}.orig", ""),
                    original_note=data.get(f"{key}.orignote", "").strip(),
                )
            )
    return posted, problems


def _rows(view, answers, posted=None, errors=None, conflicts=None):
    """The themes with their measures and aspects, as the template shows them."""
    posted = {(p.measure_code, p.aspect): p for p in posted or []}
    errors = errors or {}
    conflicts = conflicts or {}
    themes, answered_total = [], 0
    for theme in view.themes:
        measures, answered = [], 0
        for measure in theme.measure_list:
            aspects = []
            for aspect in ASPECTS:
                answer = answers.get((measure.code, aspect))
                stored_value = answer.value if answer else ""
                stored_note = answer.note if answer else ""
                version = answer.version if answer else 0
                p = posted.get((measure.code, aspect))
                value, note = (p.value, p.note) if p else (stored_value, stored_note)
                if value:
                    answered += 1
                aspects.append(
                    {
                        "code": aspect,
                        "label": aspect_label(aspect),
                        "question": measure.question_for(aspect),
                        "id": field_id(measure.code, aspect),
                        "name": _key(measure.code, aspect),
                        "value": value,
                        "choices": answer_choices(aspect),
                        "value_label": answer_label(aspect, value),
                        "note": note,
                        "version": version,
                        "orig": stored_value,
                        "orignote": stored_note,
                        "error": errors.get((measure.code, aspect)),
                        "conflict": conflicts.get((measure.code, aspect)),
                    }
                )
            measures.append({"measure": measure, "aspects": aspects})
        total = len(theme.measure_list) * len(ASPECTS)
        answered_total += answered
        themes.append({"theme": theme, "measures": measures, "answered": answered, "total": total})
    return themes, answered_total


def _answer_page(request, cycle, assessment, view, status=200, **state):
    can_change = access.can_write_cycle(request.user, cycle)
    can_submit = access.can_write_cycle(request.user, cycle, access.SUBMIT_ASSESSMENT)
    answers = answers_of(assessment)
    themes, answered = _rows(
        view, answers, state.get("posted"), state.get("errors"), state.get("conflicts")
    )
    submitted = assessment is not None and assessment.is_submitted
    return render(
        request,
        "questionnaire/self_assessment.html",
        {
            "cycle": cycle,
            "assessment": assessment,
            "measure_set": view.measure_set,
            "set_token": _set_token(view.measure_set),
            "themes": themes,
            "answered": answered,
            "total": view.question_count,
            "choices": CHOICES,
            "can_edit": can_change and not submitted,
            "can_submit": can_submit and not submitted,
            "can_reopen": can_submit and submitted,
            "error_list": state.get("error_list", []),
            "has_submitted": latest_submitted(cycle) is not None,
        },
        status=status,
    )


def _wants_json(request) -> bool:
    """The enhancing script saves one answer at a time and asks for JSON back."""
    return "application/json" in request.headers.get("Accept", "")


def _conflict_text(p, current) -> str:
    shown = (answer_label(p.aspect, current.value) if current else "") or _("no answer")
    return _(
        "%(aspect)s of measure %(measure)s was changed by someone else meanwhile "
        "(now: %(current)s). Your answer was not saved; it is still filled in below. "
        "Save again to replace the other answer."
    ) % {"aspect": aspect_label(p.aspect), "measure": p.measure_code, "current": shown}


def _saved_json(assessment, posted, result):
    """The stored state of every answer the request touched, for the form's hidden fields."""
    current = answers_of(assessment)
    answers = {}
    for p in posted:
        if p.touched:
            answer = current.get((p.measure_code, p.aspect))
            answers[_key(p.measure_code, p.aspect)] = {
                "version": answer.version if answer else 0,
                "value": answer.value if answer else "",
                "note": answer.note if answer else "",
            }
    conflicts = {
        _key(p.measure_code, p.aspect): _conflict_text(p, current)
        for p, current in result.conflicts
    }
    return JsonResponse(
        {"saved": result.saved, "answers": answers, "conflicts": conflicts},
        status=409 if conflicts else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def answer(request, cycle_pk):
    cycle = access.get_municipal_cycle_for(request.user, cycle_pk, access.VIEW_CYCLE)
    assessment = latest(cycle)
    measure_set = assessment.measure_set if assessment else current_measure_set()
    if measure_set is None:
        return render(request, "questionnaire/self_assessment_unavailable.html", {"cycle": cycle})
    view = load_measure_set(measure_set)
    if request.method == "GET":
        return _answer_page(request, cycle, assessment, view)

    action = request.POST.get("action", "save")
    access.check_cycle_write(
        request.user,
        cycle,
        access.SUBMIT_ASSESSMENT if action == "submit" else access.CHANGE_CYCLE,
    )
    posted, problems = _posted(request, view)
    if request.POST.get("measure_set") != _set_token(measure_set):
        problems.insert(0, problem("wrong_version"))
    try:
        if problems:
            raise AssessmentError(problems)
        check_posted(view, posted)
        assessment = start(cycle, measure_set)
        result = save_answers(assessment, view, posted, request.user)
    except AssessmentError as error:
        if _wants_json(request):
            return JsonResponse(
                {"errors": [problem_message(p) for p in error.problems]}, status=400
            )
        return _answer_page(
            request,
            cycle,
            assessment,
            view,
            status=400,
            posted=posted,
            error_list=[{"text": problem_message(p)} for p in error.problems],
        )
    if _wants_json(request) and action == "save":
        return _saved_json(assessment, posted, result)
    if result.conflicts:
        conflicts, error_list = {}, []
        for p, current in result.conflicts:
            text = _conflict_text(p, current)
            conflicts[(p.measure_code, p.aspect)] = text
            error_list.append({"text": text, "href": "#" + field_id(p.measure_code, p.aspect)})
        return _answer_page(
            request,
            cycle,
            assessment,
            view,
            status=409,
            posted=posted,
            conflicts=conflicts,
            error_list=error_list,
        )
    if action != "submit":
        messages.success(request, _("Your answers have been saved."))
        return redirect("questionnaire:self_assessment", cycle_pk=cycle.pk)
    try:
        submit_assessment(assessment, view, request.user)
    except AssessmentError as error:
        errors, error_list = {}, []
        for p in error.problems:
            text = problem_message(p)
            params = p.params
            href = ""
            if "measure" in params and "aspect" in params:
                errors[(params["measure"], str(params["aspect"]))] = text
                href = "#" + field_id(params["measure"], str(params["aspect"]))
            error_list.append({"text": text, "href": href})
        return _answer_page(
            request, cycle, assessment, view, status=400, errors=errors, error_list=error_list
        )
    messages.success(request, _("The self-assessment has been submitted."))
    return redirect("questionnaire:self_assessment_results", cycle_pk=cycle.pk)


@require_POST
@login_required
def reopen(request, cycle_pk):
    cycle = access.get_municipal_cycle_for_write(request.user, cycle_pk, access.SUBMIT_ASSESSMENT)
    assessment = latest(cycle)
    if assessment is None:
        raise Http404
    try:
        new = reopen_assessment(assessment, request.user)
    except AssessmentError as error:
        for p in error.problems:
            messages.error(request, problem_message(p))
        return redirect("questionnaire:self_assessment", cycle_pk=cycle.pk)
    messages.success(
        request,
        _(
            "Version %(new)s has been opened with the answers of version %(old)s; "
            "version %(old)s stays as it was submitted."
        )
        % {"new": new.version, "old": assessment.version},
    )
    return redirect("questionnaire:self_assessment", cycle_pk=cycle.pk)


def _band(band) -> dict | None:
    if band is None:
        return None
    return {"code": str(band), "label": Band(str(band)).label}


def _chart(rows, overall, overall_label):
    """The SVG bar chart of the overall result and each theme (compass/charts.py)."""
    return charts.bar_chart(
        {"label": label, "percent": value, "value": numbers.percent(value), "band": _band(band)}
        for label, value, band in [(overall_label, *overall), *rows]
    )


def _comparison(result, stored, previous):
    if previous is None:
        return None
    old = read_result(previous)
    if not old.readable:
        return {"cycle": previous.cycle, "assessment": previous, "unreadable": True}
    comparison = scoring.compare_results(old.result, result)

    def change(c, title):
        return {
            "title": title,
            "old": numbers.percent(c.old),
            "new": numbers.percent(c.new),
            "old_band": _band(c.old_band),
            "new_band": _band(c.new_band),
            # From the shown (rounded) values, so 12% -> 8% reads -4, whatever the decimals.
            "change": numbers.signed(numbers.shown_difference(c.new, c.old)),
        }

    return {
        "cycle": previous.cycle,
        "assessment": previous,
        "same_version": comparison.same_version,
        "old_version": comparison.old_version,
        "overall": change(comparison.overall, _("Overall")),
        "themes": [change(c, stored.theme_title(c.code)) for c in comparison.themes],
        "measures": [
            change(c, f"{c.code} {stored.measure_title(c.code, '')}")
            for c in comparison.carried_over
        ],
        "added": [f"{code} {stored.measure_title(code, '')}" for code in comparison.added],
        "removed": [f"{code} {old.measure_title(code, '')}" for code in comparison.removed],
    }


@require_GET
@login_required
def results(request, cycle_pk, version=None):
    cycle = access.get_municipal_cycle_for(request.user, cycle_pk, access.VIEW_CYCLE)
    versions = list(cycle.self_assessments.select_related("submitted_by").order_by("-version"))
    submitted = [a for a in versions if a.is_submitted]
    if version is not None:
        chosen = next((a for a in submitted if a.version == version), None)
        if chosen is None:
            raise Http404
    else:
        chosen = submitted[0] if submitted else None
    # Partners of a sharing agreement read the results, not who in the team submitted them.
    show_people = (
        request.user.is_superuser
        or request.user.memberships.filter(municipality=cycle.municipality).exists()
    )
    context = {"cycle": cycle, "versions": versions, "chosen": chosen, "show_people": show_people}
    if chosen is not None:
        # An imported version has no submitter on this server.
        who = chosen.submitted_by
        context["submitted_by_name"] = (who.get_full_name() or who.username) if who else "–"
    if chosen is None:
        return render(request, "questionnaire/self_assessment_results.html", context)
    stored = read_result(chosen)
    if not stored.readable:
        context["unreadable"] = True
        return render(request, "questionnaire/self_assessment_results.html", context)
    result, labels = stored.result, stored.labels
    theme_titles, measure_titles = labels["themes"], labels["measures"]
    themes = []
    for t in result.themes:
        themes.append(
            {
                "title": theme_titles.get(t.code, t.code),
                "value": numbers.percent(t.realisation),
                "band": _band(t.band),
                "measures": [
                    {
                        "code": m.code,
                        "title": measure_titles.get(m.code, m.code),
                        "value": numbers.percent(m.realisation),
                        "band": _band(m.band),
                        "weak": aspect_label(m.weak_aspect) if m.weak_aspect else "",
                        "dont_know": [aspect_label(a) for a in m.dont_know],
                        "not_applicable": [aspect_label(a) for a in m.not_applicable],
                    }
                    for m in result.measures
                    if m.theme_code == t.code
                ],
            }
        )
    suggestions = [
        {
            "measure": f"{s.measure_code} {measure_titles.get(s.measure_code, '')}",
            "measure_code": s.measure_code,
            "text": s.text,
            "links": [split_link(link) for link in s.links],
            "gain": numbers.decimal(s.gain, 1),
        }
        for s in result.suggestions
    ]
    previous = latest_submitted(cycle.previous) if cycle.previous_id else None
    overall_label = _("Overall")
    context.update(
        {
            "result": result,
            "labels": labels,
            "overall": numbers.percent(result.overall),
            "overall_band": _band(result.overall_band),
            "themes": themes,
            "suggestions": suggestions,
            "chart": _chart(
                [(theme_titles.get(t.code, t.code), t.realisation, t.band) for t in result.themes],
                (result.overall, result.overall_band),
                overall_label,
            ),
            "comparison": _comparison(result, stored, previous),
            "dont_know_count": len(result.dont_know),
            "answers_url": reverse("questionnaire:self_assessment", args=[cycle.pk]),
            # Links into the practice exchange, for the people who take part in it.
            "exchange": exchange_rules.may_take_part(request.user),
        }
    )
    return render(request, "questionnaire/self_assessment_results.html", context)
