"""Refresh: sources → polite fetch → parse → normalise → de-duplicate → upsert.

Sources on different hosts are fetched and read concurrently (:data:`WORKERS` at a time, one host
per worker, so each host still gets one request at a time); their events are stored one source
after another in the order of the sources file, so a run's result does not depend on which host
answered first. Each source is isolated: when it cannot be fetched or read, the reason is logged
and put in its report, and the run goes on with the next one. Nothing is ever deleted: an event
that disappears from its feed stays in the store (its ``last_seen`` stops moving); a cancelled one
is stored with ``status = "cancelled"``.

De-duplication: an event listed twice by one source is stored once; an event with the same
normalised title, start and venue as one another source already listed (this run or before) is
skipped and reported; one whose source re-identified it (e.g. a changed URL) keeps its stored id.

Examples
--------
>>> from datetime import UTC, datetime
>>> from scrapers.event import Event
>>> ev = Event(title="Choir  Night!", start=datetime(2026, 5, 1, 18, tzinfo=UTC), venue="St Mary's")
>>> dedupe_key(ev)
('choir night', '2026-05-01T18:00:00+00:00', 'st mary s')
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from recommender.core.config import Settings
from recommender.core.paths import user_cache_dir
from recommender.ingest.builtin import sources_to_refresh
from recommender.ingest.report import RefreshSummary, SourceReport
from recommender.ingest.sources import Source
from recommender.store.event_store import Store
from recommender.store.snapshot import SNAPSHOT_SOURCE, in_toronto_time
from scrapers import looks_like_ics, parse_page
from scrapers.errors import DisallowedByRobots, FetchError, KindredError, ParseError
from scrapers.event import Event, canonical_url, loose_text
from scrapers.fetch_defaults import CONNECT_TIMEOUT, DEADLINE
from scrapers.http import PoliteSession
from scrapers.links import same_host_links
from scrapers.responses import Fetched
from scrapers.result import ParseResult

log = logging.getLogger(__name__)

REFRESHED_AT = "last_refresh"  # store meta key: when refresh_all last read a source
Key = tuple[str, str, str]
Progress = Callable[[int, Source, SourceReport | None], None]

#: Hosts fetched at the same time (each host's sources one after another, politely spaced).
WORKERS = 8


def refresh_all(
    store: Store,
    sources: str | Path | list[Source] | None,
    *,
    now: datetime | None = None,
    settings: Settings | None = None,
    session: PoliteSession | None = None,
    progress: Progress | None = None,
) -> RefreshSummary:
    """Refresh every source into ``store`` and say what happened.

    Parameters
    ----------
    store : the store to upsert into.
    sources : a sources file (``None``: the configured or default one, else the built-in Toronto
        source; see :mod:`recommender.ingest.builtin`) or a list of :class:`Source`.
    now : "now" for ``first_seen``/``last_seen`` and the iCalendar window; default: the current time.
    settings : timezone, User-Agent and fetch settings; default: :meth:`Settings.load`.
    session : the polite session to fetch with; default: one built from ``settings`` (with the
        on-disk HTTP cache in the user cache folder), closed at the end. Every source's origin
        is trusted on it (see :mod:`scrapers.origins`).
    progress : called as ``progress(index, source, None)`` before and
        ``progress(index, source, report)`` after each source is stored (from the calling thread).

    Raises
    ------
    SourcesError
        Only when the sources file is missing or invalid; failures of single sources are reported.
    """
    settings = settings or Settings.load()
    if not isinstance(sources, list):
        sources = sources_to_refresh(sources, settings)[0]
    now = now or datetime.now(UTC)
    own_session = session is None
    session = session or make_session(settings)
    for source in sources:
        session.trust(source.url)
    known = known_keys(store)
    summary = RefreshSummary()
    collected = [Future() for _ in sources]
    by_host: dict[str, list[int]] = {}
    for index, source in enumerate(sources):
        by_host.setdefault(urlsplit(source.url).netloc.lower(), []).append(index)

    stop = threading.Event()

    def fetch_host(indexes: list[int]) -> None:
        for index in indexes:
            source = sources[index]
            report = SourceReport(source.name, source.url)
            if stop.is_set():
                report.error = "not fetched: the refresh was stopped"
                collected[index].set_result(([], report))
                continue
            try:
                events = gather(source, session, report, now=now, tz=source.timezone or settings.timezone)
            except BaseException as exc:  # the caller waits on this future: it must always be set
                collected[index].set_exception(exc)
                raise
            collected[index].set_result((events, report))

    pool = ThreadPoolExecutor(max_workers=max(1, min(WORKERS, len(by_host))), thread_name_prefix="refresh")
    try:
        for indexes in by_host.values():
            pool.submit(fetch_host, indexes)
        for index, source in enumerate(sources):
            if progress:
                progress(index, source, None)
            events, report = collected[index].result()
            summary.reports.append(store_source(store, source, events, report, now=now, known=known))
            if progress:
                progress(index, source, report)
    finally:
        stop.set()  # on Ctrl-C, workers finish the source in hand and start no other
        pool.shutdown(wait=True, cancel_futures=True)
        if own_session:
            session.close()
    if summary.reports and not summary.all_failed:
        store.set_meta(REFRESHED_AT, now.astimezone(UTC).isoformat())
    return summary


def last_refresh(store: Store) -> datetime | None:
    """When a refresh last read at least one source, or None if never."""
    value = store.get_meta(REFRESHED_AT)
    return datetime.fromisoformat(value) if value else None


def make_session(settings: Settings) -> PoliteSession:
    """The polite session ``settings`` ask for, caching to ``<user cache dir>/http``."""
    return PoliteSession(
        user_agent=settings.http_user_agent(),
        cache_dir=user_cache_dir() / "http",
        min_delay=settings.fetch_delay,
        backoff=2 * settings.fetch_delay,
        connect_timeout=min(CONNECT_TIMEOUT, settings.fetch_timeout),
        read_timeout=settings.fetch_timeout,
        deadline=max(DEADLINE, 2 * settings.fetch_timeout),
    )


def dedupe_key(ev: Event) -> Key:
    """What makes two listings the same event: title, start instant and venue (see :func:`loose_text`)."""
    return loose_text(ev.title), ev.start.astimezone(UTC).isoformat(), loose_text(ev.venue or "")


def known_keys(store: Store) -> dict[Key, tuple[str, str]]:
    """``dedupe_key -> (id, source)`` for every stored event."""
    return {dedupe_key(ev): (ev.id, ev.source) for ev in store.events()}


def gather(source: Source, session: PoliteSession, report: SourceReport, *, now: datetime, tz: str):
    """:func:`collect` with every failure put in ``report`` (``error``, ``unreachable``): never raises."""
    try:
        return collect(source, session, report, now=now, tz=tz)
    except FetchError as exc:
        report.error, report.unreachable = str(exc), exc.unreachable
    except KindredError as exc:
        report.error = str(exc)
    except Exception as exc:  # a bug in one parser must not stop the whole refresh
        log.debug("source %s: unexpected error", source.name, exc_info=True)  # a trace only when debugging
        report.error = f"unexpected {type(exc).__name__}: {exc}; please report this as a Kindred bug"
    log.warning("source %s failed: %s", source.name, report.error)
    return []


def store_source(
    store: Store, source: Source, events: list[Event], report: SourceReport, *, now: datetime, known: dict
) -> SourceReport:
    """De-duplicate one source's events against ``known`` and upsert them; updates ``known``."""
    if report.failed:
        return report
    unique = dedupe([normalise(ev, source) for ev in events], source, known, report)
    report.fetched = len(unique)
    try:
        done = store.upsert(unique, now=now, touch=True)
    except KindredError as exc:
        report.error = f"could not store its events: {exc}"
        log.warning("source %s failed: %s", source.name, report.error)
        return report
    report.new, report.updated, report.unchanged = done.new, done.updated, done.unchanged
    report.cancelled = done.cancelled
    for ev in unique:
        known[dedupe_key(ev)] = (ev.id, source.name)
    log.info("source %s: %d events, %d new, %d updated", source.name, len(unique), done.new, done.updated)
    return report


def collect(source: Source, session: PoliteSession, report: SourceReport, *, now: datetime, tz: str):
    """Events from the source's URL, plus the pages it follows (within ``max_pages``)."""
    fetched = session.get(source.url)
    report.pages += 1
    problem = None
    try:
        result, is_feed = read(fetched, source, now=now, tz=tz)
    except ParseError as exc:
        if not source.follow or source.kind == "ics" or source.max_pages == 0:
            raise
        problem, result, is_feed = exc, ParseResult(), False  # an index page may only link to events
    report.skipped += result.skipped
    events = list(result)
    if is_feed or source.max_pages == 0:
        return events
    wanted = [u for u in result.follow if _same_host(u, fetched.url)]
    wanted += [u for u in same_host_links(fetched.content, fetched.url) if source.follows(u)]
    seen = {canonical_url(fetched.url), canonical_url(source.url)}
    wanted = [u for u in dict.fromkeys(wanted) if canonical_url(u) not in seen]
    for url in [u for u in wanted if not session.allowed(u)]:  # never spend the page budget on these
        report.skipped.append(f"page not followed: robots.txt disallows {url}")
        wanted.remove(url)
    if len(wanted) > source.max_pages:
        report.skipped.append(f"{len(wanted) - source.max_pages} linked pages not followed (max_pages)")
    for url in wanted[: source.max_pages]:
        try:
            page = session.get(url)
            report.pages += 1
            detail, _ = read(page, source, now=now, tz=tz, kind="page")
        except DisallowedByRobots as exc:
            report.skipped.append(f"page not followed: {exc}")
            continue
        except (FetchError, ParseError) as exc:
            report.errors.append(str(exc))
            continue
        report.skipped += detail.skipped
        _merge(events, list(detail), canonical_url(url))
    if problem is not None and not events:
        raise ParseError(
            f"{problem}; and none of the pages it links to (follow = {source.follow!r}) had events"
        )
    return events


def read(
    fetched: Fetched, source: Source, *, now: datetime, tz: str, kind: str | None = None
) -> tuple[ParseResult, bool]:
    """Parse one fetched document as the source's ``kind`` says: ``(events, is_ical_feed)``."""
    kind = kind or source.kind
    is_ics = looks_like_ics(fetched.content)
    if kind == "ics" or (kind == "auto" and (is_ics or fetched.content_type == "text/calendar")):
        if not is_ics:
            raise ParseError(
                f'{fetched.url}: expected an iCalendar feed (kind = "ics") but got '
                f'{fetched.content_type or "something else"}; check the URL or set kind = "page"'
            )
        from scrapers.ical import parse_ics

        return parse_ics(fetched.content, fetched.url, source=source.name, default_tz=tz, now=now), True
    return parse_page(fetched.content, fetched.url, source=source.name, default_tz=tz), False


def normalise(ev: Event, source: Source) -> Event:
    """The source's name, default tags and city applied to one event (and, for the built-in
    Toronto source, Toronto time, as the embedded snapshot has it)."""
    tags = list(ev.tags) + [t for t in source.tags if t not in ev.tags]
    ev = replace(ev, source=source.name, tags=tags, city=ev.city or source.city)
    return in_toronto_time(ev) if source.name == SNAPSHOT_SOURCE else ev


def dedupe(events: list[Event], source: Source, known: dict, report: SourceReport) -> list[Event]:
    """Drop repeats within the source and events another source already lists (see module notes)."""
    out: dict[str, Event] = {}
    keys: set[Key] = set()
    for ev in events:
        key = dedupe_key(ev)
        if ev.id in out or key in keys:
            report.skipped.append("listed twice by this source")
            continue
        stored_id, stored_source = known.get(key, (ev.id, source.name))
        if stored_source != source.name:
            report.skipped.append(f"already listed by source {stored_source!r}")
            continue
        if stored_id != ev.id and stored_id not in out:
            ev = replace(ev, id=stored_id)  # the same event, re-identified by its own source
        out[ev.id] = ev
        keys.add(key)
    return list(out.values())


def _merge(events: list[Event], detail: list[Event], followed: str | None) -> None:
    """Put a followed page's events in place of the listing entries they complete, else append."""
    by_url = {ev.url: i for i, ev in enumerate(events) if ev.url}
    for ev in detail:
        at = by_url.get(ev.url)
        if at is None and len(detail) == 1:
            at = by_url.get(followed)
        if at is None:
            events.append(ev)
        else:
            events[at] = ev


def _same_host(url: str, other: str) -> bool:
    return urlsplit(url).netloc.lower() == urlsplit(other).netloc.lower()
