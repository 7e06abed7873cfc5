"""The self-assessment results show percentages rounded half up, and a change that the reader
can compute from the two shown values (issue 13: 12,5% showed as 12% while the change read -4)."""

from types import SimpleNamespace

import pytest
from django.utils import translation

from questionnaire.views import self_assessment as view


def _part(old, new, code="t1"):
    return SimpleNamespace(
        code=code, old=old, new=new, old_band=None, new_band=None, change=new - old
    )


@pytest.fixture
def comparison(monkeypatch):
    overall = _part(12.5, 8.6)
    compared = SimpleNamespace(
        same_version=True,
        old_version="1",
        overall=overall,
        themes=[_part(40.4, 40.6)],
        carried_over=[],
        added=[],
        removed=[],
    )
    titles = SimpleNamespace(
        readable=True,
        result=None,
        theme_title=lambda code: code,
        measure_title=lambda code, default: default,
    )
    monkeypatch.setattr(view, "read_result", lambda previous: titles)
    monkeypatch.setattr(view.scoring, "compare_results", lambda old, new: compared)
    previous = SimpleNamespace(cycle=None, snapshot={"labels": {}})
    with translation.override("nl"):
        yield view._comparison(None, titles, previous)


def test_percentages_round_half_up_and_the_change_follows_the_shown_values(comparison):
    overall = comparison["overall"]
    assert (overall["old"], overall["new"], overall["change"]) == ("13%", "9%", "\u22124")
    # 40,4% and 40,6% show as 40% and 41%: the change reads +1, not 0.
    (theme,) = comparison["themes"]
    assert (theme["old"], theme["new"], theme["change"]) == ("40%", "41%", "+1")
