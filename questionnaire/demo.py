"""Demo steps that use the questionnaire's services: submitted self-assessments for Utrecht and
generated benchmark peers. `compass.demo` holds the steps of the domain core; `setup_demo` (in
this app, the top of the dependency order) runs both.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from cms.models import Measure
from compass.demo import AMERSFOORT, UTRECHT
from questionnaire.assessment import current_measure_set

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

    cycle = Cycle.objects.municipal().filter(municipality=municipality, year=year).first()
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
    from questionnaire.assessment import current_measure_set, load_measure_set, start, submit

    measure_set = current_measure_set()
    if measure_set is None:
        return None
    user = get_user_model().objects.get(username="alice")
    utrecht = Municipality.objects.get(code=UTRECHT)
    cycle_2025 = _demo_cycle(utrecht, 2025, user)
    cycle_2026 = _demo_cycle(utrecht, 2026, user)
    if cycle_2026.previous_id is None:
        cycle_2026.previous = cycle_2025
        cycle_2026.save(update_fields=["previous"])
    view = load_measure_set(measure_set)
    codes = list(view.measures)
    for cycle, lower_by in ((cycle_2025, 1), (cycle_2026, 0)):
        if cycle.self_assessments.exists():
            continue
        assessment = start(cycle, measure_set)
        _demo_answers(assessment, codes, user, lower_by)
        submit(assessment, view, user)
    return cycle_2026


DEMO_PEER_SEED = 20251125
DEMO_PEER_YEARS = (2025, 2026)
DEMO_PEER_REGION = "VT20"  # most of Veilig Thuis Utrecht, so the region column has figures
DEMO_PEER_EVERY = 4  # and every fourth other municipality in the country


def setup_benchmark_peers() -> int:
    """Generated submitted self-assessments of about a hundred other municipalities.

    Each is scored by the engine from generated answers (stored too), so its results page,
    versions and answers read like a real submission.
    For the benchmark (vergelijking) to show anything, the demo needs peers: most of Veilig
    Thuis Utrecht and every fourth other active municipality, for 2025 and 2026 on the live
    measure set, from a fixed seed. Every one is MARKED AS GENERATED in its snapshot, and the
    benchmark page says so when they are part of its population. The demo teams' own
    municipalities (Utrecht, Amersfoort) get none. Runs again without creating anything.
    Returns the number of assessments created.
    """
    import random

    from compass.models import Municipality, Region
    from questionnaire.assessment import current_measure_set, load_measure_set
    from questionnaire.benchmark_data import bulk_scored, random_answers

    measure_set = current_measure_set()
    if measure_set is None:
        return 0
    view = load_measure_set(measure_set)
    codes = list(view.measures)
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
            items.append((municipality, year, random_answers(rng, codes, level + 6 * offset)))
    return bulk_scored(items, view, generated=True)


# --- CBS figures in the Situatie step of Utrecht's demo cycle (issue 9) -----------------------
# Veilig Thuis figures of the latest whole year and the provisional half year after it, for
# Utrecht and its Veilig Thuis region, from the imported demo observations (invented numbers in
# the real CBS shape, see compass/fixtures/cbs/README.md), taken over with the same service as
# the button "Overnemen in de jaarcyclus".
DEMO_SITUATION_INDICATORS = ("vt-meldingen", "vt-meldingen-professionals")


def setup_situation_figures():
    """Take the demo's CBS figures into Utrecht's demo cycle once; returns the number added.

    Runs again without adding anything: once the cycle holds a CBS figure (taken over by this
    step or by a demo user), it is left as the team keeps it.
    """
    from compass.demo import DEMO_CYCLE_YEAR
    from compass.figures import comparison_regions
    from compass.models import CbsObservation, Cycle, SituationFigure
    from questionnaire.situation.cbs_takeover import take_over

    cycle = (
        Cycle.objects.municipal()
        .filter(municipality__code=UTRECHT, year=DEMO_CYCLE_YEAR)
        .select_related("municipality")
        .first()
    )
    if (
        cycle is None
        or SituationFigure.objects.filter(cycle=cycle, source__startswith="CBS StatLine").exists()
    ):
        return 0
    codes = [code for _key, code, _name in comparison_regions(cycle.municipality)]
    observations = CbsObservation.objects.filter(
        indicator__code__in=DEMO_SITUATION_INDICATORS, region_code__in=codes, suppressed=False
    )
    periods = sorted(set(observations.values_list("period", flat=True)), reverse=True)
    years = [p for p in periods if p.endswith("JJ00")][:1]
    halves = [p for p in periods if "HJ" in p and (not years or p > years[0])][:1]
    chosen = observations.filter(period__in=years + halves)
    user = get_user_model().objects.filter(username="alice").first()
    result, _left_out = take_over(cycle, user, chosen.values_list("pk", flat=True))
    return len(result.created)


def setup_benchmark_release():
    """Publish a benchmark release of today with everything submitted so far, so the demo shows
    figures (a real release counts submissions before its reference date). Idempotent: a rerun
    on the same day returns the same release; on a later day a release of that day is made."""
    from django.utils import timezone

    from compass.models import BenchmarkRelease
    from questionnaire.benchmarking import publish_release

    today = timezone.localdate()
    latest = BenchmarkRelease.objects.order_by("-reference_date").first()
    if latest is not None and latest.reference_date >= today:
        return latest
    return publish_release(today, cutoff=timezone.now()).release


# --- The practice exchange (issue 21): a few credible example threads ----------------------
# Each is marked `is_example` and shown with an "voorbeeld" label; the people and their
# experience are invented. (author, municipality, pseudonymous, text) per post.
DEMO_THREADS = [
    {
        "topic": "measure",
        "measure_code": "pkm-03",
        "title": "Hoe bereiken jullie vaders met voorlichting over het Shaken Baby Syndroom?",
        "posts": [
            (
                "alice",
                "GM0344",
                False,
                "Onze voorlichting via het consultatiebureau bereikt vooral moeders. Heeft iemand "
                "een aanpak die ook vaders bereikt, bijvoorbeeld al tijdens de zwangerschap?",
            ),
            (
                "carol",
                "GM0307",
                False,
                "Wij laten de kraamzorg de folder bespreken met beide ouders tijdens de eerste "
                "kraamweek, met een korte film op de telefoon. Het bereik onder vaders is volgens "
                "de kraamzorg flink gestegen; we meten het met een vraag in het "
                "kraamzorgverslag.",
            ),
            (
                "carol",
                "GM0307",
                True,
                "Aanvulling: vraag de verloskundigen om het onderwerp ook bij de 36-wekencontrole "
                "te noemen. Dat kostte ons alleen een afspraak in het regionale overleg.",
            ),
        ],
    },
    {
        "topic": "block",
        "block": 1,
        "title": "Welke cijfers gebruiken jullie naast de Veilig Thuis-meldingen?",
        "posts": [
            (
                "carol",
                "GM0307",
                False,
                "Voor blok 1 kijken we nu alleen naar de meldingen en adviezen van Veilig Thuis. "
                "Welke andere bronnen vinden jullie bruikbaar voor de situatie in de gemeente?",
            ),
            (
                "dave",
                "GM0344",
                False,
                "Wij gebruiken ook de jeugdbeschermingsmaatregelen uit de CBS-tabellen en de "
                "gezondheidsmonitor jeugd van de GGD (vragen over ruzie thuis). Let op: de "
                "GGD-cijfers zijn per regio, niet per gemeente.",
            ),
        ],
    },
    {
        "topic": "theme",
        "theme": "policy",
        "title": "Hoe betrekken jullie de gemeenteraad bij de jaarcyclus?",
        "posts": [
            (
                "dave",
                "GM0344",
                True,
                "Wij willen de raad eerder meenemen dan bij de jaarrapportage. Hoe doen andere "
                "gemeenten dat zonder een extra vergadercyclus?",
            ),
        ],
    },
]


def setup_exchange() -> int:
    """Create the example threads once (found again by title); returns how many exist."""
    from datetime import timedelta

    from django.utils import timezone

    from compass import exchange
    from compass.models import Municipality, Post, Thread

    names = ["alice", "carol", "dave"]
    users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    measure_set = current_measure_set()
    measures = dict(
        Measure.objects.filter(theme__measure_set=measure_set).values_list("code", "title")
    )
    count = 0
    start = timezone.now() - timedelta(days=len(DEMO_THREADS) * 3)
    for index, spec in enumerate(DEMO_THREADS):
        if Thread.objects.filter(title=spec["title"], is_example=True).exists():
            count += 1
            continue
        author, code, pseudonymous, body = spec["posts"][0]
        if author not in users:
            continue
        municipality = Municipality.objects.get(code=code)
        thread = exchange.ask(
            users[author],
            municipality,
            title=spec["title"],
            body=body,
            pseudonymous=pseudonymous,
            topic=spec["topic"],
            block=spec.get("block"),
            measure_code=spec.get("measure_code", ""),
            measure_title=measures.get(spec.get("measure_code", ""), ""),
            theme=spec.get("theme", ""),
            is_example=True,
        )
        moment = start + timedelta(days=index * 3)
        for author, code, pseudonymous, body in spec["posts"][1:]:
            municipality = Municipality.objects.get(code=code)
            exchange.answer(users[author], thread, municipality, body, pseudonymous)
        for offset, post in enumerate(thread.posts.order_by("pk")):
            Post.objects.filter(pk=post.pk).update(created_at=moment + timedelta(hours=5 * offset))
        Thread.objects.filter(pk=thread.pk).update(
            created_at=moment,
            last_post_at=moment + timedelta(hours=5 * (thread.posts.count() - 1)),
        )
        # the digest starts after the invented history: no mail about example answers
        thread.follows.update(notified_until=timezone.now())
        count += 1
    return count
