"""Demo data for `manage.py setup_demo`: each step is idempotent and safe to rerun."""

from dataclasses import dataclass
from datetime import date
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


def import_demo_figures():
    """Import the demo Veilig Thuis folder (invented numbers in the real CBS shape) for the
    demo indicators; a rerun changes nothing. Returns the import result."""
    from compass.cbs.importer import import_table

    return import_table(DEMO_FIGURES_TABLE, DEMO_FIGURES)


# --- A submitted self-assessment for Utrecht, 2025 and 2026 (issue 6) ------------------------
# Per measure (in questionnaire order) the answers on wat doen we, bereik and borging. The
# pattern repeats over the set; 2025 is one step lower everywhere, so the comparison shows growth.
DEMO_ANSWER_PATTERN = [
    (4, 4, 3),
    (3, 1, 2),
    (1, 1, 0),
    (4, 3, 3),
    (2, 1, 1),
    (3, 3, 1),
]
DEMO_DONT_KNOW = (2, "embedding")  # measure index, aspect: "weet niet"
DEMO_NOT_APPLICABLE = (4, "reach")  # "niet van toepassing"
DEMO_NOTES = {
    (0, "what_we_do"): "Vast onderdeel van het jeugdbeleid sinds 2023.",
    (2, "what_we_do"): "Nog geen aanpak; wordt in het verbeterplan opgenomen.",
    (4, "reach"): "Geen eigen doelgroep in onze gemeente.",
}


def _demo_cycle(municipality, year, user):
    from compass.models import Cycle
    from compass.services import start_cycle

    cycle = Cycle.objects.filter(municipality=municipality, year=year).first()
    if cycle is None:
        cycle = start_cycle(municipality, year, user=user)
    return cycle


def _demo_answers(assessment, codes, user, lower_by=0):
    from compass.models import Answer

    rows = []
    for index, code in enumerate(codes):
        values = DEMO_ANSWER_PATTERN[index % len(DEMO_ANSWER_PATTERN)]
        for aspect, value in zip(("what_we_do", "reach", "embedding"), values, strict=True):
            answer = str(max(0, value - lower_by))
            if not lower_by and (index, aspect) == DEMO_DONT_KNOW:
                answer = "dont_know"
            if (index, aspect) == DEMO_NOT_APPLICABLE:
                answer = "not_applicable"
            note = "" if lower_by else DEMO_NOTES.get((index, aspect), "")
            rows.append(
                Answer(
                    assessment=assessment,
                    measure_code=code,
                    aspect=aspect,
                    value=answer,
                    note=note,
                    updated_by=user,
                )
            )
    Answer.objects.bulk_create(rows)


@transaction.atomic
def setup_self_assessments():
    """Give Utrecht a submitted self-assessment for 2025 and 2026 (only where none exists).

    The cycles are found or started by (municipality, year), so this step and the guided
    flow's demo step can run in either order. Returns the 2026 cycle.
    """
    from compass.models import Municipality
    from questionnaire import assessment as service

    measure_set = service.current_measure_set()
    if measure_set is None:
        return None
    user = get_user_model().objects.get(username="alice")
    utrecht = Municipality.objects.get(code=UTRECHT)
    cycle_2025 = _demo_cycle(utrecht, 2025, user)
    cycle_2026 = _demo_cycle(utrecht, 2026, user)
    if cycle_2026.previous_id is None:
        cycle_2026.previous = cycle_2025
        cycle_2026.save(update_fields=["previous"])
    view = service.load_measure_set(measure_set)
    codes = list(view.measures)
    for cycle, lower_by in ((cycle_2025, 1), (cycle_2026, 0)):
        if cycle.self_assessments.exists():
            continue
        assessment = service.start(cycle, measure_set)
        _demo_answers(assessment, codes, user, lower_by)
        service.submit(assessment, view, user)
    return cycle_2026


DEMO_PEER_SEED = 20251125
DEMO_PEER_YEARS = (2025, 2026)
DEMO_PEER_REGION = "VT20"  # most of Veilig Thuis Utrecht, so the region column has figures
DEMO_PEER_EVERY = 4  # and every fourth other municipality in the country


def setup_benchmark_peers() -> int:
    """Generated submitted self-assessments of about a hundred other municipalities.

    For the benchmark (vergelijking) to show anything, the demo needs peers: most of Veilig
    Thuis Utrecht and every fourth other active municipality, for 2025 and 2026 on the live
    measure set, from a fixed seed. Every one is MARKED AS GENERATED in its snapshot, and the
    benchmark page says so when they are part of its population. The demo teams' own
    municipalities (Utrecht, Amersfoort) get none. Runs again without creating anything.
    Returns the number of assessments created.
    """
    import random

    from compass.models import Municipality, Region
    from questionnaire import assessment as service
    from questionnaire.benchmark_data import bulk_submitted, random_measures

    measure_set = service.current_measure_set()
    if measure_set is None:
        return 0
    view = service.load_measure_set(measure_set)
    themes = {t.code: [m.code for m in t.measure_list] for t in view.themes}
    labels = {
        "name": measure_set.name,
        "themes": {t.code: t.title for t in view.themes},
        "measures": {code: m.title for code, m in view.measures.items()},
    }
    region = set(
        Region.objects.filter(code=DEMO_PEER_REGION).values_list("municipalities", flat=True)
    )
    active = Municipality.objects.filter(status=Municipality.Status.ACTIVE).exclude(
        code__in=[UTRECHT, AMERSFOORT]
    )
    peers = [
        m
        for index, m in enumerate(active.order_by("code"))
        if m.pk in region or index % DEMO_PEER_EVERY == 0
    ]
    rng = random.Random(DEMO_PEER_SEED)
    items = []
    for municipality in peers:
        level = rng.uniform(35, 75)
        for offset, year in enumerate(DEMO_PEER_YEARS):
            items.append((municipality, year, random_measures(rng, themes, level + 6 * offset)))
    return bulk_submitted(items, measure_set, themes, labels, generated=True)
