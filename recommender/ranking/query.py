"""Answering "what's on for my passions?": window, filters and ranking over the store.

The default window is the next 30 days. When nothing there matches, the query looks further: first
at later events, then at past ones, and says so ("Showing past events because …"); each pick that
has already ended is marked past. A window (or distance, mode, ``--free``) that matches nothing gets
a note saying which of them left the matches out and what to try.

Examples
--------
>>> from datetime import datetime, timezone
>>> from recommender.store.event_store import Store
>>> from scrapers.event import Event
>>> store = Store("sqlite://")
>>> now = datetime(2026, 5, 1, tzinfo=timezone.utc)
>>> _ = store.upsert([Event(title="Trail running club", start=datetime(2026, 5, 3, 9, tzinfo=timezone.utc))],
...                  now=now)
>>> result = find(store, "trail running", QueryOptions(), now=now)
>>> [p.event.title for p in result.picks], result.window
(['Trail running club'], '2026-05-01 – 2026-05-30')
>>> later = find(store, "trail running", QueryOptions(), now=datetime(2026, 6, 1, tzinfo=timezone.utc))
>>> later.window, later.notes[0][:60]
('any date', 'Showing past events because nothing upcoming matches trail r')
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

import numpy as np

from recommender.core.places import Place, haversine_km
from recommender.core.wording import plural
from recommender.passions.statement import split_statement
from recommender.ranking.feedback import Feedback
from recommender.ranking.filters import MODES, EventFilter, event_point, has_ended
from recommender.ranking.picks import Pick
from recommender.ranking.saved_index import Loaded, load_or_fit
from recommender.store.snapshot import only_snapshot
from scrapers.errors import KindredError
from scrapers.event import Event
from scrapers.zones import get_zone

if TYPE_CHECKING:
    from recommender.store.event_store import Store

DEFAULT_DAYS = 30
COUNT_UP_TO = 100  # "N matching events …" counts stop here ("100+")


class QueryError(KindredError):
    """The query's options do not make sense together."""


@dataclass
class QueryOptions:
    date_from: date | None = None
    date_to: date | None = None
    any_date: bool = False
    near: tuple[float, float] | None = None
    within_km: float | None = None
    mode: str = "any"
    free_only: bool = False
    limit: int = 10
    timezone: str = "UTC"
    include_cancelled: bool = False  # ``export-ics`` keeps matching cancelled events, marked cancelled
    place: Place | None = None  # what ``near`` was written as, for messages

    @property
    def default_window(self) -> bool:
        """True when no dates were asked for: the query may look beyond the next 30 days."""
        return not (self.any_date or self.date_from or self.date_to)

    @property
    def where(self) -> str:
        """``"within 10 km of Toronto, ON, Canada"``, or "" when there is no distance filter."""
        if self.near is None:
            return ""
        label = self.place.label if self.place else f"{self.near[0]:g},{self.near[1]:g}"
        return f"within {self.within_km:g} km of {label}"


@dataclass
class QueryResult:
    passions: list[str]
    picks: list[Pick]
    window: str
    notes: list[str] = field(default_factory=list)
    avoid: list[str] = field(default_factory=list)  # what the person said they do not want
    now: datetime | None = None  # what "past" was measured against

    def is_past(self, pick: Pick) -> bool:
        return self.now is not None and has_ended(pick.event, self.now)


def build_filter(options: QueryOptions, *, now: datetime) -> tuple[EventFilter, str]:
    """The event filter for ``options`` and a human description of its date window."""
    if options.mode not in MODES:
        raise QueryError(f"unknown mode {options.mode!r}; use one of {', '.join(MODES)}")
    if options.limit < 1:
        raise QueryError("--limit must be at least 1")
    if (options.near is None) != (options.within_km is None):
        raise QueryError('--near and --within go together, e.g. --near "Toronto" --within 10')
    zone = get_zone(options.timezone)
    local_today = now.astimezone(zone).date()
    start_day = options.date_from
    end_day = options.date_to
    if start_day and end_day and end_day < start_day:
        raise QueryError(f"--to {end_day} is before --from {start_day}")
    if options.any_date:
        start = end = None
        window = "any date"
    else:
        start_day = start_day or local_today
        end_day = end_day or start_day + timedelta(days=DEFAULT_DAYS - 1)
        start = datetime.combine(start_day, time(0), zone)
        end = datetime.combine(end_day + timedelta(days=1), time(0), zone)
        window = f"{start_day.isoformat()} – {end_day.isoformat()}"
        if start_day == local_today and options.date_from is None:
            start = now
    flt = EventFilter(
        start=start,
        end=end,
        near=options.near,
        within_km=options.within_km,
        mode=options.mode,
        free_only=options.free_only,
        include_cancelled=options.include_cancelled,
    )
    return flt, window


def thin_note(passion: str, related: list[str]) -> str:
    """What to say when the events hold too little for a passion (see :class:`Picks`).

    >>> thin_note("chess", ["go"])
    'Few events here are surely about chess, so fewer are shown. Related hobbies that have events: go.'
    """
    hint = f" Related hobbies that have events: {', '.join(related)}." if related else ""
    return f"Few events here are surely about {passion}, so fewer are shown.{hint}"


def find(
    store: Store,
    passions_text: str | list[str],
    options: QueryOptions,
    *,
    now: datetime,
    feedback: Feedback | None = None,
    semantic: bool = False,
) -> QueryResult:
    """Rank stored events for the passions in ``passions_text`` under ``options`` (and the
    person's likes and dismissals in ``feedback``); ``semantic`` fuses in sentence embeddings
    (see :mod:`recommender.ranking.semantic`; raises ``SemanticUnavailable`` when that extra is missing)."""
    passions, avoid = split_statement(passions_text)
    flt, window = build_filter(options, now=now)
    embedder = None
    if semantic:  # before the store is read: a missing extra is said at once
        from recommender.ranking.semantic import Embedder

        embedder = Embedder.load()
    if not store.count():
        return QueryResult(
            passions, [], window, ["The store is empty: import or refresh some events first."], avoid, now
        )
    loaded = load_or_fit(store)
    ranking = loaded.ranking
    if embedder is not None:
        from recommender.ranking.semantic import semantic_ranking

        ranking = semantic_ranking(loaded, embedder=embedder)

    def rank(f: EventFilter, limit: int = options.limit) -> list[Pick]:
        return ranking.rank(passions_text, limit=limit, mask=loaded.ranking.mask(f), feedback=feedback)

    notes = []
    if options.place is not None and options.place.others:
        notes.append(
            f"{options.place.label} is the biggest of {options.place.others + 1} places of that name; "
            "add the region or country for another (or pass LAT,LON)."
        )
    picks = rank(flt)
    if not picks and options.default_window:
        picks, window = _look_further(rank, flt, window, passions, store, loaded, notes)
    if options.near is not None:
        notes += _unplaced_note(loaded, flt, window)
    if not picks:
        notes.append(_why_nothing(loaded, rank, flt, options, passions, window))
    else:
        notes += [thin_note(passion, ideas) for passion, ideas in getattr(picks, "thin", {}).items()]
    return QueryResult(passions, picks, window, notes, avoid, now)


def _look_further(
    rank, flt: EventFilter, window: str, passions, store, loaded: Loaded, notes
) -> tuple[list[Pick], str]:
    """Nothing in the next 30 days: later events, else past ones (and a note saying which)."""
    what = ", ".join(passions)
    later = rank(replace(flt, end=None))
    if later:
        notes.append(f"Nothing matches {what} in the next {DEFAULT_DAYS} days; these are later.")
        return later, f"from {window.split(' – ')[0]}"
    past = rank(replace(flt, start=None, end=None))
    if past:
        why = f"nothing upcoming matches {what}"
        if only_snapshot(store):
            last = _last_event(loaded).start
            why += (
                f" (only the Toronto open data is loaded, and its last event is on {last:%Y-%m-%d}; "
                "`kindred refresh` fetches the current listings)"
            )
        notes.append(f"Showing past events because {why}; each is marked past.")
        return past, "any date"
    return [], window


def _last_event(loaded: Loaded) -> Event:
    """The event that starts last (read from the store alone, not every event)."""
    return loaded.ranking.ranker.events_[int(np.argmax(loaded.columns.start_us))]


def _unplaced_note(loaded: Loaded, flt: EventFilter, window: str) -> list[str]:
    """How many in-person events in the window could not be placed, so --within left them out."""
    columns = loaded.columns
    if columns is None or not len(columns):
        return []
    others = loaded.ranking.mask(replace(flt, near=None, within_km=None))
    count = int(np.count_nonzero(others & columns.unplaced()))
    if not count:
        return []
    during = {"any date": "at any date"}.get(window, window if window.startswith("from") else f"in {window}")
    verb = "names" if count == 1 else "name"
    return [
        f"{plural(count, 'in-person event')} {during} {verb} no place Kindred can find (no coordinates, "
        "and no town it knows), so the distance filter left them out; --anywhere shows them."
    ]


def _why_nothing(loaded: Loaded, rank, flt: EventFilter, options: QueryOptions, passions, window) -> str:
    """Which filter left every match out, and what to try; or related hobbies when nothing matches."""
    what = ", ".join(passions)
    anything = EventFilter(include_cancelled=flt.include_cancelled, exclude_ids=flt.exclude_ids)
    if not rank(anything, 1):
        expander = loaded.ranking.ranker.expander_
        ideas = list(dict.fromkeys(h for p in passions for h in expander.suggest(p)))[:6]
        hint = f" Related hobbies to try: {', '.join(ideas)}." if ideas else " Try other words."
        return f"No stored event matches {what}, at any date or place.{hint}"
    reasons = []
    if flt.start is not None or flt.end is not None:
        found = rank(replace(flt, start=None, end=None), COUNT_UP_TO)
        if found:
            first, last = min(p.event.start for p in found), max(p.event.start for p in found)
            reasons.append(
                f"{_count(found)} on other dates ({first:%Y-%m-%d} to {last:%Y-%m-%d}; try --any-date or "
                "other --from/--to)"
            )
    if flt.near is not None:
        found = rank(replace(flt, near=None, within_km=None), COUNT_UP_TO)
        points = [event_point(p.event) for p in found]
        km = sorted(haversine_km(*flt.near, *pt) for pt in points if pt is not None)
        if km:
            wider = max(km[0] * 1.2, km[0] + 1)
            reasons.append(f"{_count(found)} farther away (the nearest {km[0]:.0f} km; try --within "
                           f"{wider:.0f} or --anywhere)")  # fmt: skip
    if flt.mode != "any":
        found = rank(replace(flt, mode="any"), COUNT_UP_TO)
        if found:
            reasons.append(f"{_count(found)} not {flt.mode} (try --mode any)")
    if flt.free_only:
        found = rank(replace(flt, free_only=False), COUNT_UP_TO)
        if found:
            reasons.append(f"{_count(found)} not known to be free (try without --free)")
    where = f" {options.where}" if options.where else ""
    if not reasons:
        return (
            f"Nothing matched {what} in {window}{where}: no match passes all the filters together; "
            "try --any-date, a wider --within or --mode any."
        )
    return f"Nothing matched {what} in {window}{where}. Matching events: {'; '.join(reasons)}."


def _count(picks: list[Pick]) -> str:
    """``"1 is"``-free counting: ``"3"``, ``"100+"``."""
    n = len(picks)
    return f"{n}+" if n >= COUNT_UP_TO else str(n)
