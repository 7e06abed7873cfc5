"""Guidance of one compass block in plain data, for the guided cycle flow to show beside a step.

Usage in a view: ``guidance_for_block(2, request)``; in a template:
``{% include "cms/includes/block_guidance.html" with guidance=guidance %}``.
Three queries: view restrictions (public pages only), the block page and its live tips.
"""

from dataclasses import dataclass, field

from cms.choices import Block
from cms.models import CompassBlockPage
from cms.snippets import Tip


@dataclass(frozen=True)
class TipItem:
    text: str
    source: str = ""
    source_url: str = ""


@dataclass(frozen=True)
class BlockGuidance:
    code: int
    title: str
    guiding_question: str
    intro: str
    tips: list[TipItem] = field(default_factory=list)
    url: str | None = None

    @property
    def has_page(self) -> bool:
        return self.url is not None


def guidance_for_block(code: int, request=None) -> BlockGuidance:
    """Return the published guidance of block `code` (0-6); raise ValueError for other codes.

    Without a published block page the title is the block's name and the texts are empty, so
    the flow can always show something; tips are shown when they are published.
    """
    try:
        block = Block(int(code))
    except (TypeError, ValueError):
        raise ValueError(f"{code!r} is not a compass block (0-6).") from None
    page = (
        CompassBlockPage.objects.live()
        .public()
        .filter(block_code=block.value)
        .only("id", "title", "url_path", "path", "depth", "guiding_question", "intro")
        .first()
    )
    tips = [
        TipItem(text=tip.text, source=tip.source, source_url=tip.source_url)
        for tip in Tip.objects.live_for_block(block.value).only("text", "source", "source_url")
    ]
    if page is None:
        return BlockGuidance(
            code=block.value, title=str(block.label), guiding_question="", intro="", tips=tips
        )
    return BlockGuidance(
        code=block.value,
        title=page.title,
        guiding_question=page.guiding_question,
        intro=page.intro,
        tips=tips,
        url=page.get_url(request),
    )
