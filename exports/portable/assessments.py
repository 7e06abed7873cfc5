"""The self-assessment versions of an imported file: answers checked, snapshots rebuilt."""

from __future__ import annotations

from django.db.models import Q
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from cms.snippets import Measure, MeasureSet
from compass.models import Answer, SelfAssessment
from exports.portable.format import ANSWER_FIELDS
from exports.portable.items import build, list_of
from exports.portable.problems import field_label, where

ASSESSMENT_KEYS = {
    "version",
    "measure_set",
    "measure_set_version",
    "status",
    "submitted_at",
    "snapshot",
    "answers",
}


def validate_assessments(items, problems) -> list:
    from questionnaire import scoring

    wanted = set()
    for raw in items:
        ref = raw.get("measure_set") if isinstance(raw, dict) else None
        if (
            isinstance(ref, dict)
            and isinstance(ref.get("name"), str)
            and isinstance(ref.get("version"), int)
        ):
            wanted.add((ref["name"], ref["version"]))
    sets = {}
    if wanted:
        query = Q()
        for name, version in wanted:
            query |= Q(name=name, version=version)
        sets = {(s.name, s.version): s for s in MeasureSet.objects.filter(query)}
    codes: dict[int, set[str]] = {}
    for set_id, code in Measure.objects.filter(
        theme__measure_set__in=list(sets.values())
    ).values_list("theme__measure_set_id", "code"):
        codes.setdefault(set_id, set()).add(code)

    out, versions, views = [], set(), {}
    for index, raw in enumerate(items, 1):
        here = where(SelfAssessment, index)
        assessment = build(
            SelfAssessment,
            raw,
            ["version", "measure_set_version", "status"],
            here,
            problems,
            extra=ASSESSMENT_KEYS,
        )
        if not isinstance(raw, dict):
            continue
        ref = raw.get("measure_set")
        key = (ref.get("name"), ref.get("version")) if isinstance(ref, dict) else None
        measure_set = sets.get(key) if key else None
        if measure_set is None:
            problems.add(
                f"{here}: {field_label(SelfAssessment, 'measure_set')}",
                _("the measure set '%(name)s' version %(version)s does not exist here")
                % {
                    "name": key[0] if key else "?",
                    "version": key[1] if key else "?",
                },
            )
        if assessment is None:
            continue
        if assessment.version in versions:
            problems.add(here, _("the version %(n)s is listed twice") % {"n": assessment.version})
            continue
        versions.add(assessment.version)
        submitted_at = raw.get("submitted_at")
        if submitted_at is not None:
            parsed = parse_datetime(submitted_at) if isinstance(submitted_at, str) else None
            if parsed is None or parsed.tzinfo is None:
                problems.add(
                    f"{here}: {field_label(SelfAssessment, 'submitted_at')}",
                    _("must be a date and time with time zone"),
                )
            assessment.submitted_at = parsed
        answers, seen = [], set()
        for number, answer_raw in enumerate(list_of(raw, "answers", here, problems), 1):
            answer_where = f"{here}, {where(Answer, number)}"
            answer = build(Answer, answer_raw, ANSWER_FIELDS, answer_where, problems)
            if answer is None:
                continue
            if answer.aspect not in scoring.ASPECTS:
                problems.add(
                    f"{answer_where}: {field_label(Answer, 'aspect')}",
                    _("the aspect '%(aspect)s' does not exist") % {"aspect": answer.aspect},
                )
                continue
            if measure_set is not None and answer.measure_code not in codes.get(
                measure_set.pk, set()
            ):
                problems.add(
                    f"{answer_where}: {field_label(Answer, 'measure_code')}",
                    _("the measure '%(code)s' is not in the measure set")
                    % {"code": answer.measure_code},
                )
                continue
            if (answer.measure_code, answer.aspect) in seen:
                problems.add(answer_where, _("this measure and aspect are answered twice"))
                continue
            seen.add((answer.measure_code, answer.aspect))
            answers.append(answer)
        _rebuild_snapshot(assessment, measure_set, views, answers, here, problems)
        if measure_set is not None:
            assessment.measure_set = measure_set
            out.append((assessment, answers))
    return out


def _rebuild_snapshot(assessment, measure_set, views, answers, here, problems) -> None:
    """A submitted version gets the snapshot the server makes of its answers, never the file's.

    The file's frozen result is not read at all: the snapshot is scored again from the imported
    answers on this server's own measure set (the one named by name and version), so its titles,
    suggestions and links are this server's, and it always agrees with the answers.
    """
    from questionnaire import assessment as self_assessment
    from questionnaire import scoring
    from questionnaire.messages import problem_message

    if assessment.status != SelfAssessment.Status.SUBMITTED:
        assessment.snapshot = None
        return
    if assessment.submitted_at is None:
        problems.add(here, _("a submitted version needs the time it was submitted"))
    if measure_set is None:
        return
    if measure_set.pk not in views:
        views[measure_set.pk] = self_assessment.load_measure_set(measure_set)
    try:
        assessment.snapshot = self_assessment.frozen_snapshot(views[measure_set.pk], answers)
    except scoring.ScoringError as error:
        label = f"{here}: {field_label(SelfAssessment, 'snapshot')}"
        for problem in error.problems[:5]:
            problems.add(label, problem_message(problem))
