"""Input typed in a session that expired: kept for, and only given back to, the user who typed it.

A step's form carries the typist's signed user id (`owner_token`). A POST that arrives without
a login (the session expired) or without a CSRF cookie (all cookies cleared) is stashed in the
new, anonymous session under its path when it is signed (`stash`), and shown again on the step
after logging in only to the user whose id it carries (`pop`): nobody else logging in on the
same browser ever sees it (PITFALLS.md, Drafts and sessions).
"""

from django.core import signing
from django.utils.datastructures import MultiValueDict

PENDING_KEY = "pending_posts"
PENDING_MAX_CHARS = 200_000
OWNER_SALT = "questionnaire.cycle_step.owner"


def owner_token(user) -> str:
    """The signed user id the step form carries."""
    return signing.Signer(salt=OWNER_SALT).sign(str(user.pk))


def owner_of(data) -> int | None:
    try:
        return int(signing.Signer(salt=OWNER_SALT).unsign(data.get("owner") or ""))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def stash(request, data) -> bool:
    """Keep a POST that arrived without a login in the session; whether it was kept."""
    if owner_of(data) is None:
        return False
    stored = {key: values for key, values in data.lists() if key != "csrfmiddlewaretoken"}
    if len(repr(stored)) > PENDING_MAX_CHARS:
        return False
    pending = request.session.get(PENDING_KEY, {})
    pending[request.path] = stored
    request.session[PENDING_KEY] = pending
    return True


def pop(request):
    """The input kept for this path, if the logged-in user typed it; it is removed either way."""
    pending = request.session.get(PENDING_KEY)
    if not pending or request.path not in pending:
        return None
    data = MultiValueDict(pending.pop(request.path))
    request.session[PENDING_KEY] = pending
    if owner_of(data) != request.user.pk:
        return None  # typed by somebody else on this browser: dropped, never shown
    return data
