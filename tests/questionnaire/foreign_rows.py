"""Rows of every step, filled in (dates, decimals, references), and rows to post elsewhere.

Used by the attack tests (issue 14, item 1): a coordinator posts another municipality's row
ids into the formsets of their own cycle. Every secret text contains SECRET.
"""

from datetime import date
from decimal import Decimal

from compass.models import SituationReading
from tests.factories import (
    AmbitionFactory,
    HelpKindFactory,
    HelpProvisionFactory,
    ImprovementActionFactory,
    OfferingFactory,
    OutcomeMeasurementFactory,
    QualityCheckFactory,
    ResultFactory,
    ResultValueFactory,
    SituationFigureFactory,
    TargetGroupFactory,
)

SECRET = "GEHEIM-UTRECHT"

# (step slug, formset prefix) for every formset of every step.
FORMSETS = [
    ("situatie", "figures"),
    ("ambities", "ambitions"),
    ("ambities", "results"),
    ("ambities", "values"),
    ("doelgroepen", "target_groups"),
    ("aanbod", "offerings"),
    ("kwaliteit", "quality"),
    ("uitkomsten", "outcomes"),
    ("verbeterplan", "actions"),
]


def make_rows(cycle, tag):
    """One row of every kind in `cycle`; their texts carry `tag`. Return prefix -> row."""
    ambition = AmbitionFactory(cycle=cycle, kind="reduce", text=f"{tag} ambitie")
    result = ResultFactory(
        cycle=cycle,
        ambition=ambition,
        type="substantive",
        text=f"{tag} resultaat",
        baseline_value=Decimal("12.5"),
        baseline_year=2024,
        target_value=Decimal("9.75"),
        target_year=2029,
        unit="%",
    )
    group = TargetGroupFactory(cycle=cycle, name=f"{tag} doelgroep", estimated_size=600)
    offering = OfferingFactory(
        cycle=cycle,
        name=f"{tag} aanbod",
        kind="prevention",
        evidence_level="goed_onderbouwd",
        databank="jeugd",
        databank_url="https://www.nji.nl/interventies/stevig-ouderschap",
        valid_until=date(2028, 12, 31),
        capacity=80,
        target_groups=[group],
        results=[result],
    )
    SituationReading.objects.update_or_create(
        cycle=cycle, defaults={"recognise": f"{tag} herkenning", "participants": "JGZ, wijkteam"}
    )
    return {
        "figures": SituationFigureFactory(
            cycle=cycle,
            label=f"{tag} cijfer",
            period="2025",
            value=Decimal("1234.56"),
            source=f"{tag} bron",
            provisional=True,
        ),
        "ambitions": ambition,
        "results": result,
        "values": ResultValueFactory(cycle=cycle, result=result, year=2025, value=Decimal("11.4")),
        "target_groups": group,
        "offerings": offering,
        "quality": QualityCheckFactory(
            cycle=cycle,
            offering=offering,
            well_founded="yes",
            trained="yes",
            registered="yes",
            supervised="yes",
            guidelines="yes",
            notes=f"{tag} notitie",
        ),
        "outcomes": OutcomeMeasurementFactory(
            cycle=cycle,
            offering=offering,
            reach=10,
            dropout=Decimal("8.5"),
            respondents=4,
            story=f"{tag} verhaal\nmet een tweede regel",
        ),
        "help_provisions": HelpProvisionFactory(
            cycle=cycle,
            offering=offering,
            help_kind=HelpKindFactory(code="schuldhulp", name="Schuldhulp").code,
            capacity=25,
        ),
        "actions": ImprovementActionFactory(
            cycle=cycle,
            what=f"{tag} actie",
            who=f"{tag} wie",
            due=date(2026, 9, 1),
            status="open",
            decision="continue",
            result=result,
            offering=offering,
        ),
    }


def own_row(prefix, own):
    """A valid row of the attacker's own making, pointing at the attacker's own items."""
    return {
        "figures": {"label": "Eigen cijfer", "period": "2025", "value": "4", "source": "Eigen"},
        "ambitions": {"kind": "reduce", "text": "Eigen ambitie"},
        "results": {
            "ambition": own["ambitions"].pk,
            "type": "process",
            "text": "Eigen resultaat",
            "direction": "higher",
        },
        "values": {"result": own["results"].pk, "year": "2025", "value": "5"},
        "target_groups": {"name": "Eigen doelgroep"},
        "offerings": {"name": "Eigen aanbod", "kind": "prevention"},
        "quality": {
            "offering": own["offerings"].pk,
            "well_founded": "no",
            "trained": "no",
            "registered": "no",
            "supervised": "no",
            "guidelines": "no",
        },
        "outcomes": {"offering": own["offerings"].pk, "reach": "3"},
        "help_provisions": {
            "help_kind": HelpKindFactory(code="schuldhulp", name="Schuldhulp").code,
            "offering": own["offerings"].pk,
            "capacity": "5",
        },
        "actions": {
            "what": "Eigen actie",
            "who": "Eigen team",
            "due": "2026-10-01",
            "status": "open",
            "decision": "stop",
        },
    }[prefix]
