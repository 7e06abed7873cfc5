"""The search page finds published pages and tips, and handles odd input without errors."""

import pytest

from tests.cms.conftest import add_tip

pytestmark = pytest.mark.django_db


def test_search_finds_pages_and_live_tips(client, block_pages, search_page):
    add_tip(3, "Maak een routekaart met partners.")
    add_tip(3, "Routekaart in concept.", live=False)

    html = client.get(search_page.url, {"q": "routekaart"}).content.decode()

    assert "Maak een routekaart met partners." in html
    assert "Routekaart in concept." not in html
    assert 'href="/kwaliteitskompas/blok-3/"' in html


def test_search_finds_a_block_page_by_its_guiding_question(client, block_pages, search_page):
    html = client.get(search_page.url, {"q": "Leidende"}).content.decode()
    assert "/kwaliteitskompas/blok-5/" in html


def test_search_without_query_shows_only_the_form(client, search_page):
    response = client.get(search_page.url)
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


@pytest.mark.parametrize("query", ["x" * 5000, "%%%", "' OR 1=1 --", "<script>"])
def test_search_survives_odd_input(client, search_page, query):
    response = client.get(search_page.url, {"q": query})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]
