"""The one rule for which links Kindred passes on into emails, calendar files and feeds."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommender.core.links import web_url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
        "java\nscript:alert(1)", "data:text/html,<b>hi</b>", "vbscript:x", "file:///etc/passwd",
        "ftp://example.org/x", "mailto:x@example.org", "//example.org/e/1", "https://", "https:///x",
        "https://bank.example@evil.example/", "https://user:pw@example.org/", "https://exa mple.org/",
        "https://example.org/\x00", "https://example.org/\u2028x", "https://[oops/", "https://host:99999/",
        "", None, "https://example.org/" + "a\x7f",
    ],
)  # fmt: skip
def test_hostile_links_are_refused(url):
    assert web_url(url) is None


@pytest.mark.parametrize(
    "url",
    ["https://example.org/e/1", "HTTP://Example.org/", "http://example.org:8080/a?b=1&c=2#x",
     "https://xn--caf-dma.example/", "https://example.org/" + "a" * 5000],
)  # fmt: skip
def test_plain_web_links_are_kept(url):
    assert web_url(f"  {url} ") == url


@given(st.text(max_size=80))
def test_whatever_is_kept_is_a_plain_web_address(text):
    kept = web_url(text)
    if kept is not None:
        parts = urlsplit(kept)
        assert parts.scheme.lower() in ("http", "https") and parts.hostname
        assert not any(c.isspace() or ord(c) < 32 or 127 <= ord(c) < 160 for c in kept)
        assert "@" not in parts.netloc


def test_every_character_str_isspace_calls_a_space_is_refused_inside_a_link():
    import sys

    for code in range(sys.maxunicode + 1):
        c = chr(code)
        if c.isspace():
            assert web_url(f"https://example.org/a{c}b") is None, hex(code)
    assert web_url("https://example.org/a\u200bb") == "https://example.org/a\u200bb"  # no space: kept
