"""DataFrames for exploring the store and the ranking in a notebook (pandas; no plotting here).

The events side lives here (:func:`events_frame` and counts over it); the ranking side —
:func:`rank_frame`, :func:`compare_passions`, :func:`passion_similarity`, :func:`added_passion_diff` —
lives in :mod:`recommender.explore.ranking` and is importable from here too.

Examples
--------
>>> from datetime import datetime, timezone
>>> from recommender.store.event_store import Store
>>> from scrapers.event import Event
>>> store = Store("sqlite://")
>>> t = datetime(2026, 5, 2, 10, tzinfo=timezone.utc)
>>> _ = store.upsert([Event(title="Sunrise hike on the ravine trail", start=t, tags=["Walking"]),
...                   Event(title="Board game night: Catan and Carcassonne", start=t),
...                   Event(title="Speed networking mixer", start=t)], now=t)
>>> frame = events_frame(store)
>>> len(frame), str(frame["start"].dt.tz)
(3, 'UTC')
>>> rank_frame(store, "hiking")["title"].tolist()
['Sunrise hike on the ravine trail']
"""

from __future__ import annotations

import pandas as pd

from recommender.explore.ranking import (
    BREAKDOWN,
    ExploreError,
    Source,
    added_passion_diff,
    as_ranking,
    compare_passions,
    events_of,
    jaccard,
    passion_similarity,
    rank_frame,
    retrieved_ids,
    similar_pairs,
)
from recommender.ranking.signals import business_scores
from recommender.store.event_store import Store
from recommender.store.snapshot import load_snapshot
from scrapers.event import ATTENDANCE_MODES, STATUSES, Event

__all__ = [
    "BREAKDOWN",
    "ExploreError",
    "Source",
    "added_passion_diff",
    "as_ranking",
    "compare_passions",
    "events_frame",
    "events_of",
    "events_per_period",
    "jaccard",
    "main_tag",
    "passion_similarity",
    "rank_frame",
    "retrieved_ids",
    "similar_pairs",
    "snapshot_store",
    "tag_counts",
]


def snapshot_store() -> Store:
    """An in-memory store holding exactly the embedded Toronto snapshot (no network, no user data).

    >>> list(snapshot_store().sources())
    ['toronto-open-data']
    """
    store = Store("sqlite://")
    load_snapshot(store)
    return store


def _utc(values: list) -> pd.Series:
    return pd.to_datetime(pd.Series(values, dtype=object), utc=True)


def events_frame(source: Source) -> pd.DataFrame:
    """One row per event with typed columns.

    Parameters
    ----------
    source : a store, a list of events, or a fitted ``Ranking``

    Returns
    -------
    DataFrame
        ``id``, ``title``, ``start``/``end`` (tz-aware, UTC; ``end`` NaT when unknown), ``tz`` (the
        event's own zone, e.g. ``America/Toronto``), ``all_day``, ``tags`` (a list per row),
        ``lat``/``lon`` (float, NaN when unknown), ``venue``, ``city``, ``source``, ``group``,
        ``organizer``, ``is_free`` (nullable boolean), ``price``, ``status`` and ``mode``
        (categories), ``url`` and ``business`` (the 0–1 business-mixer score of
        :func:`recommender.ranking.signals.business_scores`).

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> ev = Event(title="Choir", start=datetime(2026, 5, 1, 18, tzinfo=timezone.utc), tags=["Music"])
    >>> row = events_frame([ev]).iloc[0]
    >>> row["tags"], row["mode"], bool(pd.isna(row["lat"])), str(row["start"])
    (['Music'], 'in_person', True, '2026-05-01 18:00:00+00:00')
    """
    events = events_of(source)
    text = "string"
    frame = pd.DataFrame(
        {
            "id": pd.Series([e.id for e in events], dtype=text),
            "title": pd.Series([e.title for e in events], dtype=text),
            "start": _utc([e.start for e in events]),
            "end": _utc([e.end for e in events]),
            "tz": pd.Series([_zone_name(e) for e in events], dtype=text),
            "all_day": pd.Series([e.all_day for e in events], dtype=bool),
            "tags": pd.Series([list(e.tags) for e in events], dtype=object),
            "lat": pd.Series([e.lat for e in events], dtype=float),
            "lon": pd.Series([e.lon for e in events], dtype=float),
            "venue": pd.Series([e.venue for e in events], dtype=text),
            "city": pd.Series([e.city for e in events], dtype=text),
            "source": pd.Series([e.source for e in events], dtype=text),
            "group": pd.Series([e.group for e in events], dtype=text),
            "organizer": pd.Series([e.organizer for e in events], dtype=text),
            "is_free": pd.Series([e.is_free for e in events], dtype="boolean"),
            "price": pd.Series([e.price for e in events], dtype=text),
            "status": pd.Categorical([e.status for e in events], categories=STATUSES),
            "mode": pd.Categorical([e.attendance for e in events], categories=ATTENDANCE_MODES),
            "url": pd.Series([e.url for e in events], dtype=text),
            "business": business_scores(events),
        }
    )
    return frame


def _zone_name(ev: Event) -> str:
    return getattr(ev.start.tzinfo, "key", None) or str(ev.start.tzinfo)


def events_per_period(frame: pd.DataFrame, freq: str = "MS", tz: str | None = None) -> pd.Series:
    """How many events start in each period (``freq``: ``"MS"`` months, ``"W-MON"`` weeks, …),
    counted in ``tz`` (default: the zone most events are in), empty periods included.

    >>> from datetime import datetime, timezone
    >>> t = lambda m: datetime(2026, m, 10, tzinfo=timezone.utc)
    >>> frame = events_frame([Event(title="a", start=t(1)), Event(title="b", start=t(3))])
    >>> counts = events_per_period(frame)
    >>> [str(p) for p in counts.index], counts.tolist()
    (['2026-01', '2026-02', '2026-03'], [1, 0, 1])
    """
    if frame.empty:
        return pd.Series(dtype=int)
    zone = tz or frame["tz"].mode().iloc[0]
    local = frame["start"].dt.tz_convert(zone)
    counts = local.groupby(local.dt.tz_localize(None).dt.to_period(_period(freq))).size()
    full = pd.period_range(counts.index.min(), counts.index.max(), freq=counts.index.freq)
    return counts.reindex(full, fill_value=0).rename("events")


def _period(freq: str) -> str:
    return {"MS": "M", "ME": "M"}.get(freq, freq)


def tag_counts(frame: pd.DataFrame, top: int | None = None) -> pd.Series:
    """How many events carry each tag, most common first (ties by name).

    >>> from datetime import datetime, timezone
    >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
    >>> evs = [Event(title="a", start=t, tags=["Music", "Dance"]), Event(title="b", start=t, tags=["Music"])]
    >>> tag_counts(events_frame(evs)).to_dict()
    {'Music': 2, 'Dance': 1}
    """
    tags = frame["tags"].explode().dropna()
    counts = tags.value_counts()
    counts = counts.rename_axis("tag").reset_index(name="events")
    counts = counts.sort_values(["events", "tag"], ascending=[False, True], kind="stable")
    series = counts.set_index("tag")["events"]
    return series if top is None else series.head(top)


def main_tag(frame: pd.DataFrame, top: int = 6, other: str = "other") -> pd.Series:
    """Each event's most common tag among the ``top`` tags of ``frame`` (``other`` if none).

    >>> from datetime import datetime, timezone
    >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
    >>> evs = [Event(title="a", start=t, tags=["Dance", "Music"]), Event(title="b", start=t, tags=["Music"]),
    ...        Event(title="c", start=t, tags=["Food"])]
    >>> main_tag(events_frame(evs), top=1).tolist()
    ['Music', 'Music', 'other']
    """
    order = {tag: i for i, tag in enumerate(tag_counts(frame, top).index)}
    best = [min((t for t in tags if t in order), key=order.get, default=other) for tags in frame["tags"]]
    return pd.Series(best, index=frame.index, name="main_tag", dtype="string")
