"""What a fetch returns (:class:`Fetched`) and how Kindred reads a response's status and headers.

Pure helpers for :mod:`scrapers.http`; nothing here touches the network.

Examples
--------
>>> f = Fetched(url="https://example.org/e.ics", status=200, content_type="text/calendar",
...             content="Café".encode("utf-8"))
>>> f.text
'Café'
>>> retry_after_seconds("120")
120.0
>>> retry_after_seconds("Wed, 21 Oct 2026 07:28:30 GMT", date_header="Wed, 21 Oct 2026 07:28:00 GMT")
30.0
>>> describe_status(404)
('Not Found', 'the page is gone or has moved; update the address in your sources')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from http import HTTPStatus

from .charset import decode_document


@dataclass(frozen=True)
class Fetched:
    """A successful fetch: final URL (after redirects), status, media type, body and headers.

    ``from_cache`` is true when the body came from the on-disk cache (fresh, or confirmed by a
    ``304 Not Modified``). ``encoding`` is the ``charset`` the server declared, if any.
    """

    url: str
    status: int
    content_type: str
    content: bytes
    from_cache: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None

    @property
    def text(self) -> str:
        """The body as text, decoded as a browser would (:func:`scrapers.charset.decode_document`):
        a BOM, then the declared charset, then the document's own declaration, then UTF-8 or
        Windows-1252; bad bytes become U+FFFD."""
        return decode_document(self.content, self.encoding)

    @classmethod
    def from_response(cls, response) -> Fetched:
        """Build from a ``requests`` (or requests-cache) response whose body has been read."""
        header = response.headers.get("Content-Type", "")
        message = Message()
        message["Content-Type"] = header
        charset = message.get_param("charset") if header else None
        return cls(
            url=response.url,
            status=response.status_code,
            content_type=header.split(";")[0].strip().lower(),
            content=response.content or b"",
            from_cache=bool(getattr(response, "from_cache", False)),
            headers=dict(response.headers),
            encoding=str(charset) if isinstance(charset, str) else None,
        )


def retry_after_seconds(value: str | None, date_header: str | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for, or ``None`` when absent or unreadable.

    An HTTP-date is measured from the response's own ``Date`` header when there is one (so the
    two clocks agree), else from the current time. A date in the past means 0.
    """
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    when = _http_date(value)
    if when is None:
        return None
    reference = _http_date(date_header) or datetime.now(UTC)
    return max(0.0, (when - reference).total_seconds())


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def describe_status(status: int) -> tuple[str, str]:
    """``(reason phrase, what to do)`` for a failing HTTP status."""
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "(non-standard status)"
    if status in (401, 403):
        return reason, "the site refuses anonymous access; use its public feed or drop this source"
    if status in (404, 410):
        return reason, "the page is gone or has moved; update the address in your sources"
    if status == 429:
        return reason, "the site is limiting how often Kindred may ask; try again later"
    if status >= 500:
        return reason, "the site has a problem of its own; try again later"
    return reason, "check the address in your sources"


def describe_failure(exc: BaseException) -> tuple[str, bool]:
    """A short reason for a request that got no answer, and whether the host was unreachable.

    Unreachable means the name did not resolve or nothing accepted the connection: the same try
    a moment later will fail the same way (and when every source fails like that, the machine is
    probably offline).

    >>> describe_failure(ConnectionRefusedError(111, "Connection refused"))
    ('the connection was refused', True)
    >>> describe_failure(TimeoutError("timed out"))
    ('no answer in time', False)
    """
    chain, seen = [], exc
    while seen is not None and len(chain) < 10:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    names = {type(e).__name__ for e in chain}
    text = " ".join(str(e) for e in chain)
    if "NameResolutionError" in names or "gaierror" in names or "Name or service not known" in text:
        return "the host name could not be resolved", True
    if "ConnectTimeoutError" in names or "ConnectTimeout" in names:
        return "no connection in time", True
    if "ConnectionRefusedError" in names or "Connection refused" in text:
        return "the connection was refused", True
    if any(isinstance(e, TimeoutError) for e in chain) or "ReadTimeout" in names:
        return "no answer in time", False
    if "NewConnectionError" in names or "Network is unreachable" in text:
        return "the host could not be reached", True
    return "the connection broke off", False
