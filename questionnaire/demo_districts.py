"""Demo district cycles (issue 22), on the districts compass.demo_districts loads.

Here and not in compass: the district's CBS figures are taken over with the situation step's own
service (questionnaire.situation.cbs_takeover), as the demo's municipal figures are.
"""

from compass.demo_districts import DISTRICT_INDICATOR

# --- District cycles of the demo (issue 22) ---------------------------------------------------
# Three of Utrecht's districts run a district cycle of the demo year beside the municipal one:
# each takes its own CBS figure (distance to a day nursery, the real 2023 file above) and holds
# the children 0-14 CBS counted there (kwb 2023) as a figure, a target group and an offering.
# The texts are examples of what a district team writes; the figures are CBS's. The same
# offering in two districts shows the roll-up counting it once. wim (editor) is limited to
# Overvecht: the demo user of a district team.
DEMO_DISTRICT_CYCLES = {
    "WK034403": (
        "Gezinnen in Overvecht met spanningen door schulden en huisvesting",
        "geldzorgen, krappe woning",
        900,
    ),
    "WK034408": (
        "Jonge ouders in Kanaleneiland en Transwijk",
        "eerste kind, weinig netwerk",
        600,
    ),
    "WK034409": ("Nieuwe gezinnen in Leidsche Rijn", "verhuisd, weinig netwerk", 1100),
}
DEMO_DISTRICT_OFFERING = (
    "Aandachtsfunctionarissen huiselijk geweld en kindermishandeling in de buurtteams",
    "Buurtteams Utrecht",
)
DEMO_DISTRICT_MEMBER = ("wim", "WK034403", "editor")
KWB_SOURCE = "CBS, Kerncijfers wijken en buurten 2023 (85618NED)"


def setup_district_cycles(code: str = "GM0344") -> int:
    """Start the demo's district cycles once and fill them; returns how many were started.

    A rerun starts nothing and leaves what demo users typed. Needs the municipal demo cycle
    (compass.demo.setup_cycles) and the districts (setup_districts).
    """
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from compass import access
    from compass.demo import DEMO_CYCLE_YEAR
    from compass.district_cycles import start_district_cycle
    from compass.models import (
        CbsObservation,
        Cycle,
        District,
        Membership,
        Offering,
        SituationFigure,
        Step,
        StepProgress,
        TargetGroup,
    )
    from questionnaire.situation.cbs_takeover import take_over

    users = get_user_model().objects
    alice = users.filter(username="alice").first()
    parent = Cycle.objects.municipal().filter(municipality__code=code, year=DEMO_CYCLE_YEAR).first()
    if parent is None:
        return 0
    districts = {d.code: d for d in District.objects.filter(code__in=DEMO_DISTRICT_CYCLES)}
    started = 0
    for district_code, (group, characteristics, size) in DEMO_DISTRICT_CYCLES.items():
        district = districts.get(district_code)
        if district is None or Cycle.objects.filter(district=district, year=parent.year).exists():
            continue
        cycle = start_district_cycle(district, parent.year, alice)
        started += 1
        observations = CbsObservation.objects.filter(
            region_code=district.code, indicator__code=DISTRICT_INDICATOR["code"], suppressed=False
        )
        take_over(cycle, alice, observations.values_list("pk", flat=True))
        if district.youth_population is not None:
            SituationFigure.objects.create(
                cycle=cycle,
                label="Kinderen van 0 tot 15 jaar",
                period="2023",
                value=district.youth_population,
                source=KWB_SOURCE,
            )
        target_group = TargetGroup.objects.create(
            cycle=cycle, name=group, risk_factors=characteristics, estimated_size=size
        )
        name, provider = DEMO_DISTRICT_OFFERING
        offering = Offering.objects.create(
            cycle=cycle,
            name=name,
            kind="signalling",
            provider=provider,
            evidence_level="niet_van_toepassing",
            capacity=8,
        )
        offering.target_groups.add(target_group)
        offering.results.add(*cycle.results.order_by("pk")[:1])
        for step in (Step.SITUATION, Step.TARGET_GROUPS, Step.OFFERING):
            StepProgress.objects.update_or_create(
                cycle=cycle,
                step=step,
                defaults={
                    "status": StepProgress.Status.DONE,
                    "saved_at": timezone.now(),
                    "saved_by": alice,
                },
            )
    username, district_code, role = DEMO_DISTRICT_MEMBER
    user, district = users.filter(username=username).first(), districts.get(district_code)
    if user is not None and district is not None:
        membership = Membership.objects.filter(user=user, municipality=parent.municipality).first()
        if membership is None:
            access.grant(user, parent.municipality, role, district=district)
        elif membership.district_id != district.pk:
            access.limit_to_district(membership, district)
    return started
