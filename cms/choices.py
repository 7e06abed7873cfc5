"""Fixed choices of the content site: blocks, databanks, evidence levels, bands, aspects,
directions."""

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


class Databank(models.TextChoices):
    """The databanks of the shared recognition system that recognise interventions
    (DOMAIN.md section 3). Much domestic-violence help (perpetrator programmes, shelter) is
    recognised outside the youth databank, so an offering says which databank judged it."""

    YOUTH = "jeugd", _("Databank Effectieve Jeugdinterventies (NJi)")
    SOCIAL = "sociaal", _("Databank Effectieve sociale interventies (Movisie)")
    HEALTHY_LIVING = "gezond_leven", _("Loket Gezond Leven (RIVM)")
    SPORT = "sport", _("Recognised interventions of Kenniscentrum Sport & Bewegen")
    JUSTICE = "justitie", _("Justice interventions")
    OTHER = "anders", _("Another databank")


class EvidenceLevel(models.TextChoices):
    """What an offering's databank says about it (DOMAIN.md section 3).

    The Databank Effectieve Jeugdinterventies shows effectiveness on four levels, lowest to
    highest: goed onderbouwd; eerste, goede and sterke aanwijzingen voor effectiviteit; it may
    also give the verdict niet erkend. "Goed beschreven" is a level of other databanks of the
    shared recognition system (never of the youth databank: `Offering.clean` refuses it there).
    Two answers are not levels: the offering is in no databank (a reason to ask the provider,
    not proof that it fails), or it is no intervention at all (a role such as the
    aandachtsfunctionaris). No validity period is claimed: the databank states its own date.
    """

    WELL_DESCRIBED = "goed_beschreven", _("Well described")
    WELL_FOUNDED = "goed_onderbouwd", _("Well founded")
    FIRST_INDICATIONS = "eerste_aanwijzingen", _("First indications of effectiveness")
    GOOD_INDICATIONS = "goede_aanwijzingen", _("Good indications of effectiveness")
    STRONG_INDICATIONS = "sterke_aanwijzingen", _("Strong indications of effectiveness")
    NOT_RECOGNISED = "niet_erkend", _("Not recognised")
    NOT_IN_DATABANK = "geen_databank", _("Not in a databank / not assessed")
    NOT_APPLICABLE = "niet_van_toepassing", _("Not applicable (not an intervention)")

    @property
    def rank(self) -> int | None:
        """Order of the databank's verdict, low to high (0 for 'not recognised'); None for the
        answers that are not a verdict of a databank (not in a databank, not an intervention)."""
        return EVIDENCE_RANK.get(self)

    @property
    def is_verdict(self) -> bool:
        """True for a level or 'not recognised': something a databank said, so it names one."""
        return self in EVIDENCE_RANK

    @classmethod
    def grouped_choices(cls) -> list:
        """The choices in two groups (a databank's verdict, or no verdict), for the forms."""
        verdicts = [(level.value, level.label) for level in cls if level.is_verdict]
        others = [(level.value, level.label) for level in cls if not level.is_verdict]
        return [(_("Verdict of the databank"), verdicts), (_("No verdict"), others)]


# The youth databank's own four levels (NJi), lowest to highest.
YOUTH_DATABANK_LEVELS = (
    EvidenceLevel.WELL_FOUNDED,
    EvidenceLevel.FIRST_INDICATIONS,
    EvidenceLevel.GOOD_INDICATIONS,
    EvidenceLevel.STRONG_INDICATIONS,
)
EVIDENCE_RANK = {
    EvidenceLevel.NOT_RECOGNISED: 0,
    EvidenceLevel.WELL_DESCRIBED: 1,
    EvidenceLevel.WELL_FOUNDED: 2,
    EvidenceLevel.FIRST_INDICATIONS: 3,
    EvidenceLevel.GOOD_INDICATIONS: 4,
    EvidenceLevel.STRONG_INDICATIONS: 5,
}
# Codes stored before issue 19 (in rows, drafts, history and JSON files) and what they are now.
# The old list called its levels those of the youth databank: a level of that databank (and its
# "niet erkend") keeps the youth databank; "goed beschreven" was never one, so its databank is
# left open; "niet beoordeeld" is the answer "not in a databank". The data migration
# compass 0012 holds a frozen copy of this table.
LEGACY_EVIDENCE_LEVELS = {
    "niet_beoordeeld": EvidenceLevel.NOT_IN_DATABANK.value,
    "effectief_eerste": EvidenceLevel.FIRST_INDICATIONS.value,
    "effectief_goede": EvidenceLevel.GOOD_INDICATIONS.value,
    "effectief_sterke": EvidenceLevel.STRONG_INDICATIONS.value,
}
LEGACY_YOUTH_DATABANK_LEVELS = frozenset(
    {"goed_onderbouwd", "effectief_eerste", "effectief_goede", "effectief_sterke", "niet_erkend"}
)


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
    """Whether a higher or a lower value of an indicator is better, or neither.

    Veilig Thuis counts have no fixed direction: more reports may mean better signalling
    (DOMAIN-REVIEW M1). A result in that direction gets no on-track verdict; its value is
    interpreted (herkennen, verklaren, waarderen, verbeteren).
    """

    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")
    NEUTRAL = "neutral", _("no fixed direction: interpret")


class ResourceKind(models.TextChoices):
    """Kinds of knowledge resources editors link to."""

    DOSSIER = "dossier", _("dossier")
    GUIDELINE = "guideline", _("guideline")
    INTERVENTION = "intervention", _("intervention")
    RESEARCH = "research", _("research")
    TOOL = "tool", _("tool")
    DATA = "data", _("data source")
