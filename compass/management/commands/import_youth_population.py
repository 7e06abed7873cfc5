from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from compass.cbs.errors import CbsError
from compass.cbs.youth import POPULATION_TABLE, load_population_odata, load_youth_population


class Command(BaseCommand):
    help = (
        "Store the populations of the municipalities behind the prevalence estimates: children "
        "0-17 and people aged 16 and over. FILE is either a folder with the OData v3 responses "
        "of CBS table 03759ned (Bevolking op 1 januari; single years of age: counted, the newest "
        "period unless --period is given), or a StatLine CSV with five-year age groups (table "
        "70072ned): 0-17 is then estimated as ages 0-15 plus three fifths of ages 15-20, 16+ as "
        "all inhabitants minus ages 0-15 minus one fifth of ages 15-20, stored as estimated with "
        "its year and table. Safe to rerun."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "csv", metavar="FILE", help="a folder of 03759ned OData responses or a 70072ned CSV"
        )
        parser.add_argument("--period", help="03759ned only: the period, e.g. 2024JJ00")
        parser.add_argument("--year", type=int, help="the year, if the file's footer has none")
        parser.add_argument("--dry-run", action="store_true", help="read and count, write nothing")

    def handle(self, *args, csv, year, dry_run, period=None, **options):
        path = Path(csv)
        if not path.exists():
            raise CommandError(_("The file %(path)s does not exist.") % {"path": csv})
        try:
            if path.is_dir():
                result = load_population_odata(
                    path, POPULATION_TABLE, period=period, dry_run=dry_run
                )
            else:
                result = load_youth_population(path.read_bytes(), year=year, dry_run=dry_run)
        except CbsError as error:
            raise CommandError(
                _("The file cannot be read: %(detail)s. Nothing was stored.") % {"detail": error}
            ) from None
        prefix = "(dry run) " if dry_run else ""
        self.stdout.write(
            f"{prefix}Population 0-17 and 16+ "
            f"({'estimated' if result.estimated else 'counted'}), {result.year}, {result.source}: "
            f"{result.updated} updated, {result.unchanged} unchanged, "
            f"{len(result.empty)} rows without figures, {len(result.unmatched)} names not found"
        )
        if result.unmatched:
            self.stderr.write("Not found: " + ", ".join(result.unmatched[:30]))
