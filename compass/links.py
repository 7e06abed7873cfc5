"""Which stored links may be shown as a link: http(s) addresses and paths of this site only.

Pure Python (no Django), so the scoring engine can refuse unsafe links in a measure set too.
Everything else (``javascript:``, ``data:``, ``vbscript:``, protocol-relative ``//host``, links
hidden behind control characters or spaces) is not a link: pages show its title as text.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

SAFE_SCHEMES = frozenset({"http", "https"})
# Browsers drop ASCII control characters, whitespace and these invisible characters inside a
# URL's scheme, so "java\tscript:" is "javascript:" to them: refuse all of them outright.
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202f\u2060\ufeff]")


def is_safe_link(url: object) -> bool:
    """Whether `url` is an http(s) address with a host, or a path of this site ("/...")."""
    if not isinstance(url, str) or not url or _INVISIBLE.search(url) or "\\" in url:
        return False
    if url.startswith("/"):
        return not url.startswith("//")
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.netloc)


def safe_url(url: object) -> str:
    """The link itself when it is safe, otherwise an empty text (show the title, no link)."""
    return url if is_safe_link(url) else ""
