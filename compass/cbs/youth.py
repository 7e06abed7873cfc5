"""The youth population (0-17) of municipalities from a StatLine CSV with five-year age groups.

CBS table 70072ned (Regionale kerncijfers Nederland) counts inhabitants on 1 January in
groups "Jonger dan 5 jaar", "5 tot 10 jaar", "10 tot 15 jaar" and "15 tot 20 jaar"; it has no
0-17 group. The prevalence rates count children aged 0-17, so the youth population is
*estimated*: ages 0-15 plus three fifths of ages 15-20 (15, 16 and 17 of the five years 15-19,
assuming the five years are about equally large). The municipality keeps the year, the table
and that it was estimated, and every page that uses the number says so.
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


def estimate_0_17(younger: list[int], oldest: int) -> int:
    """Ages 0-15 plus three fifths of ages 15-20, rounded half up to whole children."""
    exact = Decimal(sum(younger)) + Decimal(oldest) * SHARE_OF_OLDEST
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


def read_youth(data: bytes, year: int | None = None) -> tuple[int, str, list[tuple[str, int]]]:
    """Return (year, source, [(code or name, estimate)]) of a 70072ned-like StatLine CSV.

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
            rows.append((key, -1))
            continue
        rows.append((key, estimate_0_17([int(n) for n in numbers[:3]], int(numbers[3]))))
    return year, source, rows


@transaction.atomic
def load_youth_population(
    data: bytes, year: int | None = None, dry_run: bool = False, only_empty: bool = False
) -> YouthResult:
    """Store the estimated youth population of every municipality the file names.

    `only_empty` leaves municipalities alone whose youth population came from another source.
    """
    from compass.models import Municipality

    year, source, rows = read_youth(data, year)
    result = YouthResult(year=year, source=source)
    municipalities = list(Municipality.objects.all())
    by_code = {m.code: m for m in municipalities}
    by_name: dict[str, Municipality] = {}
    for m in sorted(municipalities, key=lambda m: (m.status != "active", m.code)):
        by_name.setdefault(m.name.lower(), m)
    changed = []
    for key, estimate in rows:
        municipality = by_code.get(key.upper()) if MUNICIPALITY_CODE.match(key.upper()) else None
        municipality = municipality or by_name.get(_plain_name(key))
        if estimate < 0:
            result.empty.append(key)
            continue
        if municipality is None:
            result.unmatched.append(key)
            continue
        result.values[municipality.code] = estimate
        if (
            only_empty
            and municipality.youth_population is not None
            and (municipality.youth_population_source != source)
        ):
            result.unchanged += 1
            continue
        new = (estimate, year, source, True)
        old = (
            municipality.youth_population,
            municipality.youth_population_year,
            municipality.youth_population_source,
            municipality.youth_population_estimated,
        )
        if new == old:
            result.unchanged += 1
            continue
        (
            municipality.youth_population,
            municipality.youth_population_year,
            municipality.youth_population_source,
            municipality.youth_population_estimated,
        ) = new
        changed.append(municipality)
    result.updated = len(changed)
    if not dry_run:
        Municipality.objects.bulk_update(
            changed,
            [
                "youth_population",
                "youth_population_year",
                "youth_population_source",
                "youth_population_estimated",
            ],
        )
    return result
