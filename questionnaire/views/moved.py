"""Permanent redirects from the old `/cycli/<id>/…` addresses to `/jaarcycli/<id>/…`.

Everything of an annual cycle lives under one prefix (issue 16.6). Bookmarks, mails and
links in documents that still point at the old prefix keep working: a GET or HEAD answers
301, any other method 308 so a browser repeats the POST (with its body) at the new address
instead of turning it into a GET. The query string is kept. The target checks access and
the CSRF token itself, so the redirect does neither.
"""

from django.http import HttpResponsePermanentRedirect
from django.views.decorators.csrf import csrf_exempt

OLD_PREFIX = "/cycli/"
NEW_PREFIX = "/jaarcycli/"
OLD_ROUTES = (
    "cycli/<int:cycle_pk>/zelfevaluatie/",
    "cycli/<int:cycle_pk>/zelfevaluatie/heropenen/",
    "cycli/<int:cycle_pk>/zelfevaluatie/uitslag/",
    "cycli/<int:cycle_pk>/zelfevaluatie/versies/<int:version>/",
    "cycli/<int:cycle_pk>/vergelijking/",
)


class PermanentRedirectKeepMethod(HttpResponsePermanentRedirect):
    status_code = 308


@csrf_exempt
def to_cycle_prefix(request, **_kwargs):
    target = NEW_PREFIX + request.path_info.removeprefix(OLD_PREFIX)
    query = request.META.get("QUERY_STRING", "")
    if query:
        target = f"{target}?{query}"
    if request.method in ("GET", "HEAD"):
        return HttpResponsePermanentRedirect(target)
    return PermanentRedirectKeepMethod(target)
