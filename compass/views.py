"""Project-level views that belong to no single app."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from compass.models import Membership
from compass.queue_health import queue_health


@require_GET
def healthz(request):
    """Answer a load balancer's health check: the process runs and the database answers.

    It also reports the task queue (compass/queue_health.py) without failing on it: a stalled
    worker must not take the web servers out of the load balancer. Monitors alert on
    /healthz/queue/, which answers 503 when the oldest waiting task waits too long.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "queue": queue_health()})


@require_GET
def healthz_queue(request):
    """The task queue's health for a monitor: 200 when workers keep up, 503 when stalled."""
    health = queue_health()
    return JsonResponse(health, status=503 if health["status"] == "stalled" else 200)


@require_safe  # crawlers and link checkers ask with HEAD too
def favicon(request):
    """/favicon.ico, which browsers and crawlers ask for whatever the page links: the site's
    icon (a hashed static file, cached for a year) by a redirect that may be cached for a day."""
    response = HttpResponseRedirect(static("compass/favicon.svg"))
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    return response


@require_GET
def switch_language(request):
    """The language switch: set the language cookie, then go back to the page (same site only).

    A GET form without a CSRF token, so that a public page carries nothing per visitor and one
    cached copy serves every anonymous visitor (docs/security.md, docs/performance.md). It only
    sets the interface language cookie: another site that makes a browser follow it changes
    nothing but the language (SameSite=Lax allows it for a top-level navigation anyway).
    """
    language = request.GET.get("language", "")
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if language in dict(settings.LANGUAGES) and check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    patch_cache_control(response, private=True, no_store=True)
    return response


def landing_url(user) -> str:
    """Return where a user lands after logging in without a place to go back to.

    Someone with a municipal role lands on "Mijn gemeenten"; someone without one who may use
    the Wagtail admin (a content editor, a superuser) lands in the admin; anyone else on
    "Mijn gemeenten", which explains how to get access.
    """
    if Membership.objects.filter(user=user).exists():
        return resolve_url(settings.LOGIN_REDIRECT_URL)
    if user.has_perm("wagtailadmin.access_admin"):
        return reverse("wagtailadmin_home")
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    """Log in; go back to where the user was going (same site only), else to their landing page.

    The home page and the login page are not places someone was going to: the header's login
    link on the home page carries `next=/`, which would only bring them back to the start.
    """

    def get_redirect_url(self):
        url = super().get_redirect_url()  # "" unless same host and scheme
        if url.split("?", 1)[0].split("#", 1)[0] in ("/", reverse("login"), reverse("logout")):
            return ""
        return url

    def get_default_redirect_url(self):
        return landing_url(self.request.user)


class LogoutView(auth_views.LogoutView):
    """Log out and say so on the page the user lands on."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("You are logged out."))
        return response


def error_preview(request):
    """Raise an error on purpose, so a deployment can check its 500 page (off by default).

    Only answers when ERROR_PREVIEW_PAGES is on (the production smoke test in CI sets it);
    otherwise this address does not exist.
    """
    if not settings.ERROR_PREVIEW_PAGES:
        raise Http404
    raise RuntimeError("Error preview: a deliberate server error to check the 500 page.")
