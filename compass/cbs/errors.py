"""What can go wrong when reading CBS data; each error carries a code the UI translates."""


class CbsError(Exception):
    """A CBS table could not be read; `code` names the kind of failure."""

    code = "cbs_error"

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class UnknownTable(CbsError):
    code = "unknown_table"


class NetworkFailure(CbsError):
    code = "network_failure"


class MalformedData(CbsError):
    code = "malformed_data"


class UnknownKey(CbsError):
    """A configured measure or dimension key does not exist (any more) in the table."""

    code = "unknown_key"


class AmbiguousIndicator(CbsError):
    """An indicator yields more than one value per region and period: a filter is missing."""

    code = "ambiguous_indicator"


class NoIndicator(CbsError):
    """No indicator is configured for the table (or the named indicator does not exist)."""

    code = "no_indicator"


class NoRegionDimension(CbsError):
    """The table has no region dimension: its figures are not per municipality."""

    code = "no_region_dimension"


class NoPeriodDimension(CbsError):
    """The table has no period dimension: its figures cannot be placed in time."""

    code = "no_period_dimension"


class BadDistrictRows(MalformedData):
    """Rows of a districts file that cannot be read; `problems` lists them, one per line."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


class NoDistricts(CbsError):
    """The file holds no districts (rows of the kind "Wijk" with a WK code), or none of the
    municipality the districts are loaded for."""

    code = "no_districts"


class DistrictOutsideMunicipality(CbsError):
    """A district of the file lies in another municipality than the one it is loaded for."""

    code = "district_outside_municipality"
