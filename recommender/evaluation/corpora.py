"""The labelled evaluation corpora, read through Kindred's real path (parse → store → events).

Document ids follow the evaluation README: Toronto ``"tor-" + sha1(name␟startDate␟location.name␟url)[:16]``,
Meetup the ``event_id``. Labels (Toronto ``keywords``, Meetup group topics) are kept beside the
events as the answer key and never reach the ranker: Toronto's keywords are removed before parsing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from recommender.store.event_store import Store
from scrapers.event import Event
from scrapers.schemaorg import parse_schemaorg

TORONTO_FILE = Path("toronto_festivals_events") / "all.jsonld"
MEETUP_FILE = Path("meetup_rsvp_stream_2017") / "meetup_rsvp_stream_events_2017-03.jsonl"


@dataclass
class Corpus:
    """Events of one corpus, each stored event mapped to the evaluation doc ids it stands for."""

    name: str
    events: list[Event]
    doc_ids: dict[str, list[str]]  # event id -> doc ids (a listing submitted twice is one event)
    labels: dict[str, list[str]]  # doc id -> labels
    texts: dict[str, str] = field(default_factory=dict)  # doc id -> the text baselines see

    def relevant(self, doc_id: str, wanted: set[str]) -> bool:
        return any(label in wanted for label in self.labels.get(doc_id, ()))


def toronto_doc_id(item: dict) -> str:
    location = item.get("location") or {}
    name = location.get("name") if isinstance(location, dict) else ""
    key = "\x1f".join(str(v or "") for v in (item.get("name"), item.get("startDate"), name, item.get("url")))
    return "tor-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _through_store(events: list[Event]) -> dict[str, Event]:
    store = Store("sqlite://")
    store.upsert(events, now=datetime(2026, 1, 1, tzinfo=timezone.utc), touch=False)
    return {e.id: e for e in store.events()}


def load_toronto(data_dir: Path) -> Corpus:
    items = json.loads((data_dir / TORONTO_FILE).read_text(encoding="utf-8"))
    # One parse per item: a page's copies of one event are merged by the parser, but here each
    # item is a labelled document of its own (copies share an event id through doc_ids).
    parsed = []
    for item in items:
        unlabelled = {k: v for k, v in item.items() if k != "keywords"}
        result = parse_schemaorg(
            json.dumps(unlabelled), "eval:toronto", source="eval-toronto", default_tz="America/Toronto"
        )
        if len(result) != 1:
            raise ValueError(
                f"toronto: item {item.get('name')!r} parsed as {len(result)} events: {result.skipped}"
            )
        parsed.extend(result)
    stored = _through_store(list(parsed))
    doc_ids: dict[str, list[str]] = {}
    labels, texts = {}, {}
    for item, ev in zip(items, parsed, strict=True):
        doc = toronto_doc_id(item)
        doc_ids.setdefault(ev.id, []).append(doc)
        labels[doc] = list(item.get("keywords") or [])
        texts[doc] = f"{item.get('name') or ''}\n{item.get('description') or ''}"
    return Corpus("toronto", list(stored.values()), doc_ids, labels, texts)


def meetup_event(record: dict) -> Event:
    """A Meetup RSVP-stream record (v2 API shape) as an :class:`Event`: title and group only."""
    ev, group, venue = record["event"], record.get("group") or {}, record.get("venue") or {}
    lat, lon = venue.get("lat"), venue.get("lon")
    has_geo = lat not in (None, 0) and lon not in (None, 0)
    return Event(
        title=ev["event_name"],
        # a few stream records carry no event time; when the RSVP was seen is the next best thing
        start=datetime.fromtimestamp(
            (ev.get("time") or record.get("latest_rsvp_mtime") or 0) / 1000, timezone.utc
        ),
        url=ev.get("event_url"),
        group=group.get("group_name"),
        venue=venue.get("venue_name"),
        city=group.get("group_city"),
        lat=lat if has_geo else None,
        lon=lon if has_geo else None,
        source="eval-meetup",
    )


def load_meetup(data_dir: Path) -> Corpus:
    records = [
        json.loads(line) for line in (data_dir / MEETUP_FILE).read_text(encoding="utf-8").splitlines() if line
    ]
    events = [meetup_event(r) for r in records]
    stored = _through_store(events)
    doc_ids: dict[str, list[str]] = {}
    labels, texts = {}, {}
    for record, ev in zip(records, events, strict=True):
        doc = str(record["event"]["event_id"])
        doc_ids.setdefault(ev.id, []).append(doc)
        labels[doc] = [t["topic_name"] for t in (record.get("group") or {}).get("group_topics", [])]
        texts[doc] = f"{record['event']['event_name']}\n{(record.get('group') or {}).get('group_name') or ''}"
    return Corpus("meetup", list(stored.values()), doc_ids, labels, texts)


LOADERS = {"toronto": load_toronto, "meetup": load_meetup}
