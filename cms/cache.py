"""Cache of rendered public pages for anonymous visitors, purged on every publish.

A page is cached per (generation, page, language). Purging bumps the generation, which drops
every cached page at once: navigation, block lists and tips appear on several pages, so a
change to one page or tip can change the HTML of others. The CSRF token of the language switch
is stored as a placeholder and filled in per request, so a cached page never hands one
visitor's token to another.
"""

import re
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token

GENERATION_KEY = "cms:page-cache:generation"
CSRF_PLACEHOLDER = "__CMS_CSRF_TOKEN__"
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def cache_timeout() -> int:
    return getattr(settings, "CMS_PAGE_CACHE_SECONDS", 60 * 60)


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.set(GENERATION_KEY, generation, None)
    return generation


def page_cache_key(page_pk: int, language: str) -> str:
    return f"cms:page:{_generation()}:{page_pk}:{language}"


def purge_page_cache(**kwargs) -> None:
    """Drop every cached page (signal receiver: accepts and ignores the signal arguments)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def is_cacheable(request) -> bool:
    """Only plain anonymous GETs without a query string or pending messages are cached."""
    return (
        cache_timeout() > 0
        and request.method == "GET"
        and not request.GET
        and not getattr(request, "is_preview", False)
        and not request.user.is_authenticated
        and "messages" not in request.COOKIES
    )


def cached_response(request, key):
    entry = cache.get(key)
    if entry is None:
        return None
    content, content_type = entry
    content = content.replace(CSRF_PLACEHOLDER, get_token(request))
    response = HttpResponse(content, content_type=content_type)
    response["X-Page-Cache"] = "hit"
    return response


def store_response(key, response) -> None:
    if response.status_code != 200 or response.streaming:
        return
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    content = _CSRF_INPUT.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", response.content.decode())
    cache.set(key, (content, response["Content-Type"]), cache_timeout())
    response["X-Page-Cache"] = "miss"


class CachedPageMixin:
    """Serve anonymous GETs of a page from the cache; render and store on a miss."""

    def serve(self, request, *args, **kwargs):
        if not is_cacheable(request):
            return super().serve(request, *args, **kwargs)
        key = page_cache_key(self.pk, getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE))
        response = cached_response(request, key)
        if response is not None:
            return response
        response = super().serve(request, *args, **kwargs)
        store_response(key, response)
        return response
