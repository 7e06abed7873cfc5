"""Unit tests of the self-assessment scoring engine (questionnaire/scoring.py, DOMAIN.md §4)."""

import copy
import json
import subprocess
import sys
from decimal import Decimal

import pytest

from questionnaire.scoring import (
    DONT_KNOW,
    NOT_APPLICABLE,
    SCORING_VERSION,
    Aspect,
    Band,
    MeasureSetSpec,
    MeasureSpec,
    ScoringError,
    SuggestionSpec,
    ThemeSpec,
    Thresholds,
    band,
    compare_results,
    freeze,
    recompute,
    score_assessment,
    stored_result,
    validate_answers,
)

NA = NOT_APPLICABLE
DK = DONT_KNOW


def answer(what, reach, embedding):
    return {"what_we_do": what, "reach": reach, "embedding": embedding}


def measure_set(measures, themes=None, suggestions=(), version="2026-1"):
    """A set from (code, theme, weight) triples; themes default to the ones named, unweighted."""
    if themes is None:
        themes = tuple(ThemeSpec(code) for code in dict.fromkeys(t for _, t, _ in measures))
    return MeasureSetSpec(
        version,
        tuple(themes),
        tuple(MeasureSpec(code, theme, weight) for code, theme, weight in measures),
        tuple(suggestions),
    )


ONE = measure_set([("m1", "T", 1)])


def test_measure_realisation_is_mean_of_aspects_over_four():
    result = score_assessment(ONE, {"m1": answer(4, 2, 0)})
    assert result.measure("m1").realisation == 50.0
    assert result.overall == 50.0


def test_full_marks_give_exactly_one_hundred():
    result = score_assessment(ONE, {"m1": answer(4, 4, 4)})
    assert result.measure("m1").realisation == 100.0
    assert result.measure("m1").band is Band.HIGH


def test_not_applicable_aspect_is_left_out_of_the_mean():
    result = score_assessment(ONE, {"m1": answer(4, NA, 2)})
    assert result.measure("m1").realisation == 75.0
    assert result.measure("m1").not_applicable == (Aspect.REACH,)


def test_measure_with_every_aspect_not_applicable_is_excluded_from_theme_and_overall():
    ms = measure_set([("m1", "T", 1), ("m2", "T", 5), ("m3", "U", 1)])
    result = score_assessment(
        ms, {"m1": answer(2, 2, 2), "m2": answer(NA, NA, NA), "m3": answer(4, 4, 4)}
    )
    m2 = result.measure("m2")
    assert (m2.realisation, m2.band, m2.weak_aspect, m2.share) == (None, None, None, None)
    assert result.theme("T").realisation == 50.0  # m2's weight 5 does not count
    assert result.theme("T").measure_count == 1
    assert result.overall == 75.0


def test_theme_without_any_applicable_measure_has_no_value_and_is_left_out_of_overall():
    ms = measure_set(
        [("m1", "T", 1), ("m2", "U", 1)], themes=(ThemeSpec("T", 3), ThemeSpec("U", 1))
    )
    result = score_assessment(ms, {"m1": answer(NA, NA, NA), "m2": answer(2, 2, 2)})
    assert result.theme("T").realisation is None
    assert result.theme("T").band is None
    assert result.overall == 50.0


def test_everything_not_applicable_gives_no_overall_and_no_suggestions():
    ms = measure_set([("m1", "T", 1)], suggestions=[SuggestionSpec(1, "m1", "Any advice.")])
    result = score_assessment(ms, {"m1": answer(NA, NA, NA)})
    assert result.overall is None
    assert result.overall_band is None
    assert result.suggestions == ()


def test_dont_know_counts_as_zero_and_is_flagged():
    result = score_assessment(ONE, {"m1": answer(4, DK, 4)})
    m1 = result.measure("m1")
    assert m1.realisation == pytest.approx(200 / 3)
    assert m1.dont_know == (Aspect.REACH,)
    assert m1.weak_aspect is Aspect.REACH
    assert result.dont_know == (("m1", Aspect.REACH),)


def test_dont_know_as_plain_text_is_accepted():
    assert score_assessment(ONE, {"m1": answer(4, "dont_know", "not_applicable")}).measure(
        "m1"
    ).realisation == (50.0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, Band.LOW),
        (39.99, Band.LOW),
        (Decimal("39.999999"), Band.LOW),
        (40, Band.PARTLY),
        (40.0, Band.PARTLY),
        (69.99, Band.PARTLY),
        (70, Band.HIGH),
        (100, Band.HIGH),
        (None, None),
    ],
)
def test_band_boundaries_follow_the_domain_rule(value, expected):
    assert band(value) is expected


def test_band_uses_edited_thresholds():
    thresholds = Thresholds(low=30, high=Decimal("80.5"))
    assert band(29.9, thresholds) is Band.LOW
    assert band(30, thresholds) is Band.PARTLY
    assert band(80.4, thresholds) is Band.PARTLY
    assert band(80.5, thresholds) is Band.HIGH


def test_theme_exactly_on_a_boundary_gets_the_upper_band():
    # (3 x 50 + 2 x 25) / 5 = 40 exactly; (4 x 75 + 1 x 50) / 5 = 70 exactly.
    ms = measure_set([("a", "T", 3), ("b", "T", 2), ("c", "U", 4), ("d", "U", 1)])
    result = score_assessment(
        ms,
        {
            "a": answer(2, 2, 2),
            "b": answer(1, 1, 1),
            "c": answer(3, 3, 3),
            "d": answer(2, 2, 2),
        },
    )
    assert (result.theme("T").realisation, result.theme("T").band) == (40.0, Band.PARTLY)
    assert (result.theme("U").realisation, result.theme("U").band) == (70.0, Band.HIGH)


def test_measure_band_below_threshold_is_low():
    # (1 + 1 + 2) / 12 = 33.3 % is low; (2 + 2 + 1) / 12 = 41.7 % is partly.
    result = score_assessment(ONE, {"m1": answer(1, 1, 2)})
    assert result.measure("m1").band is Band.LOW
    result = score_assessment(ONE, {"m1": answer(2, 2, 1)})
    assert result.measure("m1").band is Band.PARTLY


@pytest.mark.parametrize(
    ("low", "high"),
    [(70, 40), (40, 40), (-1, 50), (40, 101), (True, 70), ("40", 70), (float("nan"), 70)],
)
def test_invalid_thresholds_are_refused(low, high):
    with pytest.raises(ScoringError) as error:
        Thresholds(low=low, high=high)
    assert error.value.codes == ("invalid_thresholds",)


def test_measure_weights_drive_the_theme_mean():
    ms = measure_set([("m1", "T", 3), ("m2", "T", 1)])
    result = score_assessment(ms, {"m1": answer(4, 4, 4), "m2": answer(0, 0, 0)})
    assert result.theme("T").realisation == 75.0
    assert result.measure("m1").share == 0.75


def test_without_theme_weights_the_overall_is_the_weighted_mean_of_all_measures():
    ms = measure_set([("a", "T", 1), ("b", "U", 1), ("c", "U", 1), ("d", "U", 1)])
    result = score_assessment(
        ms,
        {
            "a": answer(4, 4, 4),
            "b": answer(0, 0, 0),
            "c": answer(0, 0, 0),
            "d": answer(0, 0, 0),
        },
    )
    assert result.overall == 25.0
    assert [m.share for m in result.measures] == [0.25, 0.25, 0.25, 0.25]


def test_theme_weights_drive_the_overall_when_editors_set_them():
    ms = measure_set(
        [("a", "T", 1), ("b", "U", 1), ("c", "U", 1), ("d", "U", 1)],
        themes=(ThemeSpec("T", 1), ThemeSpec("U", 1)),
    )
    result = score_assessment(
        ms,
        {
            "a": answer(4, 4, 4),
            "b": answer(0, 0, 0),
            "c": answer(0, 0, 0),
            "d": answer(0, 0, 0),
        },
    )
    assert result.overall == 50.0
    assert result.measure("a").share == 0.5
    assert result.measure("b").share == pytest.approx(1 / 6)
    assert sum(m.share for m in result.measures) == pytest.approx(1)


def test_mixing_weighted_and_unweighted_themes_is_refused():
    with pytest.raises(ScoringError) as error:
        measure_set([("a", "T", 1), ("b", "U", 1)], themes=(ThemeSpec("T", 2), ThemeSpec("U")))
    assert error.value.codes == ("theme_weights_mixed",)


@pytest.mark.parametrize("weight", [0, -1, 1.5, True, "2", None])
def test_measure_weight_must_be_a_whole_number_of_at_least_one(weight):
    with pytest.raises(ScoringError) as error:
        measure_set([("m1", "T", weight)])
    assert error.value.codes == ("invalid_weight",)


def test_weak_aspect_is_the_lowest_answered_aspect():
    result = score_assessment(ONE, {"m1": answer(3, 4, 1)})
    assert result.measure("m1").weak_aspect is Aspect.EMBEDDING


def test_weak_aspect_tie_goes_to_the_earlier_aspect_in_questionnaire_order():
    assert score_assessment(ONE, {"m1": answer(4, 2, 2)}).measure("m1").weak_aspect is (
        Aspect.REACH
    )
    assert score_assessment(ONE, {"m1": answer(1, 1, 1)}).measure("m1").weak_aspect is (
        Aspect.WHAT_WE_DO
    )


def test_no_weak_aspect_when_every_answered_aspect_is_four():
    assert score_assessment(ONE, {"m1": answer(4, NA, 4)}).measure("m1").weak_aspect is None


def test_not_applicable_aspect_is_never_the_weak_aspect():
    assert score_assessment(ONE, {"m1": answer(NA, 3, 4)}).measure("m1").weak_aspect is (
        Aspect.REACH
    )


SUGGESTED = measure_set(
    [("a", "T", 1), ("b", "T", 2), ("c", "T", 1)],
    suggestions=[
        SuggestionSpec("a-low", "a", "Start with a small pilot.", band=Band.LOW),
        SuggestionSpec("a-high", "a", "Share what works.", band=Band.HIGH),
        SuggestionSpec("a-reach", "a", "Measure reach.", aspect=Aspect.REACH, links=("https://x",)),
        SuggestionSpec("a-emb", "a", "Embed it.", aspect=Aspect.EMBEDDING),
        SuggestionSpec("b-any", "b", "Talk to partners."),
        SuggestionSpec("b-partly-reach", "b", "Reach more.", band=Band.PARTLY, aspect="reach"),
        SuggestionSpec("c-any", "c", "Already perfect."),
    ],
)
SUGGESTED_ANSWERS = {
    "a": answer(2, 0, 1),  # 25 % low, weak reach (0)
    "b": answer(3, 2, 3),  # 66.7 % partly, weak reach (2)
    "c": answer(4, 4, 4),  # 100 %: nothing to gain
}


def test_suggestions_match_band_and_weak_aspect_and_rank_by_weight_times_gap():
    result = score_assessment(SUGGESTED, SUGGESTED_ANSWERS, top=None)
    # Shares: a 1/4, b 2/4, c 1/4.  Gains in points of the overall:
    # b-any 1/2 x (100 - 66.67) = 16.67; a-low 1/4 x 75 = 18.75;
    # a-reach 1/4 x (4 - 0) x 25 / 3 = 8.33; b-partly-reach 1/2 x (4 - 2) x 25 / 3 = 8.33.
    assert [s.id for s in result.suggestions] == ["a-low", "b-any", "a-reach", "b-partly-reach"]
    assert [s.gain for s in result.suggestions] == pytest.approx([18.75, 50 / 3, 25 / 3, 25 / 3])
    assert result.suggestions[2].links == ("https://x",)


def test_equal_gains_keep_the_measure_set_order():
    result = score_assessment(SUGGESTED, SUGGESTED_ANSWERS, top=None)
    tied = [s for s in result.suggestions if s.gain == pytest.approx(25 / 3)]
    assert [s.measure_code for s in tied] == ["a", "b"]
    assert tied[0].gain == tied[1].gain  # exactly equal, not merely close


def test_suggestions_for_another_band_or_aspect_or_a_full_measure_are_left_out():
    ids = {s.id for s in score_assessment(SUGGESTED, SUGGESTED_ANSWERS, top=None).suggestions}
    assert {"a-high", "a-emb", "c-any"}.isdisjoint(ids)


def test_top_limits_the_number_of_suggestions():
    result = score_assessment(SUGGESTED, SUGGESTED_ANSWERS, top=2)
    assert [s.id for s in result.suggestions] == ["a-low", "b-any"]
    assert score_assessment(SUGGESTED, SUGGESTED_ANSWERS, top=0).suggestions == ()


@pytest.mark.parametrize("top", [-1, 1.5, "3", True])
def test_invalid_top_is_refused(top):
    with pytest.raises(ScoringError) as error:
        score_assessment(SUGGESTED, SUGGESTED_ANSWERS, top=top)
    assert error.value.codes == ("invalid_top",)


# Bad input: a clear message per problem, every problem at once, and nothing changed.


@pytest.mark.parametrize("value", [5, -1, 2.0, True, "3", None, "weet niet"])
def test_answer_outside_the_scale_is_refused_with_a_clear_message(value):
    answers = {"m1": answer(2, value, 2)}
    with pytest.raises(ScoringError) as error:
        score_assessment(ONE, answers)
    assert error.value.codes == ("invalid_value",)
    assert error.value.problems[0].params == {"measure": "m1", "aspect": "reach", "value": value}
    assert "is not on the scale: use 0 to 4, 'dont_know' or 'not_applicable'" in str(error.value)


def test_measure_of_another_version_is_refused():
    with pytest.raises(ScoringError) as error:
        score_assessment(ONE, {"m1": answer(1, 1, 1), "old-m9": answer(1, 1, 1)})
    assert error.value.codes == ("unknown_measure",)
    assert str(error.value) == "Measure old-m9 is not part of measure set version 2026-1."


def test_answers_given_on_another_version_are_refused():
    with pytest.raises(ScoringError) as error:
        score_assessment(ONE, {"m1": answer(1, 1, 1)}, version="2025-2")
    assert error.value.codes == ("wrong_version",)


def test_unknown_aspect_is_refused():
    with pytest.raises(ScoringError) as error:
        score_assessment(ONE, {"m1": {**answer(1, 1, 1), "budget": 2}})
    assert error.value.codes == ("unknown_aspect",)
    assert error.value.problems[0].params == {"measure": "m1", "aspect": "budget"}


def test_missing_answers_are_refused_per_aspect():
    ms = measure_set([("m1", "T", 1), ("m2", "T", 1)])
    with pytest.raises(ScoringError) as error:
        score_assessment(ms, {"m1": {"what_we_do": 2, "reach": 2}})
    assert [(p.code, p.params["measure"], p.params["aspect"]) for p in error.value.problems] == [
        ("missing_answer", "m1", "embedding"),
        ("missing_answer", "m2", "what_we_do"),
        ("missing_answer", "m2", "reach"),
        ("missing_answer", "m2", "embedding"),
    ]


def test_every_problem_is_reported_at_once():
    with pytest.raises(ScoringError) as error:
        score_assessment(ONE, {"m1": {"what_we_do": 9, "reach": 1, "cost": 1}, "x": {}})
    assert set(error.value.codes) == {
        "unknown_measure",
        "invalid_value",
        "unknown_aspect",
        "missing_answer",
    }
    # An invalid answer is reported once, not a second time as missing.
    assert error.value.codes.count("missing_answer") == 1


@pytest.mark.parametrize("answers", [None, [("m1", 1)], {"m1": [1, 2, 3]}])
def test_answers_of_the_wrong_shape_are_refused(answers):
    with pytest.raises(ScoringError) as error:
        score_assessment(ONE, answers)
    assert error.value.codes == ("invalid_answers",)


def test_bad_input_leaves_the_callers_answers_unchanged():
    answers = {"m1": answer(2, 7, 2), "x": answer(1, 1, 1)}
    before = copy.deepcopy(answers)
    with pytest.raises(ScoringError):
        score_assessment(ONE, answers)
    assert answers == before


def test_validate_answers_returns_the_answers_normalised():
    clean = validate_answers(ONE, {"m1": {"embedding": "dont_know", "what_we_do": 3, "reach": NA}})
    assert clean == {"m1": {Aspect.EMBEDDING: DONT_KNOW, Aspect.WHAT_WE_DO: 3, Aspect.REACH: NA}}
    assert clean["m1"][Aspect.EMBEDDING] is DONT_KNOW


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (lambda: measure_set([]), "empty_measure_set"),
        (lambda: measure_set([("a", "T", 1), ("a", "T", 1)]), "duplicate_measure"),
        (lambda: measure_set([("a", "T", 1)], themes=(ThemeSpec("U"),)), "unknown_theme"),
        (
            lambda: measure_set([("a", "T", 1)], themes=(ThemeSpec("T"), ThemeSpec("T"))),
            "duplicate_theme",
        ),
        (
            lambda: measure_set([("a", "T", 1)], suggestions=[SuggestionSpec(1, "zz", "x")]),
            "suggestion_unknown_measure",
        ),
        (
            lambda: measure_set([("a", "T", 1)], suggestions=[SuggestionSpec(1, "a", "x", "v")]),
            "invalid_band",
        ),
        (
            lambda: measure_set(
                [("a", "T", 1)], suggestions=[SuggestionSpec(1, "a", "x", aspect="cost")]
            ),
            "invalid_aspect",
        ),
        (
            lambda: measure_set(
                [("a", "T", 1)],
                suggestions=[SuggestionSpec(1, "a", "x"), SuggestionSpec(1, "a", "y")],
            ),
            "duplicate_suggestion",
        ),
        (
            lambda: measure_set([("a", "T", 1)], suggestions=[SuggestionSpec(1, "a", None)]),
            "invalid_suggestion",
        ),
        (lambda: measure_set([("a", "T", 1)], version=""), "invalid_version"),
        (lambda: measure_set([("", "T", 1)]), "invalid_code"),
    ],
)
def test_a_broken_measure_set_is_refused_when_it_is_built(build, code):
    with pytest.raises(ScoringError) as error:
        build()
    assert code in error.value.codes
    assert all(p.message for p in error.value.problems)


# Frozen results


def test_frozen_snapshot_recomputes_identically_after_a_json_round_trip():
    snapshot = json.loads(json.dumps(freeze(SUGGESTED, SUGGESTED_ANSWERS)))
    assert snapshot["scoring_version"] == SCORING_VERSION
    assert snapshot["measure_set"]["version"] == "2026-1"
    assert recompute(snapshot) == stored_result(snapshot)
    assert recompute(snapshot) == score_assessment(SUGGESTED, SUGGESTED_ANSWERS)


def test_frozen_snapshot_survives_editors_changing_the_measure_set():
    snapshot = json.loads(json.dumps(freeze(SUGGESTED, SUGGESTED_ANSWERS)))
    # Editors publish a new version: measure a weighs more, c is dropped, new suggestions.
    edited = measure_set(
        [("a", "T", 9), ("b", "T", 2)],
        suggestions=[SuggestionSpec("b-new", "b", "New advice.")],
        version="2027-1",
    )
    now = score_assessment(edited, {k: SUGGESTED_ANSWERS[k] for k in ("a", "b")})
    assert now.overall != stored_result(snapshot).overall
    again = recompute(snapshot)
    assert again == stored_result(snapshot)
    assert again.measure_set_version == "2026-1"
    assert [m.code for m in again.measures] == ["a", "b", "c"]
    assert again.overall == pytest.approx((25 + 2 * 200 / 3 + 100) / 4)


def test_snapshot_scored_under_other_rules_is_not_silently_recomputed():
    snapshot = json.loads(json.dumps(freeze(ONE, {"m1": answer(1, 2, 3)})))
    snapshot["scoring_version"] = "2025.9"
    with pytest.raises(ScoringError) as error:
        recompute(snapshot)
    assert error.value.codes == ("scoring_version_mismatch",)
    assert stored_result(snapshot).overall == 50.0  # the stored result stays readable


def test_damaged_snapshot_gives_a_clear_error():
    snapshot = freeze(ONE, {"m1": answer(1, 2, 3)})
    del snapshot["measure_set"]
    with pytest.raises(ScoringError) as error:
        recompute(snapshot)
    assert error.value.codes == ("invalid_snapshot",)


def test_snapshot_keeps_decimal_thresholds_exact():
    thresholds = Thresholds(low=Decimal("37.5"), high=Decimal("72.5"))
    snapshot = json.loads(json.dumps(freeze(ONE, {"m1": answer(1, 2, 3)}, thresholds)))
    assert recompute(snapshot).thresholds == thresholds


# Versions


def test_compare_results_matches_measures_by_code_across_versions():
    old_set = measure_set([("a", "T", 1), ("b", "T", 1), ("gone", "U", 1)], version="2025-1")
    new_set = measure_set([("b", "T", 1), ("a", "T", 1), ("new", "U", 1)], version="2026-1")
    old = score_assessment(
        old_set, {"a": answer(1, 1, 1), "b": answer(2, 2, 2), "gone": answer(4, 4, 4)}
    )
    new = score_assessment(
        new_set, {"a": answer(3, 3, 3), "b": answer(2, 2, NA), "new": answer(0, 0, 0)}
    )
    comparison = compare_results(old, new)
    assert (comparison.old_version, comparison.new_version) == ("2025-1", "2026-1")
    assert not comparison.same_version
    assert [(c.code, c.old, c.new, c.change) for c in comparison.carried_over] == [
        ("b", 50.0, 50.0, 0.0),
        ("a", 25.0, 75.0, 50.0),
    ]
    assert comparison.carried_over[1].old_band is Band.LOW
    assert comparison.carried_over[1].new_band is Band.HIGH
    assert comparison.added == ("new",)
    assert comparison.removed == ("gone",)
    assert [t.code for t in comparison.themes] == ["T", "U"]
    assert comparison.overall.change == pytest.approx(new.overall - old.overall)


def test_compare_results_has_no_change_when_a_measure_became_not_applicable():
    old = score_assessment(ONE, {"m1": answer(1, 1, 1)})
    new = score_assessment(ONE, {"m1": answer(NA, NA, NA)})
    comparison = compare_results(old, new)
    assert comparison.same_version
    assert comparison.carried_over[0].change is None
    assert comparison.overall.change is None


def test_snapshot_with_unreadable_thresholds_gives_a_clear_error():
    snapshot = json.loads(json.dumps(freeze(ONE, {"m1": answer(1, 2, 3)})))
    snapshot["thresholds"]["low"] = "forty"
    with pytest.raises(ScoringError) as error:
        recompute(snapshot)
    assert error.value.codes == ("invalid_snapshot",)


def test_suggestion_band_and_aspect_given_as_text_become_the_enums():
    suggestion = SuggestionSpec(1, "m1", "Advice.", band="low", aspect="reach", links=["https://x"])
    assert suggestion.band is Band.LOW
    assert suggestion.aspect is Aspect.REACH
    assert suggestion.links == ("https://x",)


def test_measure_set_round_trips_through_its_dict_form():
    assert MeasureSetSpec.from_dict(json.loads(json.dumps(SUGGESTED.to_dict()))) == SUGGESTED


def test_the_engine_imports_no_django():
    code = (
        "import sys, questionnaire.scoring; print(any(m.startswith('django') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
