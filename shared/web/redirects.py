"""Where a redirect may go: one of our own services, never elsewhere, however the target is spelled.

Browsers are lenient: they drop tabs and newlines inside a URL, read a backslash as a slash, and
take ``/\\evil.example`` or ``//evil.example`` for another host. So a target is cleaned the way a
browser would read it first, and only then compared with the origins of our two services.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

_INVISIBLE = re.compile(r"[\x00-\x20\x7f]")  # browsers strip these inside URLs


def origin(url: str) -> tuple[str, str]:
    """(scheme, host:port) of a URL, lower-cased, the default port written out."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme)
    return scheme, f"{(parts.hostname or '').lower()}:{port}"


def safe_target(target: str | None, origins: Iterable[str]) -> str | None:
    """``target`` if a browser would take it to one of ``origins`` (or a path of this site), else None."""
    if not target:
        return None
    seen = _INVISIBLE.sub("", target)
    decoded = unquote(seen)
    if "\\" in decoded or _INVISIBLE.search(decoded):
        return None
    parts = urlsplit(seen)
    if not parts.scheme and not parts.netloc:  # a path of this site: one slash, not two
        return seen if seen.startswith("/") and not decoded.startswith("//") else None
    if parts.scheme.lower() not in ("http", "https") or parts.username or parts.password:
        return None
    return seen if origin(seen) in {origin(url) for url in origins} else None
