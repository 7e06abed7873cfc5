"""Security headers (issue 20, item 4): a strict Content Security Policy everywhere, the one
relaxation the Wagtail admin needs scoped to /cms-admin/, and no inline script or style in our
templates (docs/security.md)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from compass.middleware import ERROR_PAGE_STYLE

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
OUR_APPS = ("compass", "questionnaire", "cms", "exports")


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


STRICT = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/gemeenten/", "/no-such-page/"])
def test_our_pages_carry_the_strict_policy(client, alice, path):
    client.force_login(alice)
    response = client.get(path)
    assert directives(response) == STRICT
    assert "unsafe" not in response["Content-Security-Policy"]


def test_a_script_with_a_nonce_gets_it_in_the_policy(rf):
    from django.http import HttpResponse

    from compass.middleware import ContentSecurityPolicyMiddleware

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    request = rf.get("/")
    response = ContentSecurityPolicyMiddleware(view)(request)
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert directives(response)["script-src"] == ["'self'", f"'nonce-{nonce}'"]


def test_the_wagtail_admin_gets_exactly_inline_style_elements_on_top(client, erin):
    """Draftail renders <style> elements: only `style-src-elem` is relaxed, only in the admin."""
    client.force_login(erin)
    response = client.get("/cms-admin/")
    assert response.status_code == 200
    assert directives(response) == STRICT | {"style-src-elem": ["'self'", "'unsafe-inline'"]}


def test_a_wagtail_preview_may_be_framed_by_the_editor_only(client, erin):
    from wagtail.models import Page

    client.force_login(erin)
    page = Page.objects.filter(depth=2).first()
    assert page is not None
    url = f"/cms-admin/pages/{page.pk}/edit/preview/"
    post = client.post(url, {"title": page.title, "slug": page.slug})
    assert post.status_code == 200
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert directives(response)["frame-ancestors"] == ["'self'"]
    assert "unsafe" not in response["Content-Security-Policy"].replace(
        "style-src-elem 'self' 'unsafe-inline'", ""
    )


def test_the_other_security_headers(client):
    response = client.get("/")
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_cookies_are_http_only_and_same_site():
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"


# The print template is read by WeasyPrint (the PDF), never by a browser: CSP does not apply.
PRINT_ONLY = {"exports/templates/exports/base_print.html"}
# The error pages' own style, allowed by its hash (test below).
ERROR_PAGES = {"compass/templates/500.html", "compass/templates/413.html"}
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I
)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=|javascript:", re.I)


def test_our_templates_have_no_inline_script_or_style():
    offenders = []
    for app in OUR_APPS:
        for template in sorted((ROOT / app / "templates").rglob("*.html")):
            relative = str(template.relative_to(ROOT))
            if relative in PRINT_ONLY:
                continue
            text = template.read_text()
            if relative in ERROR_PAGES:
                text = text.replace(f"<style>{ERROR_PAGE_STYLE}</style>", "", 1)
            for pattern in (INLINE_SCRIPT, INLINE_STYLE):
                for match in pattern.finditer(text):
                    offenders.append(f"{relative}: {match.group(0)}")
    assert not offenders, "inline script/style (move it to a static file):\n" + "\n".join(offenders)


def test_the_template_check_finds_inline_code():
    assert INLINE_SCRIPT.search("<p>x</p><script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script type="application/json" id="d">{}</script>')
    assert INLINE_STYLE.search('<p style="color:red">')
    assert INLINE_STYLE.search("<style>p{}</style>")
    assert INLINE_STYLE.search('<a onclick="x()">')


@pytest.mark.parametrize("name", ["500.html", "413.html"])
def test_the_error_pages_style_is_allowed_by_its_hash_on_error_responses_only(
    name, client, settings
):
    """The 500 and 413 pages keep their own <style> (no static files needed): exactly that
    text is allowed, by its hash, on those responses; never on others."""
    from compass.middleware import ERROR_PAGE_STYLE, ERROR_PAGE_STYLE_HASH

    template = (ROOT / "compass" / "templates" / name).read_text()
    assert f"<style>{ERROR_PAGE_STYLE}</style>" in template
    assert directives(client.get("/"))["style-src"] == ["'self'"]
    settings.ERROR_PREVIEW_PAGES = True
    client.raise_request_exception = False
    response = client.get("/fout-voorbeeld/500/")
    assert response.status_code == 500
    assert directives(response)["style-src"] == ["'self'", ERROR_PAGE_STYLE_HASH]
