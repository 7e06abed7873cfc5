"""The CBS OData v3 API: table metadata, code lists and paged data, live or from a folder.

A table serves `TableInfos`, `DataProperties` (Dimension, TimeDimension, Topic, TopicGroup ...),
one code list per dimension (e.g. `RegioS`, `Perioden`) and `TypedDataSet`. More than 10,000
rows per response is refused, so a response may end with `odata.nextLink`; we follow it.
Keys in code lists and data rows can carry padding (`"GM0363    "`), so filters use the exact
keys read from the code list and everything we return is stripped.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from django.utils.translation import gettext as _

from compass.cbs.errors import (
    MalformedData,
    NetworkFailure,
    NoPeriodDimension,
    NoRegionDimension,
    UnknownKey,
    UnknownTable,
)

API_BASE = "https://opendata.cbs.nl/ODataApi/odata"
MAX_ROWS_PER_RESPONSE = 10_000
TABLE_ID = re.compile(r"^[0-9]{5}[A-Za-z]{3}$")
DIMENSION_TYPES = {"Dimension", "GeoDimension", "GeoDetail", "TimeDimension"}
PROVISIONAL_STATUSES = {"voorlopig", "nader voorlopig"}


@dataclass(frozen=True)
class TableInfo:
    identifier: str
    title: str
    short_title: str
    period: str
    modified: str
    frequency: str


@dataclass(frozen=True)
class DataProperty:
    key: str
    type: str
    title: str
    unit: str = ""
    decimals: int | None = None

    @property
    def is_dimension(self) -> bool:
        return self.type in DIMENSION_TYPES

    @property
    def is_topic(self) -> bool:
        return self.type == "Topic"


@dataclass(frozen=True)
class Code:
    """One entry of a dimension's code list; `key` is exactly as CBS sends it."""

    key: str
    title: str
    status: str = ""

    @property
    def code(self) -> str:
        return self.key.strip()

    @property
    def provisional(self) -> bool:
        return self.status.strip().lower() in PROVISIONAL_STATUSES or self.title.endswith("*")

    @property
    def revised_provisional(self) -> bool:
        """CBS "nader voorlopig" (marked ``**``): revised once, still provisional."""
        return self.status.strip().lower() == "nader voorlopig" or self.title.endswith("**")


@dataclass(frozen=True)
class Observation:
    """One value of one topic for one region and period; `value` is None when suppressed."""

    region: str
    period: str
    value: Decimal | None
    provisional: bool
    revised_provisional: bool = False

    @property
    def suppressed(self) -> bool:
        return self.value is None


class Transport(Protocol):
    def get_json(self, url: str) -> dict: ...


class HttpTransport:
    """Plain HTTPS GETs against the CBS API, with a timeout and clear failures."""

    def __init__(self, timeout: float = 60.0):
        self.timeout = timeout

    def get_json(self, url: str) -> dict:
        if not url.startswith("https://"):
            raise NetworkFailure(_("refusing a non-HTTPS URL: %(url)s") % {"url": url})
        request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                raise UnknownTable(_("%(url)s: not found (HTTP 404)") % {"url": url}) from None
            raise NetworkFailure(
                _("%(url)s: HTTP %(status)s") % {"url": url, "status": exc.code}
            ) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise NetworkFailure(
                _("%(url)s: no answer (%(error)s)") % {"url": url, "error": exc}
            ) from None
        return _decode(body, url)


class FolderTransport:
    """A saved set of OData responses: `<table>_<entity>.json`, pages as `..._skip<N>.json`."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise MalformedData(_("%(folder)s is not a folder") % {"folder": self.folder})

    def get_json(self, url: str) -> dict:
        parsed = urllib.parse.urlparse(url)
        parts = [p for p in parsed.path.split("/") if p]
        table, entity = (parts[-2], parts[-1]) if len(parts) >= 2 else (parts[-1], "")
        query = urllib.parse.parse_qs(parsed.query)
        skip = query.get("$skip", ["0"])[0]
        stem = f"{table}_{entity}" if entity else f"{table}_service_root"
        if skip != "0":
            stem += f"_skip{skip}"
        path = self._find(f"{stem}.json")
        if path is None:
            if entity in ("", "TableInfos"):
                raise UnknownTable(
                    _("table %(table)s is not in %(folder)s")
                    % {"table": table, "folder": self.folder}
                )
            raise MalformedData(
                _("%(file)s is missing from %(folder)s")
                % {"file": f"{stem}.json", "folder": self.folder}
            )
        return _decode(path.read_bytes(), str(path))

    def _find(self, name: str) -> Path | None:
        wanted = name.lower()
        for path in self.folder.iterdir():
            if path.name.lower() == wanted:
                return path
        return None


def _decode(body: bytes, source: str) -> dict:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedData(
            _("%(source)s: not JSON (%(error)s)") % {"source": source, "error": exc}
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("value"), list):
        raise MalformedData(_("%(source)s: no 'value' list in the response") % {"source": source})
    return data


class ODataTable:
    """One CBS table read through a transport (live API or saved folder)."""

    def __init__(self, table_id: str, transport: Transport, base_url: str = API_BASE):
        if not TABLE_ID.match(table_id or ""):
            raise UnknownTable(
                _("%(table)s is not a CBS table id (five digits, three letters)")
                % {"table": repr(table_id)}
            )
        self.table_id = table_id
        self.transport = transport
        self.base_url = base_url.rstrip("/")
        self._properties: list[DataProperty] | None = None

    def url(self, entity: str, **params: str) -> str:
        query = urllib.parse.urlencode(params, quote_via=urllib.parse.quote) if params else ""
        return f"{self.base_url}/{self.table_id}/{entity}" + (f"?{query}" if query else "")

    def table_info(self) -> TableInfo:
        values = self.transport.get_json(self.url("TableInfos"))["value"]
        if not values:
            raise UnknownTable(_("table %(table)s has no TableInfos") % {"table": self.table_id})
        info = values[0]
        return TableInfo(
            identifier=str(info.get("Identifier", self.table_id)),
            title=str(info.get("Title", "")),
            short_title=str(info.get("ShortTitle", "")),
            period=str(info.get("Period", "")),
            modified=str(info.get("Modified", "")),
            frequency=str(info.get("Frequency", "")),
        )

    def data_properties(self) -> list[DataProperty]:
        if self._properties is None:
            values = self.transport.get_json(self.url("DataProperties"))["value"]
            try:
                self._properties = [
                    DataProperty(
                        key=str(item["Key"]),
                        type=str(item["Type"]),
                        title=str(item.get("Title") or ""),
                        unit=str(item.get("Unit") or ""),
                        decimals=item.get("Decimals"),
                    )
                    for item in values
                ]
            except KeyError as exc:
                raise MalformedData(_("DataProperties without %(key)s") % {"key": exc}) from None
        return self._properties

    def dimensions(self) -> list[DataProperty]:
        return [p for p in self.data_properties() if p.is_dimension]

    def topics(self) -> list[DataProperty]:
        return [p for p in self.data_properties() if p.is_topic]

    def dimension_of_type(self, *types: str) -> DataProperty | None:
        return next((p for p in self.dimensions() if p.type in types), None)

    def region_dimension(self) -> DataProperty | None:
        named = next((p for p in self.dimensions() if p.key.startswith("RegioS")), None)
        return named or self.dimension_of_type("GeoDimension")

    def period_dimension(self) -> DataProperty | None:
        return self.dimension_of_type("TimeDimension")

    def code_list(self, dimension_key: str) -> list[Code]:
        if dimension_key not in {p.key for p in self.dimensions()}:
            raise UnknownKey(
                _("%(key)s is not a dimension of table %(table)s")
                % {"key": repr(dimension_key), "table": self.table_id}
            )
        values = self.transport.get_json(self.url(dimension_key))["value"]
        try:
            return [
                Code(
                    key=str(i["Key"]), title=str(i.get("Title") or ""), status=i.get("Status") or ""
                )
                for i in values
            ]
        except KeyError as exc:
            raise MalformedData(
                _("code list %(list)s without %(key)s") % {"list": dimension_key, "key": exc}
            ) from None

    def rows(
        self, odata_filter: str | None = None, select: list[str] | None = None
    ) -> Iterator[dict]:
        """Yield every row of the TypedDataSet, following `odata.nextLink` page by page."""
        params = {}
        if odata_filter:
            params["$filter"] = odata_filter
        if select:
            params["$select"] = ",".join(select)
        url: str | None = self.url("TypedDataSet", **params)
        seen = set()
        while url:
            if url in seen:
                raise MalformedData(_("odata.nextLink loops back to %(url)s") % {"url": url})
            seen.add(url)
            page = self.transport.get_json(url)
            if len(page["value"]) > MAX_ROWS_PER_RESPONSE:
                raise MalformedData(
                    _("%(count)s rows in one response") % {"count": len(page["value"])}
                )
            yield from page["value"]
            url = page.get("odata.nextLink")

    def observations(
        self,
        measure_key: str,
        regions: list[str] | None = None,
        periods: list[str] | None = None,
        dimension_filters: dict[str, str] | None = None,
    ) -> Iterator[Observation]:
        """Yield the values of one topic per region and period, filtered on the server."""
        topics = {p.key for p in self.topics()}
        if measure_key not in topics:
            raise UnknownKey(
                _("%(key)s is not a topic of table %(table)s")
                % {"key": repr(measure_key), "table": self.table_id}
            )
        region_dim, period_dim = self.region_dimension(), self.period_dimension()
        if region_dim is None:
            raise NoRegionDimension(
                _("table %(table)s has no region dimension") % {"table": self.table_id}
            )
        if period_dim is None:
            raise NoPeriodDimension(
                _("table %(table)s has no period dimension") % {"table": self.table_id}
            )
        dimension_filters = dict(dimension_filters or {})
        for key in dimension_filters:
            if key not in {p.key for p in self.dimensions()}:
                raise UnknownKey(
                    _("%(key)s is not a dimension of table %(table)s")
                    % {"key": repr(key), "table": self.table_id}
                )
        region_codes = {c.code: c for c in self.code_list(region_dim.key)}
        period_codes = {c.code: c for c in self.code_list(period_dim.key)}

        wanted = []
        if regions is not None:
            wanted.append((region_dim.key, _raw_keys(region_codes, regions)))
        if periods is not None:
            wanted.append((period_dim.key, _raw_keys(period_codes, periods)))
        for key, code in dimension_filters.items():
            codes = {c.code: c for c in self.code_list(key)}
            if code not in codes:
                raise UnknownKey(
                    _("%(code)s is not a code of %(key)s in table %(table)s")
                    % {"code": repr(code), "key": key, "table": self.table_id}
                )
            wanted.append((key, [codes[code].key]))
        if any(not raw for _key, raw in wanted):
            return  # none of the asked regions or periods is in the table
        clauses = [" or ".join(f"{key} eq '{raw}'" for raw in raws) for key, raws in wanted]
        odata_filter = " and ".join(f"({c})" for c in clauses) or None
        select = [region_dim.key, period_dim.key, *dimension_filters, measure_key]

        for row in self.rows(odata_filter, select):
            try:
                region = str(row[region_dim.key]).strip()
                period = str(row[period_dim.key]).strip()
                raw_value = row[measure_key]
            except KeyError as exc:
                raise MalformedData(_("a data row without %(key)s") % {"key": exc}) from None
            if any(str(row.get(k, "")).strip() != v for k, v in dimension_filters.items()):
                continue  # a saved folder cannot filter on the server
            if regions is not None and region not in regions:
                continue
            if periods is not None and period not in periods:
                continue
            period_code = period_codes.get(period)
            yield Observation(
                region=region,
                period=period,
                value=parse_value(raw_value),
                provisional=bool(period_code and period_code.provisional),
                revised_provisional=bool(period_code and period_code.revised_provisional),
            )


def _raw_keys(codes: dict[str, Code], wanted: list[str]) -> list[str]:
    return [codes[w].key for w in wanted if w in codes]


def parse_value(raw) -> Decimal | None:
    """A typed value (number or null) or an untyped one: '.' unknown or suppressed, 'x' secret,
    '-' nil (zero), as CBS marks them."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise MalformedData(_("%(value)s is not a number") % {"value": repr(raw)})
    if isinstance(raw, int | float):
        return Decimal(str(raw))
    text = str(raw).strip()
    if text in {"", ".", "x"}:
        return None
    if text == "-":
        return Decimal(0)
    try:
        return Decimal(text.replace(",", "."))
    except ArithmeticError:
        raise MalformedData(_("%(value)s is not a number") % {"value": repr(raw)}) from None
