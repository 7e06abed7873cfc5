"""Fixed choices: evidence levels and databanks, directions, bands, aspects, and the band rule."""

import pytest
from django.core.exceptions import ValidationError

from cms import choices
from cms.choices import (
    LEGACY_EVIDENCE_LEVELS,
    YOUTH_DATABANK_LEVELS,
    Aspect,
    Band,
    Block,
    Databank,
    Direction,
    EvidenceLevel,
)
from cms.snippets import MeasureSet, PrevalenceRate

# DOMAIN.md section 3, in the databanks' own words: the Databank Effectieve Jeugdinterventies'
# four levels (lowest to highest), "goed beschreven" of the other databanks, the verdict "niet
# erkend"; then the two answers that are not a verdict.
DOMAIN_VERDICTS = [
    ("goed_beschreven", "Goed beschreven"),
    ("goed_onderbouwd", "Goed onderbouwd"),
    ("eerste_aanwijzingen", "Eerste aanwijzingen voor effectiviteit"),
    ("goede_aanwijzingen", "Goede aanwijzingen voor effectiviteit"),
    ("sterke_aanwijzingen", "Sterke aanwijzingen voor effectiviteit"),
    ("niet_erkend", "Niet erkend"),
]
DOMAIN_NO_VERDICT = [
    ("geen_databank", "Staat niet in een databank / niet beoordeeld"),
    ("niet_van_toepassing", "Niet van toepassing (geen interventie)"),
]


def test_evidence_levels_are_exactly_those_of_domain_md_in_dutch():
    assert [(level.value, str(level.label)) for level in EvidenceLevel] == (
        DOMAIN_VERDICTS + DOMAIN_NO_VERDICT
    )
    assert [level.value for level in YOUTH_DATABANK_LEVELS] == [
        "goed_onderbouwd",
        "eerste_aanwijzingen",
        "goede_aanwijzingen",
        "sterke_aanwijzingen",
    ]


def test_not_in_a_databank_and_not_an_intervention_are_answers_not_levels():
    groups = EvidenceLevel.grouped_choices()
    assert [str(name) for name, _items in groups] == ["Oordeel van de databank", "Geen oordeel"]
    assert [(code, str(label)) for code, label in groups[0][1]] == DOMAIN_VERDICTS
    assert [(code, str(label)) for code, label in groups[1][1]] == DOMAIN_NO_VERDICT
    assert EvidenceLevel.NOT_IN_DATABANK.rank is None
    assert EvidenceLevel.NOT_APPLICABLE.rank is None
    assert not EvidenceLevel.NOT_IN_DATABANK.is_verdict
    assert EvidenceLevel.NOT_RECOGNISED.is_verdict and EvidenceLevel.NOT_RECOGNISED.rank == 0


def test_no_validity_period_is_claimed_for_any_level():
    """The old list gave 'goed beschreven' three and the rest five years, credited to NJi; no
    source states that (DOMAIN-REVIEW H2): a validity date is only what the databank says."""
    assert not hasattr(EvidenceLevel.WELL_FOUNDED, "validity_years")
    assert not hasattr(choices, "EVIDENCE_VALIDITY_YEARS")


def test_evidence_rank_orders_levels_from_low_to_high():
    levels = [level for level in EvidenceLevel if level.rank]  # not "niet erkend" (0)
    ranks = [level.rank for level in levels]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks) == 5
    assert EvidenceLevel.NOT_RECOGNISED.rank < min(ranks)
    assert EvidenceLevel.WELL_FOUNDED.rank < EvidenceLevel.FIRST_INDICATIONS.rank


def test_databanks_are_those_of_the_shared_recognition_system():
    assert [(d.value, str(d.label)) for d in Databank] == [
        ("jeugd", "Databank Effectieve Jeugdinterventies (NJi)"),
        ("sociaal", "Databank Effectieve sociale interventies (Movisie)"),
        ("gezond_leven", "Loket Gezond Leven (RIVM)"),
        ("sport", "Erkende interventies van Kenniscentrum Sport & Bewegen"),
        ("justitie", "Justitiële interventies"),
        ("anders", "Een andere databank"),
    ]


def test_every_old_code_maps_to_a_current_one():
    assert set(LEGACY_EVIDENCE_LEVELS.values()) <= set(EvidenceLevel.values)
    assert not set(LEGACY_EVIDENCE_LEVELS) & set(EvidenceLevel.values)
    old = {"niet_beoordeeld", "goed_beschreven", "goed_onderbouwd", "effectief_eerste"}
    old |= {"effectief_goede", "effectief_sterke", "niet_erkend"}
    for code in old:
        assert LEGACY_EVIDENCE_LEVELS.get(code, code) in EvidenceLevel.values


def test_direction_has_a_neutral_choice_for_counts_without_a_fixed_direction():
    assert [(d.value, str(d.label)) for d in Direction] == [
        ("higher", "hoger is beter"),
        ("lower", "lager is beter"),
        ("neutral", "geen vaste richting: duiden"),
    ]


def test_bands_aspects_and_blocks_use_the_glossary_words():
    assert [str(b.label) for b in Band] == ["laag", "deels", "hoog"]
    assert [str(a.label) for a in Aspect] == ["wat doen we", "bereik", "borging"]
    assert str(Block(1).label) == "Monitoring & ambities"


@pytest.mark.parametrize(
    ("percentage", "band"),
    [(0, "low"), (39.9, "low"), (40, "partly"), (69.9, "partly"), (70, "high")],
)
def test_band_of_a_percentage_uses_the_default_thresholds(percentage, band):
    assert MeasureSet(name="x").band_for(percentage) == band


@pytest.mark.parametrize(("low", "high"), [(70, 40), (50, 50), (0, 50), (40, 101)])
def test_measure_set_refuses_thresholds_that_do_not_satisfy_0_low_high_100(low, high):
    with pytest.raises(ValidationError):
        MeasureSet(name="x", low_threshold=low, high_threshold=high).clean()


def test_prevalence_rate_refuses_a_low_rate_above_the_high_rate():
    with pytest.raises(ValidationError) as error:
        PrevalenceRate(label="x", low_rate=40, high_rate=30, source="CBS", year=2017).clean()
    assert "high_rate" in error.value.message_dict
