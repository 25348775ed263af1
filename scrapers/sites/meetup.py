"""Meetup event and group pages: schema.org JSON-LD, completed from the ``__NEXT_DATA__`` Apollo state.

The JSON-LD gives title, times, place and (cut short) description. The Apollo state, when the page
has it, adds what Kindred ranks on: the event's **topics** (as tags; the group's topics when the
event has none), the **event type** (``PHYSICAL``/``ONLINE``/``HYBRID`` → attendance mode), the
**venue**, the **group name**, the full description and a cancelled status. Upcoming events found
only in the Apollo state are added too. Without ``__NEXT_DATA__`` the group is the JSON-LD organiser.

>>> from pathlib import Path
>>> page = Path("tests/fixtures/pages/meetup-with-json.html").read_bytes()
>>> (ev,) = parse_meetup(page, "https://www.meetup.com/python-spokane/events/298213205/")
>>> ev.group, ev.tags[:2], ev.attendance
('Spokane Python User Group', ['Linux', 'Python'], 'in_person')
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..charset import decode_document
from ..errors import ParseError, RecordError
from ..event import Event, canonical_url
from ..result import ParseResult
from ..schemaorg import parse_schemaorg
from ..text import parse_datetime
from .page_json import script_json

_ATTENDANCE = {"PHYSICAL": "in_person", "ONLINE": "online", "HYBRID": "mixed"}
_LISTED = ("ACTIVE", "UPCOMING", "CANCELLED")  # Apollo events worth adding (not PAST, DRAFT)


def parse_meetup(content: str | bytes, url: str = "", *, source: str = "", default_tz: str = "UTC"):
    """Events on a Meetup event or group page (see the module notes). Raises ``ParseError``."""
    text = decode_document(content)
    state = _apollo_state(text)
    apollo_events = {
        canonical_url(node.get("eventUrl")): node
        for key, node in state.items()
        if key.startswith("Event:") and isinstance(node, dict) and node.get("eventUrl")
    }
    try:
        result = parse_schemaorg(text, url, source=source, default_tz=default_tz)
    except ParseError:
        if not apollo_events:
            raise
        result = ParseResult()
    for i, event in enumerate(result):
        node = apollo_events.pop(event.url, None)
        if node:
            result[i] = _enrich(event, node, state)
        else:  # Meetup's JSON-LD organiser is the group
            result[i] = replace(event, group=event.group or event.organizer)
    for node in apollo_events.values():
        if str(node.get("status", "")).upper() not in _LISTED:
            continue
        try:
            result.append(_from_apollo(node, state, source=source, default_tz=default_tz))
        except RecordError as exc:
            result.skipped.append(str(exc))
    return result


def _apollo_state(html: str) -> dict[str, Any]:
    data = script_json(html, "__NEXT_DATA__")
    try:
        state = data["props"]["pageProps"]["__APOLLO_STATE__"]
    except (KeyError, TypeError):
        return {}
    return state if isinstance(state, dict) else {}


def _deref(value: Any, state: dict) -> dict:
    if isinstance(value, dict) and "__ref" in value:
        return state.get(value["__ref"]) or {}
    return value if isinstance(value, dict) else {}


def _topics(node: dict, state: dict) -> list[str]:
    edges = (node.get("topics") or {}).get("edges", [])
    refs = [edge.get("node") for edge in edges if isinstance(edge, dict)]
    if not refs:
        refs = list(_deref(node.get("group"), state).get("activeTopics") or [])
    names = [_deref(ref, state).get("name") for ref in refs]
    return [str(name) for name in names if name]


def _venue(node: dict, state: dict) -> dict:
    venue = _deref(node.get("venue"), state)
    if not venue or str(node.get("eventType", "")).upper() == "ONLINE":
        return {}
    parts = [venue.get(k) for k in ("address", "city", "state", "country")]
    out = {
        "venue": venue.get("name") or None,
        "address": ", ".join(str(p) for p in parts if p) or None,
        "city": venue.get("city") or None,
    }
    lat, lon = venue.get("lat"), venue.get("lon")
    if isinstance(lat, int | float) and isinstance(lon, int | float) and (lat, lon) != (0, 0):
        out["lat"], out["lon"] = float(lat), float(lon)
    return out


def _enrich(event: Event, node: dict, state: dict) -> Event:
    changes: dict[str, Any] = {}
    tags = list(event.tags)
    tags += [t for t in _topics(node, state) if t not in tags]
    changes["tags"] = tags
    group = _deref(node.get("group"), state).get("name")
    changes["group"] = group or event.group or event.organizer
    mode = _ATTENDANCE.get(str(node.get("eventType", "")).upper())
    if mode:
        changes["attendance"] = mode
    if str(node.get("status", "")).upper() == "CANCELLED":
        changes["status"] = "cancelled"
    description = node.get("description")
    if isinstance(description, str) and len(description.strip()) > len(event.description):
        changes["description"] = description.strip()
    for key, value in _venue(node, state).items():
        if getattr(event, key) in (None, "") and value is not None:
            changes[key] = value
    return replace(event, **changes)


def _from_apollo(node: dict, state: dict, *, source: str, default_tz: str) -> Event:
    title = str(node.get("title") or "").strip()
    if not title or not node.get("dateTime"):
        raise RecordError(f"Meetup event {node.get('eventUrl')!r} skipped: no title or date")
    try:
        start, all_day = parse_datetime(str(node["dateTime"]), default_tz)
        end = parse_datetime(str(node["endTime"]), default_tz)[0] if node.get("endTime") else None
    except ValueError as exc:
        raise RecordError(f"{title!r} skipped: unreadable date ({exc})") from exc
    event = Event(
        title=title,
        start=start,
        end=end if end and end >= start else None,
        all_day=all_day,
        url=canonical_url(node.get("eventUrl")),
        source=source,
        **_venue(node, state),
    )
    return _enrich(event, node, state)
