"""Six blocks with collaboration as the base; each step shows its own block's guidance
(issue 19 item 2; DOMAIN-REVIEW H5, M4)."""

import re
from pathlib import Path

import pytest

from cms.choices import Block
from compass.models import STEP_BLOCK, Step
from tests.questionnaire.cycle_helpers import logged_in, start, step_url

ROOT = Path(__file__).resolve().parents[2]
SEVEN_BLOCKS = re.compile(r"zeven\s+blokken|seven\s+blocks|7\s+blokken", re.IGNORECASE)


def _texts():
    for folder in ["cms", "compass", "questionnaire", "exports", "docs", "locale"]:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".html", ".py", ".po", ".md", ".json", ".txt"} and path.is_file():
                yield path
    yield ROOT / "README.md"


def test_no_template_content_or_translation_says_seven_blocks():
    offenders = [
        str(path.relative_to(ROOT))
        for path in _texts()
        if SEVEN_BLOCKS.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert offenders == []


def test_there_are_six_blocks_and_collaboration_as_their_base():
    assert [b.value for b in Block] == [0, 1, 2, 3, 4, 5, 6]
    assert Block(0).name == "COOPERATION"


def test_each_step_names_the_block_it_belongs_to():
    # Ambitions are NJi block 1B; target groups belong where ambitions are made measurable.
    assert STEP_BLOCK[Step.SITUATION] == 1
    assert STEP_BLOCK[Step.AMBITIONS] == 1
    assert STEP_BLOCK[Step.TARGET_GROUPS] == 2
    assert STEP_BLOCK[Step.OFFERING] == 3
    assert STEP_BLOCK[Step.QUALITY] == 4
    assert STEP_BLOCK[Step.OUTCOMES] == 5
    assert STEP_BLOCK[Step.IMPROVEMENT] == 6


@pytest.mark.django_db
def test_each_step_shows_its_own_blocks_guidance(gemeente_a, alice):
    from cms.demo import load_content
    from cms.models import CompassIndexPage
    from compass.demo import setup_site

    setup_site()
    load_content()
    intro = CompassIndexPage.objects.get().intro
    assert "zes blokken" in intro and "basis onder alle blokken" in intro
    cycle = start(gemeente_a, 2026, alice)
    client = logged_in(alice)
    expected = {
        "situatie": "Monitoring &amp; ambities",
        "ambities": "Monitoring &amp; ambities",
        "doelgroepen": "Maatschappelijk resultaat",
        "aanbod": "Activiteiten",
        "kwaliteit": "Kwaliteit van activiteiten",
        "uitkomsten": "Uitkomsten",
        "verbeterplan": "Verbetercyclus",
    }
    for step, title in expected.items():
        body = client.get(step_url(cycle, step)).content.decode()
        heading = re.search(r'id="block-guidance-\d">Uitleg: ([^<]*)<', body)
        assert heading is not None, step
        assert heading.group(1).startswith(title), (step, heading.group(1))
