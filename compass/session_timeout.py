"""Sessions that end after a time without requests, not after a fixed age.

SESSION_COOKIE_AGE is SESSION_IDLE_MINUTES; Django sets a session's expiry to now plus that age
whenever the session is saved. This middleware saves a logged-in session at most once a minute
(rather than on every request, as SESSION_SAVE_EVERY_REQUEST would), so the expiry follows the
last request to within a minute and the database sees one write a minute per active user.
"""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

TOUCHED_KEY = "_touched"


@receiver(user_logged_in)
def touch_at_login(sender, request, user, **kwargs):
    """Logging in saves the session (and its expiry) anyway: start the minute there."""
    if request is not None and hasattr(request, "session"):
        request.session[TOUCHED_KEY] = int(time.time())


def _interval(session_age: int) -> int:
    return max(1, min(60, session_age // 10))


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get(TOUCHED_KEY, 0) >= _interval(settings.SESSION_COOKIE_AGE):
                session[TOUCHED_KEY] = now  # marks the session modified: saved, expiry moved
        return self.get_response(request)
