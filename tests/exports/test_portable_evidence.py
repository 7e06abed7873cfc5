"""The offering's databank and evidence level in the JSON file (issue 19, DOMAIN-REVIEW H2).

Schema 3 carries the databank; files of schema 1 and 2 stay importable: their old codes are
read as the new ones and a level the old list called the youth databank's keeps that databank.
"""

import copy
import json

import pytest
from django.utils import translation

from compass.models import Offering
from exports import portable
from tests.exports.cycle_builders import rich_cycle

pytestmark = pytest.mark.django_db

OLD_TO_NEW = [
    # (old code, new code, databank the import gives it)
    ("niet_beoordeeld", "geen_databank", ""),
    ("goed_beschreven", "goed_beschreven", ""),
    ("goed_onderbouwd", "goed_onderbouwd", "jeugd"),
    ("effectief_eerste", "eerste_aanwijzingen", "jeugd"),
    ("effectief_goede", "goede_aanwijzingen", "jeugd"),
    ("effectief_sterke", "sterke_aanwijzingen", "jeugd"),
    ("niet_erkend", "niet_erkend", "jeugd"),
    ("", "", ""),
]


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


@pytest.fixture
def exported(alice, gemeente_a):
    cycle = rich_cycle(gemeente_a, user=alice)
    return json.loads(portable.dumps(portable.export_cycle(cycle)))


def as_older_file(data, version: int, levels: list[str]) -> dict:
    """The file as schema `version` wrote it: no databank, the old codes."""
    old = copy.deepcopy(data)
    old["schema_version"] = version
    offerings = old["cycle"]["offerings"]
    template = offerings[0]
    offerings[:] = []
    for n, level in enumerate(levels, 1):
        row = {k: v for k, v in template.items() if k != "databank"}
        offerings.append(
            {**row, "key": f"aanbod-{n}", "name": f"Aanbod {n}", "evidence_level": level}
        )
    old["cycle"]["quality_checks"] = []
    old["cycle"]["outcomes"] = []
    # The purchasing check came with schema 3: an older file has none of its parts.
    old["cycle"].pop("purchasing_check", None)
    old["cycle"].pop("help_provisions", None)
    for action in old["cycle"]["actions"]:
        action["offering"] = None
    return old


@pytest.mark.parametrize("version", [1, 2])
def test_an_older_file_is_read_with_the_new_codes_and_the_youth_databank(
    exported, gemeente_b, version
):
    data = as_older_file(exported, version, [old for old, _new, _db in OLD_TO_NEW])
    cycle, _plan = portable.import_cycle(data, gemeente_b, 2027)
    rows = list(Offering.objects.filter(cycle=cycle).order_by("pk"))
    assert [(o.evidence_level, o.databank) for o in rows] == [
        (new, databank) for _old, new, databank in OLD_TO_NEW
    ]
    again = portable.export_cycle(cycle)
    assert again["schema_version"] == 3
    assert [o["databank"] for o in again["cycle"]["offerings"]] == [d for *_, d in OLD_TO_NEW]


def test_an_older_file_that_names_a_databank_keeps_it(exported, gemeente_b):
    data = as_older_file(exported, 2, ["goed_onderbouwd"])
    data["cycle"]["offerings"][0]["databank"] = "sociaal"
    cycle, _plan = portable.import_cycle(data, gemeente_b, 2027)
    assert Offering.objects.get(cycle=cycle).databank == "sociaal"


def test_a_current_file_with_an_old_code_is_refused(exported, gemeente_b):
    exported["cycle"]["offerings"][0]["evidence_level"] = "effectief_sterke"
    with pytest.raises(portable.ImportRefused) as refused:
        portable.import_cycle(exported, gemeente_b, 2027)
    assert refused.value.messages == [
        "Aanbod 1: Erkenningsniveau: Waarde 'effectief_sterke' is geen geldige keuze."
    ]


def test_the_file_refuses_what_the_step_refuses(exported, gemeente_b):
    exported["cycle"]["offerings"][0]["evidence_level"] = "goed_beschreven"
    exported["cycle"]["offerings"][1]["evidence_level"] = "geen_databank"
    exported["cycle"]["offerings"][1]["databank"] = "sport"
    exported["cycle"]["offerings"][2]["databank"] = "bibliotheek"
    with pytest.raises(portable.ImportRefused) as refused:
        portable.import_cycle(exported, gemeente_b, 2027)
    assert refused.value.messages == [
        "Aanbod 1: Erkenningsniveau: 'Goed beschreven' is geen niveau van de Databank Effectieve "
        "Jeugdinterventies: de vier niveaus beginnen bij 'goed onderbouwd'.",
        "Aanbod 2: Databank: Bij aanbod dat in geen databank staat of geen interventie is, hoort "
        "geen databank.",
        "Aanbod 3: Databank: Waarde 'bibliotheek' is geen geldige keuze.",
    ]


def test_databank_and_level_survive_the_round_trip(exported, gemeente_b):
    cycle, _plan = portable.import_cycle(exported, gemeente_b, 2027)
    again = json.loads(portable.dumps(portable.export_cycle(cycle)))
    assert [(o["evidence_level"], o["databank"]) for o in again["cycle"]["offerings"]] == [
        (o["evidence_level"], o["databank"]) for o in exported["cycle"]["offerings"]
    ]
    assert ("sterke_aanwijzingen", "jeugd") in [
        (o["evidence_level"], o["databank"]) for o in again["cycle"]["offerings"]
    ]
