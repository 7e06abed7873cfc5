"""Fixed choices: evidence levels with their validity, bands, aspects, and the band rule."""

import pytest
from django.core.exceptions import ValidationError

from cms.choices import Aspect, Band, Block, EvidenceLevel
from cms.snippets import MeasureSet, PrevalenceRate


def test_evidence_levels_are_the_seven_databank_levels_with_dutch_labels():
    assert [level.value for level in EvidenceLevel] == [
        "niet_beoordeeld",
        "goed_beschreven",
        "goed_onderbouwd",
        "effectief_eerste",
        "effectief_goede",
        "effectief_sterke",
        "niet_erkend",
    ]
    assert str(EvidenceLevel.WELL_FOUNDED.label) == "Goed onderbouwd"
    assert str(EvidenceLevel.EFFECTIVE_STRONG.label) == "Effectief – sterke aanwijzingen"


def test_evidence_validity_is_three_years_for_well_described_and_five_above():
    assert EvidenceLevel.WELL_DESCRIBED.validity_years == 3
    assert EvidenceLevel.WELL_FOUNDED.validity_years == 5
    assert EvidenceLevel.EFFECTIVE_STRONG.validity_years == 5
    assert EvidenceLevel.NOT_ASSESSED.validity_years is None
    assert EvidenceLevel.NOT_RECOGNISED.validity_years is None


def test_evidence_rank_orders_levels_from_low_to_high():
    ranks = [level.rank for level in EvidenceLevel if level != EvidenceLevel.NOT_RECOGNISED]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)


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
