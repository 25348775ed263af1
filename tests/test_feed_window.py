"""A calendar feed ranked over its window's events picks what the whole ranking picks in that window."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from recommender.calendars.feed import feed_entries, feed_state
from recommender.people.subscriber_filter import subscriber_filter
from recommender.people.subscribers import add_subscriber, get_subscriber, record_feedback
from recommender.ranking.picks import why_line
from recommender.store.event_store import Store
from recommender.store.snapshot import default_store_url

PEOPLE = {
    "a@example.org": {"passions": "live music, but not networking mixers"},
    "b@example.org": {"passions": "comedy and board games", "mode": "in-person"},
    "c@example.org": {"passions": "family festivals with kids", "near": (43.65, -79.38), "within_km": 5},
    "d@example.org": {"passions": "film screenings; dance"},
}


def _whole(store, sub, now):
    """The feed's picks as ranked before windows: the whole ranking under the window's mask."""
    state = feed_state(store, sub, now=now)
    ranking = state.loaded.ranking
    dismissed = state.feedback.dismissed
    flt = subscriber_filter(sub, start=None, end=None, exclude=dismissed, include_cancelled=True)
    mask = state.window & ranking.mask(flt)
    picks = ranking.rank(sub.passions, limit=30, mask=mask, feedback=state.feedback) if mask.any() else []
    return [(p.event.id, why_line(p.passion, p.why)) for p in picks if p.score > 0]


@pytest.mark.slow
def test_feed_entries_equal_the_whole_rankings_in_the_window(snapshot_home):
    store = Store(default_store_url())
    try:
        signed_up = datetime(2024, 1, 1, tzinfo=UTC)
        for email, options in PEOPLE.items():
            add_subscriber(store, email, now=signed_up, timezone="America/Toronto", **options)
        events = store.events()
        record_feedback(store, "a@example.org", events[10].id, "like", now=signed_up)
        record_feedback(store, "b@example.org", events[20].id, "dismiss", now=signed_up)
        compared = 0
        for day in (datetime(2025, 5, 20, 9, tzinfo=UTC), datetime(2025, 12, 1, 9, tzinfo=UTC)):
            for email in PEOPLE:
                sub = get_subscriber(store, email)
                expected = _whole(store, sub, day)
                got = [(e.id, why) for e, why in feed_entries(store, sub, now=day)]
                assert got == expected
                compared += len(got)
        assert compared > 20  # the windows held picks to compare
    finally:
        store.engine.dispose()
