"""Store CBS figures for the configured indicators: one observation per region and period.

`import_table` reads every `cms.Indicator` whose `cbs_table_id` is the table (case-insensitive)
through the OData layer (`compass.cbs.odata`, live or a saved folder) and upserts its values;
`import_csv` does the same for one indicator from a StatLine CSV download. Both run in one
transaction: a failure anywhere (unknown table, network, malformed file, a key that no longer
exists) leaves the stored figures exactly as they were. Suppressed cells (CBS ".") are stored
with `value=None, suppressed=True`, provisional periods (CBS "*") with `provisional=True`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from compass.cbs.errors import (
    AmbiguousIndicator,
    CbsError,
    MalformedData,
    NoIndicator,
    UnknownKey,
    UnknownTable,
)
from compass.cbs.odata import (
    TABLE_ID,
    FolderTransport,
    HttpTransport,
    Observation,
    ODataTable,
    Transport,
)
from compass.cbs.statline_csv import read_statline_csv

NATIONAL_CODES = ("NL01", "NL00")
Progress = Callable[[int, int, str], None]


@dataclass
class ImportResult:
    table_id: str
    source: str
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    suppressed: int = 0
    provisional: int = 0
    per_indicator: dict[str, int] = field(default_factory=dict)
    unmatched_regions: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


class _PageCounter:
    """A transport wrapper that reports every data page it fetches (the progress bar)."""

    def __init__(self, transport: Transport, report: Callable[[str], None]):
        self.transport = transport
        self.report = report
        self.pages = 0

    def get_json(self, url: str) -> dict:
        data = self.transport.get_json(url)
        if "/TypedDataSet" in url:
            self.pages += 1
            self.report(f"page {self.pages}: {len(data.get('value', []))} rows")
        return data


def source_transport(source: Transport | str | Path | None) -> Transport:
    """A saved folder (path), a transport, or None for the live CBS API."""
    if source is None:
        return HttpTransport()
    if isinstance(source, str | Path):
        return FolderTransport(source)
    return source


def describe(source: Transport | str | Path | None) -> str:
    if source is None or isinstance(source, HttpTransport):
        return "CBS OData API"
    if isinstance(source, FolderTransport):
        return source.folder.name
    if isinstance(source, str | Path):
        return Path(source).name
    return type(source).__name__


def indicators_for(table_id: str, codes: Iterable[str] | None = None, need_key: bool = True):
    from cms.snippets import Indicator

    # An indicator reads its own table and, for the Veilig Thuis-region line, its twin table.
    indicators = Indicator.objects.filter(
        Q(cbs_table_id__iexact=table_id) | Q(region_table_id__iexact=table_id)
    ).order_by("code")
    if codes:
        codes = list(codes)
        indicators = indicators.filter(code__in=codes)
        missing = set(codes) - {i.code for i in indicators}
        if missing:
            raise NoIndicator(
                _("no indicator %(codes)s for table %(table)s")
                % {"codes": ", ".join(sorted(missing)), "table": table_id}
            )
    indicators = [i for i in indicators if i.measure_key or not need_key]
    if not indicators:
        raise NoIndicator(
            _("no indicator with a measure key is configured for table %(table)s")
            % {"table": table_id}
        )
    return indicators


def _is_region_table(indicator, table_id: str) -> bool:
    """The table is the indicator's twin per Veilig Thuis region (not its own table)."""
    return (indicator.region_table_id or "").upper() == table_id.upper() and (
        indicator.cbs_table_id or ""
    ).upper() != table_id.upper()


def regions_for(municipalities: Iterable[str] | None) -> list[str] | None:
    """The asked municipalities plus their Veilig Thuis regions, their defined districts and
    the Netherlands, so the trend chart can compare them; None (every region) when no
    municipality is asked."""
    if not municipalities:
        return None
    from compass.models import District, Region

    codes = [code.strip().upper() for code in municipalities]
    regions = Region.objects.filter(
        kind=Region.Kind.VEILIG_THUIS, municipalities__code__in=codes
    ).values_list("code", flat=True)
    districts = District.objects.filter(municipality__code__in=codes).values_list("code", flat=True)
    return sorted(set(codes) | set(regions) | set(districts)) + list(NATIONAL_CODES)


def defined_districts() -> set[str]:
    """The WK codes of every district a municipality defined (compass.districts)."""
    from compass.models import District

    return set(District.objects.values_list("code", flat=True))


def _kept(region: str, districts: set[str]) -> bool:
    """Whether a region of a CBS table is stored: districts (WK) only when a municipality
    defined them, neighbourhoods (BU) never; every other region as before."""
    if region.startswith("WK"):
        return region in districts
    return not region.startswith("BU")


def import_table(
    table_id: str,
    source: Transport | str | Path | None = None,
    municipalities: Iterable[str] | None = None,
    periods: Iterable[str] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    indicators: Iterable[str] | None = None,
) -> ImportResult:
    """Import every indicator of `table_id` from `source` (folder path, transport, or None for
    the live API). Raises a `CbsError` and writes no figure when anything fails."""
    started = timezone.now()
    label = describe(source)
    try:
        if not TABLE_ID.match(table_id or ""):
            raise UnknownTable(
                _("%(table)s is not a CBS table id (five digits, three letters)")
                % {"table": repr(table_id)}
            )
        chosen = indicators_for(table_id, indicators)
        report = _reporter(progress, len(chosen))
        transport = _PageCounter(source_transport(source), lambda text: report(None, text))
        table = ODataTable(table_id, transport)
        info = table.table_info()
        label = f"CBS {info.identifier}: {info.title}" + (
            "" if isinstance(transport.transport, HttpTransport) else f", {describe(source)}"
        )
        regions = regions_for(municipalities)
        districts = defined_districts()
        period_list = list(periods) if periods else None
        result = ImportResult(table_id=table_id, source=label, dry_run=dry_run)
        with transaction.atomic():
            for number, indicator in enumerate(chosen, start=1):
                report(number, indicator.code)
                filters = indicator.dimension_filters or {}
                if not isinstance(filters, dict):
                    raise UnknownKey(
                        _("the dimension filters of %(code)s are not a mapping")
                        % {"code": indicator.code}
                    )
                observations = table.observations(
                    indicator.measure_key,
                    regions=regions,
                    periods=period_list,
                    dimension_filters={str(k): str(v) for k, v in filters.items()} or None,
                )
                if _is_region_table(indicator, table_id):
                    observations = (o for o in observations if o.region.startswith("VT"))
                observations = (o for o in observations if _kept(o.region, districts))
                _store(indicator, observations, table_id, label, result, dry_run)
    except CbsError as error:
        _log(table_id, label, started, None, error, dry_run)
        raise
    _log(table_id, label, started, result, None, dry_run)
    return result


def import_csv(
    table_id: str,
    data: bytes,
    indicator_code: str,
    column: str | None = None,
    municipalities: Iterable[str] | None = None,
    periods: Iterable[str] | None = None,
    dry_run: bool = False,
    source_name: str = "StatLine CSV",
) -> ImportResult:
    """Import one indicator from a StatLine CSV download (layout: see docs/cbs.md)."""
    started = timezone.now()
    label = source_name
    try:
        (indicator,) = indicators_for(table_id, [indicator_code], need_key=False)
        csv = read_statline_csv(data)
        if csv.source:
            label = f"{source_name} ({' '.join(csv.source)})"
        observations, unmatched = csv_observations(
            csv, indicator, column, list(periods) if periods else None
        )
        regions = regions_for(municipalities)
        if regions is not None:
            observations = [o for o in observations if o.region in regions]
        result = ImportResult(table_id=table_id, source=label, dry_run=dry_run)
        result.unmatched_regions = unmatched
        with transaction.atomic():
            _store(indicator, observations, table_id, label, result, dry_run)
    except CbsError as error:
        _log(table_id, label, started, None, error, dry_run)
        raise
    _log(table_id, label, started, result, None, dry_run)
    return result


REGION_CODE = re.compile(r"^(GM\d{4}|VT\d{2}|NL\d{2}|VR\d{2}|JZ\d{2}|PV\d{2}|WK\d{6})$")
PERIOD_CODE = re.compile(r"^\d{4}(JJ00|HJ0[12]|KW0[1-4]|MM(0[1-9]|1[0-2]))$")
MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
# The labels cbs.nl and StatLine show, with the year before or after the part:
# "2023", "1e halfjaar 2025", "2024 1e halfjaar", "2e kwartaal 2024", "januari 2024".
_PART = r"(?P<n>[1-4])e\s+(?P<kind>halfjaar|kwartaal)|(?P<month>" + "|".join(MONTHS) + ")"
PERIOD_TITLE = re.compile(
    rf"^(?:(?P<year>\d{{4}})|(?:{_PART})\s+(?P<year_after>\d{{4}})|"
    rf"(?P<year_before>\d{{4}})\s+(?:{_PART.replace('?P<', '?P<b_')}))$"
)
REGION_CODE_COLUMNS = ("Code", "RegioS", "Regiocode", "Gemeentecode", "Codering")
REGION_NAME_COLUMNS = ("Regio's", "Naam", "Gemeente", "Gemeentenaam", "Regio")
PERIOD_COLUMNS = ("Perioden", "Periode")


def period_code(text: str) -> tuple[str, bool]:
    """A CBS period code or label -> (code, provisional).

    '2023JJ00', '2023', '2023*', '1e halfjaar 2025', '2024 1e halfjaar', '2e kwartaal 2024',
    'januari 2024' -> '2023JJ00', ..., '2025HJ01', '2024HJ01', '2024KW02', '2024MM01'.
    """
    text = " ".join(text.split())
    provisional = text.endswith("*")
    text = text.rstrip("*").strip()
    if PERIOD_CODE.match(text.upper()):
        return text.upper(), provisional
    match = PERIOD_TITLE.match(text.lower())
    if not match:
        raise _not_a_period(text)
    parts = {k.removeprefix("b_"): v for k, v in match.groupdict().items() if v}
    year = parts.get("year") or parts.get("year_after") or parts.get("year_before")
    if "month" in parts:
        return f"{year}MM{MONTHS.index(parts['month']) + 1:02d}", provisional
    if parts.get("kind") == "halfjaar":
        if parts["n"] not in "12":
            raise _not_a_period(text)
        return f"{year}HJ0{parts['n']}", provisional
    if parts.get("kind") == "kwartaal":
        return f"{year}KW0{parts['n']}", provisional
    return f"{year}JJ00", provisional


def _not_a_period(text: str) -> MalformedData:
    return MalformedData(
        _(
            "%(text)s is not a period: use a CBS code such as 2023JJ00 or a label such as "
            "2023, 1e halfjaar 2025, 2e kwartaal 2024 or januari 2024"
        )
        % {"text": repr(text)}
    )


def csv_observations(csv, indicator, column, periods):
    """Read one value column of a StatLine CSV as observations; names map to CBS codes through
    the municipality list. Returns the observations and the region names it could not match."""
    from compass.models import Municipality

    names = [column] if column else [indicator.measure_key, indicator.name]
    value_column = csv.column(*[n for n in names if n])
    column_provisional = value_column.endswith("*")
    try:
        region_column, by_name = csv.column(*REGION_CODE_COLUMNS), False
    except MalformedData:
        region_column, by_name = csv.column(*REGION_NAME_COLUMNS), True
    try:
        period_column = csv.column(*PERIOD_COLUMNS)
    except MalformedData:
        period_column = None
        if not periods or len(periods) != 1:
            raise MalformedData(
                _("the file has no period column: name exactly one period (e.g. 2019JJ00)")
            ) from None
    districts = defined_districts()
    codes_by_name = {}
    if by_name:
        for code, name in Municipality.objects.values_list("code", "name"):
            codes_by_name.setdefault(name.lower(), code)
    observations, seen, unmatched = [], set(), []
    for row in csv.rows:
        raw_region = row[region_column].strip()
        region = raw_region.upper() if REGION_CODE.match(raw_region.upper()) else None
        if region is None and by_name:
            plain = re.sub(r"\s*\((gemeente|vt)\)$", "", raw_region, flags=re.I).lower()
            region = codes_by_name.get(plain)
        if region is None or not _kept(region, districts):
            unmatched.append(raw_region)
            continue
        if period_column:
            period, provisional = period_code(row[period_column])
        else:
            period, provisional = periods[0], False
        if periods and period not in periods:
            continue
        text = row[value_column].strip()
        if text == "":
            continue  # a missing value: nothing published, nothing stored
        period_text = row[period_column].strip() if period_column else ""
        revised = text.endswith("**") or period_text.endswith("**")  # "nader voorlopig"
        if text.endswith("*"):
            provisional, text = True, text.rstrip("*").strip()
        if (region, period) in seen:
            raise AmbiguousIndicator(
                _("%(region)s %(period)s occurs twice in the file")
                % {"region": region, "period": period}
            )
        seen.add((region, period))
        observations.append(
            Observation(
                region=region,
                period=period,
                value=csv.number({"v": text}, "v"),
                provisional=provisional or column_provisional,
                revised_provisional=revised or value_column.endswith("**"),
            )
        )
    return observations, unmatched


STORED_PLACES = Decimal("0.0001")  # CbsObservation.value: 14 digits, 4 decimal places
STORED_LIMIT = Decimal(10) ** 10


def _stored_value(value) -> Decimal | None:
    """The value as the database keeps it, so a re-import compares equal."""
    if value is None:
        return None
    value = Decimal(value).quantize(STORED_PLACES, ROUND_HALF_UP)
    if abs(value) >= STORED_LIMIT:
        raise MalformedData(_("%(value)s is too large for a figure") % {"value": value})
    return value


def _store(indicator, observations, table_id, source, result: ImportResult, dry_run) -> None:
    from compass.models import CbsObservation

    existing = {
        (o.region_code, o.period): o for o in CbsObservation.objects.filter(indicator=indicator)
    }
    now = timezone.now()
    new, changed, seen = [], [], set()
    for obs in observations:
        key = (obs.region, obs.period)
        if key in seen:
            raise AmbiguousIndicator(
                _(
                    "indicator %(code)s has more than one value for %(region)s %(period)s: "
                    "a dimension filter is missing"
                )
                % {"code": indicator.code, "region": obs.region, "period": obs.period}
            )
        seen.add(key)
        value = _stored_value(obs.value)
        result.suppressed += obs.suppressed
        result.provisional += obs.provisional
        stored = existing.get(key)
        if stored is None:
            new.append(
                CbsObservation(
                    indicator=indicator,
                    region_code=obs.region,
                    period=obs.period,
                    value=value,
                    provisional=obs.provisional,
                    revised_provisional=obs.revised_provisional,
                    suppressed=obs.suppressed,
                    table_id=table_id.upper(),
                    source=source[:300],
                    imported_at=now,
                )
            )
        elif (
            stored.value,
            stored.provisional,
            stored.revised_provisional,
            stored.suppressed,
            stored.source,
            stored.table_id,
        ) != (
            value,
            obs.provisional,
            obs.revised_provisional,
            obs.suppressed,
            source[:300],
            table_id.upper(),
        ):
            stored.value, stored.provisional, stored.suppressed = (
                value,
                obs.provisional,
                obs.suppressed,
            )
            stored.revised_provisional, stored.table_id = obs.revised_provisional, table_id.upper()
            stored.source, stored.imported_at = source[:300], now
            changed.append(stored)
        else:
            result.unchanged += 1
    result.created += len(new)
    result.updated += len(changed)
    result.per_indicator[indicator.code] = len(seen)
    if dry_run:
        return
    CbsObservation.objects.bulk_create(new, batch_size=1000)
    CbsObservation.objects.bulk_update(
        changed,
        [
            "value",
            "provisional",
            "revised_provisional",
            "suppressed",
            "table_id",
            "source",
            "imported_at",
        ],
        batch_size=1000,
    )


def _reporter(progress: Progress | None, total: int):
    state = {"step": 0}

    def report(step: int | None, text: str) -> None:
        if step is not None:
            state["step"] = step
        if progress is not None:
            progress(state["step"], total, text)

    return report


def _log(
    table_id,
    source,
    started,
    result: ImportResult | None,
    error: CbsError | None,
    dry_run: bool,
):
    from compass.models import ImportRun

    if dry_run:
        return  # a dry run leaves no trace, whether it succeeds or fails
    run = ImportRun(
        table_id=table_id[:20],
        source=str(source)[:300],
        started_at=started,
        finished_at=timezone.now(),
    )
    if error is not None:
        run.status, run.message = ImportRun.Status.FAILED, f"{error.code}: {error.detail}"
    else:
        run.status = ImportRun.Status.SUCCESS
        for name in ("created", "updated", "unchanged", "suppressed", "provisional"):
            setattr(run, name, getattr(result, name))
    run.save()


def failure_message(error: CbsError) -> str:
    """The message a user reads for a failed import (Dutch through gettext)."""
    from django.utils.translation import gettext as _

    messages = {
        "unknown_table": _("The CBS table is unknown: check the table identifier."),
        "network_failure": _("CBS could not be reached. Try again later or import a saved file."),
        "malformed_data": _("The file or the answer of CBS cannot be read."),
        "unknown_key": _(
            "An indicator refers to a key that does not exist (any more) in the table: "
            "correct the indicator's measure key or dimension filters."
        ),
        "ambiguous_indicator": _(
            "An indicator gives more than one value per region and period: "
            "add the missing dimension filter to the indicator."
        ),
        "no_indicator": _("No indicator is configured for this table."),
        "no_region_dimension": _(
            "This table has no region dimension, so its figures cannot be imported per "
            "municipality. Choose a table with figures per municipality (RegioS)."
        ),
        "no_period_dimension": _(
            "This table has no period dimension, so its figures cannot be imported per period."
        ),
    }
    text = messages.get(error.code, _("The import failed."))
    return _("%(message)s Nothing has been imported. (%(detail)s)") % {
        "message": text,
        "detail": error.detail,
    }
