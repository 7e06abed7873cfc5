"""Request middleware of the project."""

import base64
import hashlib
import io

from csp.constants import SELF
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils import translation


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Use the language the user chose with the switch, else Dutch; ignore Accept-Language.

    Municipal staff often have English browsers, yet the app is Dutch first: English appears
    only when someone picks it with the language switch (stored in the language cookie).
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if translation.check_for_language(chosen or "") else None
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def request_body_limit() -> int:
    """Return the largest request body accepted, in bytes (see REQUEST_BODY_MAX_BYTES)."""
    if settings.REQUEST_BODY_MAX_BYTES:
        return settings.REQUEST_BODY_MAX_BYTES
    largest_upload = max(
        settings.EXPORT_JSON_MAX_BYTES,
        settings.FIGURES_CSV_MAX_BYTES,
        settings.DISTRICTS_FILE_MAX_BYTES,
        settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE,
        settings.WAGTAILDOCS_MAX_UPLOAD_SIZE,
    )
    return largest_upload + settings.REQUEST_BODY_OVERHEAD_BYTES


class RequestBodyLimitMiddleware:
    """Refuse a request body over the limit before any of it is read or written to disk.

    A declared Content-Length over the limit is refused at once. A body without one (chunked
    transfer) is read up to one byte past the limit: over it is refused, under it is handed on
    as a body of known length (Django would otherwise read nothing of it).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = request_body_limit()
        raw_length = request.META.get("CONTENT_LENGTH") or ""
        if raw_length.strip():
            try:
                length = int(raw_length)
            except ValueError:
                return self.refuse(request, limit, status=400)
            if length > limit:
                return self.refuse(request, limit)
        elif "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            stream = request.META.get("wsgi.input")
            data = stream.read(limit + 1) if stream is not None else b""
            if len(data) > limit:
                return self.refuse(request, limit)
            request.META["CONTENT_LENGTH"] = str(len(data))
            request._stream = LimitedStream(io.BytesIO(data), len(data))
        return self.get_response(request)

    @staticmethod
    def refuse(request, limit, status=413):
        # A page of its own, like 500.html: no session, user or database is needed.
        return render(
            request,
            "413.html",
            {"limit": filesizeformat(limit), "bad_length": status == 400},
            status=status,
        )


# The one inline style of ours: the 500 and 413 pages carry it themselves, so they show even
# when static files or the database are broken. Allowed by its hash on those responses only.
ERROR_PAGE_STYLE = (
    "body{font-family:Arial,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;"
    "line-height:1.5;color:#1a1a1a}"
)
_digest = hashlib.sha256(ERROR_PAGE_STYLE.encode()).digest()
ERROR_PAGE_STYLE_HASH = f"'sha256-{base64.b64encode(_digest).decode()}'"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the two exceptions our policy needs (docs/security.md).

    - A response that may be framed by our own pages (X-Frame-Options SAMEORIGIN, which
      Wagtail sets on its preview views, and the preview Wagtail renders inside them for the
      live preview panel) gets `frame-ancestors 'self'` instead of `'none'`.
    - The 500 and 413 pages may use their own inline style (ERROR_PAGE_STYLE, by its hash).
    - Under the Wagtail admin (WAGTAILADMIN_CSP_PREFIX) the directives of
      CSP_WAGTAIL_ADMIN_UPDATE are added: the narrowest relaxation Wagtail's own interface needs.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        update = dict(parts.update or {})
        replace = dict(parts.replace or {})
        framed_by_us = response.get("X-Frame-Options", "").upper() == "SAMEORIGIN"
        # Wagtail renders a preview through the middleware with a request of its own
        # (`is_preview`), shown in the editor's preview panel: a same-origin frame.
        if framed_by_us or getattr(request, "is_preview", False):
            replace["frame-ancestors"] = [SELF]
        if response.status_code in (413, 500):
            update["style-src"] = [*update.get("style-src", []), ERROR_PAGE_STYLE_HASH]
        if request.path_info.startswith(settings.WAGTAILADMIN_CSP_PREFIX):
            for directive, sources in settings.CSP_WAGTAIL_ADMIN_UPDATE.items():
                update[directive] = [*update.get(directive, []), *sources]
        parts.update = update or None
        parts.replace = replace or None
        return parts
