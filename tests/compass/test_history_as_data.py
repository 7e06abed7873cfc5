"""Issue 16, item 3: the history stores field names and raw values and is shown in the
reader's language: an English save reads in Dutch for a Dutch reader, and the other way round.
"""

import pytest
from django.conf import settings
from django.utils import translation

from compass import parts, services
from compass.models import Ambition, ChangeRecord, Offering, TargetGroup
from compass.parts.history import Change
from tests.questionnaire.cycle_helpers import logged_in, post_data, start, step_url


@pytest.fixture
def cycle(gemeente_a, alice):
    return start(gemeente_a, 2026, alice)


def in_language(user, language):
    client = logged_in(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def history_page(client, cycle, step):
    return client.get(f"{step_url(cycle, step)}geschiedenis/").content.decode()


def test_an_english_save_reads_in_dutch_and_a_dutch_save_in_english(cycle, alice, bob):
    rows = {"target_groups": [{"name": "Gezinnen", "estimated_size": "1400"}]}
    response = in_language(alice, "en").post(
        step_url(cycle, "doelgroepen"), post_data(cycle, "doelgroepen", rows=rows, action="save")
    )
    assert response.status_code == 302
    record = ChangeRecord.objects.get(cycle=cycle, field_name="name")
    # Stored as data: the part, the field's name and the raw value; no English text.
    assert (record.event, record.part, record.item) == ("changed", "target_groups", "Gezinnen")
    assert (record.field, record.old, record.new, record.new_value) == ("", "", "", "Gezinnen")

    dutch = history_page(in_language(bob, "nl"), cycle, "doelgroepen")
    assert "Doelgroep: Gezinnen" in dutch and "Geschatte omvang" in dutch
    assert "Target group: Gezinnen" not in dutch and "Estimated size" not in dutch

    group = TargetGroup.objects.get(cycle=cycle)
    existing = {"target_groups": [{"id": group.pk, "name": "Gezinnen", "estimated_size": ""}]}
    response = in_language(alice, "nl").post(
        step_url(cycle, "doelgroepen"),
        post_data(cycle, "doelgroepen", existing=existing, action="save"),
    )
    assert response.status_code == 302
    english = history_page(in_language(bob, "en"), cycle, "doelgroepen")
    assert "Target group: Gezinnen" in english and "Estimated size" in english
    assert "Doelgroep: Gezinnen" not in english and "Geschatte omvang" not in english


def test_choices_dates_decimals_and_links_are_shown_in_the_readers_language(cycle, alice):
    ambition = Ambition.objects.create(cycle=cycle, kind="reduce", text="Veilig thuis")
    offering = Offering.objects.create(cycle=cycle, name="Stevig Ouderschap", kind="prevention")
    links = parts.get("offerings").field("results").raw([(ambition.pk, "Minder geweld")])
    services.record_changes(
        cycle,
        "aanbod",
        alice,
        [
            Change("offerings", offering.name, "kind", "prevention", "help"),
            Change("offerings", offering.name, "valid_until", None, "2029-06-30"),
            Change("results", "Minder geweld", "target_value", "12.50", "1234.5"),
            Change("offerings", offering.name, "results", None, links),
            Change("offerings", offering.name, "", event="removed"),
        ],
    )
    records = list(ChangeRecord.objects.filter(cycle=cycle).order_by("pk"))
    with translation.override("nl"):
        shown = [record.shown for record in records]
        assert (shown[0].field, shown[0].old, shown[0].new) == ("Soort aanbod", "preventie", "hulp")
        assert shown[1].new == "30-6-2029"
        assert (shown[2].old, shown[2].new) == ("12,5", "1.234,5")
        assert (shown[3].field, shown[3].new) == (
            "Resultaten waaraan het bijdraagt",
            "Minder geweld",
        )
        assert (shown[4].item, shown[4].field, shown[4].old) == (
            "Aanbod: Stevig Ouderschap",
            "verwijderd",
            "Stevig Ouderschap",
        )
    with translation.override("en"):
        shown = [record.shown for record in records]
        assert (shown[0].field, shown[0].old, shown[0].new) == (
            "Kind of offering",
            "prevention",
            "help",
        )
        assert (shown[2].old, shown[2].new) == ("12.5", "1,234.5")
        assert shown[4].field == "removed"


def test_older_rows_stored_as_text_are_shown_as_they_are(cycle, alice):
    services.record_changes(
        cycle, "doelgroepen", alice, [("Target group: Gezinnen", "Estimated size", "", "1400")]
    )
    record = ChangeRecord.objects.get(cycle=cycle)
    assert record.event == "text"
    with translation.override("nl"):
        assert record.shown.item == "Target group: Gezinnen"
        assert record.shown.field == "Estimated size"
        assert record.shown.new == "1400"


def test_a_link_keeps_the_text_it_pointed_at(cycle, alice):
    ambition = Ambition.objects.create(cycle=cycle, kind="reduce", text="Veilig thuis")
    field = parts.get("results").field("ambition")
    services.record_changes(
        cycle,
        "ambities",
        alice,
        [Change("results", "R", "ambition", None, field.raw(ambition.pk, ambition.text))],
    )
    ambition.delete()
    record = ChangeRecord.objects.get(cycle=cycle)
    assert record.new_value == {"id": record.new_value["id"], "label": "Veilig thuis"}
    assert record.shown.new == "Veilig thuis"


def test_an_import_is_recorded_as_data_and_shown_in_the_readers_language(cycle, alice):
    services.record_import(cycle, alice, "Utrecht 2025 GM0344")
    record = ChangeRecord.objects.filter(cycle=cycle).first()
    assert ChangeRecord.objects.filter(cycle=cycle, event="imported").count() == 7
    with translation.override("nl"):
        shown = record.shown
        assert (shown.item, shown.field, shown.new) == (
            "Geïmporteerd uit een JSON-export",
            "hele stap",
            "Utrecht 2025 GM0344",
        )
    with translation.override("en"):
        assert record.shown.item == "Imported from a JSON export"
