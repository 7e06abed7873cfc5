"""Publish the benchmark release of a reference date (cron: daily; idempotent per date)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from questionnaire import benchmarking


class Command(BaseCommand):
    help = (
        "Publish the anonymous benchmark as it stood at the start of a reference date. Without "
        "--date: the latest reference date of the calendar (BENCHMARK_RELEASE_DAY and "
        "BENCHMARK_RELEASE_MONTHS). A date that already has a release changes nothing, so the "
        "command can run every day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="reference date, YYYY-MM-DD")

    def handle(self, *args, date=None, **options):
        if date:
            try:
                day = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"--date {date!r} is not a date like 2026-12-01.") from None
        else:
            day = benchmarking.reference_date_on_or_before(timezone.localdate())
        try:
            result = benchmarking.publish_release(day)
        except benchmarking.ReleaseError as error:
            raise CommandError(str(error)) from None
        release = result.release
        if not result.created:
            self.stdout.write(f"Release {release.reference_date} exists already: nothing changed.")
            return
        for name in result.skipped:
            self.stderr.write(f"Left out (invalid stored result): {name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Release {release.reference_date}: {release.municipality_count} municipalities, "
                f"{len(result.stored)} population(s) changed."
            )
        )
