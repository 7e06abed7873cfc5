"""Marking invented and generated data, so demo numbers never pass as real.

- A CBS table whose title carries `DEMO_MARKER` (the demo Veilig Thuis folder) is invented: a
  figure taken from it into a cycle keeps the marker in its source ("CBS StatLine 84849NED
  (DEMODATA: verzonnen cijfers)"), so the report, the exports and every page print it with the
  figure.
- A demo installation (`cms.InstallationSettings.demo`, ticked by `setup_demo`, or the
  environment variable DEMO_MODE) shows a demo notice on every page and report page.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

DEMO_MARKER = "DEMODATA"
DEMO_SOURCE_SUFFIX = "(DEMODATA: verzonnen cijfers)"
CBS_SOURCE = "CBS StatLine {table}"
CACHE_KEY = "compass:demo-installation"
CACHE_SECONDS = 300


def is_demo_text(text: str | None) -> bool:
    """Whether a source or title carries the demo marker."""
    return DEMO_MARKER in (text or "").upper()


def cbs_figure_source(table_id: str, imported_source: str | None = "") -> str:
    """The source of a CBS figure taken into a cycle: the table, and the demo marker when the
    import read a table marked as invented."""
    source = CBS_SOURCE.format(table=table_id)
    if is_demo_text(imported_source):
        source = f"{source} {DEMO_SOURCE_SUFFIX}"
    return source


def _stored_flag() -> bool:
    from cms.models import InstallationSettings

    return InstallationSettings.objects.filter(demo=True).exists()


def is_demo_installation() -> bool:
    """True on a demo installation; cached for a few minutes (one query at most per period)."""
    if getattr(settings, "DEMO_MODE", False):
        return True
    return bool(cache.get_or_set(CACHE_KEY, _stored_flag, CACHE_SECONDS))


def mark_demo_installation(demo: bool = True) -> None:
    """Store the flag (setup_demo calls this) and forget the cached answer."""
    from cms.models import InstallationSettings

    row = InstallationSettings.objects.order_by("pk").first() or InstallationSettings()
    if row.pk is None or row.demo != demo:
        row.demo = demo
        row.save()
    forget()


def forget(**_kwargs) -> None:
    cache.delete(CACHE_KEY)
