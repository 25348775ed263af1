"""How counts are written in messages: ``1 event``, ``3 events``.

>>> plural(1, "event"), plural(0, "event"), plural(2, "match", "matches")
('1 event', '0 events', '2 matches')
"""

from __future__ import annotations


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """``n`` and ``noun``, or ``nouns`` (default ``noun + "s"``) when ``n`` is not 1."""
    return f"{n} {noun if n == 1 else nouns or noun + 's'}"
