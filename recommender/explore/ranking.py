"""Rankings as DataFrames: one passion statement, several side by side, passion overlap, and what
adding a passion changes. Part of :mod:`recommender.explore.frames` (import from there).

Everything ranks through :class:`recommender.ranking.ranking.Ranking`, the same path as ``kindred query``.
Each function takes a :class:`~recommender.store.event_store.Store`, a list of events, or an already fitted
``Ranking`` (fit once with :func:`as_ranking`, then ask many questions of it).

Examples
--------
>>> from datetime import datetime, timezone
>>> t = datetime(2026, 5, 2, 10, tzinfo=timezone.utc)
>>> ranking = as_ranking([Event(title="Pottery wheel class", start=t), Event(title="Jazz jam", start=t)])
>>> rank_frame(ranking, "ceramics")[["rank", "title"]].values.tolist()
[[1, 'Pottery wheel class']]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from recommender.ranking.ranking import Ranking
from recommender.ranking.saved_index import ranking_of
from recommender.store.event_store import Store
from scrapers.errors import KindredError
from scrapers.event import Event

Source = Store | Sequence[Event] | Ranking
BREAKDOWN = ("text", "expansion", "format", "business", "ties")


class ExploreError(KindredError):
    """An exploration cannot be done on what was given (e.g. no events to rank)."""


def events_of(source: Source) -> list[Event]:
    """The events of a store, a list of events or a fitted ranking."""
    if isinstance(source, Ranking):
        return source.events
    return source.events() if isinstance(source, Store) else list(source)


def as_ranking(source: Source) -> Ranking:
    """A fitted :class:`~recommender.ranking.ranking.Ranking` over ``source`` (returned as is if it is one).

    Raises
    ------
    ExploreError
        When there are no events to rank.

    Examples
    --------
    >>> as_ranking([])
    Traceback (most recent call last):
    recommender.explore.ranking.ExploreError: there are no events to rank: import or refresh some first ...
    """
    if isinstance(source, Ranking):
        return source
    if isinstance(source, Store) and source.count():
        return ranking_of(source)  # a store ranks from its saved index, as `kindred query` does
    events = events_of(source)
    if not events:
        raise ExploreError(
            "there are no events to rank: import or refresh some first (kindred import FILE), "
            "or explore the embedded snapshot (explore.snapshot_store())"
        )
    return Ranking(events)


def rank_frame(source: Source, passions_text: str | Sequence[str], limit: int = 10) -> pd.DataFrame:
    """The top events for a passion statement, as Kindred ranks them.

    Parameters
    ----------
    source : store, events or fitted ranking
    passions_text : what a person loves, in their words ("board games and hiking"), or a list of such
    limit : how many events at most

    Returns
    -------
    DataFrame
        ``rank`` (1 = best), ``id``, ``title``, ``start`` (UTC), ``score``, ``passion`` (the passion
        the event serves), ``why`` (matched words, comma-separated) and the score parts ``text``,
        ``expansion``, ``business`` and ``ties``. Empty (with these columns) when nothing matches.

    Examples
    --------
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
    frame["start"] = pd.to_datetime(pd.Series(list(frame["start"]), dtype=object), utc=True)
    for col in ("score", *BREAKDOWN):
        frame[col] = frame[col].astype(float)
    return frame


def compare_passions(source: Source, statements: Sequence[str], limit: int = 5) -> pd.DataFrame:
    """The top events for each passion statement, side by side.

    Parameters
    ----------
    source : store, events or fitted ranking
    statements : passion statements, one list each
    limit : how many events per statement at most

    Returns
    -------
    DataFrame
        Indexed by rank (1 = best); columns are ``(statement, field)`` pairs with the fields
        ``title``, ``score`` and ``why``. A statement with fewer matches leaves its lower rows empty.

    Examples
    --------
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
    """The ids of the top ``k`` events Kindred retrieves for each passion on its own.

    >>> from datetime import datetime, timezone
    >>> jam = Event(title="Jazz jam", start=datetime(2026, 5, 2, tzinfo=timezone.utc))
    >>> retrieved_ids([jam], ["jazz", "knitting"]) == {"jazz": {jam.id}, "knitting": set()}
    True
    """
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
    """How alike passions are by the events they retrieve.

    Parameters
    ----------
    source : store, events or fitted ranking
    passions : single passions ("hiking", "live jazz"); one given twice gets one row
    k : how many of each passion's top events to compare

    Returns
    -------
    DataFrame
        Square, passions on both axes: the Jaccard overlap of each pair's top-``k`` events (1 = the
        same events, 0 = none in common, NaN = neither passion matched anything).

    Examples
    --------
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
    """What adding one passion to a statement does to its top list.

    Parameters
    ----------
    source : store, events or fitted ranking
    base_text : the passion statement before ("live jazz, hiking")
    extra_passion : the passion added to it ("pottery")
    limit : the length of both lists

    Returns
    -------
    DataFrame
        One row per event on either list: ``id``, ``title``, ``rank_before`` and ``rank_after`` (NaN
        when not on that list), ``change`` (``"entered"``, ``"left"`` or ``"stayed"``) and
        ``passion_after`` (the passion it serves on the new list). Rows follow the new list, then
        the events that left.

    Examples
    --------
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
