"""One exception hierarchy for everything that reads event data.

Every message says what went wrong *and* what to do next, so the CLI can print it as one line.
"""


class KindredError(Exception):
    """Base class of every error Kindred raises on purpose (expected, user-facing)."""


class ParseError(KindredError):
    """Input could not be read as event data (malformed JSON, HTML, iCalendar …)."""


class RecordError(ParseError):
    """One record in otherwise readable input is unusable (e.g. no name or no start date)."""


class FetchError(KindredError):
    """A source could not be fetched (timeout, HTTP error, refused by robots.txt, too large)."""
