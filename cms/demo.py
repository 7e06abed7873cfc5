"""`load_content()`: the Dutch demo content of the guide; idempotent and safe to rerun.

Existing pages and snippets are found by slug or code and left as editors made them; only
missing content is created. The texts are in cms/demo_content.py.
"""

from decimal import Decimal

from django.db import transaction
from wagtail.models import Page

from cms import demo_content as content
from cms.choices import Aspect, Band
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
    return index
