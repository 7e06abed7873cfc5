"""Districts of Utrecht with their cycles beside the municipal cycle 2026, for the tests of the
district report, its annex and the district exports (issue 22, item 5)."""

from decimal import Decimal

from cms.snippets import PrevalenceRate
from compass import access, services
from compass.district_cycles import start_district_cycle
from compass.models import District, ImprovementAction
from tests.factories import (
    AmbitionFactory,
    ImprovementActionFactory,
    OfferingFactory,
    OutcomeMeasurementFactory,
    ResultFactory,
    SituationFigureFactory,
    TargetGroupFactory,
    UserFactory,
)

YEAR = 2026
# The figure of each named district: a value no other row of the test holds.
DISTRICTS = {
    "WK034406": ("Overvecht", Decimal("17.25"), "17,25"),
    "WK034401": ("Binnenstad", Decimal("23.75"), "23,75"),
}
MUNICIPAL_FIGURE = ("Meldingen hele gemeente", Decimal("98.50"), "98,5")


def municipal_cycle(municipality, user):
    """Utrecht 2026 with a figure, an ambition and a result, a youth population and a rate (so
    the municipal report has a prevalence estimate that a district's must not borrow)."""
    municipality.youth_population = 62_000
    municipality.save(update_fields=["youth_population"])
    PrevalenceRate.objects.create(
        label="Kindermishandeling (test)",
        low_rate=Decimal("30"),
        high_rate=Decimal("42.5"),
        source="CBS Impactmonitor (test)",
        year=2017,
    )
    cycle = services.start_cycle(municipality, YEAR, user)
    SituationFigureFactory(cycle=cycle, label=MUNICIPAL_FIGURE[0], value=MUNICIPAL_FIGURE[1])
    ambition = AmbitionFactory(cycle=cycle, text="Minder kindermishandeling in de stad")
    ResultFactory(cycle=cycle, ambition=ambition, text="Minder meldingen van huiselijk geweld")
    return cycle


def district_cycle(municipal, code, name, figure=Decimal("5.00"), user=None):
    """A district with its cycle of YEAR and one row of every part the annex shows (and one
    improvement action that is done, which the annex leaves out)."""
    district = District.objects.create(
        municipality=municipal.municipality,
        code=code,
        name=name,
        population=35_000,
        youth_population=6_100,
    )
    cycle = start_district_cycle(district, YEAR, user)
    SituationFigureFactory(cycle=cycle, label=f"Meldingen {name}", value=figure)
    group = TargetGroupFactory(cycle=cycle, name=f"Gezinnen in {name}", estimated_size=140)
    offering = OfferingFactory(
        cycle=cycle,
        name=f"Buurtteam {name}",
        provider="Buurtteams Utrecht",
        evidence_level="eerste_aanwijzingen",
        databank="jeugd",
        target_groups=[group],
    )
    OutcomeMeasurementFactory(offering=offering, reach=40)
    ImprovementActionFactory(cycle=cycle, what=f"Open actie {name}")
    ImprovementActionFactory(
        cycle=cycle, what=f"Afgeronde actie {name}", status=ImprovementAction.Status.DONE
    )
    return cycle


def named_districts(municipal):
    return {
        code: district_cycle(municipal, code, name, figure)
        for code, (name, figure, _shown) in DISTRICTS.items()
    }


def more_districts(municipal, count, start=10):
    """`count` further districts (WK0344<nn>), each with its rows."""
    return [
        district_cycle(municipal, f"WK0344{n:02d}", f"Wijk {n}")
        for n in range(start, start + count)
    ]


def district_member(municipality, district_code, role, username):
    """A member limited to one district (compass.access)."""
    user = UserFactory(username=username)
    district = District.objects.get(code=district_code)
    access.grant(user, municipality, role, district=district)
    return user
