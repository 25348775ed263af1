"""The generic schema.org ``Event`` parser: JSON-LD (object, list, ``@graph``, ``ItemList``) and
microdata, from a saved page or a JSON document, into :class:`~scrapers.event.Event` records.

Examples
--------
>>> doc = '''{"@context": "https://schema.org", "@type": "SocialEvent", "name": "Catan night",
...   "startDate": "2026-05-01T19:00-04:00", "location": {"@type": "Place", "name": "The Board Room",
...   "address": {"@type": "PostalAddress", "addressLocality": "Toronto"}},
...   "isAccessibleForFree": true}'''
>>> [(e.title, e.venue, e.city, e.is_free) for e in parse_schemaorg(doc, "https://example.org/catan")]
[('Catan night', 'The Board Room', 'Toronto', True)]
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from .budget import Budget
from .charset import decode_document
from .errors import ParseError, RecordError
from .event import Event, absolute_url, canonical_url
from .jsonld_blocks import json_items, page_items
from .merge import merge_copies
from .result import ParseResult
from .text import DateOutOfRange, html_to_text, parse_datetime

log = logging.getLogger(__name__)

_STATUS = {
    "eventscheduled": "scheduled",
    "eventcancelled": "cancelled",
    "eventcanceled": "cancelled",
    "eventpostponed": "postponed",
    "eventrescheduled": "rescheduled",
    "eventmovedonline": "moved_online",
}
_ATTENDANCE = {
    "offlineeventattendancemode": "in_person",
    "onlineeventattendancemode": "online",
    "mixedeventattendancemode": "mixed",
}
# Types whose name ends in "Event" but that are not events people attend.
_NOT_EVENTS = {"event reservation", "eventreservation", "eventseries"}


def parse_schemaorg(
    content: str | bytes,
    url: str = "",
    *,
    source: str = "",
    default_tz: str = "UTC",
    encoding: str | None = None,
    budget: Budget | None = None,
):
    """Every schema.org Event in a JSON-LD document or an HTML page.

    Each JSON-LD block (and each element of a JSON array) is read on its own, and each record is
    read inside its own guard: a broken block or record is one line in ``skipped``, never the end
    of the page. Copies of one event on one page (JSON-LD and microdata) are merged.

    Parameters
    ----------
    content : JSON-LD text (object, list, ``@graph``, ``ItemList``) or an HTML page.
    url : where the content came from; relative event URLs are resolved against it.
    source : name of the source, stored on each event.
    default_tz : IANA zone for times written without an offset.
    encoding : the HTTP header's charset, when ``content`` is bytes (see :mod:`scrapers.charset`).
    budget : limits on records and time (:class:`~scrapers.budget.Budget`; defaults apply).

    Returns
    -------
    ParseResult
        A list of events; ``.skipped`` lists why unusable records or blocks were left out.

    Raises
    ------
    ParseError
        When the content is neither JSON nor HTML with structured data, or holds no event at all.
    """
    budget = budget or Budget()
    items, skipped = _load_items(decode_document(content, encoding), url)
    events: list[Event] = []
    found = 0
    for node in _find_events(items):
        found += 1
        reason = budget.exhausted() or (None if budget.take() else budget.exhausted())
        if reason:
            skipped.append(f"{url or 'input'}: stopped after {len(events)} events: {reason}")
            break
        try:
            events.append(event_from_node(node, url, source=source, default_tz=default_tz))
        except RecordError as exc:
            skipped.append(str(exc))
        except Exception as exc:  # a hostile record must cost only itself
            skipped.append(f"{_label(node, found)} skipped: {type(exc).__name__}: {exc}"[:300])
    if not found:
        detail = f" ({'; '.join(skipped)})" if skipped else ""
        raise ParseError(
            f"{url or 'input'}: no schema.org Event found (is this an event page or feed?){detail}"
        )
    return ParseResult(merge_copies(events, url or None), skipped)


def _label(node: dict, number: int) -> str:
    name = node.get("name")
    return f"{' '.join(name.split())[:60]!r}" if isinstance(name, str) and name.strip() else f"event {number}"


def _load_items(content: str, url: str) -> tuple[list[Any], list[str]]:
    stripped = content.lstrip("\ufeff \t\r\n")
    if stripped[:1] in ("{", "["):
        items, problems = json_items(stripped)
        if not items and problems:
            raise ParseError(f"{url or 'input'}: malformed JSON: {'; '.join(problems)}")
        return items, problems
    if "<" not in stripped:
        raise ParseError(f"{url or 'input'}: neither JSON nor HTML; expected JSON-LD or a saved web page")
    try:
        return page_items(stripped, url)
    except Exception as exc:  # lxml raises on markup it cannot read at all
        raise ParseError(f"{url or 'input'}: could not read the page's structured data ({exc})") from exc


def _types(node: dict) -> list[str]:
    raw = node.get("@type") or node.get("type") or []
    if not isinstance(raw, list):
        raw = [raw]
    return [t.rsplit("/", 1)[-1].rsplit("#", 1)[-1] for t in raw if isinstance(t, str) and t]


def is_event_type(node: dict) -> bool:
    """True for ``Event`` and its subtypes (``SocialEvent``, ``MusicEvent`` …).

    >>> is_event_type({"@type": "MusicEvent"}), is_event_type({"@type": 5})
    (True, False)
    """
    return any(t.endswith("Event") and t.lower() not in _NOT_EVENTS for t in _types(node))


def _find_events(root: Any) -> Iterator[dict]:
    """Walk any JSON-LD shape (lists, ``@graph``, ``ItemList``, nested properties) for events.

    Depth first with a stack of its own, so no nesting depth can exhaust Python's.
    """
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            if is_event_type(node):
                yield node
                continue
            stack.extend(reversed([v for v in node.values() if isinstance(v, dict | list)]))


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    """Plain text of a text property; an object or list where text belongs gives its text or ``""``."""
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name") or value.get("text")
    return (
        html_to_text(value)
        if isinstance(value, str)
        else str(value)
        if isinstance(value, int | float)
        else ""
    )


def _name(value: Any) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("name") or value.get("legalName")
    return _text(value) or None


def event_from_node(node: dict, page_url: str = "", *, source: str = "", default_tz: str = "UTC") -> Event:
    """One JSON-LD/microdata Event node to an :class:`Event`; ``RecordError`` if unusable."""
    title = _name(node.get("name"))
    if not title:
        raise RecordError(f"event without a name skipped (startDate {node.get('startDate')!r})")
    start_raw = _first(node.get("startDate"))
    if not start_raw:
        raise RecordError(f"{title!r} skipped: no startDate")
    try:
        start, all_day = parse_datetime(str(start_raw), default_tz)
    except DateOutOfRange as exc:
        raise RecordError(f"{title!r} skipped: startDate {start_raw!r} refused: {exc}") from exc
    except ValueError as exc:
        raise RecordError(f"{title!r} skipped: startDate {start_raw!r} is not a date") from exc

    end = None
    end_raw = _first(node.get("endDate"))
    if end_raw:
        try:
            end, end_is_date = parse_datetime(str(end_raw), default_tz)
            if end_is_date:
                end += timedelta(days=1)  # schema.org end dates are inclusive; ours are exclusive
        except ValueError:
            log.warning("%r: ignoring unreadable endDate %r", title, end_raw)
        if end is not None and end < start:
            end = None

    place = _place(node.get("location"), default_tz)
    attendance = _ATTENDANCE.get(_enum(node.get("eventAttendanceMode")), place.pop("attendance"))
    status = _STATUS.get(_enum(node.get("eventStatus")), "scheduled")
    is_free, price = _offers(node)
    url = _first(node.get("url")) or (
        node.get("@id") if str(node.get("@id", "")).startswith("http") else None
    )
    if isinstance(url, dict):
        url = url.get("@id") or url.get("url")
    url = (absolute_url(page_url, str(url)) if url else None) or canonical_url(page_url)

    return Event(
        title=title,
        start=start,
        end=end,
        all_day=all_day,
        description=_text(node.get("description")),
        url=url,
        organizer=_name(node.get("organizer")),
        tags=_keywords(node.get("keywords")),
        status=status,
        attendance=attendance,
        is_free=is_free,
        price=price,
        source=source,
        **place,
    )


def _enum(value: Any) -> str:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("@id") or value.get("name")
    return str(value or "").rsplit("/", 1)[-1].lower()


def _place(location: Any, default_tz: str) -> dict:
    out: dict[str, Any] = {"venue": None, "address": None, "city": None, "lat": None, "lon": None}
    physical = online = False
    for loc in _as_list(location):
        if isinstance(loc, str):
            out["venue"] = out["venue"] or html_to_text(loc) or None
            physical = True
            continue
        if not isinstance(loc, dict):
            continue
        types = _types(loc)
        if "VirtualLocation" in types:
            online = True
            continue
        physical = True
        if "PostalAddress" in types:
            _address(loc, out)
            continue
        if "GeoCoordinates" in types:
            _geo(loc, out)
            continue
        out["venue"] = out["venue"] or _name(loc)
        address = loc.get("address")
        if isinstance(address, dict):
            _address(address, out)
        elif address:
            out["address"] = out["address"] or html_to_text(str(address))
        if isinstance(loc.get("geo"), dict):
            _geo(loc["geo"], out)
    out["attendance"] = "mixed" if physical and online else "online" if online else "in_person"
    return out


def _address(addr: dict, out: dict) -> None:
    parts = [
        addr.get(k)
        for k in ("streetAddress", "addressLocality", "addressRegion", "postalCode", "addressCountry")
    ]
    text = ""
    for part in parts:
        part = str(_name(part) if isinstance(part, dict) else part or "").strip()
        if part and part.casefold() not in text.casefold():  # pages often repeat the city in the street
            text = f"{text}, {part}" if text else part
    out["address"] = out["address"] or text or None
    city = addr.get("addressLocality")
    out["city"] = out["city"] or (str(city).strip() if city else None)


def _geo(geo: dict, out: dict) -> None:
    try:
        lat, lon = float(geo.get("latitude")), float(geo.get("longitude"))
    except (TypeError, ValueError):
        return
    if -90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0.0, 0.0):
        out["lat"], out["lon"] = lat, lon


def _offers(node: dict) -> tuple[bool | None, str | None]:
    """``(is_free, price)`` from ``isAccessibleForFree`` and the first offer that names a price."""
    free = node.get("isAccessibleForFree")
    is_free = None if free is None else free if isinstance(free, bool) else str(free).lower() == "true"
    for offer in _as_list(node.get("offers")):
        amount = offer.get("price", offer.get("lowPrice")) if isinstance(offer, dict) else None
        if amount in (None, ""):
            continue
        try:
            value = float(str(amount).replace(",", ""))
        except ValueError:
            return is_free, str(amount)
        if value == 0:
            return (True if is_free is None else is_free), None
        return is_free, f"{value:g} {offer.get('priceCurrency') or ''}".strip()
    return is_free, None


def _keywords(value: Any) -> list[str]:
    tags: list[str] = []
    for item in _as_list(value):
        parts = item.split(",") if isinstance(item, str) else [_name(item) or ""]
        for part in parts:
            part = part.strip()
            if part and part not in tags:
                tags.append(part)
    return tags
