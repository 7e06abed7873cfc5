"""The sources a team uses on a step, linked beside the step (DOMAIN.md §6-7, DOMAIN-REVIEW Q6).

Kept here, not in the CMS, because they belong to the step's fields (the risk factors ask for
the Jeugdmonitor, the reading asks for the regional vision); the content site's topic pages
(/cijfers-over-kindermishandeling/, /risicofactoren-en-beschermende-factoren/) say more.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from compass.models import Step


@dataclass(frozen=True)
class Source:
    name: str
    url: str
    use: str  # what the team finds there, for this step


WAARSTAATJEGEMEENTE = Source(
    "Waarstaatjegemeente.nl",
    "https://www.waarstaatjegemeente.nl/",
    _("figures per municipality, compared with similar municipalities"),
)
JEUGDMONITOR = Source(
    _("CBS Jeugdmonitor: Lokale jeugdspiegel and regional youth report"),
    "https://jeugdmonitor.cbs.nl/nl-nl/in-de-regio/",
    _("risk factors in figures: children in single-parent families or in families on welfare"),
)
LEEFBAAROMETER = Source(
    "Leefbaarometer",
    "https://www.leefbaarometer.nl/",
    _("liveability per neighbourhood"),
)
SAMEN_IN_GESPREK = Source(
    _("Samen in gesprek over cijfers (NJi)"),
    "https://www.nji.nl/monitoring",
    _("how to discuss the figures with partners: recognise, explain, appraise, improve"),
)
RISICOFACTOREN = Source(
    _("Ken de risicofactoren (NJi)"),
    "https://www.nji.nl/kindermishandeling/ken-de-risicofactoren",
    _("the risk factors of child abuse, and how they accumulate"),
)
# Movisie is the knowledge institute of the domestic-violence half (Wmo, Veilig Thuis, opvang,
# the centrumgemeente); NJi of the child-abuse half (DOMAIN-REVIEW Q6.14).
MOVISIE_HG = Source(
    _("Movisie: tackling domestic violence and child abuse (municipalities)"),
    "https://gemeenten.movisie.nl/doel/huiselijk-geweld-en-kindermishandeling-aanpakken/beleid/wmo",
    _("the municipality's tasks for domestic violence: Veilig Thuis, shelter, the centrumgemeente"),
)
REGIOVISIE = Source(
    _("Regional vision (regiovisie) on domestic violence and child abuse"),
    "http://www.regioaanpakveiligthuis.nl/projecten/regiovisie",
    _("the agreements of the municipalities of your Veilig Thuis region"),
)
STEP_SOURCES = {
    Step.SITUATION: (
        WAARSTAATJEGEMEENTE,
        JEUGDMONITOR,
        LEEFBAAROMETER,
        SAMEN_IN_GESPREK,
        RISICOFACTOREN,
        MOVISIE_HG,
        REGIOVISIE,
    ),
    Step.AMBITIONS: (REGIOVISIE, MOVISIE_HG, RISICOFACTOREN),
    Step.TARGET_GROUPS: (JEUGDMONITOR, RISICOFACTOREN, WAARSTAATJEGEMEENTE),
}


def for_step(step) -> tuple[Source, ...]:
    return STEP_SOURCES.get(Step(step), ())
