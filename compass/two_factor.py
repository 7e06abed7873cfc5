"""Two-factor authentication with django-otp: an app code (TOTP) plus one-time recovery codes.

- Anyone may turn it on at /mijn-account/tweestapsverificatie/; whoever has a confirmed device
  enters a code after the password, before any other page (the site, the Wagtail admin, the
  Django admin) opens.
- With TWO_FACTOR_REQUIRED (on unless DEBUG=1), superusers, content editors (access to the
  Wagtail admin) and coordinators must set it up before they can do anything else.

What a login still needs is decided once, at login, and kept in the session, so ordinary
requests cost no queries (TwoFactorMiddleware reads only the session).
"""

import logging
from base64 import b32encode

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import LazyObject, empty
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django.views.generic import FormView
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from compass.models import Membership, Role

logger = logging.getLogger("compass.auth")

STATE_KEY = "two_factor"
VERIFY, SETUP = "verify", "setup"
RECOVERY_CODES = 10
DEVICE_NAME = "app"


def required_for(user) -> bool:
    """Whether this user's role requires two-factor authentication (when it is enforced)."""
    return (
        user.is_superuser
        or user.has_perm("wagtailadmin.access_admin")
        or Membership.objects.filter(user=user, role=Role.COORDINATOR).exists()
    )


def state_for(user) -> str:
    """What a fresh login of `user` still needs: a code, a set-up, or nothing ("")."""
    if django_otp.user_has_device(user):
        return VERIFY
    if settings.TWO_FACTOR_REQUIRED and required_for(user):
        return SETUP
    return ""


@receiver(user_logged_in)
def decide_at_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[STATE_KEY] = state_for(user)


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _with_next(url: str, request) -> str:
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


def unwrapped(user):
    """The user object itself, not the lazy objects around it.

    django-otp's middleware wraps `request.user` in a lazy object around the authentication
    middleware's lazy object; Wagtail's audit log unwraps one level only, so without this the
    admin's account page silently logged nothing. The user is read on every request anyway
    (below), and the attributes django-otp sets (`otp_device`, `is_verified`) are on it.
    """
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


class TwoFactorMiddleware:
    """Send a logged-in user who still owes a code (or a set-up) there first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None:
            user = request.user = unwrapped(user)
        if user is not None and user.is_authenticated:
            state = request.session.get(STATE_KEY)
            if state is None:  # a session from before two-factor authentication existed
                state = request.session[STATE_KEY] = state_for(user)
            if state and not self._open(request, state):
                target = VerifyView.url() if state == VERIFY else reverse("two_factor_setup")
                return HttpResponseRedirect(_with_next(target, request))
        return self.get_response(request)

    @staticmethod
    def _open(request, state) -> bool:
        path = request.path_info
        always = [reverse("logout"), "/i18n/", settings.STATIC_URL, "/healthz/"]
        if state == VERIFY:
            always.append(VerifyView.url())
        else:
            always.append(reverse("two_factor_setup"))
        return any(path.startswith(prefix) for prefix in always)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        help_text=gettext_lazy(
            "The 6-digit code from your authenticator app, or one of your recovery codes."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


class VerifyView(FormView):
    """After the password: the code from the app, or a recovery code."""

    template_name = "registration/two_factor_verify.html"
    form_class = CodeForm

    @staticmethod
    def url():
        return reverse("two_factor_verify")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(settings.LOGIN_URL)
        if request.session.get(STATE_KEY) != VERIFY:
            return redirect(_safe_next(request, reverse("questionnaire:start")))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": _safe_next(self.request, "")}

    def form_valid(self, form):
        from compass.views import landing_url

        user = self.request.user
        device = django_otp.match_token(user, form.cleaned_data["code"])
        if device is None:
            logger.warning("two-factor code refused user=%s", user.get_username())
            form.add_error(
                "code",
                _(
                    "This code is not right (any more). Enter the current code from your "
                    "app, or a recovery code you have not used yet."
                ),
            )
            return self.form_invalid(form)
        django_otp.login(self.request, device)
        self.request.session[STATE_KEY] = ""
        logger.info(
            "two-factor code accepted user=%s device=%s", user.get_username(), type(device).__name__
        )
        if isinstance(device, StaticDevice):
            left = device.token_set.count()
            messages.warning(
                self.request,
                _(
                    "You used a recovery code; %(left)s are left. "
                    "Make new ones on your account page."
                )
                % {"left": left},
            )
        return redirect(_safe_next(self.request, landing_url(user)))


def _qr_svg(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=4, omitsize=False)
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@require_http_methods(["GET", "POST"])
@login_required
def setup(request):
    """Turn two-factor authentication on, make new recovery codes, or turn it off."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    required = settings.TWO_FACTOR_REQUIRED and required_for(user)
    action = request.POST.get("action") if request.method == "POST" else None
    if confirmed is not None and request.session.get(STATE_KEY) == VERIFY:
        return redirect(_with_next(VerifyView.url(), request))
    if confirmed is not None:
        if action == "recovery":
            with transaction.atomic():
                codes = _new_recovery_codes(user)
            logger.info("two-factor recovery codes renewed user=%s", user.get_username())
            return render(request, "registration/two_factor_codes.html", {"codes": codes})
        if action == "off" and not required:
            with transaction.atomic():
                TOTPDevice.objects.filter(user=user).delete()
                StaticDevice.objects.filter(user=user).delete()
            request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
            request.session[STATE_KEY] = ""
            logger.info("two-factor turned off user=%s", user.get_username())
            messages.success(request, _("Two-factor authentication is off."))
            return redirect("two_factor_setup")
        left = StaticToken.objects.filter(device__user=user).count()
        return render(
            request,
            "registration/two_factor_setup.html",
            {"on": True, "required": required, "recovery_left": left},
        )

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST if action == "confirm" else None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _new_recovery_codes(user)
            django_otp.login(request, device)
            request.session[STATE_KEY] = ""
            logger.info("two-factor turned on user=%s", user.get_username())
            return render(
                request,
                "registration/two_factor_codes.html",
                {"codes": codes, "next": _safe_next(request, "")},
            )
        form.add_error(
            "code",
            _(
                "This code is not right. Check that the time on your phone is correct, then "
                "enter the current code."
            ),
        )
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "on": False,
            "required": required,
            "form": form,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr_svg": _qr_svg(device.config_url),
            "next": _safe_next(request, ""),
        },
    )
