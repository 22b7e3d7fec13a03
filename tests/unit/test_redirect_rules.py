"""A sign-in link can send people back to our own pages only, however the link is spelled."""

from __future__ import annotations

import pytest

from shared.web.redirects import safe_target

OURS = ("http://127.0.0.1:5000", "https://review.dvk.example/")


@pytest.mark.parametrize("target", [
    "/submissions", "/submissions/3?tab=history", "http://127.0.0.1:5000/report",
    "https://review.dvk.example/items/7", "HTTPS://Review.DVK.example:443/items/7",
])
def test_our_own_pages_are_followed(target):
    assert safe_target(target, OURS) == target


@pytest.mark.parametrize("target", [
    "//evil.example", "/\\evil.example", "/%5Cevil.example", "\\\\evil.example", "/%2F/evil.example",
    "http:evil.example", "https:/evil.example/x", "javascript:alert(1)", "JavaScript:alert(1)",
    "java\tscript:alert(1)", "/\t/evil.example", "/\n/evil.example", " //evil.example",
    "https://evil.example", "https://review.dvk.example.evil.example/", "https://review.dvk.example:8443/",
    "http://review.dvk.example/", "https://user@review.dvk.example/", "data:text/html,hi",
    "evil.example", "", None,
    "/%09/evil.example", "/%0a/evil.example", "/%5c%5cevil.example", "\\/evil.example",
    "/\r\n/evil.example", "HTTP://EVIL.example/", "hTTpS://evil.example", "%2F%2Fevil.example",
    "jAvAsCrIpT:alert(1)", "javascript%3Aalert(1)", "\tjavascript:alert(1)", "/%2fevil.example",
])
def test_anything_else_is_refused(target):
    assert safe_target(target, OURS) is None
