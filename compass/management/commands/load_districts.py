from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from compass.cbs.districts import read_districts
from compass.cbs.errors import CbsError
from compass.districts import district_failure, load_districts
from compass.models import Municipality


class Command(BaseCommand):
    help = (
        "Load the districts (wijken) of municipalities from a CBS 'Wijken en buurten' table: an "
        "OData TypedDataSet (JSON), a StatLine CSV download or CBS's kwb spreadsheet (.xlsx). "
        "All or nothing per municipality; a district with a cycle is never deleted. Safe to rerun."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument(
            "--municipality",
            action="append",
            dest="municipalities",
            metavar="GM0344",
            help="only this municipality (repeat); default: every municipality in the file",
        )

    def handle(self, *args, file, municipalities, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("The file %(path)s does not exist.") % {"path": file})
        try:
            table = read_districts(path.read_bytes())
        except CbsError as error:
            raise CommandError(district_failure(error)) from None
        if municipalities:
            codes = [code.strip().upper() for code in municipalities]
        else:
            codes = sorted({"GM" + row.code[2:6] for row in table.rows})
        found = {m.code: m for m in Municipality.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise CommandError(
                _("Unknown municipality: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        for code in codes:
            municipality = found[code]
            try:
                rows = table.for_municipality(municipality.code, municipality.name)
                result = load_districts(municipality, rows, f"CBS, {path.name}")
            except CbsError as error:
                raise CommandError(f"{municipality}: {district_failure(error)}") from None
            self.stdout.write(
                _(
                    "%(municipality)s: %(created)d created, %(updated)d updated, "
                    "%(unchanged)d unchanged, %(removed)d removed."
                )
                % {
                    "municipality": municipality,
                    "created": len(result.created),
                    "updated": len(result.updated),
                    "unchanged": len(result.unchanged),
                    "removed": len(result.removed),
                }
            )
            for district in result.kept_in_use:
                self.stderr.write(
                    _("Kept %(district)s: not in the file, but it has a cycle or members.")
                    % {"district": district}
                )
            if not table.has_population:
                self.stderr.write(_("The file has no population column: populations left empty."))
