"""The anonymous full-page cache (cms/cache.py): one copy for every anonymous visitor, never a
per-visitor token in it, never for a logged-in user, purged on publish."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.test import Client, RequestFactory

from cms import cache as page_cache

pytestmark = pytest.mark.django_db


def test_two_anonymous_visitors_get_byte_identical_html_without_a_token(block_pages):
    url = block_pages[2].url
    first, second = Client(), Client()
    miss = first.get(url)
    hit = second.get(url)
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    assert hit.content == miss.content
    html = hit.content.decode()
    assert "csrfmiddlewaretoken" not in html and "nonce=" not in html
    # Nothing per visitor is handed out: no session, no CSRF cookie.
    assert not miss.cookies and not hit.cookies
    # The headers of the rendered page come along; the CSP is the outer middleware's own.
    assert hit["X-Frame-Options"] == miss["X-Frame-Options"] == "DENY"
    assert hit["Content-Language"] == "nl"
    assert "Content-Security-Policy" in hit


def test_the_cached_page_keeps_the_vary_header_for_shared_caches(block_pages):
    """A proxy must not hand the anonymous copy to a logged-in browser either."""
    Client().get(block_pages[0].url)
    hit = Client().get(block_pages[0].url)
    assert "Cookie" in hit["Vary"]


def test_a_logged_in_user_never_gets_the_anonymous_copy_nor_fills_it(client, alice, block_pages):
    url = block_pages[3].url
    Client().get(url)  # the anonymous copy
    client.force_login(alice)
    logged_in = client.get(url)
    assert "X-Page-Cache" not in logged_in
    assert "Alice de Vries" in logged_in.content.decode()
    # The logged-in page was not stored: the next anonymous visitor gets the anonymous copy.
    anonymous = Client().get(url)
    assert anonymous["X-Page-Cache"] == "hit"
    assert "Alice de Vries" not in anonymous.content.decode()


def test_a_logged_in_users_page_is_not_stored_for_anonymous_visitors(client, alice, block_pages):
    url = block_pages[4].url
    client.force_login(alice)
    client.get(url)
    anonymous = Client().get(url)
    assert anonymous["X-Page-Cache"] == "miss"
    assert "Alice de Vries" not in anonymous.content.decode()


def test_each_interface_language_has_its_own_copy(block_pages):
    url = block_pages[1].url
    Client().get(url)
    english = Client()
    english.cookies["django_language"] = "en"
    response = english.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert '<html lang="en"' in response.content.decode()
    assert english.get(url)["X-Page-Cache"] == "hit"
    assert '<html lang="nl"' in Client().get(url).content.decode()


def test_a_publish_purges_the_shared_copy(block_pages):
    page = block_pages[5]
    Client().get(page.url)
    assert Client().get(page.url)["X-Page-Cache"] == "hit"
    page.intro = "Nieuw na publicatie."
    page.save_revision().publish()
    response = Client().get(page.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Nieuw na publicatie." in response.content.decode()


def test_pending_messages_and_sessions_bypass_the_cache(block_pages):
    url = block_pages[0].url
    Client().get(url)
    for cookie in ("messages", "sessionid"):
        visitor = Client()
        visitor.cookies[cookie] = "x"
        assert "X-Page-Cache" not in visitor.get(url)


def _middleware(response):
    return page_cache.AnonymousPageCacheMiddleware(lambda request: response)


@pytest.mark.parametrize(
    "body",
    [
        '<form><input type="hidden" name="csrfmiddlewaretoken" value="abc"></form>',
        '<script nonce="abc">1</script>',
    ],
)
def test_a_page_with_a_per_visitor_value_is_never_stored(body, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = HttpResponse(body)
    setattr(response, page_cache.SHAREABLE, True)
    middleware = _middleware(response)
    middleware(RequestFactory().get("/pagina/"))
    assert page_cache.cache.get(page_cache.page_cache_key(RequestFactory().get("/pagina/"))) is None


def test_a_page_that_sets_a_cookie_or_is_not_offered_is_never_stored(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    with_cookie = HttpResponse("<p>x</p>")
    with_cookie.set_cookie("csrftoken", "abc")
    setattr(with_cookie, page_cache.SHAREABLE, True)
    not_offered = HttpResponse("<p>y</p>")
    for response in (with_cookie, not_offered):
        _middleware(response)(RequestFactory().get("/pagina/"))
        key = page_cache.page_cache_key(RequestFactory().get("/pagina/"))
        assert page_cache.cache.get(key) is None
    # The check can fail: the same page, offered and without a cookie, is stored.
    offered = HttpResponse("<p>z</p>")
    setattr(offered, page_cache.SHAREABLE, True)
    _middleware(offered)(RequestFactory().get("/pagina/"))
    assert page_cache.cache.get(page_cache.page_cache_key(RequestFactory().get("/pagina/")))


def test_the_language_switch_is_a_get_form_that_sets_the_cookie(block_pages):
    url = block_pages[0].url
    html = Client().get(url).content.decode()
    assert '<form class="language-switch" action="/taal/" method="get">' in html
    visitor = Client()
    response = visitor.get("/taal/", {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert response.cookies["django_language"].value == "en"
    assert "no-store" in response["Cache-Control"]
    assert '<html lang="en"' in visitor.get(url).content.decode()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_the_language_switch_never_leaves_the_site(client, target):
    response = client.get("/taal/", {"language": "en", "next": target})
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_language_switch_ignores_an_unknown_language(client):
    response = client.get("/taal/", {"language": "xx", "next": "/"})
    assert response.status_code == 302 and "django_language" not in response.cookies


def test_the_language_switch_refuses_a_post(client):
    assert client.post("/taal/", {"language": "en"}).status_code == 405


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith(".svg")
    assert "max-age=86400" in response["Cache-Control"]
    assert client.head("/favicon.ico").status_code == 302
    icon = finders.find("compass/favicon.svg")
    assert icon and "<svg" in Path(icon).read_text(encoding="utf-8")


def test_the_base_template_links_the_icon(block_pages):
    html = Client().get(block_pages[0].url).content.decode()
    assert 'rel="icon" href="/static/compass/favicon.svg"' in html
