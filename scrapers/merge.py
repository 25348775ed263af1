"""Copies of one event on one page, merged: the same listing in JSON-LD and in microdata.

Two records are copies when their titles read alike (:func:`~scrapers.event.loose_text`), they
start at the same instant, their venues agree (the same, or only one names a venue) and so do
their URLs (two different URLs are two listings, as on a page that lists one festival twice). The merged
event keeps, field by field, the richer value: the one that is set, the longer text, every tag. Its
id is made again from the merged fields, so a copy with a ``url`` lends the merge its id.

Examples
--------
>>> from datetime import datetime, timezone
>>> t = datetime(2026, 5, 1, 19, tzinfo=timezone.utc)
>>> a = Event(title="Quiz Night", start=t, venue="The Crown", url="https://example.org/quiz")
>>> b = Event(title="Quiz night!", start=t, description="Teams of four.", tags=["quiz"])
>>> (merged,) = merge_copies([a, b])
>>> merged.url, merged.description, merged.tags, merged.id == a.id
('https://example.org/quiz', 'Teams of four.', ['quiz'], True)
"""

from __future__ import annotations

from dataclasses import fields, replace

from .event import Event, loose_text

_NEVER_MERGED = ("id", "title", "start", "first_seen", "last_seen")


def _agree(a: str | None, b: str | None) -> bool:
    return not a or not b or a == b


def _copies(a: Event, b: Event, page_url: str | None) -> bool:
    own = [u if u != page_url else None for u in (a.url, b.url)]  # the page's own address names no listing
    return _agree(loose_text(a.venue or ""), loose_text(b.venue or "")) and _agree(*own)


def _richer(a, b):
    if a in (None, "", []):
        return b
    if isinstance(a, str) and isinstance(b, str) and len(b) > len(a):
        return b
    return a


def merge_two(a: Event, b: Event, page_url: str | None = None) -> Event:
    """``a`` completed from ``b`` (see the module notes); the id is made again from the result."""
    if page_url and a.url == page_url and b.url:
        a = replace(a, url=b.url)  # a listing's own address beats the page it was found on
    changes = {}
    for f in fields(Event):
        if f.name in _NEVER_MERGED:
            continue
        ours, theirs = getattr(a, f.name), getattr(b, f.name)
        if f.name == "tags":
            changes["tags"] = ours + [t for t in theirs if t not in ours]
        elif f.name not in ("attendance", "status") or ours in ("in_person", "scheduled"):
            changes[f.name] = _richer(ours, theirs)
    return replace(a, id="", **changes)


def merge_copies(events: list[Event], page_url: str | None = None) -> list[Event]:
    """``events`` with the copies of each one merged into the first copy's place.

    ``page_url`` is the address of the page they were read from: a copy whose ``url`` is only
    that (because its markup named none) agrees with a copy that names its own.
    """
    out: list[Event] = []
    by_key: dict[tuple, list[int]] = {}
    for event in events:
        key = (loose_text(event.title), event.start)
        for index in by_key.get(key, []):
            kept = out[index]
            if _copies(kept, event, page_url):
                out[index] = merge_two(kept, event, page_url)
                break
        else:
            by_key.setdefault(key, []).append(len(out))
            out.append(event)
    return out
