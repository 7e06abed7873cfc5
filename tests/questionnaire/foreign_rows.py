"""Rows of every step, filled in (dates, decimals, references), and rows to post elsewhere.

Used by the attack tests (issue 14, item 1): a coordinator posts another municipality's row
ids into the formsets of their own cycle. Every secret text contains SECRET.
"""

from datetime import date
from decimal import Decimal

from compass.models import (
    Ambition,
    ImprovementAction,
    Offering,
    OutcomeMeasurement,
    QualityCheck,
    Result,
    ResultValue,
    SituationFigure,
    SituationReading,
    TargetGroup,
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
    ambition = Ambition.objects.create(cycle=cycle, kind="reduce", text=f"{tag} ambitie")
    result = Result.objects.create(
        cycle=cycle, ambition=ambition, type="substantive", text=f"{tag} resultaat"
    )
    result.baseline_value, result.baseline_year = Decimal("12.5"), 2024
    result.target_value, result.target_year, result.unit = Decimal("9.75"), 2029, "%"
    result.save()
    group = TargetGroup.objects.create(cycle=cycle, name=f"{tag} doelgroep", estimated_size=600)
    offering = Offering.objects.create(
        cycle=cycle,
        name=f"{tag} aanbod",
        kind="prevention",
        evidence_level="goed_onderbouwd",
        databank_url="https://www.nji.nl/interventies/stevig-ouderschap",
        valid_until=date(2028, 12, 31),
        capacity=80,
    )
    offering.target_groups.set([group])
    offering.results.set([result])
    SituationReading.objects.update_or_create(
        cycle=cycle, defaults={"recognise": f"{tag} herkenning", "participants": "JGZ, wijkteam"}
    )
    return {
        "figures": SituationFigure.objects.create(
            cycle=cycle,
            label=f"{tag} cijfer",
            period="2025",
            value=Decimal("1234.56"),
            source=f"{tag} bron",
            provisional=True,
        ),
        "ambitions": ambition,
        "results": result,
        "values": ResultValue.objects.create(
            cycle=cycle, result=result, year=2025, value=Decimal("11.4")
        ),
        "target_groups": group,
        "offerings": offering,
        "quality": QualityCheck.objects.create(
            cycle=cycle,
            offering=offering,
            well_founded="yes",
            trained="yes",
            registered="yes",
            supervised="yes",
            guidelines="yes",
            notes=f"{tag} notitie",
        ),
        "outcomes": OutcomeMeasurement.objects.create(
            cycle=cycle,
            offering=offering,
            reach=10,
            dropout=Decimal("8.5"),
            respondents=4,
            story=f"{tag} verhaal\nmet een tweede regel",
        ),
        "actions": ImprovementAction.objects.create(
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
        "actions": {
            "what": "Eigen actie",
            "who": "Eigen team",
            "due": "2026-10-01",
            "status": "open",
            "decision": "stop",
        },
    }[prefix]
