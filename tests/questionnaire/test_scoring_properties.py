"""Property tests of the scoring engine over generated measure sets and answers (hypothesis)."""

import json
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questionnaire.scoring import (
    ASPECTS,
    DONT_KNOW,
    NOT_APPLICABLE,
    Band,
    MeasureSetSpec,
    MeasureSpec,
    SuggestionSpec,
    ThemeSpec,
    Thresholds,
    freeze,
    recompute,
    score_assessment,
    stored_result,
)

PROPERTY_SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
VALUES = [0, 1, 2, 3, 4, DONT_KNOW, NOT_APPLICABLE]
BAND_ORDER = {None: -1, Band.LOW: 0, Band.PARTLY: 1, Band.HIGH: 2}


@st.composite
def measure_sets(draw, weighted=None):
    theme_count = draw(st.integers(1, 4))
    if weighted is None:
        weighted = draw(st.booleans())
    themes = tuple(
        ThemeSpec(f"T{i}", draw(st.integers(1, 5)) if weighted else None)
        for i in range(theme_count)
    )
    measures = tuple(
        MeasureSpec(f"M{j}", f"T{draw(st.integers(0, theme_count - 1))}", draw(st.integers(1, 6)))
        for j in range(draw(st.integers(1, 10)))
    )
    suggestions = tuple(
        SuggestionSpec(
            f"S{k}",
            draw(st.sampled_from(measures)).code,
            f"Advice {k}",
            band=draw(st.sampled_from([None, *Band])),
            aspect=draw(st.sampled_from([None, *ASPECTS])),
        )
        for k in range(draw(st.integers(0, 12)))
    )
    return MeasureSetSpec("v1", themes, measures, suggestions)


@st.composite
def answers_for(draw, measure_set):
    return {
        m.code: {aspect: draw(st.sampled_from(VALUES)) for aspect in ASPECTS}
        for m in measure_set.measures
    }


@st.composite
def assessments(draw, weighted=None):
    measure_set = draw(measure_sets(weighted))
    return measure_set, draw(answers_for(measure_set))


def numeric(value):
    return 0 if value is DONT_KNOW else value


def all_scores(result):
    scores = [m.realisation for m in result.measures]
    scores += [t.realisation for t in result.themes]
    return [*scores, result.overall]


@PROPERTY_SETTINGS
@given(assessments(), st.integers(0, 99), st.integers(1, 100))
def test_every_score_is_between_0_and_100(assessment, low, high_offset):
    measure_set, answers = assessment
    thresholds = Thresholds(low=low, high=min(100, low + high_offset))
    result = score_assessment(measure_set, answers, thresholds, top=None)
    for score in all_scores(result):
        assert score is None or 0 <= score <= 100
    for suggestion in result.suggestions:
        assert 0 < suggestion.gain <= 100
    shares = [m.share for m in result.measures if m.share is not None]
    assert all(0 < share <= 1 for share in shares)
    if result.overall is not None:
        assert abs(sum(shares) - 1) < 1e-9


@PROPERTY_SETTINGS
@given(assessments(), st.data())
def test_raising_any_answer_never_lowers_any_score_or_band(assessment, data):
    measure_set, answers = assessment
    raisable = [
        (code, aspect)
        for code, per in answers.items()
        for aspect, value in per.items()
        if value is not NOT_APPLICABLE and numeric(value) < 4
    ]
    if not raisable:
        return
    code, aspect = data.draw(st.sampled_from(raisable))
    higher = data.draw(st.integers(numeric(answers[code][aspect]) + 1, 4))
    raised = {c: dict(per) for c, per in answers.items()}
    raised[code][aspect] = higher

    before = score_assessment(measure_set, answers)
    after = score_assessment(measure_set, raised)
    for old, new in zip(all_scores(before), all_scores(after), strict=True):
        assert (old is None) == (new is None)
        assert old is None or new >= old
    assert after.measure(code).realisation > before.measure(code).realisation
    for old, new in zip(before.measures, after.measures, strict=True):
        assert BAND_ORDER[new.band] >= BAND_ORDER[old.band]
    assert BAND_ORDER[after.overall_band] >= BAND_ORDER[before.overall_band]


@PROPERTY_SETTINGS
@given(assessments(), st.data())
def test_not_applicable_on_one_measure_never_changes_another_measures_score(assessment, data):
    measure_set, answers = assessment
    code = data.draw(st.sampled_from(sorted(answers)))
    aspects = data.draw(st.sets(st.sampled_from(ASPECTS), min_size=1))
    changed = {c: dict(per) for c, per in answers.items()}
    for aspect in aspects:
        changed[code][aspect] = NOT_APPLICABLE

    before = score_assessment(measure_set, answers)
    after = score_assessment(measure_set, changed)
    for old, new in zip(before.measures, after.measures, strict=True):
        if old.code != code:
            assert (old.realisation, old.band, old.weak_aspect, old.dont_know) == (
                new.realisation,
                new.band,
                new.weak_aspect,
                new.dont_know,
            )


def oracle(measure_set, answers):
    """The rules of docs/scoring.md computed independently, with exact fractions."""
    realisation = {}
    for m in measure_set.measures:
        values = [numeric(v) for v in answers[m.code].values() if v is not NOT_APPLICABLE]
        if values:
            realisation[m.code] = Fraction(sum(values), len(values)) / 4 * 100
    themes = {}
    for t in measure_set.themes:
        members = [m for m in measure_set.measures if m.theme_code == t.code]
        weights = {m.code: m.weight for m in members if m.code in realisation}
        if weights:
            total = sum(weights.values())
            themes[t.code] = (
                sum(w * realisation[c] for c, w in weights.items()) / total,
                t.weight if t.weight is not None else total,
            )
    overall = None
    if themes:
        overall = sum(value * weight for value, weight in themes.values()) / sum(
            weight for _, weight in themes.values()
        )
    return realisation, {code: value for code, (value, _) in themes.items()}, overall


@PROPERTY_SETTINGS
@given(assessments())
def test_weights_are_respected_exactly(assessment):
    measure_set, answers = assessment
    result = score_assessment(measure_set, answers)
    measures, themes, overall = oracle(measure_set, answers)
    for m in result.measures:
        expected = measures.get(m.code)
        assert m.realisation == (None if expected is None else float(expected))
    for t in result.themes:
        expected = themes.get(t.code)
        assert t.realisation == (None if expected is None else float(expected))
    assert result.overall == (None if overall is None else float(overall))


@PROPERTY_SETTINGS
@given(assessments(), st.integers(2, 7))
def test_scaling_every_weight_by_the_same_factor_changes_nothing(assessment, factor):
    measure_set, answers = assessment
    scaled = MeasureSetSpec(
        measure_set.version,
        tuple(
            ThemeSpec(t.code, None if t.weight is None else t.weight * factor)
            for t in measure_set.themes
        ),
        tuple(MeasureSpec(m.code, m.theme_code, m.weight * factor) for m in measure_set.measures),
        measure_set.suggestions,
    )
    assert score_assessment(scaled, answers, top=None) == score_assessment(
        measure_set, answers, top=None
    )


@PROPERTY_SETTINGS
@given(assessments(), st.data())
def test_more_weight_pulls_the_theme_towards_that_measure(assessment, data):
    measure_set, answers = assessment
    before = score_assessment(measure_set, answers)
    valued = [m for m in before.measures if m.realisation is not None]
    if not valued:
        return
    chosen = data.draw(st.sampled_from(valued))
    heavier = MeasureSetSpec(
        measure_set.version,
        measure_set.themes,
        tuple(
            MeasureSpec(m.code, m.theme_code, m.weight + 3 if m.code == chosen.code else m.weight)
            for m in measure_set.measures
        ),
    )
    old_theme = before.theme(chosen.theme_code).realisation
    new_theme = score_assessment(heavier, answers).theme(chosen.theme_code).realisation
    assert abs(new_theme - chosen.realisation) <= abs(old_theme - chosen.realisation)
    if chosen.realisation > old_theme:
        assert new_theme > old_theme
    elif chosen.realisation < old_theme:
        assert new_theme < old_theme


@PROPERTY_SETTINGS
@given(assessments(), st.sampled_from([None, 0, 1, 3, 10]))
def test_suggestions_are_matching_and_ranked_by_weight_times_gap(assessment, top):
    measure_set, answers = assessment
    result = score_assessment(measure_set, answers, top=top)
    everything = score_assessment(measure_set, answers, top=None).suggestions
    if top is not None:
        assert result.suggestions == everything[:top]
    gains = [s.gain for s in everything]
    assert gains == sorted(gains, reverse=True)
    specs = {s.id: s for s in measure_set.suggestions}
    for ranked in everything:
        measure = result.measure(ranked.measure_code)
        spec = specs[ranked.id]
        assert spec.band in (None, measure.band)
        assert spec.aspect in (None, measure.weak_aspect)
        if spec.aspect is None:
            gap = 100 - measure.realisation
        else:
            answered = [v for v in answers[measure.code].values() if v is not NOT_APPLICABLE]
            gap = (4 - numeric(answers[measure.code][spec.aspect])) * 25 / len(answered)
        assert ranked.gain == pytest.approx(measure.share * gap)


@PROPERTY_SETTINGS
@given(assessments(), st.sampled_from([None, 5]))
def test_a_frozen_result_recomputes_identically(assessment, top):
    measure_set, answers = assessment
    snapshot = json.loads(json.dumps(freeze(measure_set, answers, top=top)))
    assert recompute(snapshot) == stored_result(snapshot)
    assert stored_result(snapshot) == score_assessment(measure_set, answers, top=top)
    assert json.loads(json.dumps(stored_result(snapshot).to_dict())) == snapshot["result"]
