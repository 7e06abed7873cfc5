"""Demo districts (issue 22): Utrecht's ten districts and one district figure, from real CBS files.

`setup_demo` calls `setup_districts()`: the districts come from CBS's kwb-2023 spreadsheet of
Utrecht (inhabitants and children 0-14 per district), the figure "Afstand tot kinderdagverblijf"
per district from a StatLine CSV of Nabijheid voorzieningen 2023, through the same importer as
the municipal figures. Both files are in compass/fixtures/cbs/wijken/ (README there). A rerun
changes nothing.
"""

from dataclasses import dataclass
from pathlib import Path

from compass.cbs.districts import read_districts
from compass.cbs.importer import import_csv
from compass.districts import load_districts
from compass.models import Municipality

WIJKEN = Path(__file__).resolve().parent / "fixtures" / "cbs" / "wijken"
KWB_FILE = WIJKEN / "CBS-Utrecht-kwb-2023.xlsx"
NABIJHEID_FILE = WIJKEN / "CBS-Utrecht_Nabijheid_voorzieningen__buurt_2023_14102024_164034.csv"
NABIJHEID_TABLE = "85830NED"
DISTRICT_INDICATOR = {
    "code": "wijk-afstand-kinderdagverblijf",
    "name": "Afstand tot kinderdagverblijf",
    "unit": "km",
    "direction": "lower",
    "cbs_table_id": NABIJHEID_TABLE,
    "definition_url": "https://opendata.cbs.nl/statline/#/CBS/nl/dataset/85830NED/table",
    "description": (
        "Gemiddelde afstand van alle inwoners van een gebied tot het dichtstbijzijnde "
        "kinderdagverblijf, over de weg (CBS, Nabijheid voorzieningen; wijk- en buurtcijfers "
        "2023). CBS publiceert dit per gemeente, wijk en buurt; het Kwaliteitskompas bewaart het "
        "voor de gemeente en haar vastgelegde wijken. Alleen via een StatLine-CSV in te lezen "
        "(geen sleutel): controleer het tabelnummer op StatLine voordat u live importeert."
    ),
}


@dataclass
class DemoDistricts:
    districts: int
    figures: int


def setup_districts(code: str = "GM0344") -> DemoDistricts | None:
    from cms.snippets import Indicator

    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        return None
    rows = read_districts(KWB_FILE.read_bytes()).for_municipality(code, municipality.name)
    load_districts(municipality, rows, f"CBS, {KWB_FILE.name}")
    Indicator.objects.get_or_create(
        code=DISTRICT_INDICATOR["code"],
        defaults={k: v for k, v in DISTRICT_INDICATOR.items() if k != "code"},
    )
    result = import_csv(
        NABIJHEID_TABLE,
        NABIJHEID_FILE.read_bytes(),
        DISTRICT_INDICATOR["code"],
        municipalities=[code],
        periods=["2023JJ00"],
        source_name=NABIJHEID_FILE.name,
    )
    return DemoDistricts(districts=len(rows), figures=result.total)
