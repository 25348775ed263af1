"""DataFrames for exploring the store and the ranking in a notebook (pandas; no plotting here).

Everything ranks through :class:`recommender.query.Ranking`, the same path as ``kindred query``.
Functions that rank take a :class:`~recommender.store.Store`, a list of events, or an already
fitted ``Ranking`` (fit once, then ask many questions of it).

Examples
--------
>>> from datetime import datetime, timezone
>>> from recommender.store import Store
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

from collections.abc import Sequence

import numpy as np
import pandas as pd

from scrapers.errors import KindredError
from scrapers.event import ATTENDANCE_MODES, STATUSES, Event

from .embedded import load_snapshot
from .query import Ranking
from .signals import business_scores
from .store import Store

Source = Store | Sequence[Event] | Ranking
BREAKDOWN = ("text", "expansion", "business", "ties")


class ExploreError(KindredError):
    """An exploration cannot be done on what was given (e.g. no events to rank)."""


def snapshot_store() -> Store:
    """An in-memory store holding exactly the embedded Toronto snapshot (no network, no user data).

    >>> list(snapshot_store().sources())
    ['toronto-open-data']
    """
    store = Store("sqlite://")
    load_snapshot(store)
    return store


def as_ranking(source: Source) -> Ranking:
    """A fitted :class:`~recommender.query.Ranking` over ``source`` (returned as is if it is one).

    >>> as_ranking([])
    Traceback (most recent call last):
    recommender.explore.ExploreError: there are no events to rank: import or refresh some first ...
    """
    if isinstance(source, Ranking):
        return source
    events = _events(source)
    if not events:
        raise ExploreError(
            "there are no events to rank: import or refresh some first (kindred import FILE), "
            "or use the embedded default store (open_store(None))"
        )
    return Ranking(events)


def _events(source: Source) -> list[Event]:
    if isinstance(source, Ranking):
        return source.events
    return source.events() if isinstance(source, Store) else list(source)


def _utc(values: list) -> pd.Series:
    return pd.to_datetime(pd.Series(values, dtype=object), utc=True)


def events_frame(source: Store | Sequence[Event]) -> pd.DataFrame:
    """One row per event with typed columns.

    Columns: ``id``, ``title``, ``start``/``end`` (tz-aware, UTC), ``tz`` (the event's own zone,
    e.g. ``America/Toronto``), ``all_day``, ``tags`` (a list per row), ``lat``/``lon`` (float, NaN
    when unknown), ``venue``, ``city``, ``source``, ``group``, ``organizer``, ``is_free`` (nullable
    boolean), ``price``, ``status`` and ``mode`` (categories), ``url`` and ``business`` (the 0–1
    business-mixer score of :func:`recommender.signals.business_scores`).

    >>> from datetime import datetime, timezone
    >>> ev = Event(title="Choir", start=datetime(2026, 5, 1, 18, tzinfo=timezone.utc), tags=["Music"])
    >>> row = events_frame([ev]).iloc[0]
    >>> row["tags"], row["mode"], bool(pd.isna(row["lat"])), str(row["start"])
    (['Music'], 'in_person', True, '2026-05-01 18:00:00+00:00')
    """
    events = _events(source)
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


def rank_frame(source: Source, passions_text: str | Sequence[str], limit: int = 10) -> pd.DataFrame:
    """The top ``limit`` events for a passion statement, as Kindred ranks them.

    Columns: ``rank`` (1 = best), ``id``, ``title``, ``start`` (UTC), ``score``, ``passion`` (which
    passion the event serves), ``why`` (the matched words, comma-separated) and one column per
    score part (``text``, ``expansion``, ``business``, ``ties``).

    >>> from datetime import datetime, timezone
    >>> t = datetime(2026, 5, 2, 10, tzinfo=timezone.utc)
    >>> frame = rank_frame([Event(title="Salsa dancing lessons", start=t)], "salsa")
    >>> first = frame.iloc[0]
    >>> int(first["rank"]), first["title"], first["passion"], bool(first["score"] > 0)
    (1, 'Salsa dancing lessons', 'salsa', True)
    """
    picks = as_ranking(source).rank(passions_text, limit=limit)
    rows = [
        {
            "rank": i,
            "id": p.event.id,
            "title": p.event.title,
            "start": p.event.start,
            "score": p.score,
            "passion": p.passion,
            "why": ", ".join(p.why),
            **{part: p.breakdown.get(part, 0.0) for part in BREAKDOWN},
        }
        for i, p in enumerate(picks, start=1)
    ]
    columns = ["rank", "id", "title", "start", "score", "passion", "why", *BREAKDOWN]
    frame = pd.DataFrame(rows, columns=columns)
    frame["rank"] = frame["rank"].astype(int)
    frame["start"] = _utc(list(frame["start"]))
    for col in ("score", *BREAKDOWN):
        frame[col] = frame[col].astype(float)
    return frame


def compare_passions(source: Source, statements: Sequence[str], limit: int = 5) -> pd.DataFrame:
    """Top ``limit`` events for each passion statement, side by side.

    The index is the rank (1 = best); the columns are ``(statement, field)`` pairs with the fields
    ``title``, ``score`` and ``why``. A statement with fewer matches leaves its lower rows empty.

    >>> from datetime import datetime, timezone
    >>> t = datetime(2026, 5, 2, 10, tzinfo=timezone.utc)
    >>> evs = [Event(title="Pottery wheel class", start=t), Event(title="Jazz jam session", start=t)]
    >>> side = compare_passions(evs, ["pottery", "jazz"], limit=3)
    >>> side[("pottery", "title")].tolist(), side[("jazz", "title")].tolist()
    (['Pottery wheel class'], ['Jazz jam session'])
    """
    ranking = as_ranking(source)
    parts = {
        s: rank_frame(ranking, s, limit).set_index("rank")[["title", "score", "why"]] for s in statements
    }
    side = pd.concat(parts, axis=1, names=["statement", "field"])
    return side.reindex(pd.RangeIndex(1, len(side) + 1, name="rank"))


def retrieved_ids(source: Source, passions: Sequence[str], k: int = 50) -> dict[str, set[str]]:
    """The ids of the top ``k`` events Kindred retrieves for each passion on its own."""
    ranking = as_ranking(source)
    return {p: {pick.event.id for pick in ranking.rank(p, limit=k)} for p in passions}


def jaccard(a: set, b: set) -> float:
    """``|a ∩ b| / |a ∪ b|``; NaN when both are empty (nothing to compare).

    >>> jaccard({1, 2, 3}, {2, 3, 4}), jaccard({1}, {2}), jaccard(set(), set())
    (0.5, 0.0, nan)
    """
    union = a | b
    return len(a & b) / len(union) if union else float("nan")


def passion_similarity(source: Source, passions: Sequence[str], k: int = 50) -> pd.DataFrame:
    """How alike passions are by the events they retrieve: the Jaccard overlap of each pair's
    top-``k`` events, as a square frame (1 = the same events, 0 = none in common, NaN = neither
    passion matched anything). A passion given twice gets one row.

    >>> from datetime import datetime, timezone
    >>> t = datetime(2026, 5, 2, 10, tzinfo=timezone.utc)
    >>> evs = [Event(title="Pottery wheel class", start=t), Event(title="Jazz jam session", start=t)]
    >>> passion_similarity(evs, ["pottery", "ceramics", "jazz"]).round(2).values.tolist()
    [[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    ids = retrieved_ids(source, passions, k)
    names = list(ids)
    values = np.array([[jaccard(ids[a], ids[b]) for b in names] for a in names], dtype=float)
    return pd.DataFrame(
        values, index=pd.Index(names, name="passion"), columns=pd.Index(names, name="passion")
    )


def similar_pairs(similarity: pd.DataFrame) -> pd.DataFrame:
    """Each pair of different passions once (``first``, ``second``, ``overlap``), most alike first.

    >>> sim = pd.DataFrame([[1.0, 0.2, 0.0], [0.2, 1.0, 0.5], [0.0, 0.5, 1.0]], index=list("abc"),
    ...                    columns=list("abc"))
    >>> similar_pairs(sim).values.tolist()
    [['b', 'c', 0.5], ['a', 'b', 0.2], ['a', 'c', 0.0]]
    """
    names = list(similarity.index)
    rows = [
        (a, b, float(similarity.iat[i, j])) for i, a in enumerate(names) for j, b in enumerate(names) if j > i
    ]
    pairs = pd.DataFrame(rows, columns=["first", "second", "overlap"])
    return pairs.sort_values("overlap", ascending=False, kind="stable").reset_index(drop=True)


def added_passion_diff(source: Source, base_text: str, extra_passion: str, limit: int = 10) -> pd.DataFrame:
    """What adding ``extra_passion`` to ``base_text`` does to the top ``limit`` list.

    One row per event in either list: ``title``, ``rank_before`` and ``rank_after`` (NaN when not
    in that list), ``change`` (``"entered"``, ``"left"`` or ``"stayed"``) and ``passion_after``
    (the passion the event serves in the new list). Rows follow the new list, then those that left.

    >>> from datetime import datetime, timezone
    >>> t = datetime(2026, 5, 2, 10, tzinfo=timezone.utc)
    >>> evs = [Event(title=name, start=t) for name in ("Jazz night", "Jazz jam", "Chess club")]
    >>> diff = added_passion_diff(evs, "jazz", "chess", limit=2)
    >>> diff[["title", "change"]].values.tolist()
    [['Chess club', 'entered'], ['Jazz jam', 'stayed'], ['Jazz night', 'left']]
    """
    ranking = as_ranking(source)
    before = rank_frame(ranking, base_text, limit)
    after = rank_frame(ranking, [base_text, extra_passion], limit)
    merged = after[["id", "title", "rank", "passion"]].merge(
        before[["id", "title", "rank"]], on=["id", "title"], how="outer", suffixes=("_after", "_before")
    )
    merged = merged.rename(columns={"passion": "passion_after"})
    merged["change"] = np.select(
        [merged["rank_before"].isna(), merged["rank_after"].isna()], ["entered", "left"], "stayed"
    )
    merged = merged.sort_values(["rank_after", "rank_before"], na_position="last", kind="stable")
    columns = ["id", "title", "rank_before", "rank_after", "change", "passion_after"]
    return merged[columns].reset_index(drop=True)
