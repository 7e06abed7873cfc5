from django.core.management.base import BaseCommand, CommandError

from cms.moderation import WORKFLOW_NAME, moderation_enabled, set_moderation


class Command(BaseCommand):
    help = "Switch approval before publishing content pages on or off, or show its state."

    def add_arguments(self, parser):
        parser.add_argument("state", choices=["on", "off", "status"])

    def handle(self, *args, state, **options):
        if state != "status":
            try:
                set_moderation(state == "on")
            except Exception as exc:  # noqa: BLE001 - report any setup problem plainly
                raise CommandError(f"Could not switch moderation {state}: {exc}") from exc
        word = "on" if moderation_enabled() else "off"
        self.stdout.write(f"Moderation workflow '{WORKFLOW_NAME}' is {word}.")
