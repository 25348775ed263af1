"""What a parser returns: the events it could read, and why it left others out."""

from __future__ import annotations

from .event import Event


class ParseResult(list[Event]):
    """A ``list`` of events with a ``skipped`` list of one-line reasons.

    >>> r = ParseResult()
    >>> r.skipped.append("'Quiz night' skipped: no startDate")
    >>> len(r), r.skipped
    (0, ["'Quiz night' skipped: no startDate"])
    """

    def __init__(self, events=(), skipped=()):
        super().__init__(events)
        self.skipped: list[str] = list(skipped)
