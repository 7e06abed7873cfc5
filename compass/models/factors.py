"""Risk and protective factors, as structured choices of the Situatie and Doelgroepen steps.

The lists follow DOMAIN.md §7 and the content site's topic page
/risicofactoren-en-beschermende-factoren/ (cms/demo_content.py): the risk factors of child
abuse of NJi "Ken de risicofactoren" in its five groups, NJi's top 10 protective factors (in
NJi's terms: kansen voor betrokkenheid, constructieve tijdsbesteding, schoolmotivatie), and the
balance model (balansmodel): whether the protective factors outweigh the risks.

The codes are stored (a list of codes per row, `compass.models.fields.ChoiceList`); change a
label freely, never a code.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskFactor(models.TextChoices):
    """Risk factors of child abuse (NJi, Ken de risicofactoren), grouped as NJi groups them."""

    # The parent as carer
    PARENTING_KNOWLEDGE = "parenting_knowledge", _("parent as carer: little knowledge of parenting")
    POOR_INTERACTION = "poor_interaction", _("parent as carer: poor interaction with the child")
    EARLIER_ABUSE = "earlier_abuse", _("parent as carer: earlier abuse of a child")
    # The parent as a person
    PSYCHIATRIC = "psychiatric", _("parent as a person: psychiatric problems")
    ADDICTION = "addiction", _("parent as a person: addiction")
    INTELLECTUAL_DISABILITY = (
        "intellectual_disability",
        _("parent as a person: (mild) intellectual disability"),
    )
    # The parent's history
    YOUNG_PARENT = "young_parent", _("parent's history: young parent")
    ABUSED_AS_CHILD = "abused_as_child", _("parent's history: abused as a child")
    # The child
    UNDER_FIVE = "under_five", _("child: younger than five")
    PREMATURE = "premature", _("child: born prematurely")
    ILLNESS_DISABILITY = "illness_disability", _("child: illness or disability")
    BEHAVIOUR = "behaviour", _("child: behavioural problems")
    # The family
    SINGLE_OR_STEP = "single_or_step", _("family: single-parent or step family")
    CONFLICTS = "conflicts", _("family: many conflicts")
    PARTNER_VIOLENCE = "partner_violence", _("family: partner violence")


class ProtectiveFactor(models.TextChoices):
    """NJi's top 10 protective factors."""

    SOCIAL_BONDING = "social_bonding", _("social bonding")
    INVOLVEMENT = "involvement", _("opportunities for involvement")
    PROSOCIAL_NORMS = "prosocial_norms", _("prosocial norms")
    RECOGNITION = "recognition", _("recognition for positive behaviour")
    IMPORTANT_ADULTS = "important_adults", _("support from important adults")
    CONSTRUCTIVE_TIME = "constructive_time", _("constructive use of time")
    SOCIAL_EMOTIONAL = "social_emotional", _("social-emotional skills")
    COGNITIVE = "cognitive", _("cognitive skills")
    SCHOOL_MOTIVATION = "school_motivation", _("school motivation")
    POSITIVE_IDENTITY = "positive_identity", _("positive identity")


class Balance(models.TextChoices):
    """The balance model: do the protective factors outweigh the risks (draagkracht, draaglast)?"""

    PROTECTION = "protection", _("protective factors outweigh the risks")
    EVEN = "even", _("risks and protection in balance")
    RISK = "risk", _("risks outweigh the protective factors")
    UNKNOWN = "unknown", _("not known yet")
