"""Guidance of one compass block in plain data, for the guided cycle flow to show beside a step.

Usage in a view: ``guidance_for_block(2, request)``; in a template:
``{% include "cms/includes/block_guidance.html" with guidance=guidance %}``.
Three queries (view restrictions, the block page and its live tips) the first time; then it
comes from the cache until content is published again (the public page cache's generation,
cms/cache.py: every publish of a page or snippet and every saved tip starts a new one).
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import get_language

from cms import cache as page_cache
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
    host = request.get_host() if request is not None else ""
    key = f"cms:guidance:{page_cache.generation()}:{host}:{get_language()}:{block.value}"
    guidance = cache.get(key)
    if guidance is None:
        guidance = _load(block, request)
        cache.set(key, guidance, page_cache.cache_timeout() or 300)
    return guidance


def _load(block: Block, request) -> BlockGuidance:
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
