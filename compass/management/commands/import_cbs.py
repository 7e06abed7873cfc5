from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from compass.cbs import importer
from compass.cbs.errors import CbsError

BAR_WIDTH = 20


class Command(BaseCommand):
    help = (
        "Import the figures of a CBS StatLine table for every indicator configured for it: "
        "live through the OData API, from a saved OData response folder (--folder) or, for one "
        "indicator, from a StatLine CSV download (--csv with --indicator). One transaction: on "
        "any failure nothing is written. Safe to rerun."
    )

    def add_arguments(self, parser):
        parser.add_argument("table_id", metavar="TABLE_ID", help="e.g. 84849NED")
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--folder", help="a saved OData v3 response folder")
        source.add_argument("--csv", help="a StatLine CSV download (needs --indicator)")
        parser.add_argument(
            "--indicator",
            action="append",
            dest="indicators",
            metavar="CODE",
            help="only this indicator (required with --csv); repeat for more",
        )
        parser.add_argument("--column", help="with --csv: the title of the value column")
        parser.add_argument(
            "--municipality",
            action="append",
            dest="municipalities",
            metavar="GM0344",
            help="only this municipality (plus its Veilig Thuis region and the Netherlands)",
        )
        parser.add_argument(
            "--period", action="append", dest="periods", metavar="2023JJ00", help="only this period"
        )
        parser.add_argument("--dry-run", action="store_true", help="read and count, write nothing")

    def handle(self, *args, table_id, folder, csv, indicators, column, municipalities, periods,
               dry_run, **options):  # fmt: skip
        try:
            if csv:
                if not indicators or len(indicators) != 1:
                    raise CommandError(_("Name exactly one indicator with --indicator for --csv."))
                path = Path(csv)
                if not path.is_file():
                    raise CommandError(_("The file %(path)s does not exist.") % {"path": csv})
                result = importer.import_csv(
                    table_id,
                    path.read_bytes(),
                    indicators[0],
                    column=column,
                    municipalities=municipalities,
                    periods=periods,
                    dry_run=dry_run,
                    source_name=path.name,
                )
            else:
                result = importer.import_table(
                    table_id,
                    folder,
                    municipalities=municipalities,
                    periods=periods,
                    dry_run=dry_run,
                    progress=self.progress,
                    indicators=indicators,
                )
        except CbsError as error:
            raise CommandError(importer.failure_message(error)) from None
        prefix = _("Dry run, nothing written: ") if dry_run else ""
        self.stdout.write(
            prefix
            + _(
                "%(source)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged "
                "(%(suppressed)d suppressed, %(provisional)d provisional)."
            )
            % {
                "source": result.source,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "suppressed": result.suppressed,
                "provisional": result.provisional,
            }
        )
        for code, count in result.per_indicator.items():
            self.stdout.write(f"  {code}: {count}")
        if result.unmatched_regions:
            self.stderr.write(
                _("Regions not recognised (skipped): %(names)s")
                % {"names": ", ".join(result.unmatched_regions[:20])}
            )

    def progress(self, step: int, total: int, text: str) -> None:
        done = BAR_WIDTH * step // max(total, 1)
        self.stderr.write(f"[{'#' * done}{'.' * (BAR_WIDTH - done)}] {step}/{total} {text}")
