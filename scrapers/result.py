"""What a parser returns: the events it could read, why it left others out, and pages worth a visit."""

from __future__ import annotations

from .event import Event


class ParseResult(list[Event]):
    """A ``list`` of events with a ``skipped`` list of one-line reasons.

    ``follow`` lists event-page URLs a site adapter would like fetched to complete listing entries
    (e.g. ones that carry only a date); the refresh pipeline fetches them when the source allows.

    >>> r = ParseResult()
    >>> r.skipped.append("'Quiz night' skipped: no startDate")
    >>> len(r), r.skipped, r.follow
    (0, ["'Quiz night' skipped: no startDate"], [])
    """

    def __init__(self, events=(), skipped=(), follow=()):
        super().__init__(events)
        self.skipped: list[str] = list(skipped)
        self.follow: list[str] = list(follow)
