"""The public site: readable without login, breadcrumbs, block navigation, cache and purge."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cms.conftest import add_tip

pytestmark = pytest.mark.django_db


def test_block_page_is_readable_without_login_with_question_tips_and_breadcrumbs(
    client, block_pages
):
    add_tip(2, "Kies een resultaat dat u kunt meten.", source="NJi")
    add_tip(2, "Concept dat nog niet gepubliceerd is.", live=False)
    add_tip(3, "Tip van een ander blok.")

    response = client.get(block_pages[2].url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Leidende vraag van blok 2?" in html
    assert "Kies een resultaat dat u kunt meten." in html
    assert "Concept dat nog niet gepubliceerd is." not in html
    assert "Tip van een ander blok." not in html
    crumbs = re.search(r'<nav class="breadcrumbs" aria-label="Kruimelpad">(.*?)</nav>', html, re.S)
    assert crumbs is not None
    assert '<span aria-current="page">Blok 2</span>' in crumbs.group(1)
    assert 'href="/kwaliteitskompas/"' in crumbs.group(1)


def test_block_page_links_to_previous_next_and_all_blocks(client, block_pages):
    html = client.get(block_pages[3].url).content.decode()
    assert 'rel="prev"' in html and 'href="/kwaliteitskompas/blok-2/"' in html
    assert 'rel="next"' in html and 'href="/kwaliteitskompas/blok-4/"' in html
    for code in range(7):
        assert f"/kwaliteitskompas/blok-{code}/" in html
    assert 'href="/kwaliteitskompas/blok-3/" aria-current="page"' in html


def test_first_block_has_no_previous_and_last_has_no_next(client, block_pages):
    assert 'rel="prev"' not in client.get(block_pages[0].url).content.decode()
    assert 'rel="next"' not in client.get(block_pages[6].url).content.decode()


def test_compass_overview_lists_the_blocks_in_order(client, block_pages, compass_index):
    html = client.get(compass_index.url).content.decode()
    positions = [html.index(f"/kwaliteitskompas/blok-{code}/") for code in range(7)]
    assert positions == sorted(positions)


def test_main_navigation_links_to_the_compass(client, block_pages):
    html = client.get("/").content.decode()
    assert 'href="/kwaliteitskompas/"' in html


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_block_page_query_count_does_not_grow_with_the_number_of_tips(
    client, block_pages, django_assert_num_queries, settings
):
    settings.CMS_PAGE_CACHE_SECONDS = 0  # measure the rendering itself, not the cache
    url = block_pages[1].url
    for number in range(3):
        add_tip(1, f"Tip {number}.")
    client.get(url)  # warm Wagtail's site-root cache, as in production
    with_three = count_queries(client, url)

    for number in range(3, 30):
        add_tip(1, f"Tip {number}.")
    with django_assert_num_queries(with_three):
        response = client.get(url)
    print(f"block page queries: {with_three} with 3 tips, {with_three} with 30 tips")
    assert response.content.decode().count("Tip ") >= 30


def test_anonymous_page_is_served_from_the_cache_the_second_time(client, block_pages):
    url = block_pages[0].url
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    html = second.content.decode()
    assert "Leidende vraag van blok 0?" in html
    assert "csrfmiddlewaretoken" not in html
    # Served before sessions, authentication and Wagtail's routing: no query at all.
    assert len(queries) == 0 < count_queries_uncached(client, url)


def count_queries_uncached(client, url):
    from django.core.cache import cache

    cache.clear()
    return count_queries(client, url)


def test_publishing_a_page_purges_the_cache(client, block_pages):
    page = block_pages[4]
    client.get(page.url)
    page.intro = "Een nieuwe inleiding na publicatie."
    page.save_revision().publish()

    response = client.get(page.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Een nieuwe inleiding na publicatie." in response.content.decode()


def test_publishing_a_tip_purges_the_block_page(client, block_pages):
    tip = add_tip(5, "Eerste versie van de tip.")
    assert "Eerste versie van de tip." in client.get(block_pages[5].url).content.decode()
    assert client.get(block_pages[5].url)["X-Page-Cache"] == "hit"

    tip.text = "Tweede versie van de tip."
    tip.save_revision().publish()

    html = client.get(block_pages[5].url).content.decode()
    assert "Tweede versie van de tip." in html
    assert "Eerste versie van de tip." not in html


def test_unpublishing_a_page_purges_the_cache(client, block_pages, compass_index):
    assert "Blok 6" in client.get(compass_index.url).content.decode()
    block_pages[6].unpublish()
    assert "Blok 6" not in client.get(compass_index.url).content.decode()


def test_logged_in_users_are_never_served_from_the_cache(client, alice, block_pages):
    client.get(block_pages[0].url)
    client.force_login(alice)
    response = client.get(block_pages[0].url)
    assert "X-Page-Cache" not in response
    assert "Alice de Vries" in response.content.decode()


def test_query_string_requests_bypass_the_cache(client, block_pages):
    response = client.get(block_pages[0].url + "?utm=1")
    assert "X-Page-Cache" not in response


def test_dutch_content_keeps_lang_nl_in_the_english_interface(client, block_pages):
    client.cookies["django_language"] = "en"
    html = client.get(block_pages[1].url).content.decode()
    assert '<html lang="en"' in html
    assert '<h1 class="utrecht-heading-1" lang="nl">Blok 1</h1>' in html
    assert 'class="guidance-body" lang="nl"' in html
