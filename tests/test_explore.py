"""The exploration API on small hand-made stores: typed frames, rankings, passion comparisons."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommender.explore.frames import (
    ExploreError,
    added_passion_diff,
    as_ranking,
    compare_passions,
    events_frame,
    events_per_period,
    jaccard,
    main_tag,
    passion_similarity,
    rank_frame,
)
from recommender.ranking.ranking import Ranking
from recommender.store.event_store import Store
from scrapers.event import Event

TORONTO = ZoneInfo("America/Toronto")
NOW = datetime(2026, 4, 1, tzinfo=timezone.utc)
T = datetime(2026, 5, 2, 19, 30, tzinfo=TORONTO)

EVENTS = [
    Event(title="Sunday hike on the Bruce Trail", start=T, description="A 12 km hike.", tags=["Walking"],
          lat=43.70, lon=-79.40, venue="Trailhead", city="Toronto", source="hikers", is_free=True),
    Event(title="Beginner hiking group: ravine trails", start=T + timedelta(days=8),
          tags=["Walking", "Nature"], lat=43.71, lon=-79.41, source="hikers", group="Ravine Walkers",
          is_free=True),
    Event(title="Jazz at the Rex", start=datetime(2026, 5, 3, 1, tzinfo=timezone.utc),
          end=datetime(2026, 5, 3, 3, tzinfo=timezone.utc), description="Live jazz quartet.",
          tags=["Music"], source="venues", is_free=False, price="15 CAD"),
    Event(title="Jazz jam session", start=T + timedelta(days=40), description="Bring your horn.",
          tags=["Music"], source="venues", status="cancelled"),
    Event(title="Pottery wheel taster", start=T + timedelta(days=3), description="Throw a bowl in clay.",
          tags=["Arts", "Workshop"], source="studio", attendance="mixed"),
    Event(title="Speed networking breakfast", start=T, description="Meet business owners, swap cards.",
          tags=["Business"], source="chamber"),
    Event(title="Board game cafe night", start=T + timedelta(days=1), description="Catan and Ticket to Ride.",
          tags=["Games"], source="cafe"),
]  # fmt: skip
pytestmark = pytest.mark.store(memory=True, events=EVENTS, now=NOW)


@pytest.fixture
def ranking(store):
    return as_ranking(store)


def test_events_frame_has_one_typed_row_per_event(store):
    frame = events_frame(store)
    assert len(frame) == len(EVENTS)
    assert set(frame["id"]) == {e.id for e in EVENTS}
    for col in ("start", "end"):
        assert isinstance(frame[col].dtype, pd.DatetimeTZDtype)
        assert str(frame[col].dt.tz) == "UTC"
    assert frame["lat"].dtype == np.float64 and frame["lon"].dtype == np.float64
    assert frame["all_day"].dtype == bool
    assert frame["is_free"].dtype == "boolean"
    assert isinstance(frame["status"].dtype, pd.CategoricalDtype)
    assert all(isinstance(tags, list) for tags in frame["tags"])


def test_events_frame_keeps_the_instant_and_the_zone(store):
    frame = events_frame(store).set_index("title")
    jazz = frame.loc["Jazz at the Rex"]
    assert jazz["start"] == pd.Timestamp("2026-05-03 01:00", tz="UTC")
    assert jazz["end"] == pd.Timestamp("2026-05-03 03:00", tz="UTC")
    hike = frame.loc["Sunday hike on the Bruce Trail"]
    assert hike["tz"] == "America/Toronto"
    assert hike["start"].tz_convert(hike["tz"]).hour == 19  # 19:30 local, as listed
    assert pd.isna(hike["end"])


def test_events_frame_carries_fields_missing_values_and_business_score(store):
    frame = events_frame(store).set_index("title")
    assert frame.loc["Beginner hiking group: ravine trails", "tags"] == ["Walking", "Nature"]
    assert frame.loc["Beginner hiking group: ravine trails", "group"] == "Ravine Walkers"
    assert pd.isna(frame.loc["Jazz jam session", "lat"])
    assert pd.isna(frame.loc["Pottery wheel taster", "is_free"])
    assert frame.loc["Jazz at the Rex", "price"] == "15 CAD"
    assert frame.loc["Jazz jam session", "status"] == "cancelled"  # kept, marked
    assert frame.loc["Pottery wheel taster", "mode"] == "mixed"
    assert frame.loc["Speed networking breakfast", "business"] > 0.5
    assert frame.drop(index="Speed networking breakfast")["business"].max() < 0.5


def test_events_frame_of_an_empty_store_is_empty_but_typed():
    frame = events_frame(Store("sqlite://"))
    assert frame.empty
    assert isinstance(frame["start"].dtype, pd.DatetimeTZDtype)


def test_events_per_period_counts_local_months_and_fills_gaps(store):
    counts = events_per_period(events_frame(store))
    # Jazz at the Rex starts 01:00 UTC on 3 May = 21:00 on 2 May in Toronto: still May.
    assert [str(p) for p in counts.index] == ["2026-05", "2026-06"]
    assert counts.tolist() == [6, 1]
    weekly = events_per_period(events_frame(store), freq="W-SUN")
    assert weekly.sum() == len(EVENTS) and (weekly == 0).any()


def test_fixed_offset_zones_are_kept_and_counted_locally():
    plus_two = timezone(timedelta(hours=2))
    late = Event(title="Midnight swim", start=datetime(2026, 6, 1, 0, 30, tzinfo=plus_two))
    frame = events_frame([late])
    assert frame.loc[0, "start"] == pd.Timestamp("2026-05-31 22:30", tz="UTC")
    assert [str(p) for p in events_per_period(frame).index] == ["2026-06"]  # June where it happens
    assert [str(p) for p in events_per_period(frame, tz="UTC").index] == ["2026-05"]


def test_main_tag_prefers_the_most_common_tag(store):
    frame = events_frame(store)
    tags = dict(zip(frame["title"], main_tag(frame, top=2), strict=True))
    assert tags["Beginner hiking group: ravine trails"] == "Walking"
    assert tags["Sunday hike on the Bruce Trail"] == "Walking"
    assert tags["Jazz at the Rex"] == "Music"
    assert tags["Board game cafe night"] == "other"


def test_rank_frame_ranks_like_the_ranking_and_explains(store, ranking):
    frame = rank_frame(store, "hiking", limit=5)
    picks = Ranking(store.events()).rank("hiking", limit=5)
    assert frame["id"].tolist() == [p.event.id for p in picks]
    assert frame["rank"].tolist() == list(range(1, len(picks) + 1))
    assert set(frame["title"][:2]) == {
        "Sunday hike on the Bruce Trail",
        "Beginner hiking group: ravine trails",
    }
    assert frame["score"].is_monotonic_decreasing
    assert all(isinstance(w, str) and "hik" in w for w in frame["why"])
    assert {"text", "expansion", "business", "ties"} <= set(frame.columns)
    assert isinstance(frame["start"].dtype, pd.DatetimeTZDtype)
    assert rank_frame(ranking, "hiking", limit=5).equals(frame)  # a fitted Ranking gives the same


def test_rank_frame_with_no_match_is_empty_with_columns(ranking):
    frame = rank_frame(ranking, "underwater basket weaving")
    assert frame.empty and "score" in frame.columns


def test_ranking_nothing_is_one_clear_error():
    with pytest.raises(ExploreError, match="no events to rank"):
        rank_frame(Store("sqlite://"), "hiking")


def test_compare_passions_puts_lists_side_by_side(ranking):
    side = compare_passions(ranking, ["hiking", "pottery"], limit=3)
    assert list(side.columns.get_level_values("statement").unique()) == ["hiking", "pottery"]
    assert list(side.index) == [1, 2]  # hiking has two matches, pottery one
    assert "hik" in side.loc[1, ("hiking", "title")].lower()
    assert side.loc[1, ("pottery", "title")] == "Pottery wheel taster"
    assert pd.isna(side.loc[2, ("pottery", "title")]) and pd.isna(side.loc[2, ("pottery", "score")])
    assert side.loc[1, ("hiking", "score")] >= side.loc[2, ("hiking", "score")]


def test_passion_similarity_is_a_symmetric_jaccard_matrix(ranking):
    sim = passion_similarity(ranking, ["hiking", "hiking", "jazz", "pottery"], k=5)
    assert sim.shape == (3, 3)  # the same passion twice is one row
    assert (np.diag(sim.values) == 1.0).all()
    assert np.allclose(sim.values, sim.values.T)
    assert sim.loc["hiking", "jazz"] == 0.0
    assert sim.loc["jazz", "pottery"] == 0.0


def test_passion_similarity_of_overlapping_passions_is_between(ranking):
    sim = passion_similarity(ranking, ["hiking", "walking trails", "salsa dancing"], k=5)
    assert 0.0 < sim.loc["hiking", "walking trails"] <= 1.0
    assert np.isnan(sim.loc["salsa dancing", "salsa dancing"])  # nothing retrieved: undefined


@given(st.sets(st.integers(0, 9)), st.sets(st.integers(0, 9)))
def test_jaccard_properties(a, b):
    value = jaccard(a, b)
    if not (a or b):
        assert np.isnan(value)
    else:
        assert 0.0 <= value <= 1.0
        assert value == jaccard(b, a)
        assert (value == 1.0) == (a == b)
        assert (value == 0.0) == (not a & b)


def test_added_passion_diff_shows_what_enters_and_leaves(ranking):
    before = rank_frame(ranking, "hiking, jazz", limit=3)
    diff = added_passion_diff(ranking, "hiking, jazz", "board games", limit=3)
    entered = diff[diff["change"] == "entered"]
    left = diff[diff["change"] == "left"]
    assert entered["title"].tolist() == ["Board game cafe night"]
    assert entered["passion_after"].tolist() == ["board games"]
    assert len(left) == 1 and left["title"].iloc[0] in set(before["title"])
    assert pd.isna(left["rank_after"].iloc[0]) and pd.isna(entered["rank_before"].iloc[0])
    stayed = diff[diff["change"] == "stayed"]
    assert len(stayed) == 2 and stayed["rank_after"].notna().all() and stayed["rank_before"].notna().all()
    assert diff["rank_after"].dropna().tolist() == [1, 2, 3]


def test_added_passion_diff_with_a_passion_that_matches_nothing_changes_nothing(ranking):
    diff = added_passion_diff(ranking, "hiking", "underwater basket weaving", limit=3)
    assert set(diff["change"]) == {"stayed"}
