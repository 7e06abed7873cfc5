"""Full-page cache of the public content pages for anonymous visitors, purged on every publish.

A Wagtail page of ours (CachedPageMixin) marks the response to an anonymous visitor as
shareable; AnonymousPageCacheMiddleware, high in the middleware list, stores it and hands the
stored copy to every later anonymous visitor before sessions, CSRF, authentication, the
two-factor check or Wagtail's page routing run (docs/performance.md).

A page can be shared only when it is the same for every anonymous visitor: public pages carry no
CSRF token or other per-visitor value (the language switch is a GET form, the search a GET form;
docs/security.md). As a guard, a response that sets a cookie, or whose HTML holds a CSRF token
or a CSP nonce, is never stored.

Who gets the cached copy: a GET without a query string from a browser that sends no
session cookie (so never a logged-in user) and no pending messages. The key holds the host, the
path and the interface language (the language cookie, Dutch by default). Purging bumps a
generation number, which drops every cached page at once: navigation, block lists and tips
appear on several pages, so a change to one page or tip can change the HTML of others.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import check_for_language

GENERATION_KEY = "cms:page-cache:generation"
# The response attribute a view sets to offer its response to the cache.
SHAREABLE = "anonymous_page_cache"
# Headers a stored page never repeats: they belong to one response (or are set again by the
# middleware outside the cache, like the Content-Security-Policy with its fresh nonce).
NOT_STORED_HEADERS = {"set-cookie", "content-length", "date", "x-page-cache"}
# What a shareable page must never contain.
PER_VISITOR_MARKERS = ("csrfmiddlewaretoken", "nonce=")


def cache_timeout() -> int:
    return getattr(settings, "CMS_PAGE_CACHE_SECONDS", 60 * 60)


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.set(GENERATION_KEY, generation, None)
    return generation


def generation() -> str:
    """The current content generation: part of every key of content cached until a publish."""
    return _generation()


def purge_page_cache(**kwargs) -> None:
    """Drop every cached page (signal receiver: accepts and ignores the signal arguments)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def _language(request) -> str:
    """The interface language as DutchFirstLocaleMiddleware will choose it: cookie, else Dutch."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in dict(settings.LANGUAGES) and check_for_language(chosen):
        return chosen
    return settings.LANGUAGE_CODE


def is_anonymous_visit(request) -> bool:
    """Whether the request may get (or fill) the shared copy; decided on the request alone."""
    return (
        cache_timeout() > 0
        and request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def page_cache_key(request) -> str:
    host = request.get_host()
    return f"cms:page:{_generation()}:{host}:{_language(request)}:{request.path}"


def is_shareable(response) -> bool:
    if not getattr(response, SHAREABLE, False) or response.status_code != 200:
        return False
    if response.streaming or response.cookies:
        return False
    content = response.content.decode(errors="replace")
    return not any(marker in content for marker in PER_VISITOR_MARKERS)


class AnonymousPageCacheMiddleware:
    """Serve anonymous visits of a shareable page from the cache; store them on a miss."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_anonymous_visit(request):
            return self.get_response(request)
        key = page_cache_key(request)
        entry = cache.get(key)
        if entry is not None:
            content, headers = entry
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if is_shareable(response):
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in NOT_STORED_HEADERS
            ]
            cache.set(key, (response.content, headers), cache_timeout())
            response["X-Page-Cache"] = "miss"
        return response


class CachedPageMixin:
    """A Wagtail page whose anonymous, non-preview view may be shared between visitors."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if not getattr(request, "is_preview", False) and not request.user.is_authenticated:
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            setattr(response, SHAREABLE, True)
        return response
