from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from compass.cbs.errors import MalformedData
from compass.cbs.youth import load_youth_population


class Command(BaseCommand):
    help = (
        "Store the youth population (0-17) of the municipalities from a StatLine CSV with "
        "five-year age groups (table 70072ned, Regionale kerncijfers Nederland). The file has no "
        "0-17 group, so it is estimated as ages 0-15 plus three fifths of ages 15-20, and stored "
        "as estimated with its year and table. Safe to rerun."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv", metavar="FILE", help="a StatLine CSV download of 70072ned")
        parser.add_argument("--year", type=int, help="the year, if the file's footer has none")
        parser.add_argument("--dry-run", action="store_true", help="read and count, write nothing")

    def handle(self, *args, csv, year, dry_run, **options):
        path = Path(csv)
        if not path.is_file():
            raise CommandError(_("The file %(path)s does not exist.") % {"path": csv})
        try:
            result = load_youth_population(path.read_bytes(), year=year, dry_run=dry_run)
        except MalformedData as error:
            raise CommandError(
                _("The file cannot be read: %(detail)s. Nothing was stored.") % {"detail": error}
            ) from None
        prefix = "(dry run) " if dry_run else ""
        self.stdout.write(
            f"{prefix}Youth population 0-17 (estimated), {result.year}, {result.source}: "
            f"{result.updated} updated, {result.unchanged} unchanged, "
            f"{len(result.empty)} rows without figures, {len(result.unmatched)} names not found"
        )
        if result.unmatched:
            self.stderr.write("Not found: " + ", ".join(result.unmatched[:30]))
