import time

from django.core.management.base import BaseCommand, CommandError

from questionnaire import national_seed


class Command(BaseCommand):
    help = (
        "Generate national-scale data, MARKED AS GENERATED (demo notice, DEMODATA sources, "
        "gen-* users): teams, annual cycles with rows in every part, submitted "
        "self-assessments and CBS figures for the real municipalities. The same seed gives the "
        "same data. Refuses to run a second time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, default=342)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--last-year", type=int, default=None)
        parser.add_argument(
            "--password",
            default=None,
            help="password of every generated user (default: none, they cannot log in)",
        )

    def handle(self, *args, **options):
        if options["municipalities"] < 1 or not 1 <= options["years"] <= 20:
            raise CommandError("Give at least one municipality and 1 to 20 years.")
        started = time.perf_counter()
        try:
            result = national_seed.seed(
                municipalities=options["municipalities"],
                years=options["years"],
                seed=options["seed"],
                password=options["password"],
                last_year=options["last_year"],
                log=lambda message: self.stdout.write(f"  {message}"),
            )
        except national_seed.AlreadySeeded:
            raise CommandError(
                "This database already holds generated data (users gen-*): seed_national runs "
                "once per database. Start from an empty database to generate again."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated (marked as such): {result.municipalities} municipalities, "
                f"{result.users} users, {result.cycles} cycles, {result.assessments} "
                f"self-assessments, {result.observations} CBS figures in "
                f"{time.perf_counter() - started:.1f} s"
            )
        )
