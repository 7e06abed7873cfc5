"""The search page finds published pages and tips, and handles odd input without errors."""

import pytest
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cms.snippets import Tip
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


# Full-text search syntax of SQLite FTS5 and PostgreSQL tsquery, mixed into arbitrary text.
SEARCH_SYNTAX = st.sampled_from(
    ['"', "'", "(", ")", " AND ", " OR ", " NOT ", "*", "-", "^", ":", "NEAR(", "{", "}", "+"]
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    query=st.one_of(
        st.text(max_size=80),
        st.lists(st.one_of(SEARCH_SYNTAX, st.text(max_size=6)), max_size=12).map("".join),
        st.text(min_size=201, max_size=600),
    )
)
def test_search_answers_any_query_with_escaped_output(client, search_page, query):
    add_tip(1, "Maak een routekaart met partners.") if not Tip.objects.exists() else None
    response = client.get(search_page.url, {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    shown = query.strip()[:200]
    if shown:
        # The query is shown back in the search box, escaped, never as markup.
        assert f'name="q" value="{escape(shown)}"' in html
    if "<" in shown:
        assert shown not in html.split("<main", 1)[1]
