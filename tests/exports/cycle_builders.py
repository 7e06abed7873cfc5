"""A rich annual cycle for the export tests: every part, links, unicode, decimals, empties."""

from datetime import date
from decimal import Decimal

from cms.family_profiles import FamilyProfileSet
from compass import services
from compass.models import Answer, TheoryOfChange
from questionnaire import assessment as self_assessment
from tests.factories import (
    AmbitionFactory,
    HelpProvisionFactory,
    ImprovementActionFactory,
    IndicatorFactory,
    OfferingFactory,
    OutcomeMeasurementFactory,
    PurchasingCheckFactory,
    QualityCheckFactory,
    ResultFactory,
    ResultValueFactory,
    SituationFigureFactory,
    SituationReadingFactory,
    StepProgressFactory,
    TargetGroupFactory,
    profile_set,
)
from tests.questionnaire.assessment_helpers import ASPECTS, make_measure_set

UNICODE = "Ééntje “veilig” thuis – ñ, ß, 🚸"
HOSTILE = '=HYPERLINK("http://evil")'


def indicator():
    return IndicatorFactory()


def rich_cycle(municipality, year=2026, user=None, measure_set=None, offerings=3):
    """Build a cycle with every part filled (and some optionals left empty)."""
    cycle = services.start_cycle(municipality, year, user)
    cycle.status = "active"
    cycle.save()
    ind = indicator()
    StepProgressFactory(cycle=cycle, step="situatie", status="done")
    StepProgressFactory(cycle=cycle, step="aanbod", status="in_progress")
    SituationFigureFactory(
        cycle=cycle,
        indicator=ind,
        label="Meldingen per 1.000 kinderen",
        period="2025 H1",
        value=Decimal("4.15"),
        source="CBS",
        provisional=True,
    )
    SituationFigureFactory(
        cycle=cycle, label=HOSTILE, period="2025", value=Decimal("0.50"), source=UNICODE
    )
    SituationReadingFactory(
        cycle=cycle,
        recognise="Ja, herkenbaar.\nTweede regel.",
        explain=UNICODE,
        appraise="",
        risk_factor_codes=["psychiatric", "partner_violence"],
        protective_factor_codes=["important_adults"],
        balance="risk",
        regional_vision_url="https://www.example.nl/regiovisie",
        regional_vision=UNICODE,
    )
    first = AmbitionFactory(
        cycle=cycle, kind="reduce", text="Ieder kind groeit veilig op", risk_factors=UNICODE
    )
    second = AmbitionFactory(cycle=cycle, kind="strengthen", text="+Sterke ouders")
    r1 = ResultFactory(
        cycle=cycle,
        ambition=first,
        type="substantive",
        text="Minder kinderen ervaren geweld thuis",
        indicator=ind,
        baseline_value=Decimal("12.34"),
        baseline_year=2024,
        target_value=Decimal("9.10"),
        # Far enough ahead that the tests may import it as a later year (a target year lies
        # between the cycle year and ten years later: the models' rule since issue 16).
        target_year=2036,
        unit="%",
        direction="lower",
    )
    r2 = ResultFactory(cycle=cycle, ambition=second, type="process", text="@Proces")
    r3 = ResultFactory(cycle=cycle, ambition=first, type="precondition", text="Randvoorwaarde")
    ResultValueFactory(cycle=cycle, result=r1, year=2025, value=Decimal("11.00"))
    ResultValueFactory(cycle=cycle, result=r1, year=2026, value=Decimal("10.05"))
    g1 = TargetGroupFactory(
        cycle=cycle,
        name="Ouders met partnergeweld",
        risk_factor_codes=["conflicts", "partner_violence"],
        protective_factor_codes=["social_bonding", "important_adults"],
        balance="even",
        risk_factors="Stress",
        estimated_size=120,
    )
    g2 = TargetGroupFactory(cycle=cycle, name=UNICODE)
    made = []
    for n in range(offerings):
        offering = OfferingFactory(
            cycle=cycle,
            name=f"Aanbod {n + 1}" if n else "-Huisbezoek",
            kind=["prevention", "help", "aftercare"][n % 3],
            provider="GGD" if n % 2 else "",
            evidence_level=["sterke_aanwijzingen", "", "goed_beschreven"][n % 3],
            databank=["jeugd", "", "sociaal"][n % 3],
            databank_url="https://www.nji.nl/interventies/x" if n % 3 == 0 else "",
            valid_until=date(2028, 12, 31) if n % 3 == 0 else None,
            capacity=40 + n if n % 2 == 0 else None,
        )
        if n % 3 == 0:
            offering.target_groups.set([g2, g1])
            offering.results.set([r1, r3])
        elif n % 3 == 1:
            offering.results.set([r2])
        made.append(offering)
    QualityCheckFactory(
        cycle=cycle,
        offering=made[0],
        well_founded="yes",
        trained="partly",
        registered="no",
        supervised="unknown",
        guidelines="yes",
        notes=UNICODE,
    )
    OutcomeMeasurementFactory(
        cycle=cycle,
        offering=made[0],
        reach=80,
        dropout=Decimal("12.5"),
        usefulness=Decimal("87.0"),
        goal_realisation=None,
        respondents=40,
        method="Vragenlijst",
        violence_stopped=Decimal("62.5"),
        feels_safe=None,
        story="Het verhaal.",
    )
    TheoryOfChange.objects.create(cycle=cycle, story="Als ouders steun krijgen,\n" + UNICODE)
    OutcomeMeasurementFactory(cycle=cycle, offering=made[-1])
    if not FamilyProfileSet.objects.filter(code="rijke-set").exists():
        profile_set(
            [
                ("Licht", "60", [("opvoedsteun", ["goed_onderbouwd"])]),
                ("Zwaar", "40", [("opvoedsteun", []), ("schuldhulp", [])]),
            ],
            code="rijke-set",
        )
    PurchasingCheckFactory(
        cycle=cycle, profile_set="rijke-set", expected_families=250, families_source=UNICODE
    )
    HelpProvisionFactory(cycle=cycle, offering=made[0], help_kind="opvoedsteun", capacity=None)
    HelpProvisionFactory(cycle=cycle, offering=made[-1], help_kind="schuldhulp", capacity=12)
    ImprovementActionFactory(
        cycle=cycle,
        what="Training meldcode",
        who="GGD",
        due=date(2026, 9, 1),
        decision="strengthen",
        result=r1,
        offering=made[0],
    )
    ImprovementActionFactory(
        cycle=cycle,
        what=HOSTILE,
        who=UNICODE,
        due=date(2027, 1, 15),
        decision="stop",
        status="done",
    )
    measure_set = measure_set or make_measure_set()
    assessment = self_assessment.start(cycle, measure_set)
    Answer.objects.bulk_create(
        Answer(
            assessment=assessment,
            measure_code=code,
            aspect=aspect,
            value=value,
            note=UNICODE if (code, aspect) == ("m1", "reach") else "",
        )
        for code, value in (("m1", "2"), ("m2", "dont_know"), ("m3", "4"))
        for aspect in ASPECTS
    )
    view = self_assessment.load_measure_set(measure_set)
    assessment = self_assessment.submit(assessment, view, user)
    second_version = self_assessment.reopen(assessment, user)
    Answer.objects.filter(assessment=second_version, measure_code="m3").update(value="")
    return cycle
