"""A content editor (erin, Wagtail Editors group) creates, publishes and edits in the admin."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import CompassBlockPage, CompassIndexPage, SearchPage, TopicPage
from cms.snippets import (
    Indicator,
    KnowledgeResource,
    Measure,
    MeasureSet,
    PrevalenceRate,
    Theme,
    Tip,
)
from tests.cms.conftest import add_tip

pytestmark = pytest.mark.django_db

GUIDANCE_BODY = streamfield(
    [
        ("text", rich_text("<p>Uitleg in eigen woorden.</p>")),
        ("tip", {"title": "Begin klein", "text": "Kies eerst één ambitie."}),
        ("example", {"title": "Voorbeeld", "text": rich_text("<p>In 2028 ...</p>")}),
        ("checklist", {"title": "Klaar?", "items": streamfield([("item", "Ja")])}),
        (
            "source_link",
            {
                "title": "NJi",
                "url": "https://www.nji.nl/transformatie-jeugdhulp/kwaliteitskompas",
                "publisher": "NJi",
                "description": "",
            },
        ),
    ]
)


def create_page(client, parent, model, fields):
    data = nested_form_data(
        {"comments": inline_formset([]), "action-publish": "action-publish", **fields}
    )
    url = reverse(
        "wagtailadmin_pages:add", args=[model._meta.app_label, model._meta.model_name, parent.pk]
    )
    return client.post(url, data)


def test_editor_creates_and_publishes_every_page_type(client, erin, home):
    client.force_login(erin)

    response = create_page(
        client,
        home,
        CompassIndexPage,
        {"title": "Kompas", "slug": "kompas", "intro": "Over het kompas.", "body": GUIDANCE_BODY},
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    index = CompassIndexPage.objects.get(slug="kompas")

    response = create_page(
        client,
        index,
        CompassBlockPage,
        {
            "title": "Samenwerking",
            "slug": "samenwerking",
            "block_code": "0",
            "guiding_question": "Wie zitten er aan tafel?",
            "intro": "Over samenwerken.",
            "body": GUIDANCE_BODY,
        },
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    response = create_page(
        client,
        home,
        TopicPage,
        {
            "title": "De meldcode",
            "slug": "meldcode",
            "intro": "Over de meldcode.",
            "body": GUIDANCE_BODY,
        },
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    response = create_page(client, home, SearchPage, {"title": "Zoeken", "slug": "zoeken"})
    assert response.status_code == 302, response.context and response.context["form"].errors

    for model in (CompassIndexPage, CompassBlockPage, TopicPage, SearchPage):
        page = model.objects.get()
        assert page.live and not page.has_unpublished_changes, model
    block = CompassBlockPage.objects.get()
    assert [child.block_type for child in block.body] == [
        "text",
        "tip",
        "example",
        "checklist",
        "source_link",
    ]
    assert client.get(block.url).status_code == 200


def test_editor_cannot_create_a_block_page_under_the_home_page(client, erin, home):
    client.force_login(erin)
    response = create_page(
        client,
        home,
        CompassBlockPage,
        {"title": "Los", "slug": "los", "block_code": "1", "guiding_question": "?", "intro": "."},
    )
    # Wagtail answers a forbidden page type with a redirect to the dashboard and a message.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert not CompassBlockPage.objects.exists()


def snippet_url(model, action, *args):
    return reverse(f"wagtailsnippets_cms_{model._meta.model_name}:{action}", args=args)


def test_editor_edits_and_publishes_a_tip(client, erin):
    tip = add_tip(1, "Oude tekst.")
    client.force_login(erin)
    response = client.post(
        snippet_url(Tip, "edit", tip.pk),
        {
            "block": "1",
            "sort_order": "0",
            "text": "Nieuwe tekst van de redactie.",
            "source": "NJi",
            "source_url": "",
            "action-publish": "action-publish",
        },
    )
    assert response.status_code == 302
    tip.refresh_from_db()
    assert tip.text == "Nieuwe tekst van de redactie."
    assert tip.live and not tip.has_unpublished_changes


def test_editor_saves_a_tip_as_draft_without_changing_the_live_text(client, erin):
    tip = add_tip(3, "Gepubliceerde tekst.")
    client.force_login(erin)
    response = client.post(
        snippet_url(Tip, "edit", tip.pk),
        {"block": "3", "sort_order": "0", "text": "Concepttekst.", "source": "", "source_url": ""},
    )
    assert response.status_code == 302
    tip.refresh_from_db()
    assert tip.text == "Gepubliceerde tekst."
    assert tip.has_unpublished_changes
    assert tip.latest_revision.as_object().text == "Concepttekst."


def make_measure_set():
    measure_set = MeasureSet(name="Set", version=1, is_example=True)
    measure_set.themes = [Theme(code="pkm", title="Preventie", sort_order=0)]
    measure_set.save()
    measure_set.save_revision().publish()
    return measure_set


def test_editor_changes_a_measure_set_with_its_themes(client, erin):
    measure_set = make_measure_set()
    theme = measure_set.themes.get()
    client.force_login(erin)
    data = nested_form_data(
        {
            "name": "Set",
            "version": "2",
            "description": "Nieuwe versie.",
            "is_example": "on",
            "low_threshold": "35",
            "high_threshold": "75",
            "themes": inline_formset(
                [
                    {"id": theme.pk, "code": "pkm", "title": "Preventie km", "weight": "2"},
                    {"code": "ahg", "title": "Aanpak huiselijk geweld", "weight": "1"},
                ],
                initial=1,
            ),
            "action-publish": "action-publish",
        }
    )
    response = client.post(snippet_url(MeasureSet, "edit", measure_set.pk), data)
    assert response.status_code == 302, response.context["form"].errors
    measure_set.refresh_from_db()
    assert (measure_set.version, measure_set.low_threshold, measure_set.high_threshold) == (
        2,
        35,
        75,
    )
    assert sorted(measure_set.themes.values_list("title", flat=True)) == [
        "Aanpak huiselijk geweld",
        "Preventie km",
    ]


def test_measure_set_with_crossed_thresholds_is_refused_in_dutch(client, erin):
    measure_set = make_measure_set()
    theme = measure_set.themes.get()
    client.force_login(erin)
    data = nested_form_data(
        {
            "name": "Set",
            "version": "1",
            "low_threshold": "70",
            "high_threshold": "40",
            "themes": inline_formset(
                [{"id": theme.pk, "code": "pkm", "title": "Preventie", "weight": "1"}], initial=1
            ),
            "action-publish": "action-publish",
        }
    )
    response = client.post(snippet_url(MeasureSet, "edit", measure_set.pk), data)
    assert response.status_code == 200
    assert "moet hoger zijn dan" in response.content.decode()
    measure_set.refresh_from_db()
    assert (measure_set.low_threshold, measure_set.high_threshold) == (40, 70)


def test_editor_changes_a_measure_with_suggestions(client, erin):
    measure_set = make_measure_set()
    theme = measure_set.themes.get()
    measure = Measure.objects.create(
        theme=theme,
        code="pkm-01",
        title="Screening",
        explanation="Uitleg.",
        question_what_we_do="Wat?",
        question_reach="Bereik?",
        question_embedding="Borging?",
    )
    client.force_login(erin)
    data = nested_form_data(
        {
            "theme": str(theme.pk),
            "code": "pkm-01",
            "title": "Screening in de zwangerschap",
            "explanation": "Uitleg.",
            "weight": "1.5",
            "sort_order": "0",
            "question_what_we_do": "Wat doen we?",
            "question_reach": "Wie bereiken we?",
            "question_embedding": "Is het geborgd?",
            "suggestions": inline_formset(
                [
                    {
                        "band": "low",
                        "weak_aspect": "",
                        "text": "Maak afspraken met verloskundigen.",
                        "links": streamfield(
                            [("link", {"title": "NJi", "url": "https://www.nji.nl/"})]
                        ),
                    },
                    {
                        "band": "",
                        "weak_aspect": "reach",
                        "text": "Meet het bereik.",
                        "links": streamfield([]),
                    },
                ]
            ),
        }
    )
    response = client.post(snippet_url(Measure, "edit", measure.pk), data)
    assert response.status_code == 302, response.context["form"].errors
    measure.refresh_from_db()
    assert measure.title == "Screening in de zwangerschap"
    assert [(s.band, s.weak_aspect) for s in measure.suggestions.all()] == [
        ("low", ""),
        ("", "reach"),
    ]
    assert measure.suggestions.first().links[0].value["url"] == "https://www.nji.nl/"


def test_a_suggestion_without_band_or_aspect_is_refused(client, erin):
    measure_set = make_measure_set()
    theme = measure_set.themes.get()
    client.force_login(erin)
    data = nested_form_data(
        {
            "theme": str(theme.pk),
            "code": "pkm-02",
            "title": "Voorlichting",
            "explanation": "Uitleg.",
            "weight": "1",
            "sort_order": "0",
            "question_what_we_do": "Wat?",
            "question_reach": "Bereik?",
            "question_embedding": "Borging?",
            "suggestions": inline_formset(
                [{"band": "", "weak_aspect": "", "text": "Zomaar.", "links": streamfield([])}]
            ),
        }
    )
    response = client.post(snippet_url(Measure, "add"), data)
    assert response.status_code == 200
    assert not Measure.objects.exists()


def test_editor_changes_an_indicator(client, erin):
    indicator = Indicator.objects.create(
        code="vt-meldingen", name="Meldingen", unit="aantal", direction="higher"
    )
    client.force_login(erin)
    response = client.post(
        snippet_url(Indicator, "edit", indicator.pk),
        {
            "code": "vt-meldingen",
            "name": "Meldingen per 1.000 inwoners",
            "unit": "per 1.000 inwoners",
            "direction": "higher",
            "description": "",
            "cbs_table_id": "84849NED",
            "measure_key": "Meldingen_3",
            "dimension_filters": '{"RolMelder": "T001070"}',
            "definition_url": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    indicator.refresh_from_db()
    assert indicator.dimension_filters == {"RolMelder": "T001070"}
    assert indicator.unit == "per 1.000 inwoners"


def test_editor_changes_a_knowledge_resource(client, erin):
    resource = KnowledgeResource.objects.create(
        title="Oud", url="https://www.nji.nl/", kind="dossier"
    )
    client.force_login(erin)
    response = client.post(
        snippet_url(KnowledgeResource, "edit", resource.pk),
        {"title": "Outcome-indicatoren", "url": "https://www.nji.nl/", "kind": "guideline"},
    )
    assert response.status_code == 302, response.context["form"].errors
    resource.refresh_from_db()
    assert (resource.title, resource.kind) == ("Outcome-indicatoren", "guideline")


def test_editor_changes_a_prevalence_rate_and_cannot_invert_it(client, erin):
    rate = PrevalenceRate.objects.create(
        label="Kindermishandeling", low_rate=26.5, high_rate=37.4, source="CBS", year=2017
    )
    client.force_login(erin)
    fields = {
        "label": "Kindermishandeling",
        "low_rate": "26.5",
        "high_rate": "38",
        "year": "2017",
        "population": "0-17",  # whom the rate counts (issue 19 H3): a select in the form
        "source": "CBS Impactmonitor",
        "source_url": "",
        "explanation": "",
    }
    response = client.post(snippet_url(PrevalenceRate, "edit", rate.pk), fields)
    assert response.status_code == 302, response.context["form"].errors
    rate.refresh_from_db()
    assert str(rate.high_rate) == "38.00" and rate.population == "0-17"

    response = client.post(
        snippet_url(PrevalenceRate, "edit", rate.pk), {**fields, "low_rate": "40"}
    )
    assert response.status_code == 200
    assert "minstens" in response.content.decode()
    rate.refresh_from_db()
    assert str(rate.low_rate) == "26.50"


@pytest.mark.parametrize(
    "model", [Tip, MeasureSet, Measure, Indicator, KnowledgeResource, PrevalenceRate]
)
def test_editor_opens_the_list_and_add_form_of_every_snippet(client, erin, model):
    make_measure_set()
    client.force_login(erin)
    listing = client.get(snippet_url(model, "list"))
    assert listing.status_code == 200
    assert "Kompasinhoud" in listing.content.decode()
    assert client.get(snippet_url(model, "add")).status_code == 200


def test_measures_can_be_filtered_by_measure_set(client, erin):
    measure_set = make_measure_set()
    theme = measure_set.themes.get()
    Measure.objects.create(
        theme=theme,
        code="pkm-01",
        title="Screening",
        explanation=".",
        question_what_we_do="?",
        question_reach="?",
        question_embedding="?",
    )
    client.force_login(erin)
    url = snippet_url(Measure, "list")
    assert "Screening" in client.get(url, {"theme__measure_set": measure_set.pk}).content.decode()
    other = MeasureSet(name="Andere set", version=1)
    other.save()
    assert "Screening" not in client.get(url, {"theme__measure_set": other.pk}).content.decode()


def test_measure_code_must_be_unique_within_its_set(client, erin):
    measure_set = make_measure_set()
    theme = measure_set.themes.get()
    fields = {
        "theme": str(theme.pk),
        "code": "pkm-01",
        "title": "Screening",
        "explanation": "Uitleg.",
        "weight": "1",
        "sort_order": "0",
        "question_what_we_do": "?",
        "question_reach": "?",
        "question_embedding": "?",
        "suggestions-TOTAL_FORMS": "0",
        "suggestions-INITIAL_FORMS": "0",
        "suggestions-MIN_NUM_FORMS": "0",
        "suggestions-MAX_NUM_FORMS": "1000",
    }
    client.force_login(erin)
    assert client.post(snippet_url(Measure, "add"), fields).status_code == 302
    response = client.post(snippet_url(Measure, "add"), fields)
    assert response.status_code == 200
    assert "heeft deze code al" in response.content.decode()
    assert Measure.objects.count() == 1


def test_measure_list_query_count_does_not_grow_with_the_number_of_measures(
    client, erin, django_assert_max_num_queries
):
    measure_set = make_measure_set()
    theme = measure_set.themes.get()
    client.force_login(erin)

    def add_measures(start, stop):
        for number in range(start, stop):
            Measure.objects.create(
                theme=theme,
                code=f"m-{number}",
                title=f"Maatregel {number}",
                explanation=".",
                question_what_we_do="?",
                question_reach="?",
                question_embedding="?",
            )

    add_measures(0, 2)
    client.get(snippet_url(Measure, "list"))
    with CaptureQueriesContext(connection) as few:
        client.get(snippet_url(Measure, "list"))
    add_measures(2, 20)
    with django_assert_max_num_queries(len(few)):
        response = client.get(snippet_url(Measure, "list"))
    assert "Maatregel 19" in response.content.decode()
