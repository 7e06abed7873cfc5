"""Login protection (django-axes): the Dutch lockout page and a log line per login event.

Axes counts failed logins per account and per address (settings AXES_*): our login page, the
Wagtail admin's and the Django admin's all authenticate through the same backends, so all three
are covered. A locked-out attempt gets the same page whether or not the account exists.
"""

import logging

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.shortcuts import render

logger = logging.getLogger("compass.auth")

LOCKOUT_STATUS = 429


class AxesBackend(AxesStandaloneBackend):
    """Axes' backend, but a call without a request (the test client's `login()`, a script) is
    passed on to the next backend instead of raising: there is no address to count it by.

    Every login page (ours, Wagtail's, the Django admin's) passes the request, so each of them is
    counted and locked.
    """

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def cooloff_minutes() -> int:
    return round(settings.AXES_COOLOFF_TIME * 60)


def lockout_response(request, original_response=None, credentials=None):
    """Answer a refused login with a Dutch page that names no account (axes' lockout callable)."""
    return render(
        request,
        "registration/locked_out.html",
        {"cooloff_minutes": cooloff_minutes()},
        status=LOCKOUT_STATUS,
    )


def _address(request) -> str:
    if request is None:
        return "-"
    try:
        return get_client_ip_address(request) or "-"
    except Exception:  # noqa: BLE001 - a log line never breaks a login
        return request.META.get("REMOTE_ADDR", "-")


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    logger.info("login user=%s address=%s", user.get_username(), _address(request))


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    name = user.get_username() if user is not None else "-"
    logger.info("logout user=%s address=%s", name, _address(request))


@receiver(user_login_failed)
def log_login_failure(sender, credentials, request=None, **kwargs):
    # The username as typed (it may be a mistyped password: never log the password).
    username = (credentials or {}).get("username", "")
    logger.warning("login failed user=%r address=%s", username[:150], _address(request))


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    logger.warning("login locked out user=%r address=%s", (username or "")[:150], ip_address)
