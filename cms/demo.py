"""`load_content()`: the Dutch demo content of the guide; idempotent and safe to rerun.

Existing pages and snippets are found by slug or code and left as editors made them; only
missing content is created. The texts are in cms/demo_content.py.
"""

from decimal import Decimal

from django.db import transaction
from wagtail.models import Page

from cms import demo_content as content
from cms.choices import Aspect, Band
from cms.family_profiles import FamilyProfile, FamilyProfileSet, HelpKind
from cms.models import CompassBlockPage, CompassIndexPage, HomePage, SearchPage, TopicPage
from cms.moderation import ensure_workflow
from cms.permissions import grant_editor_permissions
from cms.snippets import (
    Indicator,
    KnowledgeResource,
    Measure,
    MeasureSet,
    PrevalenceRate,
    Suggestion,
    Theme,
    Tip,
)


def _child(parent: Page, model, slug: str, in_menu: bool = True, **fields):
    """Return the child page with `slug`, creating and publishing it when it is missing."""
    existing = parent.get_children().filter(slug=slug).specific().first()
    if existing is not None:
        return existing
    page = model(slug=slug, show_in_menus=in_menu, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def load_pages(home: HomePage) -> CompassIndexPage:
    index = _child(
        home,
        CompassIndexPage,
        content.INDEX["slug"],
        title=content.INDEX["title"],
        intro=content.INDEX["intro"],
        body=content.INDEX["body"],
    )
    for block in content.BLOCKS:
        if CompassBlockPage.objects.filter(block_code=block["code"]).exists():
            continue
        _child(
            index,
            CompassBlockPage,
            block["slug"],
            title=block["title"],
            block_code=block["code"],
            guiding_question=block["question"],
            intro=block["intro"],
            body=block["body"],
        )
    for topic in content.TOPICS:
        _child(
            home,
            TopicPage,
            topic["slug"],
            title=topic["title"],
            intro=topic["intro"],
            body=topic["body"],
        )
    _child(
        home,
        SearchPage,
        content.SEARCH["slug"],
        in_menu=False,  # the search page has its own item in the main navigation
        title=content.SEARCH["title"],
        intro=content.SEARCH["intro"],
    )
    return index


def load_tips() -> None:
    """Give each block its demo tips, unless editors already wrote tips for that block."""
    for block in content.BLOCKS:
        if Tip.objects.filter(block=block["code"]).exists():
            continue
        for order, (text, source, source_url) in enumerate(block["tips"]):
            tip = Tip(
                block=block["code"],
                text=text,
                source=source,
                source_url=source_url,
                sort_order=order,
            )
            tip.save()
            tip.save_revision().publish()


def _suggestions(subject: str, low: str, partly: str, link: tuple[str, str]) -> list[Suggestion]:
    title, url = link
    links = [{"type": "link", "value": {"title": title, "url": url}}]
    return [
        Suggestion(band=Band.LOW, text=low, links=links),
        Suggestion(band=Band.PARTLY, text=partly, links=links),
        Suggestion(weak_aspect=Aspect.REACH, text=content.reach_advice(subject), links=links),
        Suggestion(
            weak_aspect=Aspect.EMBEDDING, text=content.embedding_advice(subject), links=links
        ),
    ]


def load_measure_set() -> MeasureSet:
    spec = content.MEASURE_SET
    measure_set = MeasureSet.objects.filter(name=spec["name"], version=spec["version"]).first()
    if measure_set is None:
        measure_set = MeasureSet(
            name=spec["name"],
            version=spec["version"],
            description=spec["description"],
            is_example=True,
        )
        measure_set.themes = [
            Theme(code=code, title=title, weight=Decimal("1"), sort_order=order)
            for order, (code, title, _measures) in enumerate(content.THEMES)
        ]
        measure_set.save()
        measure_set.save_revision().publish()
    for code, _title, measures in content.THEMES:
        theme = measure_set.themes.get(code=code)
        for order, row in enumerate(measures):
            m_code, title, subject, explanation, question, low, partly, link = row
            if Measure.objects.filter(theme__measure_set=measure_set, code=m_code).exists():
                continue
            measure = Measure(
                theme=theme,
                code=m_code,
                title=title,
                explanation=explanation,
                weight=Decimal("1"),
                sort_order=order,
                question_what_we_do=question,
                question_reach=content.reach_question(subject, m_code),
                question_embedding=content.embedding_question(subject),
            )
            measure.suggestions = _suggestions(subject, low, partly, link)
            measure.save()
            measure.save_revision()
    return measure_set


def load_definitions() -> None:
    for spec in content.INDICATORS:
        Indicator.objects.get_or_create(
            code=spec["code"],
            defaults={
                **{key: value for key, value in spec.items() if key != "code"},
                "definition_url": content.statline(spec["cbs_table_id"]),
            },
        )
    for title, url, kind in content.KNOWLEDGE_RESOURCES:
        KnowledgeResource.objects.get_or_create(url=url, defaults={"title": title, "kind": kind})
    for spec in content.PREVALENCE_RATES:
        PrevalenceRate.objects.get_or_create(
            label=spec["label"],
            year=spec["year"],
            defaults={
                "low_rate": Decimal(spec["low_rate"]),
                "high_rate": Decimal(spec["high_rate"]),
                "population": spec["population"],
                "source": spec["source"],
                "source_url": spec["source_url"],
                "explanation": spec["explanation"],
            },
        )


# An example set of family profiles: invented, marked as such. The profiles and shares of
# the national study (DOMAIN.md section 8) are not public here; editors enter them.
EXAMPLE_HELP_KINDS = [
    (
        "veiligheidsbeoordeling",
        "Veiligheidsbeoordeling",
        "Inschatten en bewaken van de veiligheid.",
    ),
    ("traumabehandeling", "Traumabehandeling", "Behandeling van traumaklachten bij kind of ouder."),
    ("opvoedondersteuning", "Opvoedondersteuning", "Steun aan ouders bij de opvoeding."),
    (
        "partnergeweld-beide-partners",
        "Aanpak partnergeweld voor beide partners",
        "Hulp die pleger en slachtoffer samen of elk apart betrekt.",
    ),
    ("schuldhulp", "Schuldhulp", "Schuldhulpverlening en inkomensondersteuning."),
]
EXAMPLE_SET_CODE = "voorbeeldset-gezinsprofielen"
# (name, problems, share %, [(help kind code, minimum evidence rank or None)])
EXAMPLE_PROFILES = [
    (
        "Voorbeeldprofiel A: spanning in de opvoeding",
        "Opvoedingsspanning, geen partnergeweld",
        "35",
        [("opvoedondersteuning", 2)],
    ),
    (
        "Voorbeeldprofiel B: partnergeweld",
        "Partnergeweld waar kinderen getuige van zijn",
        "30",
        [("partnergeweld-beide-partners", 2), ("veiligheidsbeoordeling", None)],
    ),
    (
        "Voorbeeldprofiel C: partnergeweld en schulden",
        "Partnergeweld, schulden, spanning in de opvoeding",
        "20",
        [
            ("partnergeweld-beide-partners", 2),
            ("schuldhulp", None),
            ("opvoedondersteuning", 2),
        ],
    ),
    (
        "Voorbeeldprofiel D: meervoudige en zware problemen",
        "Partnergeweld, kindermishandeling, trauma, schulden, verslaving van een ouder",
        "15",
        [
            ("veiligheidsbeoordeling", None),
            ("traumabehandeling", 3),
            ("partnergeweld-beide-partners", 2),
            ("schuldhulp", None),
        ],
    ),
]


def _levels_from(rank):
    """The evidence level codes at or above `rank`, read from cms.choices (not hard-coded)."""
    from cms.choices import EVIDENCE_RANK

    if rank is None:
        return []
    return [str(level.value) for level, r in EVIDENCE_RANK.items() if r >= rank]


def load_family_profiles():
    """The example kinds of help and the example set of family profiles, once (published)."""
    kinds = {}
    for code, name, description in EXAMPLE_HELP_KINDS:
        kinds[code], _created = HelpKind.objects.get_or_create(
            code=code, defaults={"name": name, "description": description}
        )
    existing = FamilyProfileSet.objects.filter(code=EXAMPLE_SET_CODE).first()
    if existing is not None:
        return existing
    profile_set = FamilyProfileSet(
        code=EXAMPLE_SET_CODE,
        name="Voorbeeldset gezinsprofielen",
        version=1,
        is_example=True,
        description=(
            "Voorbeeldset om de inkoopcheck te laten zien: verzonnen profielen en aandelen, "
            "geen cijfers uit het landelijke onderzoek naar gezinnen na een melding bij "
            "Veilig Thuis."
        ),
        source="Voorbeeld (DEMODATA: verzonnen cijfers), geen cijfers uit het landelijke onderzoek",
        source_year=2026,
    )
    profile_set.profiles = [
        FamilyProfile(
            name=name,
            problems=problems,
            share=Decimal(share),
            sort_order=order,
            needs=[
                (
                    "need",
                    {"help_kind": kinds[code], "evidence_levels": _levels_from(rank)},
                )
                for code, rank in needs
            ],
        )
        for order, (name, problems, share, needs) in enumerate(EXAMPLE_PROFILES)
    ]
    profile_set.save()
    profile_set.save_revision().publish()
    return profile_set


@transaction.atomic
def load_content() -> CompassIndexPage | None:
    """Load the guide, tips, measure set and definitions; grant the editors' permissions."""
    grant_editor_permissions()
    ensure_workflow()
    home = HomePage.objects.first()
    if home is None:
        return None
    index = load_pages(home)
    load_tips()
    load_measure_set()
    load_definitions()
    load_family_profiles()
    return index
