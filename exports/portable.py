"""A whole annual cycle as JSON, and back: export, validate, import (docs/exports.md).

The file names its format and schema version, says where it came from (municipality code and
year: provenance only), and holds every part of the cycle. Items refer to each other by local
keys ("ambitie-1", "aanbod-3"), never by database ids; decimals are strings so nothing is
rounded; indicators are named by their code and measure sets by name and version.

An import is checked completely before anything is written (syntax, format, size, types,
choices, lengths, references, the models' own validators) and then written in one
transaction: a refused file leaves the database as it was. Export, import and export again
gives the same JSON apart from the provenance and the export time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.snippets import Indicator, Measure, MeasureSet
from compass import services
from compass.models import (
    Ambition,
    Answer,
    BlockProgress,
    ChangeRecord,
    Cycle,
    ImprovementAction,
    Municipality,
    Offering,
    OutcomeMeasurement,
    QualityCheck,
    Result,
    ResultValue,
    SelfAssessment,
    SituationFigure,
    SituationReading,
    Step,
    TargetGroup,
)

FORMAT = "kwaliteitskompas-jaarcyclus"
SCHEMA_VERSION = 1
MAX_ERRORS = 50
DEFAULT_MAX_BYTES = 5 * 1024 * 1024


def max_bytes() -> int:
    return getattr(settings, "EXPORT_JSON_MAX_BYTES", DEFAULT_MAX_BYTES)


# --- What is exported of each part ----------------------------------------------------------
# Plain fields by model field name (the JSON uses the same names); references separately.

CYCLE_FIELDS = ["status", "policy_start_year", "policy_end_year"]
READING_FIELDS = ["recognise", "explain", "appraise", "improve", "signals", "participants"]
FIGURE_FIELDS = ["label", "period", "value", "source", "provisional"]
AMBITION_FIELDS = ["kind", "text", "risk_factors", "protective_factors"]
RESULT_FIELDS = [
    "type",
    "text",
    "baseline_value",
    "baseline_year",
    "target_value",
    "target_year",
    "unit",
    "direction",
]
VALUE_FIELDS = ["year", "value"]
GROUP_FIELDS = ["name", "risk_factors", "estimated_size"]
OFFERING_FIELDS = [
    "name",
    "kind",
    "provider",
    "evidence_level",
    "databank_url",
    "valid_until",
    "capacity",
]
QUALITY_FIELDS = ["well_founded", "trained", "registered", "supervised", "guidelines", "notes"]
OUTCOME_FIELDS = [
    "reach",
    "dropout",
    "usefulness",
    "goal_realisation",
    "improvement_suggestions",
    "respondents",
    "method",
    "story",
]
ACTION_FIELDS = ["what", "who", "due", "status", "decision"]
ANSWER_FIELDS = ["measure_code", "aspect", "value", "note"]

KEY_PREFIX = {
    "ambitions": "ambitie",
    "results": "resultaat",
    "target_groups": "doelgroep",
    "offerings": "aanbod",
}


def _json_value(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _plain(obj, fields) -> dict:
    return {name: _json_value(getattr(obj, name)) for name in fields}


# --- Export ----------------------------------------------------------------------------------


def export_cycle(cycle: Cycle) -> dict:
    """Return the whole cycle as JSON-ready data (a constant number of queries)."""
    keys: dict[str, dict[int, str]] = {part: {} for part in KEY_PREFIX}

    def keyed(part, items):
        out = []
        for number, item in enumerate(items, 1):
            key = f"{KEY_PREFIX[part]}-{number}"
            keys[part][item.pk] = key
            out.append(key)
        return out

    ambitions = list(Ambition.objects.filter(cycle=cycle).order_by("pk"))
    keyed("ambitions", ambitions)
    results = list(Result.objects.filter(cycle=cycle).select_related("indicator").order_by("pk"))
    keyed("results", results)
    values: dict[int, list] = {}
    for value in ResultValue.objects.filter(cycle=cycle).order_by("result_id", "year", "pk"):
        values.setdefault(value.result_id, []).append(_plain(value, VALUE_FIELDS))
    groups = list(TargetGroup.objects.filter(cycle=cycle).order_by("pk"))
    keyed("target_groups", groups)
    offerings = list(
        Offering.objects.filter(cycle=cycle)
        .order_by("pk")
        .prefetch_related("target_groups", "results")
    )
    keyed("offerings", offerings)
    reading = SituationReading.objects.filter(cycle=cycle).first()
    assessments = list(
        cycle.self_assessments.select_related("measure_set")
        .prefetch_related("answers")
        .order_by("version")
    )
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": {
            "municipality_code": cycle.municipality.code,
            "municipality_name": cycle.municipality.name,
            "year": cycle.year,
        },
        "cycle": {
            **_plain(cycle, CYCLE_FIELDS),
            "steps": [
                {"step": p.step, "status": p.status}
                for p in BlockProgress.objects.filter(cycle=cycle).order_by("step")
            ],
            "reading": _plain(reading, READING_FIELDS) if reading else None,
            "figures": [
                {
                    **_plain(f, FIGURE_FIELDS),
                    "indicator": f.indicator.code if f.indicator else None,
                }
                for f in SituationFigure.objects.filter(cycle=cycle)
                .select_related("indicator")
                .order_by("pk")
            ],
            "ambitions": [
                {"key": keys["ambitions"][a.pk], **_plain(a, AMBITION_FIELDS)} for a in ambitions
            ],
            "results": [
                {
                    "key": keys["results"][r.pk],
                    "ambition": keys["ambitions"][r.ambition_id],
                    **_plain(r, RESULT_FIELDS),
                    "indicator": r.indicator.code if r.indicator else None,
                    "values": values.get(r.pk, []),
                }
                for r in results
            ],
            "target_groups": [
                {"key": keys["target_groups"][g.pk], **_plain(g, GROUP_FIELDS)} for g in groups
            ],
            "offerings": [
                {
                    "key": keys["offerings"][o.pk],
                    **_plain(o, OFFERING_FIELDS),
                    "target_groups": sorted(
                        (keys["target_groups"][g.pk] for g in o.target_groups.all()),
                        key=_key_order,
                    ),
                    "results": sorted(
                        (keys["results"][r.pk] for r in o.results.all()), key=_key_order
                    ),
                }
                for o in offerings
            ],
            "quality_checks": [
                {"offering": keys["offerings"][q.offering_id], **_plain(q, QUALITY_FIELDS)}
                for q in QualityCheck.objects.filter(cycle=cycle).order_by("pk")
            ],
            "outcomes": [
                {"offering": keys["offerings"][o.offering_id], **_plain(o, OUTCOME_FIELDS)}
                for o in OutcomeMeasurement.objects.filter(cycle=cycle).order_by("pk")
            ],
            "actions": [
                {
                    **_plain(a, ACTION_FIELDS),
                    "result": keys["results"].get(a.result_id),
                    "offering": keys["offerings"].get(a.offering_id),
                }
                for a in ImprovementAction.objects.filter(cycle=cycle).order_by("pk")
            ],
            "self_assessments": [
                {
                    "version": s.version,
                    "measure_set": {"name": s.measure_set.name, "version": s.measure_set.version},
                    "measure_set_version": s.measure_set_version,
                    "status": s.status,
                    "submitted_at": _json_value(s.submitted_at),
                    "snapshot": s.snapshot,
                    "answers": [
                        _plain(a, ANSWER_FIELDS)
                        for a in sorted(s.answers.all(), key=lambda a: (a.measure_code, a.aspect))
                    ],
                }
                for s in assessments
            ],
        },
    }


def _key_order(key: str):
    prefix, _sep, number = key.rpartition("-")
    return (prefix, int(number) if number.isdigit() else 0)


def dumps(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def source_of(data: dict) -> dict:
    """The provenance of a parsed file, or {} when it has none (it is never trusted further)."""
    source = data.get("source")
    return source if isinstance(source, dict) else {}


def without_provenance(data: dict) -> dict:
    """The data minus what may differ between two exports of the same content."""
    return {k: v for k, v in data.items() if k not in ("exported_at", "source")}


# --- Reading an upload -----------------------------------------------------------------------


class ImportRefused(Exception):
    """The file cannot be imported; `messages` say why in the active language, with where."""

    def __init__(self, messages, field: str = "file"):
        self.messages = list(messages)
        self.field = field
        super().__init__("; ".join(str(m) for m in self.messages))


def _refuse_constant(name):
    raise ValueError(name)


def parse(raw: bytes) -> dict:
    """Parse and check the outer shape: JSON object, our format, a schema version we read."""
    try:
        text = raw.decode("utf-8-sig")
        data = json.loads(text, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ImportRefused(
            [_("The file is not a valid JSON file. Choose a JSON export of an annual cycle.")]
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportRefused(
            [
                _(
                    "This file is not a JSON export of an annual cycle from the Quality compass. "
                    "Choose a file made with 'Download JSON'."
                )
            ]
        )
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportRefused([_("The file has no valid schema version.")])
    if version > SCHEMA_VERSION:
        raise ImportRefused(
            [
                _(
                    "The file was made by a newer version of the Quality compass (schema "
                    "%(found)s; this version reads up to %(max)s)."
                )
                % {"found": version, "max": SCHEMA_VERSION}
            ]
        )
    if not isinstance(data.get("cycle"), dict):
        raise ImportRefused([_("The file holds no annual cycle.")])
    return data


def too_large_message() -> str:
    return _("The file is larger than %(size)s. Choose a JSON export of one annual cycle.") % {
        "size": filesizeformat(max_bytes())
    }


def read_upload(upload) -> dict:
    """Read an uploaded file within the size limit (checked before reading it whole), parse it."""
    limit = max_bytes()
    too_large = ImportRefused([too_large_message()])
    if upload.size is not None and upload.size > limit:
        raise too_large
    upload.seek(0)
    raw = upload.read(limit + 1)
    if len(raw) > limit:
        raise too_large
    return parse(raw)


# --- Validation ------------------------------------------------------------------------------


class Problems:
    """Collected error messages, each saying where; stops collecting after MAX_ERRORS."""

    def __init__(self):
        self.items: list[str] = []

    def add(self, where: str, message) -> None:
        self.items.append(f"{where}: {message}" if where else str(message))

    def __bool__(self):
        return bool(self.items)

    def raise_if_any(self):
        if self.items:
            shown = self.items[:MAX_ERRORS]
            if len(self.items) > MAX_ERRORS:
                shown.append(_("… and %(n)s more problems.") % {"n": len(self.items) - MAX_ERRORS})
            raise ImportRefused(shown)


# How an item is named in an error message ("Aanbod 3: ..."); not every model has a
# translated verbose name.
PART_LABELS = {
    Cycle: gettext_lazy("Annual cycle"),
    BlockProgress: gettext_lazy("Step"),
    SituationFigure: gettext_lazy("Figure"),
    SituationReading: gettext_lazy("Reading of the figures"),
    Ambition: gettext_lazy("Ambition"),
    Result: gettext_lazy("Result"),
    ResultValue: gettext_lazy("Result value"),
    TargetGroup: gettext_lazy("Target group"),
    Offering: gettext_lazy("Offering"),
    QualityCheck: gettext_lazy("Quality"),
    OutcomeMeasurement: gettext_lazy("Outcome"),
    ImprovementAction: gettext_lazy("Improvement action"),
    SelfAssessment: gettext_lazy("Self-assessment"),
    Answer: gettext_lazy("Answer"),
}


def _where(model, index: int | None = None) -> str:
    name = str(PART_LABELS[model])
    return name if index is None else f"{name} {index}"


def _field_label(model, name: str) -> str:
    try:
        return str(capfirst(model._meta.get_field(name).verbose_name))
    except Exception:  # a key that is no field: show it as it is
        return name


def _check_type(field: models.Field, value) -> str | None:
    """Return a message when the JSON value has the wrong type for the field."""
    if value is None:
        return None if field.null else _("a value is required")
    if isinstance(field, models.BooleanField):
        return None if isinstance(value, bool) else _("must be true or false")
    if isinstance(field, models.DecimalField):
        if isinstance(value, str) and value.strip():
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return None
        return _('must be a number written as text, e.g. "12.5"')
    if isinstance(field, models.IntegerField):
        if isinstance(value, int) and not isinstance(value, bool):
            return None
        return _("must be a whole number")
    if isinstance(field, models.DateField):
        return None if isinstance(value, str) and value else _("must be a date (YYYY-MM-DD)")
    if isinstance(field, models.CharField | models.TextField):
        if not isinstance(value, str):
            return _("must be text")
        if "\x00" in value:
            return _("contains a character that is not allowed")
        if field.max_length and len(value) > field.max_length:
            return _("is %(length)s characters long; at most %(max)s are allowed") % {
                "length": len(value),
                "max": field.max_length,
            }
        return None
    return None  # pragma: no cover - every exported field type is handled above


def _build(model, data, fields, where, problems, extra=None, exclude=(), clean=True):
    """An unsaved instance from the JSON object, type-checked and full_clean'ed; None if bad."""
    if not isinstance(data, dict):
        problems.add(where, _("must be an object with fields"))
        return None
    allowed = set(fields) | set(extra or ())
    unknown = sorted(set(data) - allowed)
    for key in unknown:
        problems.add(where, _("unknown field '%(name)s'") % {"name": key})
    instance = model()
    bad = set()
    for name in fields:
        field = model._meta.get_field(name)
        if name not in data:
            continue  # the model default; a required field is reported by full_clean
        message = _check_type(field, data[name])
        if message:
            problems.add(f"{where}: {_field_label(model, name)}", message)
            bad.add(name)
            continue
        setattr(instance, field.attname, data[name])
    if clean:
        skip = [f.name for f in model._meta.fields if f.name not in fields]
        skip += list(exclude) + sorted(bad)
        try:
            instance.full_clean(exclude=skip, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                label = "" if name == "__all__" else f": {_field_label(model, name)}"
                for message in messages:
                    problems.add(f"{where}{label}", message)
            return None
    return None if bad or unknown else instance


def _list(data, name, where, problems) -> list:
    value = data.get(name, [])
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(where, _("'%(name)s' must be a list") % {"name": name})
        return []
    return value


def _ref(value, known: dict, where, label, problems, required=True):
    """Resolve a local key; report a missing or unknown one."""
    if value is None and not required:
        return None
    if not isinstance(value, str) or value not in known:
        problems.add(
            f"{where}: {label}",
            _("refers to '%(key)s', which is not in the file") % {"key": value},
        )
        return None
    return known[value]


@dataclass
class Plan:
    """Everything of the file, checked and ready to write (unsaved instances, keyed links)."""

    cycle: Cycle
    moved_period: bool
    steps: list
    reading: SituationReading | None
    figures: list
    ambitions: list
    results: list  # (Result, ambition key)
    values: list  # (ResultValue, result key)
    groups: list
    offerings: list  # (Offering, [group keys], [result keys])
    quality: list  # (QualityCheck, offering key)
    outcomes: list
    actions: list  # (ImprovementAction, result key, offering key)
    assessments: list  # (SelfAssessment, [Answer])
    made_draft: bool = False  # "active" in the file, but the municipality has an active cycle


def _keyed_list(items, part, model, fields, where_model, problems, extra=()):
    """Build keyed items; return ({key: instance}, [(instance, raw)])."""
    by_key, built = {}, []
    for index, raw in enumerate(items, 1):
        where = _where(where_model, index)
        instance = _build(model, raw, fields, where, problems, extra=("key", *extra))
        key = raw.get("key") if isinstance(raw, dict) else None
        if not isinstance(key, str) or not key:
            problems.add(where, _("has no key"))
            continue
        if key in by_key:
            problems.add(where, _("the key '%(key)s' is used twice") % {"key": key})
            continue
        by_key[key] = instance
        built.append((instance, raw))
    return by_key, built


def validate(data: dict, municipality: Municipality, year: int) -> Plan:
    """Check everything in the file against the target; raise ImportRefused with all problems."""
    problems = Problems()
    body = data["cycle"]
    top_allowed = {"format", "schema_version", "exported_at", "source", "cycle"}
    for key in sorted(set(data) - top_allowed):
        problems.add("", _("unknown field '%(name)s'") % {"name": key})
    parts = [
        "steps",
        "reading",
        "figures",
        "ambitions",
        "results",
        "target_groups",
        "offerings",
        "quality_checks",
        "outcomes",
        "actions",
        "self_assessments",
    ]
    cycle = _build(
        Cycle,
        {k: v for k, v in body.items() if k in CYCLE_FIELDS},
        CYCLE_FIELDS,
        _where(Cycle),
        problems,
        clean=False,
    )
    for key in sorted(set(body) - set(CYCLE_FIELDS) - set(parts)):
        problems.add(_where(Cycle), _("unknown field '%(name)s'") % {"name": key})
    moved = False
    if cycle is not None:
        cycle.municipality = municipality
        cycle.year = year
        start, end = cycle.policy_start_year, cycle.policy_end_year
        if isinstance(start, int) and isinstance(end, int) and not start <= year <= end:
            # Keep the period's length, move it so it includes the target year.
            source_year = source_of(data).get("year")
            shift = year - source_year if isinstance(source_year, int) else year - start
            cycle.policy_start_year, cycle.policy_end_year = start + shift, end + shift
            if not cycle.policy_start_year <= year <= cycle.policy_end_year:
                cycle.policy_start_year, cycle.policy_end_year = year, year + (end - start)
            moved = True
        try:
            cycle.full_clean(exclude=["previous", "created_by"], validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    problems.add(f"{_where(Cycle)}: {_field_label(Cycle, name)}", message)

    steps, seen_steps = [], set()
    for index, raw in enumerate(_list(body, "steps", _where(Cycle), problems), 1):
        where = _where(BlockProgress, index)
        progress = _build(BlockProgress, raw, ["step", "status"], where, problems)
        if progress is None:
            continue
        if progress.step in seen_steps:
            problems.add(where, _("the step '%(step)s' is listed twice") % {"step": progress.step})
            continue
        seen_steps.add(progress.step)
        steps.append(progress)

    reading = None
    if body.get("reading") is not None:
        reading = _build(
            SituationReading, body["reading"], READING_FIELDS, _where(SituationReading), problems
        )

    # Indicators by code, one query.
    figures_raw = _list(body, "figures", _where(Cycle), problems)
    results_raw = _list(body, "results", _where(Cycle), problems)
    codes = {
        item.get("indicator")
        for item in figures_raw + results_raw
        if isinstance(item, dict) and isinstance(item.get("indicator"), str)
    }
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)} if codes else {}

    def indicator(raw, where, model):
        code = raw.get("indicator") if isinstance(raw, dict) else None
        if code is None:
            return None
        if not isinstance(code, str) or code not in indicators:
            problems.add(
                f"{where}: {_field_label(model, 'indicator')}",
                _("the indicator '%(code)s' does not exist") % {"code": code},
            )
            return None
        return indicators[code]

    figures = []
    for index, raw in enumerate(figures_raw, 1):
        where = _where(SituationFigure, index)
        figure = _build(SituationFigure, raw, FIGURE_FIELDS, where, problems, extra=("indicator",))
        found = indicator(raw, where, SituationFigure)
        if figure is not None:
            figure.indicator = found
            figures.append(figure)

    ambitions_by_key, ambitions = _keyed_list(
        _list(body, "ambitions", _where(Cycle), problems),
        "ambitions",
        Ambition,
        AMBITION_FIELDS,
        Ambition,
        problems,
    )
    results_by_key, results, values = {}, [], []
    for index, raw in enumerate(results_raw, 1):
        where = _where(Result, index)
        result = _build(
            Result,
            raw,
            RESULT_FIELDS,
            where,
            problems,
            extra=("key", "ambition", "indicator", "values"),
        )
        if not isinstance(raw, dict):
            continue
        key = raw.get("key")
        if not isinstance(key, str) or not key or key in results_by_key:
            problems.add(where, _("has no key, or its key is used twice"))
            continue
        ambition_key = raw.get("ambition")
        _ref(ambition_key, ambitions_by_key, where, _field_label(Result, "ambition"), problems)
        found = indicator(raw, where, Result)
        results_by_key[key] = result
        if result is not None:
            result.indicator = found
            results.append((result, ambition_key))
        for number, value_raw in enumerate(_list(raw, "values", where, problems), 1):
            value = _build(
                ResultValue,
                value_raw,
                VALUE_FIELDS,
                f"{where}, {_where(ResultValue, number)}",
                problems,
            )
            if value is not None:
                values.append((value, key))

    groups_by_key, groups = _keyed_list(
        _list(body, "target_groups", _where(Cycle), problems),
        "target_groups",
        TargetGroup,
        GROUP_FIELDS,
        TargetGroup,
        problems,
    )
    offerings_by_key, offerings_built = _keyed_list(
        _list(body, "offerings", _where(Cycle), problems),
        "offerings",
        Offering,
        OFFERING_FIELDS,
        Offering,
        problems,
        extra=("target_groups", "results"),
    )
    offerings = []
    for index, (offering, raw) in enumerate(offerings_built, 1):
        where = _where(Offering, index)
        links = {}
        for name, known in (("target_groups", groups_by_key), ("results", results_by_key)):
            keys = _list(raw, name, where, problems)
            for key in keys:
                _ref(key, known, where, _field_label(Offering, name), problems)
            if len(set(map(str, keys))) != len(keys):
                problems.add(f"{where}: {_field_label(Offering, name)}", _("lists an item twice"))
            links[name] = keys
        offerings.append((offering, links["target_groups"], links["results"]))

    quality, checked = [], set()
    for index, raw in enumerate(_list(body, "quality_checks", _where(Cycle), problems), 1):
        where = _where(QualityCheck, index)
        check = _build(QualityCheck, raw, QUALITY_FIELDS, where, problems, extra=("offering",))
        key = raw.get("offering") if isinstance(raw, dict) else None
        label = _field_label(QualityCheck, "offering")
        if not isinstance(key, str) or key not in offerings_by_key:
            _ref(key, offerings_by_key, where, label, problems)
            continue
        if key in checked:
            problems.add(f"{where}: {label}", _("this offering already has a quality check"))
            continue
        checked.add(key)
        if check is not None:
            quality.append((check, key))

    outcomes = []
    for index, raw in enumerate(_list(body, "outcomes", _where(Cycle), problems), 1):
        where = _where(OutcomeMeasurement, index)
        outcome = _build(
            OutcomeMeasurement, raw, OUTCOME_FIELDS, where, problems, extra=("offering",)
        )
        key = raw.get("offering") if isinstance(raw, dict) else None
        _ref(key, offerings_by_key, where, _field_label(OutcomeMeasurement, "offering"), problems)
        if outcome is not None:
            outcomes.append((outcome, key))

    actions = []
    for index, raw in enumerate(_list(body, "actions", _where(Cycle), problems), 1):
        where = _where(ImprovementAction, index)
        action = _build(
            ImprovementAction,
            raw,
            ACTION_FIELDS,
            where,
            problems,
            extra=("result", "offering"),
        )
        if not isinstance(raw, dict):
            continue
        result_key, offering_key = raw.get("result"), raw.get("offering")
        label = _field_label(ImprovementAction, "result")
        _ref(result_key, results_by_key, where, label, problems, required=False)
        label = _field_label(ImprovementAction, "offering")
        _ref(offering_key, offerings_by_key, where, label, problems, required=False)
        if action is not None:
            actions.append((action, result_key, offering_key))

    assessments = _validate_assessments(
        _list(body, "self_assessments", _where(Cycle), problems), problems
    )
    problems.raise_if_any()
    return Plan(
        cycle=cycle,
        moved_period=moved,
        steps=steps,
        reading=reading,
        figures=figures,
        ambitions=[instance for instance, _raw in ambitions],
        results=results,
        values=values,
        groups=[instance for instance, _raw in groups],
        offerings=offerings,
        quality=quality,
        outcomes=outcomes,
        actions=actions,
        assessments=assessments,
    )


ASSESSMENT_KEYS = {
    "version",
    "measure_set",
    "measure_set_version",
    "status",
    "submitted_at",
    "snapshot",
    "answers",
}


def _validate_assessments(items, problems) -> list:
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
        where = _where(SelfAssessment, index)
        assessment = _build(
            SelfAssessment,
            raw,
            ["version", "measure_set_version", "status"],
            where,
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
                f"{where}: {_field_label(SelfAssessment, 'measure_set')}",
                _("the measure set '%(name)s' version %(version)s does not exist here")
                % {
                    "name": key[0] if key else "?",
                    "version": key[1] if key else "?",
                },
            )
        if assessment is None:
            continue
        if assessment.version in versions:
            problems.add(where, _("the version %(n)s is listed twice") % {"n": assessment.version})
            continue
        versions.add(assessment.version)
        submitted_at = raw.get("submitted_at")
        if submitted_at is not None:
            parsed = parse_datetime(submitted_at) if isinstance(submitted_at, str) else None
            if parsed is None or parsed.tzinfo is None:
                problems.add(
                    f"{where}: {_field_label(SelfAssessment, 'submitted_at')}",
                    _("must be a date and time with time zone"),
                )
            assessment.submitted_at = parsed
        answers, seen = [], set()
        for number, answer_raw in enumerate(_list(raw, "answers", where, problems), 1):
            answer_where = f"{where}, {_where(Answer, number)}"
            answer = _build(Answer, answer_raw, ANSWER_FIELDS, answer_where, problems)
            if answer is None:
                continue
            if answer.aspect not in scoring.ASPECTS:
                problems.add(
                    f"{answer_where}: {_field_label(Answer, 'aspect')}",
                    _("the aspect '%(aspect)s' does not exist") % {"aspect": answer.aspect},
                )
                continue
            if measure_set is not None and answer.measure_code not in codes.get(
                measure_set.pk, set()
            ):
                problems.add(
                    f"{answer_where}: {_field_label(Answer, 'measure_code')}",
                    _("the measure '%(code)s' is not in the measure set")
                    % {"code": answer.measure_code},
                )
                continue
            if (answer.measure_code, answer.aspect) in seen:
                problems.add(answer_where, _("this measure and aspect are answered twice"))
                continue
            seen.add((answer.measure_code, answer.aspect))
            answers.append(answer)
        _rebuild_snapshot(assessment, measure_set, views, answers, where, problems)
        if measure_set is not None:
            assessment.measure_set = measure_set
            out.append((assessment, answers))
    return out


def _rebuild_snapshot(assessment, measure_set, views, answers, where, problems) -> None:
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
        problems.add(where, _("a submitted version needs the time it was submitted"))
    if measure_set is None:
        return
    if measure_set.pk not in views:
        views[measure_set.pk] = self_assessment.load_measure_set(measure_set)
    try:
        assessment.snapshot = self_assessment.frozen_snapshot(views[measure_set.pk], answers)
    except scoring.ScoringError as error:
        label = f"{where}: {_field_label(SelfAssessment, 'snapshot')}"
        for problem in error.problems[:5]:
            problems.add(label, problem_message(problem))


# --- Import ----------------------------------------------------------------------------------


def import_cycle(data: dict, municipality: Municipality, year: int, user=None):
    """Check the file, then write it as a new cycle in one transaction; return (cycle, plan)."""
    if not municipality.is_active:
        raise ImportRefused([_("A merged municipality cannot start a new annual cycle.")])
    exists = _("%(municipality)s already has an annual cycle for %(year)s.") % {
        "municipality": municipality,
        "year": year,
    }
    if Cycle.objects.filter(municipality=municipality, year=year).exists():
        raise ImportRefused([exists], field="year")
    plan = validate(data, municipality, year)
    try:
        with transaction.atomic():
            cycle = _write(plan, data, municipality, year, user)
    except IntegrityError:
        # Two people importing or starting the same cycle at once.
        raise ImportRefused([exists], field="year") from None
    return cycle, plan


def _write(plan: Plan, data, municipality, year, user) -> Cycle:
    cycle = plan.cycle
    cycle.previous = (
        Cycle.objects.filter(municipality=municipality, year__lt=year).order_by("-year").first()
    )
    cycle.created_by = user
    plan.made_draft = services.settle_status(cycle)
    cycle.save()

    def own(items):
        for item in items:
            item.cycle = cycle
        return items

    BlockProgress.objects.bulk_create(own(plan.steps))
    if plan.reading is not None:
        plan.reading.cycle = cycle
        plan.reading.save()
    SituationFigure.objects.bulk_create(own(plan.figures))
    Ambition.objects.bulk_create(own(plan.ambitions))
    ambitions = dict(zip(_keys(data, "ambitions"), plan.ambitions, strict=True))
    for result, ambition_key in plan.results:
        result.ambition = ambitions[ambition_key]
    Result.objects.bulk_create(own([r for r, _k in plan.results]))
    results = {
        raw["key"]: result
        for raw, (result, _k) in zip(data["cycle"].get("results") or [], plan.results, strict=True)
    }
    for value, result_key in plan.values:
        value.result = results[result_key]
    ResultValue.objects.bulk_create(own([v for v, _k in plan.values]))
    TargetGroup.objects.bulk_create(own(plan.groups))
    groups = dict(zip(_keys(data, "target_groups"), plan.groups, strict=True))
    Offering.objects.bulk_create(own([o for o, _g, _r in plan.offerings]))
    offerings = dict(
        zip(_keys(data, "offerings"), [o for o, _g, _r in plan.offerings], strict=True)
    )
    Offering.target_groups.through.objects.bulk_create(
        Offering.target_groups.through(offering_id=o.pk, targetgroup_id=groups[key].pk)
        for o, keys, _r in plan.offerings
        for key in keys
    )
    Offering.results.through.objects.bulk_create(
        Offering.results.through(offering_id=o.pk, result_id=results[key].pk)
        for o, _g, keys in plan.offerings
        for key in keys
    )
    for check, key in plan.quality:
        check.offering = offerings[key]
    QualityCheck.objects.bulk_create(own([q for q, _k in plan.quality]))
    for outcome, key in plan.outcomes:
        outcome.offering = offerings[key]
    OutcomeMeasurement.objects.bulk_create(own([o for o, _k in plan.outcomes]))
    for action, result_key, offering_key in plan.actions:
        action.result = results.get(result_key) if result_key else None
        action.offering = offerings.get(offering_key) if offering_key else None
    ImprovementAction.objects.bulk_create(own([a for a, _r, _o in plan.actions]))
    SelfAssessment.objects.bulk_create(own([s for s, _a in plan.assessments]))
    answers = []
    for assessment, items in plan.assessments:
        for answer in items:
            answer.assessment = assessment
            answers.append(answer)
    Answer.objects.bulk_create(answers)
    source = source_of(data)
    origin = " ".join(
        str(source[k]) for k in ("municipality_name", "year", "municipality_code") if k in source
    )
    ChangeRecord.objects.bulk_create(
        ChangeRecord(
            cycle=cycle,
            step=step,
            user=user,
            item=_("Imported from a JSON export"),
            field=_("whole step"),
            new=origin[:300],
        )
        for step in Step.values
    )
    return cycle


def _keys(data, part) -> list[str]:
    return [raw["key"] for raw in data["cycle"].get(part) or []]
