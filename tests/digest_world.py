"""A small store of upcoming events around ISO week 2026-W48 (Mon 23 Nov 2026), for digest tests."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from recommender.people.subscribers import add_subscriber
from recommender.store.event_store import Store
from scrapers.event import Event

TORONTO = ZoneInfo("America/Toronto")
WEEK = "2026-W48"
SECRET = "digest-test-secret"
SEEDED = datetime(2026, 11, 20, tzinfo=UTC)


def at(day: int, hour: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=TORONTO)


def make_events() -> list[Event]:
    return [
        Event(title="<script>alert(1)</script> Pottery wheel night", start=at(25, 19), venue="Clay & Co",
              url="https://example.org/e/pottery", description="Throw pots on the wheel.", source="t"),
        Event(title="Jazz jam session", start=at(27, 20), venue="The Rex", url="https://example.org/e/jazz",
              description="Live jazz, bring your horn.", is_free=True, source="t"),
        Event(title="Chess club open evening", start=at(26, 18), venue="Library",
              url="https://example.org/e/chess", description="Chess for all levels.", source="t"),
        Event(title="Raku pottery firing", start=at(28, 11), venue="Clay & Co",
              url="https://example.org/e/raku", description="Pottery glazes and fire.", source="t"),
        Event(title="Pottery exhibition (already over)", start=at(10, 12), source="t"),
        Event(title="Pottery market next month", start=at(20, 12, month=12), source="t"),
        Event(title="Jazz brunch", start=at(29, 11), status="cancelled", source="t"),
        Event(title="Speed networking mixer", start=at(24, 18), description="Business cards.", source="t"),
    ]  # fmt: skip


def seed(url: str, *, users: dict[str, dict] | None = None) -> Store:
    """A store at ``url`` with :func:`make_events` and the given subscribers (email -> options)."""
    store = Store(url)
    store.upsert(make_events(), now=SEEDED)
    for email, options in (users or {}).items():
        add_subscriber(store, email, now=SEEDED, **{"timezone": "America/Toronto", **options})
    return store
