"""The event record every scraper produces and every other part of Kindred consumes.

The record is shaped after schema.org ``Event``. Times are always timezone-aware ``datetime``
objects; an all-day event starts at local midnight and has ``all_day=True`` (serialised as a
plain date).

Examples
--------
>>> from datetime import datetime, timezone
>>> ev = Event(title="Board game night", start=datetime(2026, 5, 1, 18, tzinfo=timezone.utc),
...            url="https://example.org/e/1", source="example")
>>> ev.id == make_event_id(url="https://example.org/e/1", start=ev.start, title=ev.title)
True
>>> Event.from_dict(ev.to_dict()) == ev
True
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, timezone
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

ATTENDANCE_MODES = ("in_person", "online", "mixed")
STATUSES = ("scheduled", "cancelled", "postponed", "rescheduled", "moved_online")
SANE_YEARS = (1900, 2200)  # an event outside these years is a typo or a hostile record


def in_sane_years(year: int) -> bool:
    """Whether an event in ``year`` can be real (:data:`SANE_YEARS`, both ends included).

    >>> in_sane_years(2026), in_sane_years(9999)
    (True, False)
    """
    return SANE_YEARS[0] <= year <= SANE_YEARS[1]


# Query parameters that only track where a click came from; they never identify an event.
_TRACKING_PARAMS = re.compile(r"^(utm_\w+|aff|ref|fbclid|gclid|mc_[ce]id|_ga|source)$", re.I)


def canonical_url(url: str | None) -> str | None:
    """Return ``url`` without tracking parameters, fragment or a trailing slash.

    A malformed address (an unclosed ``[`` in the host, as a damaged page may carry) is no address.

    >>> canonical_url("HTTPS://Example.org/e/1/?aff=xyz&id=3#top")
    'https://example.org/e/1?id=3'
    >>> canonical_url("https://[example.org/e/1") is None
    True
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https"):
        return url.strip()
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not _TRACKING_PARAMS.match(k)])
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def absolute_url(base: str | None, href: str | None) -> str | None:
    """``href`` resolved against ``base`` and canonicalised, or None when either is malformed.

    >>> absolute_url("https://example.org/events/", "e/1?utm_source=x")
    'https://example.org/events/e/1'
    >>> absolute_url("https://example.org/", "https://[broken/e/1") is None
    True
    """
    href = (href or "").strip()
    if not href:
        return None
    try:
        joined = urljoin(base, href) if base else href
    except ValueError:
        return None
    return canonical_url(joined)


def normalise_title(title: str) -> str:
    """Casefolded, accent-free, punctuation-free title used to compare events.

    >>> normalise_title("  Café  Board-Games Night! ")
    'cafe board games night'
    """
    text = unicodedata.normalize("NFKD", title)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def loose_text(text: str) -> str:
    """:func:`normalise_title` with "&" read as "and" and a leading article dropped: the form two
    listings of one thing share ("A Mixed Media Workshop: Nature & Light" at "Artbox Studio &
    Gallery" is "Mixed Media Workshop - Nature and Light" at "Artbox Studio and Gallery").

    >>> loose_text("A Mixed Media Workshop: Nature & Light")
    'mixed media workshop nature and light'
    """
    return re.sub(r"^(?:a|an|the) ", "", normalise_title(text.replace("&", " and ")))


def make_event_id(
    *,
    url: str | None = None,
    start: datetime | None = None,
    title: str = "",
    uid: str | None = None,
    source: str = "",
) -> str:
    """Stable id: iCal ``source + UID`` (+ occurrence) when there is a UID, else canonical URL +
    start + title. Re-scraping the same event gives the same id.

    >>> make_event_id(uid="abc@example", source="feed")
    'ev-623c70323eebee16'
    """
    if uid:
        key = "\x1f".join(["uid", source, uid, _id_time(start)])
    else:
        key = "\x1f".join(["url", canonical_url(url) or source, _id_time(start), normalise_title(title)])
    return "ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _id_time(start: datetime | None) -> str:
    if start is None:
        return ""
    return start.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


@dataclass(eq=True)
class Event:
    """One event, normalised. See ``../DESIGN.md`` for the meaning of each field."""

    title: str
    start: datetime
    id: str = ""
    description: str = ""
    end: datetime | None = None
    all_day: bool = False
    venue: str | None = None
    address: str | None = None
    city: str | None = None
    lat: float | None = None
    lon: float | None = None
    attendance: str = "in_person"
    status: str = "scheduled"
    url: str | None = None
    organizer: str | None = None
    group: str | None = None
    tags: list[str] = field(default_factory=list)
    is_free: bool | None = None
    price: str | None = None
    source: str = ""
    first_seen: datetime | None = None
    last_seen: datetime | None = None

    def __post_init__(self) -> None:
        if not self.title or not self.title.strip():
            raise ValueError("an event needs a title")
        if not isinstance(self.start, datetime) or self.start.tzinfo is None:
            raise ValueError(f"start must be a timezone-aware datetime, got {self.start!r}")
        if self.end is not None and (not isinstance(self.end, datetime) or self.end.tzinfo is None):
            raise ValueError(f"end must be a timezone-aware datetime, got {self.end!r}")
        if self.attendance not in ATTENDANCE_MODES:
            raise ValueError(f"attendance must be one of {ATTENDANCE_MODES}, got {self.attendance!r}")
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")
        self.title = " ".join(self.title.split())
        if not self.id:
            self.id = make_event_id(url=self.url, start=self.start, title=self.title, source=self.source)

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    def to_dict(self) -> dict:
        """JSON-ready dict: ISO 8601 times, all-day starts and ends as plain dates."""
        out = asdict(self)
        for name in ("start", "end", "first_seen", "last_seen"):
            value = getattr(self, name)
            if value is None:
                continue
            if self.all_day and name in ("start", "end"):
                out[name] = value.date().isoformat()
            else:
                out[name] = value.isoformat()
        return out

    @classmethod
    def from_dict(cls, data: dict) -> Event:
        """Inverse of :meth:`to_dict` (unknown keys are ignored). An all-day event's plain dates
        come back as midnight UTC: its zone is not in the dict, so it is not round-tripped."""
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in known}
        for name in ("start", "end", "first_seen", "last_seen"):
            value = kwargs.get(name)
            if isinstance(value, str):
                kwargs[name] = _parse_iso(value)
        kwargs["tags"] = list(kwargs.get("tags") or [])
        return cls(**kwargs)


def _parse_iso(value: str) -> datetime:
    if len(value) == 10:
        return datetime.combine(date.fromisoformat(value), datetime.min.time(), timezone.utc)
    return datetime.fromisoformat(value)
