"""Synthetic but realistic event corpora, built by recombining pieces of real listings.

The pieces — description sentences, titles, category tags, venues with coordinates, group names —
come from the Toronto open-data snapshot that ships in ``data/`` and, when the team's shared data
folder is present (``../shared/data/raw``), also from the 2017 Meetup sample (titles, group names and
topics: hobby-diverse). The product never needs ``../shared``; the benchmark only reads it if there.

>>> pool = Pool.load()
>>> events = list(synthetic_events(pool, 3, seed=1))
>>> len(events), len({e.id for e in events})
(3, 3)
>>> [e.title for e in synthetic_events(pool, 2, seed=1)] == [e.title for e in events[:2]]
True
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from recommender.core.resources import data_file
from scrapers.event import Event

SHARED_RAW = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "raw"
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
MEETUP_FILE = "meetup_rsvp_stream_events_2017-03.jsonl"
START = datetime(2026, 1, 1, tzinfo=timezone.utc)


@dataclass
class Pool:
    """The real pieces synthetic events are made of."""

    sentences: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    venues: list[tuple[str, str, float, float]] = field(default_factory=list)  # name, address, lat, lon
    groups: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, shared: Path | None = SHARED_RAW) -> Pool:
        pool = cls()
        pool._add_toronto(data_file("toronto_festivals_events.jsonld"))
        pool.sources.append("data/toronto_festivals_events.jsonld (embedded)")
        meetup = (
            shared / "meetup_rsvp_stream_2017" / "meetup_rsvp_stream_events_2017-03.jsonl" if shared else None
        )
        if meetup is not None and meetup.exists():
            pool._add_meetup(meetup)
            pool.sources.append(f"{meetup.relative_to(shared.parent.parent.parent)} (shared, titles/groups)")
        for name in ("sentences", "titles", "tags", "groups"):
            setattr(pool, name, sorted(set(getattr(pool, name))))
        pool.venues = sorted(set(pool.venues))
        return pool

    def _add_toronto(self, path: Path) -> None:
        for item in json.loads(path.read_text(encoding="utf-8")):
            self.titles.append(item.get("name") or "")
            for sentence in _SENTENCE.split(item.get("description") or ""):
                if 20 <= len(sentence) <= 400:
                    self.sentences.append(sentence.strip())
            self.tags.extend(item.get("keywords") or [])
            place = item.get("location") or {}
            geo = place.get("geo") or {}
            address = (place.get("address") or {}).get("streetAddress") or ""
            if place.get("name") and geo.get("latitude") is not None:
                self.venues.append((place["name"], address, float(geo["latitude"]), float(geo["longitude"])))
            organizer = (item.get("organizer") or {}).get("name")
            if organizer:
                self.groups.append(organizer)
        self.titles = [t for t in self.titles if t]

    def _add_meetup(self, path: Path) -> None:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            self.titles.append(record["event"]["event_name"])
            group = record.get("group") or {}
            if group.get("group_name"):
                self.groups.append(group["group_name"])
            self.tags.extend(t["topic_name"] for t in group.get("group_topics") or [])


def synthetic_events(pool: Pool, n: int, *, seed: int = 7) -> Iterator[Event]:
    """``n`` events recombined from ``pool``: a real title, 1–5 real sentences, 1–3 tags, a venue,
    sometimes a group; starts spread over 2026–2027; 5% online, 3% cancelled."""
    rng = random.Random(seed)
    for i in range(n):
        name, address, lat, lon = rng.choice(pool.venues)
        online = rng.random() < 0.05
        start = START + timedelta(minutes=30 * rng.randrange(2 * 24 * 730))
        yield Event(
            id=f"synthetic-{seed}-{i}",
            title=rng.choice(pool.titles),
            description=" ".join(rng.sample(pool.sentences, rng.randint(1, 5))),
            start=start,
            end=start + timedelta(hours=rng.choice((1, 2, 3))),
            venue=None if online else name,
            address=None if online else address,
            city=None if online else "Toronto",
            lat=None if online else lat + rng.uniform(-0.02, 0.02),
            lon=None if online else lon + rng.uniform(-0.02, 0.02),
            attendance="online" if online else "in_person",
            status="cancelled" if rng.random() < 0.03 else "scheduled",
            url=f"https://example.org/e/{seed}/{i}",
            group=rng.choice(pool.groups) if rng.random() < 0.3 else None,
            tags=rng.sample(pool.tags, rng.randint(1, 3)),
            is_free=rng.random() < 0.4,
            source="synthetic",
        )


def passion_statements(n: int, *, seed: int = 11) -> list[str]:
    """``n`` varied passion statements in people's words, from the hobby lexicon's terms."""
    from recommender.passions.lexicon import Lexicon

    rng = random.Random(seed)
    hobbies = Lexicon.load().hobbies()
    frames = ("{}", "I love {}", "really into {}", "{} with friends", "learning {}", "weekend {}")
    from recommender.passions.statement import PassionError, split_passions

    out = []
    while len(out) < n:
        picked = [rng.choice(rng.choice(hobbies).terms) for _ in range(rng.randint(1, 3))]
        phrases = [rng.choice(frames).format(p) for p in picked]
        statement = phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]
        try:
            split_passions(statement)
        except PassionError:  # e.g. "r and b" splits into nothing a person could mean
            continue
        out.append(statement)
    return out


def write_corpus(n: int, db: str, texts: str, *, seed: int = 7, chunk: int = 20_000) -> None:
    """``n`` synthetic events written, a chunk at a time, to a Kindred SQLite store at path ``db``
    (bulk inserts of the rows ``Store.upsert`` writes) and to ``texts`` as JSON lines
    ``[title, the text Kindred's ranker sees]`` for the peers' scripts."""
    from sqlalchemy import insert

    from recommender.ranking.event_features import event_text
    from recommender.store.event_store import Store
    from recommender.store.tables import EventRow, content_hash, fill_row

    store = Store(f"sqlite:///{db}")
    stamp = datetime(2026, 1, 1)
    events = synthetic_events(Pool.load(), n, seed=seed)
    with open(texts, "w", encoding="utf-8") as out:
        while batch := [ev for _, ev in zip(range(chunk), events, strict=False)]:
            rows = []
            for ev in batch:
                row = EventRow(id=ev.id, first_seen=stamp, last_seen=stamp, updated_at=stamp)
                fill_row(row, ev, content_hash(ev))
                rows.append({c.key: getattr(row, c.key) for c in EventRow.__mapper__.column_attrs})
                out.write(json.dumps([ev.title, event_text(ev)]) + "\n")
            with store.session() as session, session.begin():
                session.execute(insert(EventRow), rows)
    store.engine.dispose()


if __name__ == "__main__":  # python -m benchmarks.corpus write N DB TEXTS (what make bench runs)
    import sys

    _, size, db_path, texts_path = sys.argv[1:]
    write_corpus(int(size), db_path, texts_path)
