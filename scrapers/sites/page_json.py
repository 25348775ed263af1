"""Reading the JSON that web apps embed in their pages (``__NEXT_DATA__``, ``window.__SERVER_DATA__``).

Both helpers return ``None`` when the data is missing or unreadable: site adapters then fall back
to the page's schema.org markup.

>>> page = '<script id="__NEXT_DATA__" type="application/json">{"props": {"a": 1}}</script>'
>>> script_json(page, "__NEXT_DATA__")
{'props': {'a': 1}}
>>> assigned_json('<script>window.__SERVER_DATA__ = {"x": [1, 2]};</script>', "window.__SERVER_DATA__")
{'x': [1, 2]}
>>> assigned_json("<p>nothing here</p>", "window.__SERVER_DATA__") is None
True
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

log = logging.getLogger(__name__)


def script_json(html: str, script_id: str) -> Any | None:
    """The JSON inside ``<script id="script_id">``."""
    match = re.search(rf"<script[^>]*\bid=[\"']{re.escape(script_id)}[\"'][^>]*>(.*?)</script>", html, re.S)
    if not match:
        return None
    try:
        return json.loads(match.group(1))
    except json.JSONDecodeError as exc:
        log.warning("ignoring unreadable %s data (%s)", script_id, exc)
        return None


def assigned_json(html: str, name: str) -> Any | None:
    """The JSON value assigned to the JavaScript variable ``name`` (``name = {...};``)."""
    match = re.search(rf"{re.escape(name)}\s*=\s*", html)
    if not match:
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(html, match.end())
    except json.JSONDecodeError as exc:
        log.warning("ignoring unreadable %s data (%s)", name, exc)
        return None
    return value


def walk_dicts(node: Any):
    """Every dict inside ``node`` (depth first), ``node`` itself included."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk_dicts(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk_dicts(item)
