from django.core.management.base import BaseCommand, CommandError

from compass.cbs import areas as cbs


class Command(BaseCommand):
    help = (
        "Load municipalities (and their Veilig Thuis, safety and youth regions) from CBS files: "
        "the 'Gebieden in Nederland' table and/or 'Gemeenten alfabetisch' lists. Safe to rerun; "
        "codes that a newer edition no longer lists are marked merged."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--year", type=int, help="edition year, when the file name does not contain it"
        )

    def handle(self, *args, files, year=None, **options):
        try:
            parsed = [cbs.read_file(path, year) for path in files]
        except cbs.CBSFileError as exc:
            raise CommandError(f"Cannot read the file: {exc}") from None
        result = cbs.load(parsed)
        self.stdout.write(
            f"Editions {', '.join(map(str, result.editions))}: {result.created} created, "
            f"{result.updated} updated, {result.merged} marked merged, "
            f"{result.regions} regions."
        )
