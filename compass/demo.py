"""Demo data for `manage.py setup_demo`: each step is idempotent and safe to rerun."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from cms.models import HomePage

DEMO_PASSWORD = "kompas-demo"  # noqa: S105 - documented demo password, see README
ADMIN_PASSWORD = "kompas-admin"  # noqa: S105 - documented demo password, see README
CONTENT_EDITORS_GROUP = "Editors"  # Wagtail's own editors group: Wagtail permissions only

HOME_TITLE = "Kwaliteitskompas kindermishandeling en huiselijk geweld"
HOME_INTRO = (
    "Werk als gemeente stap voor stap aan een aanpak van kindermishandeling en huiselijk "
    "geweld die werkt: van de cijfers over de situatie tot een verbeterplan dat de raad kan lezen."
)
HOME_BODY = (
    "<p>Het Kwaliteitskompas van het Nederlands Jeugdinstituut helpt gemeenten en hun partners "
    "om te sturen op resultaten voor kinderen en gezinnen. Deze site begeleidt beleidsteams door "
    "één jaarcyclus per gemeente:</p>"
    "<ul>"
    "<li>de situatie in beeld brengen met cijfers én signalen uit de praktijk;</li>"
    "<li>ambities en meetbare maatschappelijke resultaten vastleggen, "
    "met een getal en een jaar;</li>"
    "<li>het aanbod, de kwaliteit en de uitkomsten ervan bespreken;</li>"
    "<li>een zelfevaluatie invullen en anoniem vergelijken met andere gemeenten;</li>"
    "<li>een verbeterplan maken en een samenvatting voor de gemeenteraad downloaden.</li>"
    "</ul>"
    "<p>De uitleg en tips op deze site zijn voor iedereen open. Voor het werk aan de jaarcyclus "
    "logt u in met het account dat de coördinator van uw gemeente voor u heeft aangemaakt.</p>"
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    email: str
    description: str
    is_superuser: bool = False
    content_editor: bool = False

    @property
    def password(self) -> str:
        return ADMIN_PASSWORD if self.is_superuser else DEMO_PASSWORD


DEMO_USERS = [
    DemoUser("admin", "Beheer", "Kompas", "admin@example.org", "superuser", is_superuser=True),
    DemoUser("alice", "Alice", "de Vries", "alice@example.org", "coördinator, Utrecht"),
    DemoUser("dave", "Dave", "Jansen", "dave@example.org", "redacteur, Utrecht"),
    DemoUser("bob", "Bob", "Bakker", "bob@example.org", "lezer, Utrecht"),
    DemoUser("carol", "Carol", "Visser", "carol@example.org", "coördinator, Amersfoort"),
    DemoUser(
        "wim", "Wim", "de Wit", "wim@example.org", "redacteur, alleen wijk Overvecht (Utrecht)"
    ),
    DemoUser(
        "erin", "Erin", "Smit", "erin@example.org", "contentredacteur (NJi)", content_editor=True
    ),
]


@transaction.atomic
def setup_site() -> HomePage:
    """Make a Dutch HomePage the root page of the default Wagtail site."""
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    # The placeholder page Wagtail's first migration creates has no place in our tree.
    placeholders = Page.objects.filter(
        depth=2, content_type__model="page", content_type__app_label="wagtailcore"
    )
    if home is not None:
        placeholders = placeholders.exclude(pk=home.pk)
    for placeholder in placeholders:
        Site.objects.filter(root_page=placeholder).update(root_page=root)
        placeholder.delete()
    if home is None:
        home = HomePage(title=HOME_TITLE, slug="home", intro=HOME_INTRO, body=HOME_BODY)
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    site.root_page = home
    site.site_name = "Kwaliteitskompas"
    site.save()
    return home


@transaction.atomic
def setup_users() -> list:
    """Create the demo users with their documented passwords; reset changed passwords."""
    user_model = get_user_model()
    editors = Group.objects.filter(name=CONTENT_EDITORS_GROUP).first()
    users = []
    for demo in DEMO_USERS:
        user, _created = user_model.objects.get_or_create(username=demo.username)
        user.first_name = demo.first_name
        user.last_name = demo.last_name
        user.email = demo.email
        user.is_superuser = demo.is_superuser
        user.is_staff = demo.is_superuser
        user.is_active = True
        user.set_password(demo.password)
        user.save()
        if demo.content_editor and editors is not None:
            user.groups.add(editors)
        users.append(user)
    return users


# --- Municipalities, teams and a sharing agreement (issue 3) ------------------------------
UTRECHT, AMERSFOORT = "GM0344", "GM0307"
DEMO_MEMBERSHIPS = [
    ("alice", UTRECHT, "coordinator"),
    ("dave", UTRECHT, "editor"),
    ("bob", UTRECHT, "reader"),
    ("carol", AMERSFOORT, "coordinator"),
]
DEMO_AGREEMENT = "Regio Utrecht: samen leren van elkaars jaarcyclus"
DEMO_AGREEMENT_REGION = "VT20"  # Veilig Thuis-regio Utrecht
# Utrecht shares with Nieuwegein and Houten; Amersfoort (same region) has not joined, so the
# demo shows a regional partner without an agreement, and carol can join it herself.
DEMO_AGREEMENT_PARTICIPANTS = [UTRECHT, "GM0356", "GM0321"]


@transaction.atomic
def setup_municipalities():
    """Load all municipalities with their regions, give the demo users their teams.

    Returns the number of active and of merged municipalities.
    """
    from compass import access
    from compass.cbs import areas as cbs
    from compass.models import (
        AgreementParticipation,
        Membership,
        Municipality,
        Region,
        SharingAgreement,
    )

    cbs.load_demo_municipalities()
    user_model = get_user_model()
    by_code = {m.code: m for m in Municipality.objects.filter(code__in={UTRECHT, AMERSFOORT})}
    for username, code, role in DEMO_MEMBERSHIPS:
        user = user_model.objects.get(username=username)
        membership, created = Membership.objects.get_or_create(
            user=user, municipality=by_code[code], defaults={"role": role}
        )
        if membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
        access.sync_membership_groups(user, by_code[code])

    region = Region.objects.get(code=DEMO_AGREEMENT_REGION)
    if region.centre_municipality_id is None:  # Utrecht is the region's centrumgemeente
        region.centre_municipality = by_code[UTRECHT]
        region.save(update_fields=["centre_municipality"])
    agreement, _created = SharingAgreement.objects.get_or_create(
        name=DEMO_AGREEMENT,
        defaults={
            "region": region,
            "start_date": date(2025, 1, 1),
            "description": (
                "Gemeenten in de Veilig Thuis-regio Utrecht lezen elkaars jaarcyclus om van "
                "elkaar te leren. Deelnemen en opzeggen kan altijd."
            ),
        },
    )
    participants = set(
        Municipality.objects.filter(code__in=DEMO_AGREEMENT_PARTICIPANTS).values_list(
            "pk", flat=True
        )
    )
    open_rows = agreement.participations.filter(left_at__isnull=True)
    affected = participants | set(open_rows.values_list("municipality_id", flat=True))
    open_rows.exclude(municipality_id__in=participants).update(left_at=timezone.now())
    joined = set(open_rows.values_list("municipality_id", flat=True))
    AgreementParticipation.objects.bulk_create(
        [
            AgreementParticipation(agreement=agreement, municipality_id=pk)
            for pk in participants - joined
        ]
    )
    access.sync_sharing(affected)
    active = Municipality.objects.filter(status=Municipality.Status.ACTIVE).count()
    return active, Municipality.objects.count() - active


DEMO_FIGURES = Path(__file__).resolve().parent / "fixtures" / "cbs" / "veilig_thuis_84849NED_demo"
DEMO_FIGURES_TABLE = "84849NED"
# The twin table per Veilig Thuis region (issue 19 H4), saved in the same folder.
DEMO_REGION_TABLE = "84848NED"


def import_demo_figures():
    """Import the demo Veilig Thuis folder (invented numbers in the real CBS shape) for the
    demo indicators; a rerun changes nothing. Returns the import result."""
    from compass.cbs.importer import import_table

    result = import_table(DEMO_FIGURES_TABLE, DEMO_FIGURES)
    twin = import_table(DEMO_REGION_TABLE, DEMO_FIGURES)
    # One line in setup_demo's report: the twin's Veilig Thuis-region rows count as well.
    result.created += twin.created
    result.updated += twin.updated
    result.unchanged += twin.unchanged
    return result


DEMO_YOUTH = (
    Path(__file__).resolve().parent
    / "fixtures"
    / "cbs"
    / ("Regionale_kerncijfers_Nederland_2019.csv")
)


def setup_youth_population():
    """Give every municipality of the real CBS 2019 file (70072ned) its estimated youth
    population 0-17; leaves a youth population from another source alone. Safe to rerun."""
    from compass.cbs.youth import load_youth_population

    return load_youth_population(DEMO_YOUTH.read_bytes(), only_empty=True)


# --- A filled-in annual cycle for Utrecht (issue 5) -----------------------------------------
# Written for the demo in our own words. The figures are the demo team's own local figures
# (not CBS data), and the source fields say so.
LOCAL_SOURCE = "Eigen registratie gemeente (demo, geen CBS-cijfer)"
DEMO_CYCLE_YEAR = 2026

DEMO_AMBITIONS = [
    (
        "reduce",
        "Ieder kind in Utrecht groeit veilig op, zonder geweld in het gezin",
        "partnergeweld, scheiding met veel conflict, schulden",
        "steun van belangrijke volwassenen, sociale binding",
        [
            (
                "substantive",
                "Minder kinderen ervaren huiselijk geweld",
                "12.0",
                2024,
                "9.0",
                2028,
                "% van de jongeren",
                "lower",
                [(2024, "12.0"), (2025, "11.4")],
            ),
            (
                "process",
                "Meer professionals melden volgens de meldcode",
                "58",
                2024,
                "75",
                2028,
                "%",
                "higher",
                [(2024, "58"), (2025, "63")],
            ),
        ],
    ),
    (
        "strengthen",
        "Ouders krijgen op tijd steun bij opvoeden, zodat spanning niet escaleert",
        "weinig opvoedkennis, psychische problemen van ouders",
        "sociaal-emotionele vaardigheden, steun uit het netwerk",
        [
            (
                "substantive",
                "Meer ouders van jonge kinderen voelen zich gesteund bij opvoeden",
                "64",
                2024,
                "75",
                2028,
                "%",
                "higher",
                [(2024, "64"), (2025, "66")],
            ),
        ],
    ),
]
DEMO_TARGET_GROUPS = [
    ("Ouders die te maken hebben met partnergeweld", "partnergeweld, scheiding", 1400),
    ("Ouders met ernstige psychische of verslavingsproblemen", "psychiatrie, verslaving", 900),
    ("Ouders met een licht verstandelijke beperking", "LVB, weinig netwerk", 600),
]
# The offering names what a policy team would buy or organise (DOMAIN-REVIEW M3): a databank's
# level only for a named intervention that the databank judged, "niet van toepassing" for a
# role, "staat niet in een databank" for local work; Veilig Thuis advises, takes reports and
# hands over to the help, it gives no help itself. Stevig Ouderschap: Databank Effectieve
# Jeugdinterventies, "eerste aanwijzingen voor effectiviteit", recognised 14-09-2017; no
# "valid until" is filled in because no source states it.
# name, kind, provider, evidence level, databank, capacity, target group indexes, result indexes
DEMO_OFFERINGS = [
    (
        "Stevig Ouderschap",
        "prevention",
        "JGZ Utrecht",
        "eerste_aanwijzingen",
        "jeugd",
        250,
        [1],
        [2],
    ),
    (
        "Aandachtsfunctionarissen huiselijk geweld en kindermishandeling in de buurtteams",
        "signalling",
        "Buurtteams Utrecht",
        "niet_van_toepassing",
        "",
        40,
        [0, 1],
        [1],
    ),
    (
        "Systeemgerichte hulp na huiselijk geweld (MDA++)",
        "help",
        "Specialistische jeugdhulp en ambulante hulp huiselijk geweld, na overdracht door "
        "Veilig Thuis",
        "geen_databank",
        "",
        120,
        [0],
        [0],
    ),
    (
        "Nazorg na een melding",
        "aftercare",
        "Buurtteams Utrecht",
        "geen_databank",
        "",
        80,
        [0, 2],
        [0],
    ),
]


@transaction.atomic
def setup_cycles():
    """Create the 2025 and a filled-in 2026 annual cycle of Utrecht once; leave them after.

    Returns the 2026 cycle. Running it again changes nothing, also not what demo users typed.
    """
    from cms.snippets import Indicator
    from compass import services
    from compass.models import (
        Cycle,
        ImprovementAction,
        Municipality,
        OutcomeMeasurement,
        QualityCheck,
        ResultValue,
        SituationFigure,
        SituationReading,
        Step,
        StepProgress,
    )

    municipality = Municipality.objects.get(code=UTRECHT)
    existing = (
        Cycle.objects.municipal().filter(municipality=municipality, year=DEMO_CYCLE_YEAR).first()
    )
    if existing is not None:
        return existing
    alice = get_user_model().objects.filter(username="alice").first()
    previous = (
        Cycle.objects.municipal()
        .filter(municipality=municipality, year=DEMO_CYCLE_YEAR - 1)
        .first()
    )
    if previous is None:
        previous = services.start_cycle(
            municipality, DEMO_CYCLE_YEAR - 1, alice, policy_start_year=2025, policy_end_year=2028
        )
        _fill_plan(previous)
        ImprovementAction.objects.create(
            cycle=previous,
            what="Routekaart huiselijk geweld herzien met alle partners",
            who="Beleidsadviseur jeugd en veiligheid",
            due=date(2025, 11, 1),
            status=ImprovementAction.Status.IN_PROGRESS,
            decision=ImprovementAction.Decision.STRENGTHEN,
        )
        previous.status = Cycle.Status.CLOSED
        previous.save(update_fields=["status"])
    cycle = services.start_cycle(municipality, DEMO_CYCLE_YEAR, alice, copy_forward=True)
    specs = [spec for ambition in DEMO_AMBITIONS for spec in ambition[4]]
    for result, spec in zip(cycle.results.order_by("pk"), specs, strict=False):
        for year, value in spec[8]:
            ResultValue.objects.create(cycle=cycle, result=result, year=year, value=Decimal(value))
    cycle.status = Cycle.Status.ACTIVE
    cycle.save(update_fields=["status"])
    indicators = {i.code: i for i in Indicator.objects.filter(code__startswith="vt-")}
    for label, code, period, value, provisional in [
        ("Adviezen Veilig Thuis per 1.000 inwoners", "vt-adviezen", "2025", "6.1", False),
        ("Meldingen bij Veilig Thuis per 1.000 inwoners", "vt-meldingen", "2025", "4.3", False),
        ("Meldingen over kindermishandeling", "vt-kindermishandeling", "2025 H1", "410", True),
    ]:
        SituationFigure.objects.create(
            cycle=cycle,
            indicator=indicators.get(code),
            label=label,
            period=period,
            value=Decimal(value),
            source=LOCAL_SOURCE,
            provisional=provisional,
        )
    SituationReading.objects.create(
        cycle=cycle,
        recognise="De buurtteams herkennen de stijging van meldingen, vooral na scheidingen.",
        explain="Professionals melden vaker sinds de training over de meldcode in 2025.",
        appraise="Meer meldingen is hier eerder goed nieuws: geweld komt eerder in beeld.",
        improve="Nazorg na een melding verdient meer aandacht; zie het verbeterplan.",
        signals="Wijkteams zien meer gezinnen met schulden en spanning thuis.",
        participants=(
            "Gemeente, Veilig Thuis, buurtteams, JGZ, politie en twee ervaringsdeskundige ouders."
        ),
    )
    offerings = list(cycle.offerings.order_by("pk"))
    for offering, answers in zip(
        offerings,
        [
            ("yes", "yes", "yes", "yes"),
            ("partly", "yes", "yes", "partly"),
            ("partly", "yes", "yes", "yes"),  # MDA++: a Kwaliteitskader, not in a databank
            ("unknown", "partly", "yes", "partly"),
        ],
        strict=False,
    ):
        QualityCheck.objects.create(
            cycle=cycle,
            offering=offering,
            well_founded=answers[0],
            trained=answers[1],
            registered=answers[2],
            supervised="yes",
            guidelines=answers[3],
            notes="Besproken met de aanbieder in het kwartaaloverleg.",
        )
    for offering, reach, dropout, useful, goals in [
        (offerings[0], 212, "8.5", "87.0", "71.0"),
        (offerings[2], 96, "14.0", "78.0", "62.0"),
    ]:
        OutcomeMeasurement.objects.create(
            cycle=cycle,
            offering=offering,
            reach=reach,
            dropout=Decimal(dropout),
            usefulness=Decimal(useful),
            goal_realisation=Decimal(goals),
            improvement_suggestions="Ouders vragen om een vast aanspreekpunt na afloop.",
            respondents=min(reach, 64),
            method="Korte vragenlijst bij de laatste afspraak (eigen meting, demo)",
            story="Uitval zit vooral bij gezinnen die verhuizen; de aanbieder belt hen nu na.",
        )
    ImprovementAction.objects.create(
        cycle=cycle,
        what="Nazorg na een melding uitbreiden naar alle wijken",
        who="Buurtteams Utrecht met Veilig Thuis",
        due=date(2026, 9, 1),
        decision=ImprovementAction.Decision.STRENGTHEN,
        offering=offerings[3],
    )
    StepProgress.objects.bulk_create(
        [
            StepProgress(
                cycle=cycle,
                step=step,
                status=StepProgress.Status.DONE,
                saved_at=timezone.now(),
                saved_by=alice,
            )
            for step in Step.values
        ]
    )
    return cycle


def _fill_plan(cycle) -> None:
    from compass.models import Ambition, Offering, Result, ResultValue, TargetGroup

    results = []
    for kind, text, risks, protective, result_specs in DEMO_AMBITIONS:
        ambition = Ambition.objects.create(
            cycle=cycle, kind=kind, text=text, risk_factors=risks, protective_factors=protective
        )
        for (
            rtype,
            rtext,
            base,
            base_year,
            target,
            target_year,
            unit,
            direction,
            values,
        ) in result_specs:
            result = Result.objects.create(
                cycle=cycle,
                ambition=ambition,
                type=rtype,
                text=rtext,
                baseline_value=Decimal(base),
                baseline_year=base_year,
                target_value=Decimal(target),
                target_year=target_year,
                unit=unit,
                direction=direction,
            )
            results.append(result)
            for year, value in values:
                if year <= cycle.year:
                    ResultValue.objects.create(
                        cycle=cycle, result=result, year=year, value=Decimal(value)
                    )
    groups = [
        TargetGroup.objects.create(cycle=cycle, name=name, risk_factors=risks, estimated_size=n)
        for name, risks, n in DEMO_TARGET_GROUPS
    ]
    for name, kind, provider, level, databank, capacity, group_ix, result_ix in DEMO_OFFERINGS:
        offering = Offering.objects.create(
            cycle=cycle,
            name=name,
            kind=kind,
            provider=provider,
            evidence_level=level,
            databank=databank,
            capacity=capacity,
        )
        offering.target_groups.set([groups[i] for i in group_ix])
        offering.results.set([results[i] for i in result_ix])


# The purchasing check of the demo cycle (issue 23): the example set of family profiles, an
# invented number of reported families, and the offering linked to kinds of help so that the
# check shows gaps, an over-supply and an evidence gap. (offering index, help kind, places)
DEMO_EXPECTED_FAMILIES = 400
DEMO_HELP_PROVISIONS = [
    (0, "opvoedondersteuning", None),
    (2, "partnergeweld-beide-partners", 120),
    (2, "traumabehandeling", 60),
]


@transaction.atomic
def setup_purchasing(cycle):
    """Fill the demo cycle's purchasing check once; leave it after (also what users typed)."""
    from cms.family_profiles import HelpKind
    from compass.demodata import DEMO_SOURCE_SUFFIX
    from compass.models import HelpProvision, PurchasingCheck

    if cycle is None or PurchasingCheck.objects.filter(cycle=cycle).exists():
        return None
    check = PurchasingCheck.objects.create(
        cycle=cycle,
        expected_families=DEMO_EXPECTED_FAMILIES,
        families_source=(f"Schatting uit de meldingen bij Veilig Thuis 2025 {DEMO_SOURCE_SUFFIX}"),
    )
    known = set(HelpKind.objects.values_list("code", flat=True))
    offerings = list(cycle.offerings.order_by("pk"))
    for index, code, places in DEMO_HELP_PROVISIONS:
        if code in known and index < len(offerings):
            HelpProvision.objects.create(
                cycle=cycle, help_kind=code, offering=offerings[index], capacity=places
            )
    return check
