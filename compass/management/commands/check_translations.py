import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Fail when the Dutch .po file has an untranslated or fuzzy message."

    def handle(self, *args, **options):
        po = Path(settings.LOCALE_PATHS[0]) / "nl" / "LC_MESSAGES" / "django.po"
        if not po.exists():
            raise CommandError(f"{po} is missing: run `make translations`.")
        problems = []
        for flag, what in (("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")):
            listing = subprocess.run(  # noqa: S603 - fixed argument list
                ["msgattrib", flag, "--no-wrap", str(po)],  # noqa: S607
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            ids = [line for line in listing.splitlines() if line.startswith("msgid ")]
            # The header entry (msgid "") is not a message.
            ids = [line for line in ids if line != 'msgid ""']
            problems += [f"{what}: {line[6:]}" for line in ids]
        if problems:
            raise CommandError("The Dutch translation is incomplete:\n" + "\n".join(problems))
        self.stdout.write(self.style.SUCCESS(f"{po}: every message has a Dutch translation."))
