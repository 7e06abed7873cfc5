"""The names of a cycle's downloads: which municipality, which district, which year.

A district cycle is one district's pass beside its municipality's cycle (issue 22), so its files
name both: ``kwaliteitskompas-utrecht-overvecht-2026.pdf`` next to the municipal
``kwaliteitskompas-utrecht-2026.pdf``. One function, so the PDF, the CSV tables, the workbook
and the JSON file can never name the same cycle differently.
"""

from __future__ import annotations

from django.utils.text import slugify

# The suffix of the municipal report with the district annex (issue 22, item 5).
ANNEX_SUFFIX = "met-wijkbijlage"


def place_slug(cycle) -> str:
    """``utrecht`` for a municipal cycle, ``utrecht-overvecht`` for a district cycle."""
    pieces = [slugify(cycle.municipality.name)]
    if cycle.district_id:
        pieces.append(slugify(cycle.district.name) or cycle.district.code.lower())
    return "-".join(pieces)


def place_label(cycle) -> str:
    """How the report names the cycle's place: "Utrecht" or "Overvecht (WK034401), Utrecht"."""
    if cycle.district_id:
        return f"{cycle.district.name} ({cycle.district.code}), {cycle.municipality.name}"
    return cycle.municipality.name
