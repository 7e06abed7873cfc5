"""Every user-facing string has a Dutch translation."""

from django.core.management import call_command


def test_dutch_po_file_is_complete():
    call_command("check_translations")
