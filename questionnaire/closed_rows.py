"""Closed rows: a step with many saved rows shows each of them as one line (issue 18).

A step of a big cycle (30 ambitions with 60 results, 100 offerings) rendered every saved row
with all its fields, and every link field with every choice of the cycle: 0.5 to 2.4 MB of
HTML and seconds per page (benchmarks/results.md). From `CLOSED_FROM` saved rows in a step,
a saved row is shown *closed*: its legend, a one-line summary, a button *Wijzigen* that opens
it and the box that removes it. The browser then sends only the row's id and the marker
`<row prefix>-closed`; `fill` gives the row its saved values back before the forms read the
input, so a closed row is an unchanged row for validation, saving, the history and the merge
after a save in between (questionnaire.merge takes the other person's values for it).

A row stays open when it is new, has an error, differs from what is saved (a draft's edits)
or is the one the user opened (`?rij=<row prefix>`, after the *Wijzigen* button stored the
draft, without JavaScript as with it).
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

CLOSED_FROM = 20  # saved rows in one step from which they are shown closed
CLOSED = "closed"  # `<row prefix>-closed`: the row was shown closed; its saved values stand
OPEN = "open_row"  # the button that opens a closed row; its value is the row's prefix
OPENED = "rij"  # the query parameter of the row opened after that button
SUMMARY_LENGTH = 90

# The fields a closed row shows as its summary (the first visible field when not listed).
SUMMARY = {
    "figures": ("label", "period", "value"),
    "results": ("text",),
    "values": ("result", "year", "value"),
    "offerings": ("name",),
    "help_provisions": ("help_kind", "offering"),
    "quality": ("offering",),
    "outcomes": ("offering",),
}


def fill(formset, data) -> None:
    """Put the saved values of every row sent closed into `data` (the formset's own copy).

    The rows are the ones the formset loaded for this cycle (no query per row); a closed
    marker on a row that is not one of them (a foreign or removed id) fills nothing, so the
    row fails as before.
    """
    from questionnaire.merge import rendered

    for row in formset.forms:
        if not data.get(row.add_prefix(CLOSED)) or row.instance.pk is None:
            continue
        for name, values in rendered(row).items():
            data.setlist(row.add_prefix(name), values)


def _touched(row) -> bool:
    if not row.is_bound:
        return False
    return bool(row._errors) or row.has_changed()


def close(built, opened: str | None = None) -> None:
    """Mark the saved rows of a big step closed (`row.closed_html`), except those kept open."""
    parts = [(part, form) for part, form in built.forms if not part.single]
    if sum(form.initial_form_count() for _part, form in parts) < CLOSED_FROM:
        return
    for part, form in parts:
        if form.is_bound and not form.management_form.is_valid():
            continue
        for number, row in enumerate(form.forms, 1):
            if row.instance.pk is None or row.prefix == opened or _touched(row):
                continue
            row.closed_html = html(part, row, number)


def summary(part, row) -> str:
    """The row's saved values in one line, from the loaded choices (no query per row)."""
    from questionnaire.steps import _display

    names = SUMMARY.get(part.prefix)
    if not names:
        names = [next(b.name for b in row.visible_fields() if b.name != "DELETE")]
    values = []
    for name in names:
        shown = _display(row, name, row.initial.get(name)) if name in row.fields else ""
        if shown:
            values.append(shown if len(shown) <= SUMMARY_LENGTH else shown[:89] + "…")
    return " · ".join(values) or "–"


def html(part, row, number: int) -> str:
    """A closed row: legend, summary, the id and marker, *Wijzigen* and the removal box.

    Written in Python and without classes the row does not need: a hundred of them are most
    of a big step's page.
    """
    prefix = escape(row.prefix)
    legend = escape(f"{part.row_label} {number}")
    pk_name = row._meta.model._meta.pk.name
    delete = f"id_{prefix}-DELETE"
    return mark_safe(  # noqa: S308 - every value is escaped
        f'<fieldset class="utrecht-form-fieldset cycle-row cycle-row--closed" '
        f'id="{escape(part.prefix)}-row-{number - 1}" tabindex="-1">'
        f"<legend>{legend}</legend>"
        f'<input type="hidden" name="{prefix}-{pk_name}" value="{row.instance.pk}">'
        f'<input type="hidden" name="{prefix}-{CLOSED}" value="1">'
        f'<p class="cycle-row__summary">{escape(summary(part, row))}</p>'
        f'<button type="submit" name="{OPEN}" value="{prefix}" formnovalidate '
        f'class="utrecht-button utrecht-button--secondary-action">{escape(gettext("Change"))}'
        f'<span class="visually-hidden"> {legend}</span></button>'
        f'<div class="cycle-delete"><input type="checkbox" name="{prefix}-DELETE" '
        f'class="utrecht-checkbox utrecht-checkbox--html-input" id="{delete}"> '
        f'<label class="utrecht-form-label" for="{delete}">'
        f"{escape(gettext('Remove this row when saving'))}</label></div></fieldset>"
    )


def opened_row(definition, value: str | None) -> str | None:
    """The row prefix of a *Wijzigen* button, if it names a row of this step (else None)."""
    if not value:
        return None
    prefixes = {part.prefix for part in definition.parts if not part.single}
    head, _sep, index = value.rpartition("-")
    return value if head in prefixes and index.isdigit() and len(index) < 4 else None
