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
    """A source could not be fetched (timeout, HTTP error, refused by robots.txt, too large).

    ``url`` is the address that failed and ``status`` the final HTTP status, when there was one;
    ``unreachable`` is true when the host's name did not resolve or nothing accepted the connection,
    and ``reason`` is then the short why ("the connection was refused").
    """

    def __init__(
        self,
        message: str,
        *,
        url: str | None = None,
        status: int | None = None,
        unreachable: bool = False,
        reason: str | None = None,
    ) -> None:
        super().__init__(message)
        self.url = url
        self.status = status
        self.unreachable = unreachable
        self.reason = reason


class DisallowedByRobots(FetchError):
    """The site's robots.txt does not let Kindred fetch this URL (or robots.txt was unreachable)."""


class TooLarge(FetchError):
    """The response body is bigger than the session's size cap."""
