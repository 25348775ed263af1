"""Reading a free-text event location: venue and address, and whether the event is online.

Feeds give the place as one line (iCalendar ``LOCATION``), e.g. ``"Z-arts, 335 Stretford Rd,
Manchester M15 5ZA"``. The heuristics here are deliberately simple and predictable:

* **Venue / address** - the text is split on commas. When the first part looks like a street (it
  starts with a house number or ends in a street word such as "St", "Rd", "Close") or the text is a
  single part with digits, the whole text is the address. Otherwise the first part is the venue and
  the rest, if any, the address (``"Alexandra Park"`` is a venue). Unfilled template placeholders
  that some CMS exports leave behind (``#_LOCATIONNAME``), bare links and "online" parts are
  dropped. The city is not guessed.
* **Online** - a location or event URL that is a meeting link (Zoom, Google Meet, Teams, Whereby,
  Webex, Jitsi, GoToMeeting, BlueJeans, Discord, Twitch) or a location made only of words such as
  "online", "virtual", "webinar", "livestream", a platform name and meeting links means
  ``"online"``. A physical place *plus* such a marker, or the word "hybrid", means ``"mixed"``.
  Everything else is ``"in_person"``. Descriptions are not searched: "the talk will also be on Zoom"
  in prose is too often an aside.

Examples
--------
>>> split_location("Z-arts, 335 Stretford Rd, Manchester M15 5ZA")
('Z-arts', '335 Stretford Rd, Manchester M15 5ZA')
>>> split_location("180 Russell St, Manchester M16 7JL")
(None, '180 Russell St, Manchester M16 7JL')
>>> attendance_mode("https://us02web.zoom.us/j/123456")
'online'
>>> attendance_mode("Online (Zoom)")
'online'
>>> attendance_mode("Central Library, Manchester / online")
'mixed'
>>> attendance_mode("Central Library, Manchester", url="https://example.org/e/1")
'in_person'
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_MEETING_HOSTS = (
    "zoom.us",
    "zoom.com",
    "meet.google.com",
    "teams.microsoft.com",
    "teams.live.com",
    "whereby.com",
    "webex.com",
    "meet.jit.si",
    "gotomeeting.com",
    "gotomeet.me",
    "bluejeans.com",
    "discord.gg",
    "discord.com",
    "twitch.tv",
)
_URL = re.compile(r"https?://[^\s,;<>\"'()]+", re.I)
_PLACEHOLDER = re.compile(r"#_[A-Z0-9_]+")
# Words that make up an "online" location ("Online via Zoom", "Virtual event", "Google Meet").
_ONLINE_WORDS = frozenset(
    {
        "online",
        "virtual",
        "webinar",
        "livestream",
        "zoom",
        "google",
        "meet",
        "microsoft",
        "ms",
        "teams",
        "whereby",
        "webex",
        "jitsi",
        "discord",
        "twitch",
        "youtube",
    }
)
_FILLER_WORDS = frozenset(
    {
        "event",
        "only",
        "meeting",
        "call",
        "via",
        "on",
        "in",
        "and",
        "also",
        "the",
        "a",
        "link",
        "tbc",
        "tba",
    }
)
_PART_SPLIT = re.compile(r"\s*[,/+|;]\s*|\s+(?:and|&|or)\s+(?=online\b)", re.I)
_STREET_WORDS = frozenset(
    {
        "st",
        "street",
        "rd",
        "road",
        "ave",
        "avenue",
        "ln",
        "lane",
        "cl",
        "close",
        "dr",
        "drive",
        "way",
        "blvd",
        "boulevard",
        "cres",
        "crescent",
        "pl",
        "place",
        "sq",
        "square",
        "terrace",
        "tce",
        "hwy",
        "highway",
        "pkwy",
        "parkway",
    }
)
_HYBRID = re.compile(r"\bhybrid\b", re.I)


def is_meeting_link(url: str | None) -> bool:
    """True when ``url`` points at a video-meeting or streaming service.

    >>> is_meeting_link("https://meet.google.com/abc-defg-hij"), is_meeting_link("https://example.org")
    (True, False)
    """
    if not url:
        return False
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return False
    return any(host == h or host.endswith("." + h) for h in _MEETING_HOSTS)


def clean_location(text: str | None) -> str | None:
    """Location text with template placeholders and empty parts removed; ``None`` if nothing is left.

    >>> clean_location("#_LOCATIONNAME, #_LOCATIONFULLLINE, #_LOCATIONCOUNTRY") is None
    True
    """
    if not text:
        return None
    parts = [" ".join(_PLACEHOLDER.sub(" ", part).split()) for part in text.split(",")]
    joined = ", ".join(p for p in parts if p)
    return joined or None


def split_location(text: str | None) -> tuple[str | None, str | None]:
    """``(venue, address)`` from one line of location text (see the module notes)."""
    text = clean_location(text)
    if text is None or _is_online_only(text):
        return None, None
    # Links and "online" parts say how to attend, not where: attendance_mode() reads them.
    parts = [p.strip() for p in text.split(",") if p.strip() and not _is_online_only(p)]
    parts = [p for p in parts if not _URL.fullmatch(p)]
    if not parts:
        return None, None
    text = ", ".join(parts)
    if _looks_like_street(parts[0]) or (len(parts) == 1 and any(c.isdigit() for c in text)):
        return None, text
    if len(parts) == 1:
        return text, None
    return parts[0], ", ".join(parts[1:])


def _looks_like_street(part: str) -> bool:
    """A house number first, or a street-type word last ("Guildhall Cl", "Upper Lloyd Street")."""
    words = part.replace(".", " ").split()
    return part[0].isdigit() or (len(words) > 1 and words[-1].casefold() in _STREET_WORDS)


def attendance_mode(location: str | None, url: str | None = None) -> str:
    """``"online"``, ``"mixed"`` or ``"in_person"`` from the location text and the event URL."""
    location = clean_location(location)
    if location is None:
        return "online" if is_meeting_link(url) else "in_person"
    if _is_online_only(location):
        return "online"
    if _HYBRID.search(location) or any(is_meeting_link(u) for u in _URL.findall(location)):
        return "mixed"
    if any(_is_online_only(part) for part in _PART_SPLIT.split(_URL.sub(",", location))):
        return "mixed"
    return "in_person"


def _is_online_only(text: str) -> bool:
    """True when every word of ``text`` is an online marker or filler and every link a meeting link."""
    links = _URL.findall(text)
    if not all(is_meeting_link(u) for u in links):
        return False
    words = re.sub(r"live\s+stream", "livestream", _URL.sub(" ", text), flags=re.I).casefold().split()
    words = [w for w in (re.sub(r"\W+", "", w) for w in words) if w]
    markers = [w for w in words if w in _ONLINE_WORDS]
    return (bool(markers) or bool(links)) and all(w in _ONLINE_WORDS or w in _FILLER_WORDS for w in words)
