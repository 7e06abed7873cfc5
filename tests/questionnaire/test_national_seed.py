"""seed_national (issue 18, item 1): deterministic, marked as generated, refuses a second run."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from compass.demodata import DEMO_MARKER, is_demo_installation
from compass.models import (
    Ambition,
    CbsObservation,
    Cycle,
    ImprovementAction,
    Offering,
    OutcomeMeasurement,
    QualityCheck,
    Result,
    ResultValue,
    SelfAssessment,
    SituationFigure,
    TargetGroup,
)
from questionnaire import national_seed
from questionnaire.benchmarking import GENERATED_KEY
from tests.factories import IndicatorFactory
from tests.questionnaire.assessment_helpers import make_measure_set

pytestmark = pytest.mark.django_db

SMALL = {"municipalities": 6, "years": 2, "last_year": 2026}


@pytest.fixture
def content():
    make_measure_set()
    IndicatorFactory(code="vt-meldingen", cbs_table_id="84849NED")


def digest(with_snapshots=True) -> list:
    """Every generated row by natural keys (no pks, no timestamps)."""
    rows = []
    for cycle in Cycle.objects.select_related("municipality", "previous").order_by(
        "municipality__code", "year"
    ):
        key = (
            cycle.municipality.code,
            cycle.year,
            cycle.status,
            getattr(cycle.previous, "year", 0),
        )
        rows.append(key)
        for model, fields in [
            (SituationFigure, ("label", "period", "value", "source")),
            (Ambition, ("kind", "text", "risk_factors")),
            (Result, ("type", "text", "target_value", "direction")),
            (ResultValue, ("year", "value")),
            (TargetGroup, ("name", "estimated_size")),
            (Offering, ("name", "kind", "provider", "evidence_level", "capacity")),
            (QualityCheck, ("well_founded", "notes")),
            (OutcomeMeasurement, ("reach", "story")),
            (ImprovementAction, ("what", "due", "status", "decision")),
        ]:
            rows.append(list(model.objects.filter(cycle=cycle).order_by("pk").values_list(*fields)))
        rows.append(
            sorted(
                (o.name, sorted(r.text for r in o.results.all()))
                for o in Offering.objects.filter(cycle=cycle)
            )
        )
        if with_snapshots:
            rows.append(
                [a.snapshot.get("result") for a in SelfAssessment.objects.filter(cycle=cycle)]
            )
    rows.append(
        list(
            CbsObservation.objects.order_by("region_code", "period").values_list(
                "region_code", "period", "value"
            )
        )
    )
    rows.append(sorted(get_user_model().objects.values_list("username", "last_name")))
    return rows


def wipe():
    Cycle.objects.all().delete()
    CbsObservation.objects.all().delete()
    get_user_model().objects.filter(username__startswith="gen-").delete()


def test_same_seed_gives_the_same_data_and_another_seed_other_data(content):
    national_seed.seed(seed=1, **SMALL)
    first = digest()
    assert len(first) > 20 and Offering.objects.count() > 20
    wipe()
    national_seed.seed(seed=1, **SMALL)
    assert digest() == first
    wipe()
    national_seed.seed(seed=2, **SMALL)
    assert digest() != first


def test_every_generated_thing_is_marked(content):
    national_seed.seed(seed=1, **SMALL)
    assert is_demo_installation()  # the demo notice on every page
    assert SituationFigure.objects.exists()
    assert all(DEMO_MARKER in s for s in SituationFigure.objects.values_list("source", flat=True))
    assert CbsObservation.objects.exists()
    assert all(DEMO_MARKER in s for s in CbsObservation.objects.values_list("source", flat=True))
    assessments = list(SelfAssessment.objects.all())
    assert assessments and all(a.snapshot.get(GENERATED_KEY) is True for a in assessments)
    assert all(
        t.startswith(national_seed.TEXT_MARK)
        for t in Ambition.objects.values_list("text", flat=True)
    )
    users = get_user_model().objects.filter(username__startswith="gen-")
    assert users.count() == 6 * 3
    assert all("(gegenereerd)" in u.last_name for u in users)


def test_a_second_run_is_refused_clearly(content):
    call_command("seed_national", "--municipalities", "3", "--years", "1", "--seed", "1")
    before = Cycle.objects.count()
    with pytest.raises(CommandError, match="already holds generated data"):
        call_command("seed_national", "--municipalities", "3", "--years", "1", "--seed", "1")
    assert Cycle.objects.count() == before


def test_the_biggest_municipalities_get_the_big_cycle_of_the_targets(content):
    national_seed.seed(seed=1, municipalities=107, years=1, last_year=2026)
    amsterdam = Cycle.objects.municipal().get(municipality__code="GM0363", year=2026)
    assert amsterdam.ambitions.count() == national_seed.BIG_AMBITIONS
    assert amsterdam.offerings.count() == national_seed.BIG_OFFERINGS
    assert Cycle.objects.filter(year=2026).count() == 107
    # the generated users can log in with the given password only when one is given
    user = get_user_model().objects.get(username="gen-gm0363-editor")
    assert not user.has_usable_password()
