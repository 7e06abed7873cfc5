"""The Situatie step's figures: one module per job.

- `panel`: what the step shows. Per indicator with a CBS table and imported figures, the latest
  periods of the municipality, its Veilig Thuis region and the Netherlands, with period, source,
  provisional (CBS `*`) and suppressed (CBS `.`, never zero) flags, and whether the figure is
  already in the cycle. Queries do not grow with indicators or periods.
- `storing`: `store_figures`, the one write both actions below go through: one transaction
  that adds or updates figures (a figure with the same indicator, name, period and source is
  updated, never doubled), records the history like a saved step, raises the step's version
  (so an open copy of the step elsewhere is told that someone saved in between) and adds the new
  figures to a draft of the step (`drafts`), so a draft neither hides them nor overwrites them.
- `drafts`: merge stored figures into the step's draft (the raw POST of the figures formset).
- `cbs_takeover`: copy chosen CBS observations into the cycle as SituationFigure rows (source
  "CBS StatLine <table>", plus the demo marker of a table marked as invented; provisional kept).
- `csv_upload`: the CSV template, and checking an uploaded CSV of local figures (police,
  wijkteams, GGD) row by row with Dutch messages.
"""
