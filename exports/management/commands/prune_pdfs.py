"""Remove stored council PDFs that are no longer current (cron: docs/tasks.md).

A PDF stays while it is the newest ready one of its cycle and language, or younger than
PDF_RETENTION_DAYS (default 30); older ones are deleted with their rows. Renders whose worker
died are marked failed first.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from exports import pdf_tasks


class Command(BaseCommand):
    help = "Remove stored PDFs that are no longer current after the retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep PDFs younger than this many days (default: PDF_RETENTION_DAYS).",
        )

    def handle(self, *args, days=None, **options):
        days = settings.PDF_RETENTION_DAYS if days is None else days
        files, rows = pdf_tasks.prune(days)
        self.stdout.write(
            f"{files} PDF file(s) and {rows} render row(s) removed (older than {days} days)."
        )
