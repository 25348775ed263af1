"""The ranking for these events: one fitted ranker over a fixed list of events, and the filter mask.

Every caller ranks through :class:`Ranking`: ``kindred query``, ``export-ics``, the digest and the
calendar feed take it from the store's saved index (:func:`~recommender.ranking.saved_index.ranking_of`);
``kindred eval`` and the notebook fit one on the events they hold.

Examples
--------
>>> from datetime import datetime, timezone
>>> from recommender.ranking.filters import EventFilter
>>> from scrapers.event import Event
>>> t = datetime(2026, 5, 1, 18, tzinfo=timezone.utc)
>>> ranking = Ranking([Event(title="Chess club", start=t, id="a"),
...                    Event(title="Online chess puzzles", start=t, id="b", attendance="online")])
>>> mask = ranking.mask(EventFilter(mode="in-person"))
>>> mask.tolist(), [p.event.id for p in ranking.rank("chess", mask=mask)]
([True, False], ['a'])
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

import numpy as np

from recommender.passions.audience import Constraints, fits, read_audience, read_constraints
from recommender.passions.expansion import Expansion
from recommender.passions.statement import split_statement
from recommender.ranking.event_columns import EventColumns, micros
from recommender.ranking.feedback import Feedback
from recommender.ranking.filters import EventFilter
from recommender.ranking.index_arrays import prefetch
from recommender.ranking.picks import Pick, Picks, Scores, drop_padding
from recommender.ranking.ranker import COVER, PassionRanker
from scrapers.event import Event


class Ranking:
    """Kindred's ranking over a fixed list of events.

    ``Ranking(events)`` fits a ranker now; the saved index passes a ``ranker`` already fitted on
    ``events`` and the filter ``columns`` and ``ids`` it saved with it.
    """

    def __init__(
        self,
        events: Sequence[Event],
        *,
        ranker: PassionRanker | None = None,
        columns: EventColumns | None = None,
        ids: Sequence[str] | None = None,
    ):
        self.events = list(events) if ranker is None else events
        self.ranker = PassionRanker().fit(self.events) if ranker is None else ranker
        self._columns = columns
        self._ids = ids
        self._by_start: tuple[np.ndarray, np.ndarray] | None = None  # event order by start, starts
        self._last_scores: tuple[tuple, Scores] | None = None  # (passions, feedback) -> their scores

    @property
    def columns(self) -> EventColumns:
        """The events' filter fields as arrays (built on first use when not loaded with the index)."""
        if self._columns is None:
            self._columns = EventColumns.from_events(self.events)
        return self._columns

    @property
    def ids(self) -> Sequence[str]:
        """The events' ids, in ranking order."""
        if self._ids is None:
            self._ids = [e.id for e in self.events]
        return self._ids

    def mask(self, flt: EventFilter) -> np.ndarray:
        """``[flt(e) for e in self.events]``, from the columns when they cover ``flt``'s fields."""
        if EventColumns.understands(flt):
            keep = self.columns.mask(replace(flt, exclude_ids=frozenset()))
            keep[self.rows_of(flt.exclude_ids)] = False
            return keep
        return np.fromiter((flt(e) for e in self.events), dtype=bool, count=len(self.events))

    def window(self, start: datetime, end: datetime) -> tuple[tuple[int, int], np.ndarray]:
        """The events starting in ``[start, end)``: their bounds in start order, then their mask.

        Two windows with the same bounds hold the same events, so the bounds name the window's
        events in a cache key (a window sliding by a minute usually keeps them)."""
        if self._by_start is None:
            order = np.argsort(self.columns.start_us, kind="stable")
            self._by_start = order, self.columns.start_us[order]
        order, starts = self._by_start
        lo, hi = (int(np.searchsorted(starts, micros(t), side="left")) for t in (start, end))
        mask = np.zeros(len(starts), bool)
        mask[order[lo : max(lo, hi)]] = True
        return (lo, hi), mask

    def rows_of(self, event_ids: Iterable[str]) -> list[int]:
        """The positions of the ranked events among ``event_ids`` (ids not ranked are left out)."""
        return self.ranker._rows_of(event_ids)

    def rank(
        self,
        passions_text: str | Sequence[str],
        *,
        limit: int = 10,
        mask: np.ndarray | None = None,
        feedback: Feedback | None = None,
        cover: int = COVER,
    ) -> Picks:
        """The best ``limit`` events for ``passions_text`` (see :meth:`PassionRanker.rank`); a named
        passion the events hold too little for gets no unsure padding, and is in ``.thin`` with
        related hobbies that do have events."""
        passions, avoid = split_statement(passions_text)
        scores = self._scores(passions_text, passions, avoid, feedback)
        constraints = read_constraints(
            passions_text if isinstance(passions_text, str) else "\n".join(passions_text)
        )
        if constraints:
            mask = self._suiting(constraints, scores, mask)
        picks = self.ranker.rank(passions, limit=limit, mask=mask, cover=cover, scores=scores)
        named = [e.passion for e in scores.expansions if e.hobbies]
        picks, thin = drop_padding(picks, named)
        self.explain(picks, scores)
        return Picks(picks, {passion: self.related_with_events(passion, mask) for passion in thin})

    def _scores(self, passions_text, passions: list[str], avoid: list[str], feedback: Feedback | None):
        """The passions' scores over every event; the last ones are kept, since a query asks again
        under other filters (later dates, past ones) and the scores do not depend on the filter."""
        key = (passions_text if isinstance(passions_text, str) else tuple(passions_text), feedback)
        last = self._last_scores  # read once: threads of `kindred serve` share a ranking
        if last is not None and last[0] == key:
            return last[1]
        plan = self.ranker.plan(passions)
        text = self.text_scores(plan[0])
        admit = self.admitted(text, plan[0]) if text is not None else None
        scores = self.ranker.score(passions, feedback, avoid, plan=plan, text=text, admit=admit)
        self._last_scores = key, scores
        return scores

    def _suiting(self, constraints: Constraints, scores: Scores, mask: np.ndarray | None) -> np.ndarray:
        """``mask`` narrowed to the matching events whose audience and day suit ``constraints``
        (see :mod:`recommender.passions.audience`); only matching events are read."""
        events = self.ranker.events_
        allowed = np.ones(len(events), bool) if mask is None else np.array(mask, bool)
        audiences = self.__dict__.setdefault("_audiences", {})
        matching = np.flatnonzero(allowed & (scores.final > 0).any(axis=0))
        prefetch(events, [i for i in matching if i not in audiences])
        for i in matching:
            if i not in audiences:
                ev = events[i]
                audiences[i] = read_audience(ev.title, " ".join([ev.description, *ev.tags]))
            allowed[i] = fits(audiences[i], constraints, events[i].start)
        return allowed

    def related_with_events(self, passion: str, mask: np.ndarray | None = None, n: int = 4) -> list[str]:
        """Up to ``n`` hobbies related to ``passion`` (:meth:`Expander.suggest`) that some event
        (where ``mask`` is true) holds evidence of, so a suggestion never leads to nothing."""
        expander = self.ranker.expander_
        found = []
        for hobby in expander.suggest(passion, n=12):
            exp = expander.expand(hobby)
            has = self.ranker._has_any(exp.core - exp.loose)
            if (has if mask is None else has & mask).any():
                found.append(hobby)
            if len(found) == n:
                break
        return found

    def text_scores(self, expansions: list[Expansion]) -> np.ndarray | None:
        """Text scores of the passions (rows) over the events, or None for the ranker's own
        lexical ones; :class:`~recommender.ranking.semantic.SemanticRanking` fuses in meaning here."""
        return None

    def admitted(self, text: np.ndarray, expansions: list[Expansion]) -> np.ndarray | None:
        """Events (passions × events) that pass the hobby gate without the hobby's words, or None
        (here: none; :class:`~recommender.ranking.semantic.SemanticRanking` admits its proposals)."""
        return None

    def explain(self, picks: list[Pick], scores: Scores) -> None:
        """Add to the picks' score breakdowns what :meth:`text_scores` put in (nothing here)."""
