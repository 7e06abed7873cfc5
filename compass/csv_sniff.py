"""Reading CSV files that people and CBS make: the text encoding and the column separator.

One place for what every CSV reader of the app needs before `csv.reader`: Dutch spreadsheet
programs save `;`-separated files in Windows-1252 or UTF-8 with a byte order mark; CBS files
come with `;` or `,`; a hand-made file may use tabs.
"""

from __future__ import annotations

DELIMITERS = (";", ",", "\t")


def decode(data: bytes) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM) or, failing that, Windows-1252; return (text, encoding).

    Raises UnicodeDecodeError when the bytes are neither (a byte Windows-1252 leaves undefined).
    """
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict"), "cp1252"


def sniff_delimiter(text: str, candidates: tuple[str, ...] = DELIMITERS) -> str | None:
    """The separator of the header: the candidate found most often in the first non-blank line
    (a tie goes to the earlier candidate), or None when the line has none of them."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = [(first.count(candidate), -i, candidate) for i, candidate in enumerate(candidates)]
    count, _order, best = max(counts, default=(0, 0, None))
    return best if count else None
