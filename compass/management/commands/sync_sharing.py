from django.core.management.base import BaseCommand

from compass import access


class Command(BaseCommand):
    help = (
        "Recompute the read access that sharing agreements grant, so that an agreement stops "
        "sharing on its end date (and starts on its start date). Run daily, e.g. from cron."
    )

    def handle(self, *args, **options):
        access.sync_all_sharing()
        self.stdout.write("Sharing agreements: access recomputed.")
