"""Choosing a subscriber's weekly digest: the few upcoming events most worth their time.

Events starting in the next :data:`HORIZON_DAYS` days that pass the subscriber's filters (distance,
attendance mode), were not sent to them before and were not dismissed, ranked against their
passions by :class:`recommender.ranking.ranking.Ranking`, then taken in turn from each passion; at most
:data:`MAX_PICKS`. Then, for each friend they listed, at most one event that friend would enjoy
("pass it on"), never one of the subscriber's own picks.

Examples
--------
>>> from datetime import UTC, datetime
>>> from types import SimpleNamespace
>>> from recommender.ranking.ranking import Ranking
>>> from scrapers.event import Event
>>> now = datetime(2026, 11, 23, tzinfo=UTC)
>>> events = [Event(title="Pottery wheel night", start=datetime(2026, 11, 25, 23, tzinfo=UTC)),
...           Event(title="Chess club open evening", start=datetime(2026, 11, 26, 23, tzinfo=UTC))]
>>> sub = SimpleNamespace(passions="pottery", near=None, within_km=None, mode="any",
...                       friends=[{"name": "Ana", "loves": "chess"}])
>>> choice = choose_digest(Ranking(events), sub, now=now)
>>> [p.event.title for p in choice.picks], [(f, p.event.title) for f, _, p in choice.pass_on]
(['Pottery wheel night'], [('Ana', 'Chess club open evening')])
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from recommender.people.subscriber_filter import subscriber_filter
from recommender.ranking.filters import EventFilter
from recommender.ranking.picks import why_line
from scrapers.event import Event
from scrapers.zones import get_zone

if TYPE_CHECKING:
    from recommender.ranking.feedback import Feedback
    from recommender.ranking.ranking import Ranking

HORIZON_DAYS = 14
MAX_PICKS = 6


@dataclass(frozen=True)
class DigestPick:
    """One event in a digest with the one line that says why it is there."""

    event: Event
    why: str
    passion: str = ""
    score: float = 0.0


@dataclass
class Choice:
    """What one subscriber gets: their picks, ``(friend, what they love, pick)`` to pass on, and
    their passions the events hold too little for, each with related hobbies that have events."""

    picks: list[DigestPick] = field(default_factory=list)
    pass_on: list[tuple[str, str, DigestPick]] = field(default_factory=list)
    thin: dict[str, list[str]] = field(default_factory=dict)  # passion -> related hobbies with events

    @property
    def event_ids(self) -> list[str]:
        return [p.event.id for p in self.picks] + [p.event.id for _, _, p in self.pass_on]


def iso_week(moment: datetime) -> str:
    """The ISO week ``YYYY-Www`` that ``moment`` falls in (in its own zone).

    >>> iso_week(datetime(2026, 11, 22, 12))
    '2026-W47'
    """
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def start_of_week(monday: date, zone: str) -> datetime:
    """Monday 00:00 of that week in ``zone``."""
    return datetime.combine(monday, time(0), get_zone(zone))


def choose_digest(
    ranking: Ranking | None,
    subscriber,
    *,
    now: datetime,
    exclude: Iterable[str] = (),
    limit: int = MAX_PICKS,
    feedback: Feedback | None = None,
) -> Choice:
    """Pick ``subscriber``'s events from ``ranking`` (``None``: no events at all).

    ``subscriber`` needs ``passions``, ``near``, ``within_km``, ``mode`` and ``friends``
    (a list of ``{"name", "loves"}``); ``exclude`` holds ids already sent or dismissed;
    ``feedback`` (their likes and dismissals) moves their passions toward what they liked.
    """
    if ranking is None or not ranking.events:
        return Choice()
    end = now + timedelta(days=HORIZON_DAYS)
    flt = subscriber_filter(subscriber, start=now, end=end, exclude=exclude)
    mask = ranking.mask(flt)
    # the ranking gives every passion a place near the top, so the first picks are spread over them;
    # quality over quantity: nothing tied to a hobby by an ambiguous word alone ("games", "walk")
    ranked = ranking.rank(subscriber.passions, limit=3 * limit, mask=mask, feedback=feedback, cover=limit)
    picks = [_pick(p) for p in ranked if p.score > 0 and p.sure][:limit]
    taken = {p.event.id for p in picks}
    pass_on = []
    for friend in subscriber.friends or []:
        friend_mask = mask & ranking.mask(EventFilter(exclude_ids=frozenset(taken), include_cancelled=True))
        found = [
            p for p in ranking.rank(friend["loves"], limit=3, mask=friend_mask) if p.score > 0 and p.sure
        ]
        if found:
            gift = _pick(found[0])
            taken.add(gift.event.id)
            pass_on.append((friend["name"], friend["loves"], gift))
    thin = {passion: related for passion, related in getattr(ranked, "thin", {}).items()}
    return Choice(picks, pass_on, thin) if picks else Choice()


def picks_calendar(picks: Iterable[DigestPick], *, now: datetime) -> bytes:
    """An iCalendar file of the picks, for the email's attachment (see :mod:`recommender.calendars.ics`;
    written directly by :func:`~recommender.calendars.ics.calendar_bytes`)."""
    from recommender.calendars.ics import calendar_bytes

    entries = [(p.event, p.why) for p in picks]
    return calendar_bytes(entries, stamp=now, name="Kindred: this week's picks")


def _pick(p) -> DigestPick:
    return DigestPick(p.event, why_line(p.passion, p.why), p.passion, float(p.score))
