"""The one rule for which links Kindred passes on (into emails, calendar files and feeds).

An event's URL comes from a listing someone else wrote, so it is untrusted: only a plain ``http``/
``https`` address with a host is ever linked; anything else (``javascript:``, ``data:``, a URL a
mail client or calendar app might read differently than we do) is dropped.

>>> web_url(" https://example.org/e/1?id=2 ")
'https://example.org/e/1?id=2'
>>> web_url("javascript:alert(1)") is None
True
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# ASCII control characters (tab, newline, NUL, DEL, ...) and the C1 controls, plus, through
# _SPACE, every Unicode space: browsers drop or rewrite these, so what we checked would
# not be what gets opened ("java\tscript:").
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"\s")  # the characters str.isspace() is true for (both ask Py_UNICODE_ISSPACE)


def web_url(url: str | None) -> str | None:
    """``url`` (trimmed) if it is a plain http(s) address with a host, else ``None``.

    Refused: any scheme but http/https (upper case is fine), no host (``https://``, ``//host``),
    whitespace or control characters anywhere inside, a login part (``https://user@host``: it can
    disguise the real host, as in ``https://bank.example@evil.example``) and a malformed host or
    port.

    >>> web_url("HTTP://Example.org/"), web_url("data:text/html,hi"), web_url("java\\tscript:x")
    ('HTTP://Example.org/', None, None)
    >>> web_url("https://bank.example@evil.example/") is None, web_url("https://[oops/") is None
    (True, True)
    """
    text = (url or "").strip()
    if not text or _CONTROL.search(text) or _SPACE.search(text):
        return None
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 -- raises ValueError for a malformed port
    except ValueError:  # "https://[oops" or "https://host:99999"
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        return None
    return text


# A bare host and path as listings write them: "www.example.org/e/1", "example.org", "//host/x".
_BARE = re.compile(
    r"^(?://)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}(?::\d{1,5})?(?:[/?#]\S*)?$", re.I
)


def linkable_url(url: str | None) -> str | None:
    """:func:`web_url` of ``url``, or of ``https://`` + ``url`` when it is a host and path written
    without a scheme; ``None`` for anything else.

    >>> linkable_url("www.example.org/e/1"), linkable_url("//example.org/x"), linkable_url("Room 4.5")
    ('https://www.example.org/e/1', 'https://example.org/x', None)
    >>> linkable_url("javascript:alert(1)") is None, linkable_url("sam@example.org") is None
    (True, True)
    """
    text = (url or "").strip()
    if web_url(text) or not _BARE.match(text):
        return web_url(text)
    return web_url("https://" + text.removeprefix("//"))
