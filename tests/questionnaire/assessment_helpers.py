"""Build published measure sets, cycles and answer forms for the self-assessment tests."""

from decimal import Decimal

from cms.choices import Aspect, Band
from cms.snippets import Measure, MeasureSet, Suggestion, Theme
from compass.models import Cycle
from tests.factories import CycleFactory

ASPECTS = ("what_we_do", "reach", "embedding")


def make_measure_set(
    measures_per_theme=(2, 1), version=1, name="Testset", codes=None, weights=None
) -> MeasureSet:
    """A live set with themes t1, t2, ... and measures m1, m2, ... (or the given codes)."""
    measure_set = MeasureSet(name=name, version=version)
    measure_set.themes = [
        Theme(code=f"t{i + 1}", title=f"Thema {i + 1}", weight=Decimal("1"), sort_order=i)
        for i in range(len(measures_per_theme))
    ]
    measure_set.save()
    measure_set.save_revision().publish()
    codes = iter(codes or [f"m{i + 1}" for i in range(sum(measures_per_theme))])
    weights = weights or {}
    for i, count in enumerate(measures_per_theme):
        theme = measure_set.themes.get(code=f"t{i + 1}")
        for order in range(count):
            code = next(codes)
            measure = Measure(
                theme=theme,
                code=code,
                title=f"Maatregel {code}",
                explanation=f"Uitleg bij {code}.",
                weight=Decimal(weights.get(code, "1")),
                sort_order=order,
                question_what_we_do=f"Wat doen we aan {code}?",
                question_reach=f"Wie bereiken we met {code}?",
                question_embedding=f"Hoe is {code} geborgd?",
            )
            links = [
                {
                    "type": "link",
                    "value": {"title": f"Dossier {code}", "url": "https://www.nji.nl/"},
                }
            ]
            measure.suggestions = [
                Suggestion(band=Band.LOW, text=f"Begin met {code}.", links=links),
                Suggestion(
                    weak_aspect=Aspect.REACH, text=f"Vergroot het bereik van {code}.", links=links
                ),
            ]
            measure.save()
    return measure_set


def make_cycle(municipality, year=2026, previous=None) -> Cycle:
    return CycleFactory(
        municipality=municipality,
        year=year,
        status="draft",
        policy_start_year=2025,
        policy_end_year=2028,
        previous=previous,
    )


def form_data(measure_set, values=None, default="", notes=None, versions=None, token=None):
    """POST data for the answer page: values {(code, aspect): value}, default for the rest."""
    values = values or {}
    notes = notes or {}
    versions = versions or {}
    data = {"measure_set": token or f"{measure_set.pk}:{measure_set.version}", "action": "save"}
    for measure in Measure.objects.filter(theme__measure_set=measure_set):
        for aspect in ASPECTS:
            key = f"{measure.code}.{aspect}"
            value = values.get((measure.code, aspect), default)
            if value != "":
                data[f"{key}.value"] = value
            data[f"{key}.note"] = notes.get((measure.code, aspect), "")
            data[f"{key}.version"] = versions.get((measure.code, aspect), 0)
            data[f"{key}.orig"] = ""
            data[f"{key}.orignote"] = ""
    return data
