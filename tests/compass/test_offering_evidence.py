"""The offering's evidence level per databank (issue 19, DOMAIN-REVIEW H2 and M3).

Rules first: which combinations of databank and level the model refuses, what the dashboard
asks for, how the data migration moves the old codes (rows, drafts, history); then the Aanbod
step and its read-only view show the databank with the level.
"""

import importlib

import pytest
from django.apps import apps

from cms import choices
from compass import services
from compass.models import ChangeRecord, Offering, Step, StepProgress
from compass.parts import get as part

pytestmark = pytest.mark.django_db

migration = importlib.import_module("compass.migrations.0014_offering_databank_evidence_levels")


@pytest.fixture
def cycle(gemeente_a, alice):
    return services.start_cycle(gemeente_a, 2026, alice)


def errors(cycle, **values) -> dict:
    return part("offerings").validate(Offering(name="Aanbod", kind="help", **values), cycle)


# --- Rules ----------------------------------------------------------------------------------


def test_well_described_is_refused_for_the_youth_databank_and_allowed_elsewhere(cycle):
    assert errors(cycle, evidence_level="goed_beschreven", databank="jeugd") == {
        "evidence_level": [
            "'Goed beschreven' is geen niveau van de Databank Effectieve Jeugdinterventies: "
            "de vier niveaus beginnen bij 'goed onderbouwd'."
        ]
    }
    for databank in ("sociaal", "sport", "gezond_leven"):
        assert errors(cycle, evidence_level="goed_beschreven", databank=databank) == {}
    for level in choices.YOUTH_DATABANK_LEVELS + (choices.EvidenceLevel.NOT_RECOGNISED,):
        assert errors(cycle, evidence_level=level, databank="jeugd") == {}


@pytest.mark.parametrize("level", ["geen_databank", "niet_van_toepassing"])
def test_an_answer_that_is_no_verdict_names_no_databank(cycle, level):
    assert errors(cycle, evidence_level=level) == {}
    assert errors(cycle, evidence_level=level, databank="sociaal") == {
        "databank": [
            "Bij aanbod dat in geen databank staat of geen interventie is, hoort geen databank."
        ]
    }


def test_an_old_code_is_no_longer_a_choice(cycle):
    for old in choices.LEGACY_EVIDENCE_LEVELS:
        assert "evidence_level" in errors(cycle, evidence_level=old)


def test_the_dashboard_asks_which_databank_gave_a_verdict(cycle):
    Offering.objects.create(cycle=cycle, name="Stevig Ouderschap", kind="prevention")
    Offering.objects.create(
        cycle=cycle, name="Daderhulp", kind="help", evidence_level="goed_onderbouwd"
    )
    Offering.objects.create(
        cycle=cycle,
        name="Aandachtsfunctionaris",
        kind="signalling",
        evidence_level="niet_van_toepassing",
    )
    Offering.objects.create(
        cycle=cycle, name="Eigen nazorg", kind="aftercare", evidence_level="geen_databank"
    )
    Offering.objects.create(
        cycle=cycle,
        name="Oranje Huis",
        kind="help",
        evidence_level="goed_onderbouwd",
        databank="sociaal",
    )
    assert services.missing_items(cycle)[Step.OFFERING] == [
        "Bij de activiteit “Stevig Ouderschap” staat geen erkenningsniveau.",
        "Bij de activiteit “Daderhulp” staat niet welke databank haar beoordeelde.",
    ]


# --- The data migration -----------------------------------------------------------------------


def test_the_migration_keeps_a_frozen_copy_of_the_old_codes():
    assert migration.OLD_TO_NEW == choices.LEGACY_EVIDENCE_LEVELS
    assert migration.OLD_YOUTH_LEVELS == choices.LEGACY_YOUTH_DATABANK_LEVELS


OLD_ROWS = [
    # old code -> (new code, databank)
    ("niet_beoordeeld", "geen_databank", ""),
    ("goed_beschreven", "goed_beschreven", ""),  # never a youth level: databank left open
    ("goed_onderbouwd", "goed_onderbouwd", "jeugd"),
    ("effectief_eerste", "eerste_aanwijzingen", "jeugd"),
    ("effectief_goede", "goede_aanwijzingen", "jeugd"),
    ("effectief_sterke", "sterke_aanwijzingen", "jeugd"),
    ("niet_erkend", "niet_erkend", "jeugd"),
    ("", "", ""),
]


def test_the_migration_maps_old_rows_drafts_and_history(cycle, alice):
    ids = {}
    for old, _new, _databank in OLD_ROWS:
        offering = Offering.objects.create(cycle=cycle, name=f"Aanbod {old}", kind="help")
        Offering.objects.filter(pk=offering.pk).update(evidence_level=old)  # as stored before
        ids[old] = offering.pk
    StepProgress.objects.create(
        cycle=cycle,
        step=Step.OFFERING,
        draft={
            "offerings-0-evidence_level": ["effectief_goede"],
            "offerings-1-evidence_level": ["niet_beoordeeld"],
            "offerings-2-evidence_level": ["niet_erkend"],
            "offerings-2-databank": ["sociaal"],  # named in the draft: kept
            "offerings-0-name": ["effectief_goede"],  # not the level: left as typed
        },
    )
    record = ChangeRecord.objects.create(
        cycle=cycle,
        step=Step.OFFERING,
        user=alice,
        item="Aanbod",
        field="Erkenningsniveau",
        event=ChangeRecord.Event.CHANGED,
        part="offerings",
        field_name="evidence_level",
        old_value="niet_beoordeeld",
        new_value="effectief_sterke",
    )

    migration.forwards(apps, None)

    for old, new, databank in OLD_ROWS:
        row = Offering.objects.get(pk=ids[old])
        assert (row.evidence_level, row.databank) == (new, databank), old
    draft = StepProgress.objects.get(cycle=cycle, step=Step.OFFERING).draft
    assert draft == {
        "offerings-0-evidence_level": ["goede_aanwijzingen"],
        "offerings-0-databank": ["jeugd"],  # a youth level, as the rows get
        "offerings-1-evidence_level": ["geen_databank"],
        "offerings-2-evidence_level": ["niet_erkend"],
        "offerings-2-databank": ["sociaal"],
        "offerings-0-name": ["effectief_goede"],
    }
    record.refresh_from_db()
    assert (record.old_value, record.new_value) == ("geen_databank", "sterke_aanwijzingen")
    assert record.shown.old == "Staat niet in een databank / niet beoordeeld"

    migration.backwards(apps, None)
    assert Offering.objects.get(pk=ids["effectief_eerste"]).evidence_level == "effectief_eerste"
    assert Offering.objects.get(pk=ids["niet_beoordeeld"]).evidence_level == "niet_beoordeeld"


# --- The Aanbod step --------------------------------------------------------------------------


@pytest.fixture
def offered(cycle):
    return Offering.objects.create(
        cycle=cycle,
        name="Stevig Ouderschap",
        kind="prevention",
        evidence_level="eerste_aanwijzingen",
        databank="jeugd",
    )


def test_the_offering_step_asks_for_the_databank_beside_the_level(offered, alice, client_for):
    body = client_for(alice).get(f"/jaarcycli/{offered.cycle_id}/aanbod/").content.decode()
    assert '<optgroup label="Oordeel van de databank">' in body
    assert '<optgroup label="Geen oordeel">' in body
    assert '<option value="niet_van_toepassing">Niet van toepassing (geen interventie)' in body
    assert (
        '<option value="eerste_aanwijzingen" selected>Eerste aanwijzingen voor effectiviteit'
        in body
    )
    assert '<option value="jeugd" selected>Databank Effectieve Jeugdinterventies (NJi)' in body
    assert "Databank Effectieve sociale interventies (Movisie)" in body


def test_the_read_only_step_shows_the_databank_with_the_level(offered, bob, client_for):
    body = client_for(bob).get(f"/jaarcycli/{offered.cycle_id}/aanbod/").content.decode()
    assert "<select" not in body
    assert "Eerste aanwijzingen voor effectiviteit" in body
    assert "Databank Effectieve Jeugdinterventies (NJi)" in body
