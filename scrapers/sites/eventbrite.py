"""Eventbrite event, organiser and listing pages (JSON-LD completed from ``window.__SERVER_DATA__``),
and Eventbrite v3 API responses (``{"events": [...]}``, ``eventbriteapi.com``).

Eventbrite's JSON-LD (an ``Event``, or an ``ItemList`` of them) lacks the event's category and
format; listing entries sometimes carry only a date. The server data embedded in the page holds
event objects (``name.text``, ``start.local`` + ``start.timezone``, ``category``, ``format``,
``online_event``, ``status``, ``venue``), which this adapter uses to add **tags** (category and
format names), the **attendance mode**, a **cancelled** status, and full start/end times. Entries
still left with only a date are listed in ``result.follow``: their own page has the times. API
responses hold the same event objects, with category and format as codes
(:mod:`~scrapers.sites.eventbrite_codes`).

>>> from pathlib import Path
>>> page = Path("tests/fixtures/pages/eventbrite_organizer_queer-lit-social-refuge.html").read_bytes()
>>> events = parse_eventbrite(page, "https://www.eventbrite.co.uk/o/queer-lit-social-refuge-48062165483")
>>> events[0].title, events[0].tags
('Ancoats Quiz Night', ['Community & Culture', 'Game or Competition'])
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from ..charset import decode_document
from ..errors import ParseError, RecordError
from ..event import Event, canonical_url
from ..result import ParseResult
from ..schemaorg import parse_schemaorg
from ..text import html_to_text, parse_datetime
from .eventbrite_codes import CATEGORIES, FORMATS
from .page_json import assigned_json, walk_dicts

_CANCELLED = ("canceled", "cancelled")


def parse_eventbrite(content: str | bytes, url: str = "", *, source: str = "", default_tz: str = "UTC"):
    """Events on an Eventbrite page (see the module notes). Raises ``ParseError``."""
    text = decode_document(content)
    api = _api_response(text, url)
    server = _server_events(api if api is not None else assigned_json(text, "window.__SERVER_DATA__"))
    try:
        if api is not None:  # an API response holds no JSON-LD
            raise ParseError(f"{url or 'input'}: no Eventbrite events in this API response")
        result = parse_schemaorg(text, url, source=source, default_tz=default_tz)
    except ParseError:
        if not server:
            raise
        result = ParseResult()
    for i, event in enumerate(result):
        node = server.pop(event.url, None)
        if node:
            result[i] = _enrich(event, node, default_tz)
    for node in server.values():
        try:
            result.append(_from_server(node, source=source, default_tz=default_tz))
        except RecordError as exc:
            result.skipped.append(str(exc))
    result.follow = [ev.url for ev in result if ev.all_day and ev.url and ev.url != canonical_url(url)]
    return result


def _api_response(text: str, url: str) -> Any | None:
    """The decoded JSON of a v3 API response (``{"events": …}`` or one event), else ``None``."""
    if text.lstrip()[:1] != "{":
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"{url or 'input'}: malformed JSON ({exc.msg} at line {exc.lineno})") from exc
    if isinstance(data, dict) and ("events" in data or "start" in data and "name" in data):
        return data
    return None


def _server_events(data: Any) -> dict[str, dict]:
    """Event objects anywhere in the server data, by canonical URL."""
    found: dict[str, dict] = {}
    for node in walk_dicts(data):
        name, start, link = node.get("name"), node.get("start"), node.get("url")
        if isinstance(name, dict) and isinstance(start, dict) and isinstance(link, str) and "/e/" in link:
            found.setdefault(canonical_url(link), node)
    return found


def _when(value: Any, default_tz: str):
    if not isinstance(value, dict) or not value.get("local"):
        return None
    try:
        return parse_datetime(str(value["local"]), str(value.get("timezone") or default_tz))[0]
    except ValueError:
        return None


def _tags(node: dict) -> list[str]:
    names = [(node.get(k) or {}).get("name") for k in ("category", "format")]
    names[0] = names[0] or CATEGORIES.get(str(node.get("category_id")))
    names[1] = names[1] or FORMATS.get(str(node.get("format_id")))
    return [str(n) for n in names if n and str(n) != "Other"]


def _enrich(event: Event, node: dict, default_tz: str) -> Event:
    changes: dict[str, Any] = {"tags": event.tags + [t for t in _tags(node) if t not in event.tags]}
    if node.get("online_event") is True:
        changes["attendance"] = "online"
        changes.update(venue=None, address=None, lat=None, lon=None)
    if str(node.get("status", "")).lower() in _CANCELLED:
        changes["status"] = "cancelled"
    summary = html_to_text(str(node.get("summary") or ""))
    if len(summary) > len(event.description):  # listing JSON-LD cuts descriptions short
        changes["description"] = summary
    if event.is_free is None and isinstance(node.get("is_free"), bool):
        changes["is_free"] = node["is_free"]
    start, end = _when(node.get("start"), default_tz), _when(node.get("end"), default_tz)
    if event.all_day and start:  # the listing gave only a date; the server data has the time
        changes.update(start=start, end=end if end and end >= start else None, all_day=False)
    return replace(event, **changes)


def _description(node: dict) -> str:
    full = node.get("description")
    if isinstance(full, dict) and (full.get("html") or full.get("text")):
        return str(full.get("html") or full.get("text"))
    return str(node.get("summary") or "")


def _from_server(node: dict, *, source: str, default_tz: str) -> Event:
    title = html_to_text(str((node.get("name") or {}).get("text") or ""))
    start = _when(node.get("start"), default_tz)
    if not title or start is None:
        raise RecordError(f"Eventbrite event {node.get('url')!r} skipped: no name or start")
    end = _when(node.get("end"), default_tz)
    venue = node.get("venue") if isinstance(node.get("venue"), dict) else {}
    address = venue.get("address") if isinstance(venue.get("address"), dict) else {}
    event = Event(
        title=title,
        start=start,
        end=end if end and end >= start else None,
        url=canonical_url(node.get("url")),
        description=html_to_text(_description(node)),
        venue=venue.get("name") or None,
        address=address.get("localized_address_display") or None,
        city=address.get("city") or None,
        source=source,
        **_geo(
            venue.get("latitude") or address.get("latitude"),
            venue.get("longitude") or address.get("longitude"),
        ),
    )
    return _enrich(event, node, default_tz)


def _geo(lat: Any, lon: Any) -> dict:
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return {}
    return (
        {"lat": lat, "lon": lon} if -90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0, 0) else {}
    )
