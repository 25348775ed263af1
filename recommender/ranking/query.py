"""Answering "what's on for my passions?": window, filters and ranking over the store.

The default window is the next 30 days. When the store holds only the embedded Toronto snapshot
(a fixed 2024–2026 sample) a date window would soon be empty, so the default then covers every
date and the result carries a note saying so; ``--from``/``--to`` still apply.

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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from recommender.passions.statement import split_statement
from recommender.ranking.feedback import Feedback
from recommender.ranking.filters import MODES, EventFilter
from recommender.ranking.picks import Pick
from recommender.ranking.saved_index import load_or_fit
from recommender.store.event_store import Store
from recommender.store.snapshot import SNAPSHOT_SOURCE, only_snapshot
from scrapers.errors import KindredError
from scrapers.zones import get_zone

DEFAULT_DAYS = 30


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


@dataclass
class QueryResult:
    passions: list[str]
    picks: list[Pick]
    window: str
    notes: list[str] = field(default_factory=list)
    avoid: list[str] = field(default_factory=list)  # what the person said they do not want


def build_filter(
    options: QueryOptions, *, now: datetime, snapshot_only: bool = False
) -> tuple[EventFilter, str]:
    """The event filter for ``options`` and a human description of its date window."""
    if options.mode not in MODES:
        raise QueryError(f"unknown mode {options.mode!r}; use one of {', '.join(MODES)}")
    if options.limit < 1:
        raise QueryError("--limit must be at least 1")
    if (options.near is None) != (options.within_km is None):
        raise QueryError("--near and --within go together, e.g. --near 43.65,-79.38 --within 10")
    zone = get_zone(options.timezone)
    local_today = now.astimezone(zone).date()
    start_day = options.date_from
    end_day = options.date_to
    if start_day and end_day and end_day < start_day:
        raise QueryError(f"--to {end_day} is before --from {start_day}")
    if options.any_date or (snapshot_only and not start_day and not end_day):
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
    snapshot = only_snapshot(store)
    flt, window = build_filter(options, now=now, snapshot_only=snapshot)
    embedder = None
    if semantic:  # before the store is read: a missing extra is said at once
        from recommender.ranking.semantic import Embedder

        embedder = Embedder.load()
    notes = []
    if snapshot and window == "any date" and not options.any_date:
        notes.append(
            f"Only the embedded Toronto snapshot ({SNAPSHOT_SOURCE}, events 2024–2026) is loaded, so "
            "matches from any date are shown; add live sources with `kindred refresh` or pass --from/--to."
        )
    if not store.count():
        return QueryResult(
            passions, [], window, ["The store is empty: import or refresh some events first."], avoid
        )
    loaded = load_or_fit(store)
    ranking = loaded.ranking
    if embedder is not None:
        from recommender.ranking.semantic import semantic_ranking

        ranking = semantic_ranking(loaded, embedder=embedder)
    mask = loaded.ranking.mask(flt)
    picks = ranking.rank(passions_text, limit=options.limit, mask=mask, feedback=feedback)
    if not picks:
        ideas = list(dict.fromkeys(h for p in passions for h in loaded.ranking.related_with_events(p, mask)))
        hint = f" Related hobbies that have events: {', '.join(ideas[:6])}." if ideas else ""
        wider = "other words" if window == "any date" else "--any-date or other words"
        notes.append(f"Nothing matched {', '.join(passions)} in {window}; try {wider}.{hint}")
    else:
        notes += [thin_note(passion, ideas) for passion, ideas in picks.thin.items()]
    return QueryResult(passions, picks, window, notes, avoid)
