"""Read CBS municipality files and load them into Municipality and Region, idempotently.

Two kinds of file are understood, recognised by their header:

- the raw TypedDataSet of the CBS table "Gebieden in Nederland" (`;`-separated, padded
  values): columns are found by the code prefix of their values (PV, VT, VR, JZ), never by
  position, because the column numbers move between editions; the size class is the
  Code/Omschrijving pair whose description names a number of inhabitants ("inwoners");
- the plain list "Gemeenten alfabetisch" (`,`-separated): code, name and province only.

Each file belongs to an edition (a year, taken from the file name unless given). A municipality
remembers the latest edition that listed it; after a load, every municipality that a newer
loaded edition no longer lists is marked merged. Nothing is ever deleted, so the cycles of a
merged municipality stay readable.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from compass.csv_sniff import sniff_delimiter
from compass.models import Municipality, Region, RegionMembership
from compass.models.organisations import CBS_CODE_PATTERN

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cbs"
GEBIEDEN_2024 = FIXTURES / "gebieden-in-nederland-2024_typeddataset.csv"
LIST_2021 = FIXTURES / "gemeenten-alfabetisch-2021.csv"
LIST_2023 = FIXTURES / "gemeenten-alfabetisch-2023.csv"

REGION_PREFIXES = {
    "VT": Region.Kind.VEILIG_THUIS,
    "VR": Region.Kind.VEILIGHEIDSREGIO,
    "JZ": Region.Kind.JEUGDREGIO,
}


class CBSFileError(ValueError):
    """The file is not a CBS municipality file this loader understands."""


@dataclass
class MunicipalityRow:
    code: str
    name: str
    province_code: str = ""
    province: str = ""
    population: int | None = None
    size_class: int | None = None
    size_class_label: str = ""
    regions: dict[str, tuple[str, str]] = field(default_factory=dict)  # kind -> (code, name)


@dataclass
class CBSFile:
    edition: int
    rows: list[MunicipalityRow]


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    merged: int = 0
    regions: int = 0
    editions: list[int] = field(default_factory=list)


def _edition_from_name(path: Path) -> int | None:
    match = re.search(r"(?<!\d)(20\d\d)(?!\d)", path.name)
    return int(match.group(1)) if match else None


def _column_by_prefix(rows: list[list[str]], prefix: str) -> int | None:
    """Return the index of the column whose every value is `prefix` + digits."""
    pattern = re.compile(rf"^{prefix}\d+$")
    for index in range(len(rows[0])):
        values = [row[index].strip() for row in rows if index < len(row)]
        if values and all(pattern.match(v) for v in values):
            return index
    return None


def _parse_gebieden(header: list[str], rows: list[list[str]]) -> list[MunicipalityRow]:
    code_col = _column_by_prefix(rows, "GM")
    if code_col is None:
        raise CBSFileError("no column with GM codes")
    # The raw dataset holds the code twice (RegioS and Code_1); the name follows the last one.
    name_col = (
        max(i for i, value in enumerate(rows[0]) if value.strip() == rows[0][code_col].strip()) + 1
    )
    province_col = _column_by_prefix(rows, "PV")
    region_cols = {prefix: _column_by_prefix(rows, prefix) for prefix in REGION_PREFIXES}
    population_col = next(
        (i for i, h in enumerate(header) if h.strip().lower().startswith("inwonertal")), None
    )
    size_col = next(
        (
            i
            for i, h in enumerate(header)
            if h.strip().lower().startswith("omschrijving")
            and all("inwoners" in row[i] for row in rows)
        ),
        None,
    )
    parsed = []
    for row in rows:
        item = MunicipalityRow(code=row[code_col].strip(), name=row[name_col].strip())
        if province_col is not None:
            item.province_code = row[province_col].strip()
            item.province = row[province_col + 1].strip()
        for prefix, col in region_cols.items():
            if col is not None:
                item.regions[REGION_PREFIXES[prefix]] = (row[col].strip(), row[col + 1].strip())
        if population_col is not None and row[population_col].strip():
            item.population = int(row[population_col].strip())
        if size_col is not None:
            item.size_class = int(row[size_col - 1].strip())
            item.size_class_label = row[size_col].strip()
        parsed.append(item)
    return parsed


def _parse_list(header: list[str], rows: list[list[str]]) -> list[MunicipalityRow]:
    index = {name.strip(): i for i, name in enumerate(header)}
    try:
        code, name = index["GemeentecodeGM"], index["Gemeentenaam"]
    except KeyError:
        raise CBSFileError("missing GemeentecodeGM or Gemeentenaam") from None
    province_code, province = index.get("ProvinciecodePV"), index.get("Provincienaam")
    return [
        MunicipalityRow(
            code=row[code].strip(),
            name=row[name].strip(),
            province_code=row[province_code].strip() if province_code is not None else "",
            province=row[province].strip() if province is not None else "",
        )
        for row in rows
        if row
    ]


def read_file(path: Path | str, edition: int | None = None) -> CBSFile:
    """Parse one CBS file into rows; raise CBSFileError for anything unexpected."""
    path = Path(path)
    edition = edition or _edition_from_name(path)
    if edition is None:
        raise CBSFileError("no edition year in the file name; pass --year")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CBSFileError(str(exc)) from None
    delimiter = sniff_delimiter(text, (";", ",")) or ","
    records = [row for row in csv.reader(text.splitlines(), delimiter=delimiter) if row]
    if len(records) < 2:
        raise CBSFileError("the file has no rows")
    header, rows = records[0], records[1:]
    if "RegioS" in [h.strip() for h in header]:
        parsed = _parse_gebieden(header, rows)
    else:
        parsed = _parse_list(header, rows)
    bad = [row.code for row in parsed if not re.match(CBS_CODE_PATTERN, row.code)]
    if bad:
        raise CBSFileError(f"invalid CBS codes: {', '.join(bad[:5])}")
    return CBSFile(edition=edition, rows=parsed)


_FIELDS = [
    "name",
    "province_code",
    "province",
    "population",
    "size_class",
    "size_class_label",
    "last_seen_edition",
]


@transaction.atomic
def load(files: list[CBSFile]) -> LoadResult:
    """Load parsed files oldest edition first; mark codes a newer edition lacks as merged."""
    result = LoadResult()
    by_code = {m.code: m for m in Municipality.objects.all()}
    for cbs_file in sorted(files, key=lambda f: f.edition):
        result.editions.append(cbs_file.edition)
        new, changed = [], {}
        for row in cbs_file.rows:
            municipality = by_code.get(row.code)
            if municipality is None:
                municipality = Municipality(code=row.code)
                by_code[row.code] = municipality
                new.append(municipality)
            elif (municipality.last_seen_edition or 0) > cbs_file.edition:
                continue  # an older edition never overwrites a newer one
            else:
                changed[row.code] = municipality
            municipality.name = row.name
            municipality.province_code = row.province_code or municipality.province_code
            municipality.province = row.province or municipality.province
            if row.population is not None:
                municipality.population = row.population
            if row.size_class is not None:
                municipality.size_class = row.size_class
                municipality.size_class_label = row.size_class_label
            municipality.last_seen_edition = cbs_file.edition
        Municipality.objects.bulk_create(new)
        Municipality.objects.bulk_update(list(changed.values()), _FIELDS)
        result.created += len(new)
        result.updated += len(changed)
        result.regions += _load_regions(cbs_file, by_code)
    # The newest edition ever loaded decides, so loading an old list later changes nothing.
    newest = Municipality.objects.aggregate(newest=Max("last_seen_edition"))["newest"]
    listed = Municipality.objects.filter(last_seen_edition=newest)
    listed.filter(status=Municipality.Status.MERGED).update(status=Municipality.Status.ACTIVE)
    gone = Municipality.objects.filter(
        last_seen_edition__lt=newest, status=Municipality.Status.ACTIVE
    )
    result.merged = gone.update(status=Municipality.Status.MERGED)
    return result


def _load_regions(cbs_file: CBSFile, by_code: dict[str, Municipality]) -> int:
    """Record the edition's memberships for its own year (every row), and make the current
    links (``Region.municipalities``) and names follow it when it is the newest edition."""
    everyone: dict[str, tuple[str, str, set[int]]] = {}
    for row in cbs_file.rows:
        municipality = by_code[row.code]
        for kind, (code, name) in row.regions.items():
            everyone.setdefault(code, (kind, name, set()))[2].add(municipality.pk)
    if not everyone:
        return 0
    kinds = {kind for kind, _n, _m in everyone.values()}
    newest = cbs_file.edition >= _newest_region_edition(kinds)
    existing = {r.code: r for r in Region.objects.filter(code__in=everyone)}
    new = [
        Region(code=code, kind=kind, name=name)
        for code, (kind, name, _members) in everyone.items()
        if code not in existing
    ]
    Region.objects.bulk_create(new)
    existing.update({r.code: r for r in Region.objects.filter(code__in=[r.code for r in new])})
    # The edition's own year keeps its membership (issue 19 M7): replace only that year's rows,
    # so an older edition's regions (26 Veilig Thuis regions in 2023) stay readable.
    in_file = set().union(*(members for _k, _n, members in everyone.values()))
    RegionMembership.objects.filter(
        year=cbs_file.edition, municipality_id__in=in_file, region__kind__in=kinds
    ).delete()
    RegionMembership.objects.bulk_create(
        [
            RegionMembership(region_id=existing[code].pk, municipality_id=pk, year=cbs_file.edition)
            for code, (_kind, _name, members) in everyone.items()
            for pk in members
        ]
    )
    if not newest:
        return len(everyone)  # an older edition never replaces the current membership
    for code, (_kind, name, _members) in everyone.items():
        existing[code].name = name
    Region.objects.bulk_update(list(existing.values()), ["name"])
    current = {m.pk for m in by_code.values() if m.last_seen_edition == cbs_file.edition}
    wanted = {code: members & current for code, (_kind, _name, members) in everyone.items()}
    # A municipality belongs to one region of each kind: replace its links of these kinds.
    through = Region.municipalities.through
    municipality_ids = set().union(*wanted.values())
    through.objects.filter(municipality_id__in=municipality_ids, region__kind__in=kinds).delete()
    through.objects.bulk_create(
        [
            through(region_id=existing[code].pk, municipality_id=pk)
            for code, members in wanted.items()
            for pk in members
        ]
    )
    return len(everyone)


def _newest_region_edition(kinds) -> int:
    newest = RegionMembership.objects.filter(region__kind__in=kinds).aggregate(n=Max("year"))
    return newest["n"] or 0


def load_paths(paths: list[Path | str], edition: int | None = None) -> LoadResult:
    return load([read_file(path, edition) for path in paths])


def load_demo_municipalities() -> LoadResult:
    """Load the in-repo CBS files: all 342 municipalities of 2024 with their regions."""
    return load_paths([LIST_2021, LIST_2023, GEBIEDEN_2024])
