import fcntl
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Write Dutch translations from a JSON file ({msgid: msgstr}) into locale/nl; "
        "several people can run it at once (the .po file is locked while it is written)."
    )

    def add_arguments(self, parser):
        parser.add_argument("json_file")
        parser.add_argument("--language", default="nl")

    def handle(self, json_file, language, **options):
        import polib  # a development tool: polib is a dev dependency

        try:
            translations = json.loads(Path(json_file).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"{json_file}: {exc}") from None
        po_path = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
        with open(po_path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            po = polib.pofile(str(po_path), wrapwidth=0)
            done, unknown = 0, []
            for msgid, msgstr in translations.items():
                entry = po.find(msgid)
                if entry is None:
                    unknown.append(msgid)
                    continue
                if entry.msgid_plural:
                    if not isinstance(msgstr, list):
                        raise CommandError(f"{msgid!r} has a plural: give a list of forms.")
                    entry.msgstr_plural = dict(enumerate(msgstr))
                else:
                    entry.msgstr = msgstr
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                done += 1
            po.save(str(po_path))
        self.stdout.write(f"{done} translations written to {po_path}.")
        for msgid in unknown:
            self.stderr.write(f"not in the .po file (run `make translations` first): {msgid!r}")
