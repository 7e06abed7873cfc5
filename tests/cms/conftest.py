"""Fixtures for the content site: a small page tree and tips, built without the full demo."""

import pytest
from django.core.cache import cache

from cms.models import CompassBlockPage, CompassIndexPage, SearchPage
from cms.snippets import Tip
from compass.demo import setup_site


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home(db):
    return setup_site()


@pytest.fixture
def compass_index(home):
    index = CompassIndexPage(title="Het Kwaliteitskompas", slug="kwaliteitskompas", intro="Zo.")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def add_block_page(index, code, title=None):
    page = CompassBlockPage(
        title=title or f"Blok {code}",
        slug=f"blok-{code}",
        block_code=code,
        guiding_question=f"Leidende vraag van blok {code}?",
        intro=f"Inleiding van blok {code}.",
        body=[{"type": "text", "value": f"<p>Uitleg bij blok {code}.</p>"}],
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def block_pages(compass_index):
    return [add_block_page(compass_index, code) for code in range(7)]


@pytest.fixture
def search_page(home):
    page = SearchPage(title="Zoeken", slug="zoeken")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def add_tip(block, text, live=True, **fields):
    tip = Tip(block=block, text=text, **fields)
    tip.save()
    if live:
        tip.save_revision().publish()
    else:
        tip.live = False
        tip.save()
        tip.save_revision()
    return tip
