"""Fixed choices of the content site: blocks, evidence levels, bands, aspects, directions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Block(models.IntegerChoices):
    """The blocks of the NJi Kwaliteitskompas: six blocks (1-6) with collaboration (0) as the
    base under all of them; collaboration is not counted as a seventh (DOMAIN.md section 2)."""

    COOPERATION = 0, _("Cooperation")
    MONITORING = 1, _("Monitoring and ambitions")
    SOCIETAL_RESULT = 2, _("Societal result")
    ACTIVITIES = 3, _("Activities and offering")
    QUALITY = 4, _("Quality of activities")
    OUTCOMES = 5, _("Outcomes")
    IMPROVEMENT = 6, _("Improvement cycle")


class EvidenceLevel(models.TextChoices):
    """Recognition levels of the Databank Effectieve Jeugdinterventies (DOMAIN.md section 3)."""

    NOT_ASSESSED = "niet_beoordeeld", _("Not assessed")
    WELL_DESCRIBED = "goed_beschreven", _("Well described")
    WELL_FOUNDED = "goed_onderbouwd", _("Well founded")
    EFFECTIVE_FIRST = "effectief_eerste", _("Effective, first indications")
    EFFECTIVE_GOOD = "effectief_goede", _("Effective, good indications")
    EFFECTIVE_STRONG = "effectief_sterke", _("Effective, strong indications")
    NOT_RECOGNISED = "niet_erkend", _("Not recognised")

    @property
    def validity_years(self) -> int | None:
        """Years a recognition stays valid; None when the level is not a recognition."""
        return EVIDENCE_VALIDITY_YEARS.get(self)

    @property
    def rank(self) -> int:
        """Order from lowest to highest evidence; 'not recognised' ranks with 'not assessed'."""
        return EVIDENCE_RANK[self]


EVIDENCE_VALIDITY_YEARS = {
    EvidenceLevel.WELL_DESCRIBED: 3,
    EvidenceLevel.WELL_FOUNDED: 5,
    EvidenceLevel.EFFECTIVE_FIRST: 5,
    EvidenceLevel.EFFECTIVE_GOOD: 5,
    EvidenceLevel.EFFECTIVE_STRONG: 5,
}
EVIDENCE_RANK = {
    EvidenceLevel.NOT_ASSESSED: 0,
    EvidenceLevel.NOT_RECOGNISED: 0,
    EvidenceLevel.WELL_DESCRIBED: 1,
    EvidenceLevel.WELL_FOUNDED: 2,
    EvidenceLevel.EFFECTIVE_FIRST: 3,
    EvidenceLevel.EFFECTIVE_GOOD: 4,
    EvidenceLevel.EFFECTIVE_STRONG: 5,
}


class Band(models.TextChoices):
    """Realisation bands of a measure: below the low threshold, between, at or above high."""

    LOW = "low", _("low")
    PARTLY = "partly", _("partly")
    HIGH = "high", _("high")


class Aspect(models.TextChoices):
    """The three questions asked about every measure."""

    WHAT_WE_DO = "what_we_do", _("what we do")
    REACH = "reach", _("reach")
    EMBEDDING = "embedding", _("embedding")


class Direction(models.TextChoices):
    """Whether a higher or a lower value of an indicator is better."""

    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")


class ResourceKind(models.TextChoices):
    """Kinds of knowledge resources editors link to."""

    DOSSIER = "dossier", _("dossier")
    GUIDELINE = "guideline", _("guideline")
    INTERVENTION = "intervention", _("intervention")
    RESEARCH = "research", _("research")
    TOOL = "tool", _("tool")
    DATA = "data", _("data source")
