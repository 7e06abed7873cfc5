from django.core.management.base import BaseCommand

from compass import exchange


class Command(BaseCommand):
    help = (
        "Send the daily e-mail of the practice exchange: one mail per person with the new "
        "answers in the threads they follow (at most one a day; each answer once). Run daily "
        "from cron; running it twice sends nothing more."
    )

    def handle(self, *args, **options):
        sent = exchange.send_digests()
        self.stdout.write(f"Practice exchange: {sent} digest e-mails queued.")
