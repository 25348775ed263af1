"""What a fit keeps of each event besides its text, gathered in one pass while the texts stream by.

:class:`PassionRanker.fit <recommender.ranking.ranker.PassionRanker.fit>` reads each event once:
:meth:`EventFeatures.texts` yields the text ``TfidfVectorizer`` sees and, as it goes, keeps the
event's id, business and ties scores, its *series* (one number per distinct title-and-venue, the
ranking's "same thing on another day") and its filter columns. Nothing else of the event is kept,
so a fit over the store streams rows instead of holding every :class:`~scrapers.event.Event`.

>>> from datetime import datetime, timezone
>>> from scrapers.event import Event
>>> t = datetime(2026, 5, 1, 18, tzinfo=timezone.utc)
>>> events = [Event(title="Chess club", start=t, venue="Library", id="a"),
...           Event(title="Chess Club!", start=t, venue="library", id="b"),
...           Event(title="Speed networking", start=t, id="c")]
>>> features = EventFeatures()
>>> [text.splitlines()[0] for text in features.texts(events)]
['Chess club', 'Chess Club!', 'Speed networking']
>>> features.ids, features.series.tolist(), features.business.tolist()
(['a', 'b', 'c'], [0, 0, 1], [0.0, 0.0, 1.0])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import numpy as np

from recommender.ranking.event_columns import EventColumns
from recommender.ranking.series import series_key
from recommender.ranking.signals import business_score, group_key, ties_score, with_group_share
from scrapers.event import Event

# a sentence that forbids something names what the event is not: "Bicycles are not permitted."
_PROHIBITION = re.compile(
    r"\b(?:(?:are|is)\s+not\s+(?:permitted|allowed)|not\s+(?:permitted|allowed)|prohibited|forbidden|"
    r"(?:are|is)\s+banned|no\s+[\w-]+(?:\s+[\w-]+)?\s+(?:allowed|permitted))\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")


def without_prohibitions(text: str) -> str:
    """``text`` without its sentences that forbid something.

    >>> without_prohibitions("A ravine walk. Bicycles are not permitted on the trail. Dogs welcome!")
    'A ravine walk. Dogs welcome!'
    """
    if not _PROHIBITION.search(text):  # most descriptions: nothing to do
        return text
    return " ".join(part for part in _SENTENCE.split(text) if not _PROHIBITION.search(part))


def event_text(ev: Event) -> str:
    """The text a ranker sees: title, tags, group (twice: a group's name says what it is about,
    often better than one event's title), venue ("… Museum", "… Dance Studio"), organiser and
    description (without sentences that forbid something: "bicycles are not permitted" is no
    cycling)."""
    group = ev.group or ""
    parts = [
        ev.title, " ".join(ev.tags), group, group, ev.venue or "", ev.organizer or "",
        without_prohibitions(ev.description),
    ]  # fmt: skip
    return "\n".join(p for p in parts if p)


class EventFeatures:
    """Per-event fit features, filled by iterating :meth:`texts` (see the module docstring)."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self._business: list[float] = []
        self._groups: list[str | None] = []
        self._ties: list[float] = []
        self._series: list[int] = []
        self._series_of: dict[tuple[str, str], int] = {}
        self._raw_series: dict[tuple[str, str], int] = {}
        self._events_for_columns: list[Event] = []
        self._columns: list[EventColumns] = []

    def texts(self, events: Iterable[Event], *, chunk: int = 2_000) -> Iterator[str]:
        """Each event's :func:`event_text`, keeping its other features on the way."""
        for ev in events:
            self.ids.append(ev.id)
            self._business.append(business_score(ev))
            self._groups.append(group_key(ev))
            self._ties.append(ties_score(ev))
            self._series.append(self._series_number(ev))
            self._events_for_columns.append(ev)
            if len(self._events_for_columns) >= chunk:
                self._flush()
            yield event_text(ev)
        self._flush()

    def _series_number(self, ev: Event) -> int:
        # titles and venues repeat (a weekly series, a busy venue): fold each distinct one once
        raw = (ev.title, ev.venue or "")
        number = self._raw_series.get(raw)
        if number is None:
            number = self._raw_series[raw] = self._series_of.setdefault(series_key(ev), len(self._series_of))
        return number

    def _flush(self) -> None:
        if self._events_for_columns:
            self._columns.append(EventColumns.from_events(self._events_for_columns))
            self._events_for_columns = []

    @property
    def business(self) -> np.ndarray:
        """Business scores, each at least its share of its group's (see ``signals.business_scores``)."""
        return with_group_share(np.array(self._business, dtype=float), self._groups)

    @property
    def ties(self) -> np.ndarray:
        return np.array(self._ties, dtype=float)

    @property
    def series(self) -> np.ndarray:
        return np.array(self._series, dtype=np.int64)

    @property
    def columns(self) -> EventColumns:
        self._flush()
        return EventColumns.concat(self._columns)
