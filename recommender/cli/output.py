"""Printing events and picks as a table (fits 80 columns), JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

import click

from recommender.core.wording import plural
from recommender.ranking.picks import Pick
from scrapers.event import Event

EVENT_COLUMNS = ["id", "title", "start", "end", "all_day", "status", "venue", "city", "url", "source", "tags"]
PICK_COLUMNS = ["id", "title", "start", "url", "score", "passion", "why", "tags", "venue", "status"]


def when(ev: Event) -> str:
    """Short local date/time: 'Sat 2026-05-02 19:00' or 'Sat 2026-05-02' for all-day events."""
    if ev.all_day:
        return ev.start.strftime("%a %Y-%m-%d")
    return ev.start.strftime("%a %Y-%m-%d %H:%M")


def pick_record(pick: Pick, *, explain: bool = False, past: bool = False) -> dict:
    ev = pick.event
    record = ev.to_dict()
    record.update(score=round(pick.score, 4), passion=pick.passion, why=list(pick.why), past=past)
    if pick.liked:
        record["liked"] = pick.liked
    if explain:
        record["breakdown"] = {k: round(v, 4) for k, v in pick.breakdown.items()}
    return record


BREAKDOWN_LABELS = {
    "text": "your words",
    "expansion": "related terms",
    "business": "business mixer",
    "ties": "builds ties",
    "format": "format you named",
    "feedback": "your likes/dismissals",
}


def explain_line(breakdown: dict[str, float]) -> str:
    """The score breakdown in words; parts that round to zero are left out.

    >>> explain_line({"text": 0.12, "expansion": 0.05, "business": -0.2, "ties": 0.01})
    'your words +0.120 · related terms +0.050 · business mixer -0.200 · builds ties +0.010'
    >>> explain_line({"text": 0.12, "business": -0.0, "ties": 0.0001})
    'your words +0.120'
    """
    shown = {k: v for k, v in breakdown.items() if round(v, 3) != 0}
    return " · ".join(f"{BREAKDOWN_LABELS.get(k, k)} {v:+.3f}" for k, v in shown.items())


def render_json(records: Sequence[dict]) -> str:
    return json.dumps(list(records), ensure_ascii=False, indent=2)


def render_csv(records: Sequence[dict], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for record in records:
        row = {k: "; ".join(v) if isinstance(v, list) else v for k, v in record.items()}
        writer.writerow(row)
    return buf.getvalue()


def print_table(
    title: str | None, columns: Sequence[tuple[str, dict]], rows: Sequence[Sequence[str]]
) -> None:
    """A rich table that wraps to the terminal (80 columns when not a terminal)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False, expand=False, title_justify="left")
    for name, style in columns:
        table.add_column(name, overflow="fold", **style)
    for row in rows:
        table.add_row(*row)
    Console(width=None if _isatty() else 80, highlight=False).print(table)


def _isatty() -> bool:
    import sys

    return sys.stdout.isatty()


def print_events_table(events: Sequence[Event], *, now=None) -> None:
    """The events, each marked [cancelled] and [past] (ended before ``now``) when so."""
    from recommender.ranking.filters import has_ended

    def marks(e: Event) -> str:
        return (" [cancelled]" if e.cancelled else "") + (" [past]" if now and has_ended(e, now) else "")

    rows = [[when(e), e.title + marks(e), e.venue or "", e.source] for e in events]
    columns = [
        ("When", {"no_wrap": True}),
        ("Event", {"ratio": 3}),
        ("Venue", {"ratio": 2}),
        ("Source", {"ratio": 1}),
    ]
    print_table(plural(len(events), "event"), columns, rows)


def print_event_details(ev: Event, *, past: bool = False) -> None:
    """One event, field by field, then its description (for ``kindred event ID``)."""
    import textwrap

    state = ", ".join(x for x in (ev.status if ev.status != "scheduled" else "", "past" if past else "") if x)
    end = f" – {ev.end.strftime('%a %Y-%m-%d %H:%M')}" if ev.end and not ev.all_day else ""
    place = ", ".join(x for x in (ev.venue, ev.address, ev.city) if x)
    where = place + (f" ({ev.lat:g},{ev.lon:g})" if ev.lat is not None and ev.lon is not None else "")
    price = "free" if ev.is_free else ev.price or ("not free" if ev.is_free is False else "")
    rows = [
        ("When", when(ev) + end + (f" [{state}]" if state else "")),
        ("Where", where or ("Online" if ev.attendance == "online" else "")),
        ("Attendance", ev.attendance.replace("_", "-")),
        ("Organiser", ev.organizer or ""),
        ("Group", ev.group or ""),
        ("Price", price),
        ("Tags", ", ".join(ev.tags)),
        ("Link", ev.url or ""),
        ("Source", ev.source),
        ("Seen", " – ".join(f"{t:%Y-%m-%d}" for t in (ev.first_seen, ev.last_seen) if t)),
        ("Id", ev.id),
    ]
    click.echo(ev.title)
    for name, value in rows:
        if value:
            click.echo(f"  {name + ':':<12}{value}")
    if ev.description:
        click.echo()
        click.echo(textwrap.fill(ev.description, width=80, initial_indent="  ", subsequent_indent="  "))


def print_picks_table(picks: Sequence[Pick], *, explain: bool = False, past=lambda pick: False) -> None:
    """The picks in order; ``past(pick)`` says which to mark as over."""
    rows = []
    for i, p in enumerate(picks, 1):
        ev = p.event
        where = ev.venue or ("Online" if ev.attendance == "online" else "")
        why = f"{p.passion}: " + ", ".join(p.why[:4]) if p.why else p.passion
        if p.liked:
            why += f"\nlike “{p.liked}”, which you liked"
        if explain and explain_line(p.breakdown):
            why += "\n[dim]" + explain_line(p.breakdown) + "[/dim]"
        details = " · ".join(x for x in (where, ev.id) if x)
        rows.append(
            [
                str(i),
                when(ev) + ("\n[bold]past[/bold]" if past(p) else ""),
                f"{ev.title}\n[dim]{details}[/dim]",
                why,
                f"{p.score:.2f}",
            ]
        )
    columns = [
        ("#", {"justify": "right", "no_wrap": True}),
        ("When", {"no_wrap": False, "max_width": 16}),
        ("Event", {"ratio": 3}),
        ("Why", {"ratio": 2}),
        ("Score", {"justify": "right", "no_wrap": True}),
    ]
    print_table(None, columns, rows)
