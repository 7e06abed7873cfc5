"""The populations behind the prevalence estimates: children 0-17 and people 16 and over.

Two shapes are read:

* a StatLine CSV with five-year age groups (table 70072ned, the file in compass/fixtures/cbs);
  the populations are then *estimated* (below);
* the CBS OData table **03759ned** "Bevolking op 1 januari en gemiddeld; geslacht, leeftijd en
  regio", which counts every single year of age per municipality: ages 0-17 and 16 and over
  are then counted, not estimated (`read_population_odata`). No saved copy of that table is in
  shared/data/cbs, so the demo still uses the 70072ned estimate and says so on every page.

CBS table 70072ned (Regionale kerncijfers Nederland) counts inhabitants on 1 January in
groups "Jonger dan 5 jaar", "5 tot 10 jaar", "10 tot 15 jaar" and "15 tot 20 jaar"; it has no
0-17 group. The prevalence rates count children aged 0-17, so the youth population is
*estimated*: ages 0-15 plus three fifths of ages 15-20 (15, 16 and 17 of the five years 15-19,
assuming the five years are about equally large). People of 16 and over are the total
population minus ages 0-15 minus one fifth of ages 15-20 (age 15). The municipality keeps the
year, the table and that it was estimated, and every page that uses the number says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from compass.cbs.errors import MalformedData
from compass.cbs.statline_csv import read_statline_csv

YOUNGER_GROUPS = ("Jonger dan 5 jaar", "0 tot 5 jaar", "5 tot 10 jaar", "10 tot 15 jaar")
OLDEST_GROUP = "15 tot 20 jaar"
SHARE_OF_OLDEST = Decimal(3) / Decimal(5)  # ages 15, 16 and 17 of 15-19
SHARE_UNDER_16 = Decimal(1) / Decimal(5)  # age 15 of 15-19
TOTAL_COLUMNS = ("Totale bevolking", "Bevolking", "Inwonertal")
NAME_COLUMNS = ("Regio's", "Naam", "Gemeente", "Gemeentenaam", "Regio")
CODE_COLUMNS = ("Code", "RegioS", "Regiocode", "Gemeentecode", "Codering")
MUNICIPALITY_CODE = re.compile(r"^GM\d{4}$")
TABLE_IN_URL = re.compile(r"/dataset/(\w+)/", re.I)


@dataclass
class YouthResult:
    year: int
    source: str
    updated: int = 0
    unchanged: int = 0
    unmatched: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)  # rows without age figures (old names)
    values: dict[str, int] = field(default_factory=dict)  # code -> estimate
    adults: dict[str, int] = field(default_factory=dict)  # code -> people aged 16 and over
    estimated: bool = True


def estimate_0_17(younger: list[int], oldest: int) -> int:
    """Ages 0-15 plus three fifths of ages 15-20, rounded half up to whole children."""
    exact = Decimal(sum(younger)) + Decimal(oldest) * SHARE_OF_OLDEST
    return int(exact.to_integral_value(rounding=ROUND_HALF_UP))


def estimate_16_plus(total: int, younger: list[int], oldest: int) -> int:
    """All inhabitants minus ages 0-15 minus one fifth of ages 15-20, rounded half up."""
    exact = Decimal(total) - Decimal(sum(younger)) - Decimal(oldest) * SHARE_UNDER_16
    return int(exact.to_integral_value(rounding=ROUND_HALF_UP))


def _year_and_table(source_cells: list[str]) -> tuple[int | None, str]:
    year, table = None, ""
    for cell in source_cells:
        cell = cell.strip()
        if re.fullmatch(r"(19|20)\d{2}", cell):
            year = int(cell)
        match = TABLE_IN_URL.search(cell)
        if match:
            table = match.group(1)
    return year, table


def _plain_name(name: str) -> str:
    return re.sub(r"\s*\(gemeente\)$", "", name.strip(), flags=re.I).lower()


def read_population(data: bytes, year: int | None = None):
    """Return (year, source, [(code or name, youth 0-17, people 16+ or None)]) of a
    70072ned-like StatLine CSV; -1 for rows without figures (old municipalities).

    Raises MalformedData when the age columns or the year are missing.
    """
    csv = read_statline_csv(data)
    younger = []
    for name in YOUNGER_GROUPS:
        try:
            younger.append(csv.column(name))
        except MalformedData:
            continue
    if len(younger) != 3:
        raise MalformedData(
            _(
                "the file needs the columns 'Jonger dan 5 jaar' (or '0 tot 5 jaar'), "
                "'5 tot 10 jaar', '10 tot 15 jaar' and '15 tot 20 jaar'"
            )
        )
    oldest = csv.column(OLDEST_GROUP)
    try:
        total = csv.column(*TOTAL_COLUMNS)
    except MalformedData:
        total = None
    try:
        region = csv.column(*CODE_COLUMNS)
    except MalformedData:
        region = csv.column(*NAME_COLUMNS)
    found_year, table = _year_and_table(csv.source)
    year = year or found_year
    if year is None:
        raise MalformedData(_("the file names no year: give one (--year 2019)"))
    source = f"CBS StatLine {table}" if table else "CBS StatLine"
    rows = []
    for row in csv.rows:
        numbers = [csv.number(row, column) for column in [*younger, oldest]]
        key = row[region].strip()
        if any(n is None for n in numbers):
            rows.append((key, -1, None))
            continue
        younger_n, oldest_n = [int(n) for n in numbers[:3]], int(numbers[3])
        everyone = csv.number(row, total) if total else None
        adults = None if everyone is None else estimate_16_plus(int(everyone), younger_n, oldest_n)
        rows.append((key, estimate_0_17(younger_n, oldest_n), adults))
    return year, source, rows


def read_youth(data: bytes, year: int | None = None) -> tuple[int, str, list[tuple[str, int]]]:
    """Return (year, source, [(code or name, estimate)]) of a 70072ned-like StatLine CSV.

    Raises MalformedData when the age columns or the year are missing.
    """
    year, source, rows = read_population(data, year)
    return year, source, [(key, youth) for key, youth, _adults in rows]


AGE_TITLE = re.compile(r"^(\d+) jaar$")
POPULATION_TABLE = "03759ned"
POPULATION_TOPIC = "BevolkingOp1Januari_1"


def read_population_odata(source, table_id: str = POPULATION_TABLE, period: str | None = None):
    """Return (year, source, [(GM code, ages 0-17, ages 16+)]) counted from single years of age
    in CBS table 03759ned (OData v3: a saved folder, a transport, or None for the live API).

    The shape read: a topic ``BevolkingOp1Januari_1`` ("Bevolking op 1 januari"), a dimension
    ``Leeftijd`` whose code titles are "Totaal" and "0 jaar", "1 jaar", ...; every other
    dimension (``Geslacht``, ``BurgerlijkeStaat``) is held at its "Totaal ..." code; the period
    is the newest in ``Perioden`` unless one is named. Codes are matched by title, so the
    numeric keys CBS uses for ages do not matter.
    """
    from compass.cbs.importer import source_transport
    from compass.cbs.odata import ODataTable, parse_value

    table = ODataTable(table_id, source_transport(source))
    topics = table.topics()
    topic = next((t for t in topics if t.key == POPULATION_TOPIC), None) or next(
        (t for t in topics if t.title.lower().startswith("bevolking op 1 januari")), None
    )
    if topic is None:
        raise MalformedData(_("the table has no topic 'Bevolking op 1 januari'"))
    region_dim, period_dim = table.region_dimension(), table.period_dimension()
    age_dim = next(
        (d for d in table.dimensions() if d.key == "Leeftijd" or d.title.lower() == "leeftijd"),
        None,
    )
    if region_dim is None or period_dim is None or age_dim is None:
        raise MalformedData(_("the table needs the dimensions Leeftijd, RegioS and Perioden"))
    ages, total_age = {}, None
    for code in table.code_list(age_dim.key):
        title = code.title.strip()
        match = AGE_TITLE.match(title)
        if match:
            ages[code.code] = int(match.group(1))
        elif title.lower() == "totaal":
            total_age = code.code
    if total_age is None or not set(range(18)) <= set(ages.values()):
        raise MalformedData(_("the age code list needs 'Totaal' and every age from 0 to 17"))
    held = {}
    for dim in table.dimensions():
        if dim.key in (region_dim.key, period_dim.key, age_dim.key):
            continue
        total = next(
            (c for c in table.code_list(dim.key) if c.title.lower().startswith("totaal")), None
        )
        if total is None:
            raise MalformedData(_("the dimension %(key)s has no 'Totaal' code") % {"key": dim.key})
        held[dim.key] = total.code
    periods = [c.code for c in table.code_list(period_dim.key)]
    if period is None:
        if not periods:
            raise MalformedData(_("the table has no periods"))
        period = sorted(periods)[-1]
    elif period not in periods:
        raise MalformedData(_("%(period)s is not a period of the table") % {"period": period})
    counts: dict[str, dict[str, int | None]] = {}
    for row in table.rows(f"(Perioden eq '{period}')"):
        if str(row.get(period_dim.key, "")).strip() != period:
            continue
        if any(str(row.get(key, "")).strip() != code for key, code in held.items()):
            continue
        region = str(row.get(region_dim.key, "")).strip()
        if not MUNICIPALITY_CODE.match(region):
            continue
        age = str(row.get(age_dim.key, "")).strip()
        if age != total_age and age not in ages:
            continue
        value = parse_value(row.get(topic.key))
        counts.setdefault(region, {})[age] = None if value is None else int(value)
    by_age = {years: code for code, years in ages.items()}
    rows = []
    for region, values in sorted(counts.items()):
        youth_parts = [values.get(by_age[a]) for a in range(18)]
        under_16 = youth_parts[:16]
        everyone = values.get(total_age)
        youth = None if None in youth_parts else sum(youth_parts)
        adults = None if everyone is None or None in under_16 else everyone - sum(under_16)
        rows.append((region, -1 if youth is None else youth, adults))
    return int(period[:4]), f"CBS StatLine {table_id}", rows


@transaction.atomic
def load_youth_population(
    data: bytes, year: int | None = None, dry_run: bool = False, only_empty: bool = False
) -> YouthResult:
    """Store the estimated populations (0-17 and 16+) of every municipality the CSV names.

    `only_empty` leaves municipalities alone whose youth population came from another source.
    """
    year, source, rows = read_population(data, year)
    return _store_population(rows, year, source, True, dry_run, only_empty)


@transaction.atomic
def load_population_odata(
    source, table_id: str = POPULATION_TABLE, period: str | None = None, dry_run: bool = False
) -> YouthResult:
    """Store the counted populations (0-17 and 16+) of 03759ned (not estimated)."""
    year, label, rows = read_population_odata(source, table_id, period)
    return _store_population(rows, year, label, False, dry_run, only_empty=False)


YOUTH_FIELDS = (
    "youth_population",
    "youth_population_year",
    "youth_population_source",
    "youth_population_estimated",
)
ADULT_FIELDS = (
    "adult_population",
    "adult_population_year",
    "adult_population_source",
    "adult_population_estimated",
)


def _store_population(rows, year, source, estimated, dry_run, only_empty) -> YouthResult:
    from compass.models import Municipality

    result = YouthResult(year=year, source=source, estimated=estimated)
    municipalities = list(Municipality.objects.all())
    by_code = {m.code: m for m in municipalities}
    by_name: dict[str, Municipality] = {}
    for m in sorted(municipalities, key=lambda m: (m.status != "active", m.code)):
        by_name.setdefault(m.name.lower(), m)
    changed = []
    for key, estimate, adults in rows:
        municipality = by_code.get(key.upper()) if MUNICIPALITY_CODE.match(key.upper()) else None
        municipality = municipality or by_name.get(_plain_name(key))
        if estimate < 0:
            result.empty.append(key)
            continue
        if municipality is None:
            result.unmatched.append(key)
            continue
        result.values[municipality.code] = estimate
        if adults is not None:
            result.adults[municipality.code] = adults
        if (
            only_empty
            and municipality.youth_population is not None
            and (municipality.youth_population_source != source)
        ):
            result.unchanged += 1
            continue
        old = tuple(getattr(municipality, name) for name in YOUTH_FIELDS + ADULT_FIELDS)
        new = (estimate, year, source, estimated)
        if adults is not None:
            new += (adults, year, source, estimated)
        else:
            new += old[4:]
        if new == old:
            result.unchanged += 1
            continue
        for name, value in zip(YOUTH_FIELDS + ADULT_FIELDS, new, strict=True):
            setattr(municipality, name, value)
        changed.append(municipality)
    result.updated = len(changed)
    if not dry_run:
        Municipality.objects.bulk_update(changed, list(YOUTH_FIELDS + ADULT_FIELDS))
    return result
