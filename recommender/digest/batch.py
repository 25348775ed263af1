"""Choosing many subscribers' digests against one read-only ranking, with the one-at-a-time answer.

:class:`Chooser` gives each person exactly what :func:`~recommender.digest.choice.choose_digest`
would give them over the whole ranking — their passions and what they do not want, likes,
dismissals and events already sent, distance and mode, the "sure" rule and the friends to pass
something on to — but ranks each against the ranking of their digest's window only (see
:mod:`recommender.ranking.window`), built once per window and shared by everyone whose week
starts at the same moment. Its filters run over the window's columns (``Ranking.mask``).

It reads nothing but the ranking and writes nothing: :func:`choose_many` is "the picks of these
people against this ranking", the piece a run can hand to workers (one partition of subscribers
each, e.g. with Dask) while sending and recording stay with the run
(:func:`recommender.digest.run.run_digest`).

Examples
--------
>>> from datetime import UTC, datetime, timedelta
>>> from types import SimpleNamespace
>>> from recommender.ranking.ranking import Ranking
>>> from scrapers.event import Event
>>> monday = datetime(2026, 11, 23, tzinfo=UTC)
>>> ranking = Ranking([Event(title=f"Choir rehearsal {d}", start=monday + timedelta(days=d),
...                          venue=f"Hall {d}") for d in range(0, 40, 3)])
>>> singers = [SimpleNamespace(passions="choir singing", near=None, within_km=None, mode="any", friends=[])
...            for _ in range(3)]
>>> people = [Person(s, monday + timedelta(weeks=k)) for k, s in enumerate(singers)]
>>> [c.picks[0].event.title for c in choose_many(ranking, people)]
['Choir rehearsal 0', 'Choir rehearsal 9', 'Choir rehearsal 15']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from recommender.digest.choice import HORIZON_DAYS, Choice, choose_digest
from scrapers.errors import KindredError

if TYPE_CHECKING:
    from recommender.ranking.feedback import Feedback
    from recommender.ranking.ranking import Ranking


@dataclass(frozen=True)
class Person:
    """One subscriber's digest question: who (``passions``, ``near``, ``within_km``, ``mode``,
    ``friends``), as of when, which events to leave out (sent, dismissed) and their feedback."""

    subscriber: Any
    moment: datetime
    exclude: frozenset[str] = frozenset()
    feedback: Feedback | None = None


class Chooser:
    """``choose_digest`` for many people over one ranking, each against their window's ranking."""

    def __init__(self, ranking: Ranking | None):
        self.ranking = ranking

    def choose(self, person: Person) -> Choice:
        """What :func:`choose_digest` over the whole ranking gives ``person``."""
        part = self._window(person.moment)
        return choose_digest(
            part, person.subscriber, now=person.moment, exclude=person.exclude, feedback=person.feedback
        )

    def choose_all(self, people: Sequence[Person]) -> list[Choice | KindredError]:
        """:meth:`choose` for each person; a person whose choice fails gets the error instead."""
        out: list[Choice | KindredError] = []
        for person in people:
            try:
                out.append(self.choose(person))
            except KindredError as exc:
                out.append(exc)
        return out

    def _window(self, moment: datetime) -> Ranking | None:
        from recommender.ranking.window import window_ranking

        ranking = self.ranking
        if ranking is None or not len(ranking.ids):
            return ranking
        return window_ranking(ranking, moment, moment + timedelta(days=HORIZON_DAYS))[0]


def choose_many(ranking: Ranking | None, people: Sequence[Person]) -> list[Choice]:
    """Each person's :class:`Choice`, as :func:`choose_digest` gives it (see the module docstring)."""
    chooser = Chooser(ranking)
    return [chooser.choose(p) for p in people]
