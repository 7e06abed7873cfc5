"""Business rules of the self-assessment: start, save answers, submit, reopen, read results.

Views stay thin and call these functions after checking access through `compass.access`. The
scores come from the pure engine in `questionnaire.scoring`; this module turns the content
site's measure set into the engine's `MeasureSetSpec` and stores what `scoring.freeze` returns.
Errors are raised as `AssessmentError` carrying the engine's problem codes; the web layer shows
them in Dutch (`questionnaire.messages`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from cms.snippets import Measure, MeasureSet, Suggestion, Theme
from compass import links
from compass.models import Answer, AnswerValue, Cycle, SelfAssessment
from questionnaire import scoring

ASPECTS = tuple(str(a) for a in scoring.ASPECTS)
VALUES = frozenset(AnswerValue.values)
WEIGHT_SCALE = 100  # weights have two decimals; the engine takes whole numbers


class AssessmentError(Exception):
    """Bad input or a refused action; ``problems`` are engine-style codes with parameters."""

    def __init__(self, problems):
        self.problems = tuple(problems)
        super().__init__(", ".join(p.code for p in self.problems))


def problem(code: str, **params) -> scoring.Problem:
    return scoring.Problem(code, params)


# --- The measure set --------------------------------------------------------------------------


@dataclass
class MeasureSetView:
    """A measure set loaded once: the engine's spec plus the titles and texts pages show."""

    measure_set: MeasureSet
    spec: scoring.MeasureSetSpec
    themes: list  # Theme objects, each with .measure_list
    measures: dict = field(default_factory=dict)  # code -> Measure

    @property
    def question_count(self) -> int:
        return len(self.measures) * len(ASPECTS)


def current_measure_set() -> MeasureSet | None:
    """The newest published (live) measure set: the one a new self-assessment uses."""
    return MeasureSet.objects.filter(live=True).order_by("-version", "-pk").first()


def version_label(measure_set: MeasureSet) -> str:
    return str(measure_set.version)


def _whole(weight: Decimal) -> int:
    return max(1, int(Decimal(weight) * WEIGHT_SCALE))


def load_measure_set(measure_set: MeasureSet) -> MeasureSetView:
    """Themes, measures and suggestions of the set in three queries, as spec and as objects."""
    themes = list(
        Theme.objects.filter(measure_set=measure_set)
        .order_by("sort_order", "pk")
        .prefetch_related(
            Prefetch(
                "measures",
                queryset=Measure.objects.order_by("sort_order", "code").prefetch_related(
                    Prefetch("suggestions", queryset=Suggestion.objects.order_by("sort_order"))
                ),
                to_attr="measure_list",
            )
        )
    )
    theme_specs, measure_specs, suggestion_specs, measures = [], [], [], {}
    for theme in themes:
        theme_specs.append(scoring.ThemeSpec(theme.code, _whole(theme.weight)))
        for measure in theme.measure_list:
            measures[measure.code] = measure
            measure_specs.append(
                scoring.MeasureSpec(measure.code, theme.code, _whole(measure.weight))
            )
            for s in measure.suggestions.all():
                suggestion_specs.append(
                    scoring.SuggestionSpec(
                        id=s.pk,
                        measure_code=measure.code,
                        text=s.text,
                        band=s.band or None,
                        aspect=s.weak_aspect or None,
                        links=tuple(
                            f"{block.value['title']}\n{block.value['url']}"
                            for block in s.links
                            if links.is_safe_link(block.value["url"])
                        ),
                    )
                )
    spec = scoring.MeasureSetSpec(
        version_label(measure_set),
        tuple(theme_specs),
        tuple(measure_specs),
        tuple(suggestion_specs),
    )
    return MeasureSetView(measure_set, spec, themes, measures)


def thresholds_of(measure_set: MeasureSet) -> scoring.Thresholds:
    return scoring.Thresholds(low=measure_set.low_threshold, high=measure_set.high_threshold)


def split_link(link: str) -> tuple[str, str]:
    """A suggestion link as stored in the engine ("title\\nurl") -> (title, url).

    The url is "" unless it is an http(s) address or a path of this site (compass.links).
    """
    title, sep, url = link.partition("\n")
    if not sep:
        title, url = link, link
    return title, links.safe_url(url)


# --- Versions ----------------------------------------------------------------------------------


def latest(cycle: Cycle) -> SelfAssessment | None:
    return cycle.self_assessments.select_related("measure_set", "submitted_by").first()


def latest_submitted(cycle: Cycle | None) -> SelfAssessment | None:
    if cycle is None:
        return None
    return (
        cycle.self_assessments.filter(status=SelfAssessment.Status.SUBMITTED)
        .select_related("submitted_by")
        .order_by("-version")
        .first()
    )


@transaction.atomic
def start(cycle: Cycle, measure_set: MeasureSet | None = None) -> SelfAssessment:
    """Return the cycle's newest version, starting version 1 on the newest live set if none."""
    existing = latest(cycle)
    if existing is not None:
        return existing
    measure_set = measure_set or current_measure_set()
    if measure_set is None:
        raise AssessmentError([problem("no_measure_set")])
    try:
        with transaction.atomic():
            return SelfAssessment.objects.create(
                cycle=cycle,
                version=1,
                measure_set=measure_set,
                measure_set_version=measure_set.version,
            )
    except IntegrityError:  # started at the same moment by a colleague
        return latest(cycle)


def answers_of(assessment: SelfAssessment | None) -> dict[tuple[str, str], Answer]:
    if assessment is None:
        return {}
    return {(a.measure_code, a.aspect): a for a in assessment.answers.all()}


# --- Saving ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Posted:
    """One aspect as the form sent it: the new value and note, and what the form started from."""

    measure_code: str
    aspect: str
    value: str
    note: str
    version: int  # the Answer's version when the form was rendered (0: no answer yet)
    original_value: str = ""
    original_note: str = ""

    @property
    def touched(self) -> bool:
        return self.value != self.original_value or self.note != self.original_note


@dataclass
class SaveResult:
    saved: int = 0
    conflicts: list = field(default_factory=list)  # (Posted, current Answer)


def check_posted(view: MeasureSetView, posted: list[Posted]) -> None:
    """Refuse the whole save on a measure outside the set or a value outside the scale."""
    problems = []
    for p in posted:
        if p.measure_code not in view.measures:
            problems.append(
                problem("unknown_measure", measure=p.measure_code, version=view.spec.version)
            )
        elif p.aspect not in ASPECTS:
            problems.append(problem("unknown_aspect", measure=p.measure_code, aspect=p.aspect))
        elif p.value and p.value not in VALUES:
            problems.append(
                problem("invalid_value", measure=p.measure_code, aspect=p.aspect, value=p.value)
            )
    if problems:
        raise AssessmentError(problems)


@transaction.atomic
def save_answers(
    assessment: SelfAssessment, view: MeasureSetView, posted: list[Posted], user
) -> SaveResult:
    """Save what changed; a later save of an answer someone else changed meanwhile is refused.

    Partial answers are fine (a draft). Nothing is stored when any answer is invalid.
    """
    assessment = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.is_submitted:
        raise AssessmentError([problem("already_submitted")])
    check_posted(view, posted)
    current = answers_of(assessment)
    result = SaveResult()
    for p in posted:
        if not p.touched:
            continue
        answer = current.get((p.measure_code, p.aspect))
        if answer is None:
            if p.version != 0:
                result.conflicts.append((p, None))
                continue
            if not p.value and not p.note:
                continue
            Answer.objects.create(
                assessment=assessment,
                measure_code=p.measure_code,
                aspect=p.aspect,
                value=p.value,
                note=p.note,
                updated_by=user,
            )
            result.saved += 1
            continue
        if (answer.value, answer.note) == (p.value, p.note):
            continue  # the same answer already stands
        if answer.version != p.version:
            result.conflicts.append((p, answer))
            continue
        updated = Answer.objects.filter(pk=answer.pk, version=p.version).update(
            value=p.value,
            note=p.note,
            updated_by=user,
            updated_at=timezone.now(),
            version=p.version + 1,
        )
        if updated:
            result.saved += 1
        else:  # pragma: no cover - the row lock above makes this a safety net only
            result.conflicts.append((p, answer))
    if result.saved:
        SelfAssessment.objects.filter(pk=assessment.pk).update(updated_at=timezone.now())
    return result


def engine_answers(answers: dict[tuple[str, str], Answer]) -> dict:
    """Stored answers in the engine's shape: {measure: {aspect: 0-4 | special}}."""
    out: dict[str, dict] = {}
    for (code, aspect), answer in answers.items():
        if not answer.value:
            continue
        value = int(answer.value) if answer.value.isdigit() else answer.value
        out.setdefault(code, {})[aspect] = value
    return out


# --- Submitting and reopening ------------------------------------------------------------------


def _labels(view: MeasureSetView) -> dict:
    """The texts a results page shows, frozen with the result so old versions read the same."""
    return {
        "name": view.measure_set.name,
        "example": bool(view.measure_set.is_example),
        "themes": {t.code: t.title for t in view.themes},
        "measures": {code: m.title for code, m in view.measures.items()},
    }


def frozen_snapshot(view: MeasureSetView, answers) -> dict:
    """THE snapshot of a submitted version: these answers scored by the engine on this set.

    Submitting, the JSON import and the demo's generated peers all store what this returns,
    so a stored snapshot always agrees with its answers and with the server's own measure set
    (titles, suggestions and their links included). Raises scoring.ScoringError when the
    answers are incomplete or do not fit the set.
    """
    answers = list(answers)
    by_key = {(a.measure_code, a.aspect): a for a in answers}
    snapshot = scoring.freeze(view.spec, engine_answers(by_key), thresholds_of(view.measure_set))
    snapshot["labels"] = _labels(view)
    snapshot["notes"] = {f"{a.measure_code}.{a.aspect}": a.note for a in answers if a.note}
    return snapshot


@transaction.atomic
def submit(assessment: SelfAssessment, view: MeasureSetView, user) -> SelfAssessment:
    """Freeze the answers with the measure-set and scoring versions; raises on missing answers."""
    assessment = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.is_submitted:
        raise AssessmentError([problem("already_submitted")])
    try:
        snapshot = frozen_snapshot(view, assessment.answers.all())
    except scoring.ScoringError as error:
        raise AssessmentError(error.problems) from error
    assessment.snapshot = snapshot
    assessment.status = SelfAssessment.Status.SUBMITTED
    assessment.submitted_by = user
    assessment.submitted_at = timezone.now()
    assessment.save()
    return assessment


@transaction.atomic
def reopen(assessment: SelfAssessment, user) -> SelfAssessment:
    """Start version n+1 with the answers of submitted version n; version n stays as it is."""
    cycle = Cycle.objects.select_for_update().get(pk=assessment.cycle_id)
    newest = latest(cycle)
    if newest is None or newest.pk != assessment.pk or not assessment.is_submitted:
        raise AssessmentError([problem("not_reopenable")])
    new = SelfAssessment.objects.create(
        cycle=cycle,
        version=assessment.version + 1,
        measure_set=assessment.measure_set,
        measure_set_version=assessment.measure_set_version,
    )
    Answer.objects.bulk_create(
        Answer(
            assessment=new,
            measure_code=a.measure_code,
            aspect=a.aspect,
            value=a.value,
            note=a.note,
            updated_by=user,
        )
        for a in assessment.answers.all()
    )
    return new


# --- Results -----------------------------------------------------------------------------------


def result_of(assessment: SelfAssessment) -> scoring.AssessmentResult:
    """The frozen result exactly as it was stored on submit (ScoringError when unreadable)."""
    return scoring.stored_result(assessment.snapshot)


@dataclass(frozen=True)
class StoredResult:
    """A submitted version's frozen result as pages may show it, or the state "unreadable".

    Every page and file that shows a stored result reads it through `read_result`: results,
    versions, the comparison with last year, the council report and the downloads.
    """

    result: scoring.AssessmentResult | None
    labels: dict = field(default_factory=dict)  # checked: name, themes and measures (texts)

    @property
    def readable(self) -> bool:
        return self.result is not None

    @property
    def name(self) -> str:
        return self.labels.get("name", "")

    def theme_title(self, code: str, default: str | None = None) -> str:
        return self.labels["themes"].get(code, code if default is None else default)

    def measure_title(self, code: str, default: str | None = None) -> str:
        return self.labels["measures"].get(code, code if default is None else default)


UNREADABLE = StoredResult(None, {"name": "", "themes": {}, "measures": {}})


def _text_map(value) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def _is_example(labels: dict, assessment) -> bool:
    """Whether the set was an example set: frozen in newer snapshots, looked up for older ones."""
    example = labels.get("example")
    if isinstance(example, bool):
        return example
    set_id = getattr(assessment, "measure_set_id", None)
    return bool(set_id) and MeasureSet.objects.filter(pk=set_id, is_example=True).exists()


def read_result(assessment: SelfAssessment | None) -> StoredResult:
    """THE reader of stored snapshots: the checked result and labels, or UNREADABLE.

    A snapshot of an older or damaged shape (missing fields, wrong types, values outside
    0-100) is never an error page: callers show "cannot be read" instead. Links that are not
    http(s) or a path of this site are dropped from the suggestions (compass.links).
    """
    snapshot = getattr(assessment, "snapshot", None)
    try:
        result = scoring.stored_result(snapshot)
    except scoring.ScoringError:
        return UNREADABLE
    labels = snapshot.get("labels") if isinstance(snapshot.get("labels"), dict) else {}
    name = labels.get("name")
    clean = {
        "name": name if isinstance(name, str) else "",
        "example": _is_example(labels, assessment),
        "themes": _text_map(labels.get("themes")),
        "measures": _text_map(labels.get("measures")),
    }
    suggestions = tuple(
        replace(s, links=tuple(link for link in s.links if split_link(link)[1]))
        for s in result.suggestions
    )
    return StoredResult(replace(result, suggestions=suggestions), clean)
