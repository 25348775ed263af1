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
# str.isspace below, every Unicode space: browsers drop or rewrite these, so what we checked would
# not be what gets opened ("java\tscript:").
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


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
    if not text or _CONTROL.search(text) or any(c.isspace() for c in text):
        return None
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 -- raises ValueError for a malformed port
    except ValueError:  # "https://[oops" or "https://host:99999"
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        return None
    return text
