"""Layout of the annual cycle in Chromium (issue 13, item 6): no page scrolls sideways at
390 px, no word in a table breaks in the middle at 1280 px, selects show an arrow, and a row
added with "Rij toevoegen" has the focus."""

import pytest
from django.core.management import call_command

from compass.models import Cycle
from tests.e2e.test_cycle import log_in

STEPS = ["situatie", "ambities", "doelgroepen", "aanbod", "kwaliteit", "uitkomsten", "verbeterplan"]

# Words in table cells whose text is laid out on more than one line: broken inside the word. A
# hyphen is where a compound may break ("Veilig Thuis-" / "regio"), so its parts count apart.
BROKEN_WORDS = """
() => {
  const broken = [];
  for (const cell of document.querySelectorAll("main th, main td")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      for (const match of node.textContent.matchAll(/[^\\s-]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0);
        const lines = new Set(rects.map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}
"""
PAGE_WIDTH = "document.documentElement.scrollWidth"


@pytest.fixture
def demo_cycle(checked_page):
    call_command("setup_demo", verbosity=0)
    log_in(checked_page, "alice")
    return Cycle.objects.municipal().get(municipality__code="GM0344", year=2026)


def cycle_pages(cycle):
    yield "/gemeenten/"
    yield f"/jaarcycli/{cycle.pk}/"
    yield f"/jaarcycli/{cycle.previous_id}/"
    for step in STEPS:
        yield f"/jaarcycli/{cycle.pk}/{step}/"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_page_scrolls_sideways_at_390_px_and_no_table_word_breaks_at_1280_px(
    checked_page, demo_cycle
):
    page = checked_page.page
    page.set_viewport_size({"width": 390, "height": 844})
    too_wide = {}
    for path in cycle_pages(demo_cycle):
        checked_page.goto(path)
        width = page.evaluate(PAGE_WIDTH)
        if width > 390:
            too_wide[path] = width
    assert not too_wide

    page.set_viewport_size({"width": 1280, "height": 900})
    broken = {}
    for path in [*cycle_pages(demo_cycle), f"/jaarcycli/{demo_cycle.pk}/zelfevaluatie/uitslag/"]:
        checked_page.goto(path)
        words = page.evaluate(BROKEN_WORDS)
        if words:
            broken[path] = words
    assert not broken


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_select_shows_an_arrow_and_a_new_row_gets_the_focus(checked_page, demo_cycle):
    page = checked_page.page
    checked_page.goto(f"/jaarcycli/{demo_cycle.pk}/doelgroepen/")
    rows_before = page.locator("#part-target_groups .cycle-row").count()
    select = page.locator("select.utrecht-select").first
    if select.count():
        assert select.evaluate("s => getComputedStyle(s).backgroundImage") != "none"

    checked_page.follow(page.locator("button[name=add][value=target_groups]"))
    rows = page.locator("#part-target_groups .cycle-row")
    assert rows.count() == rows_before + 1
    new_row = rows.last
    assert new_row.evaluate("row => row.contains(document.activeElement)")
    assert new_row.evaluate("row => document.activeElement.matches('input, select, textarea')")

    checked_page.goto(f"/jaarcycli/{demo_cycle.pk}/ambities/")
    arrow = page.locator("select.utrecht-select").first.evaluate(
        "s => getComputedStyle(s).backgroundImage"
    )
    assert arrow.startswith('url("data:image/svg+xml')
