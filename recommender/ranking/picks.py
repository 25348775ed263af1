"""What a ranking returns: picks, each with the passion it serves and why, and the scores behind them.

>>> why_line("board games", ["strategy", "board game"])
'You love board games: it mentions strategy, board game.'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from recommender.passions.expansion import Expansion
from scrapers.event import Event


@dataclass
class Pick:
    """One ranked event: its score, the passion it serves and the words that matched."""

    event: Event
    score: float
    passion: str = ""
    why: list[str] = field(default_factory=list)
    breakdown: dict[str, float] = field(default_factory=dict)
    liked: str = ""  # title of the liked event this one is most like, when feedback lifted it
    sure: bool = True  # False when only ambiguous words ("games", "walk") tie it to a named hobby


class Picks(list):
    """A ranked list of :class:`Pick`, and ``thin``: each named passion that the events hold too
    little for (fewer than :data:`THIN` sure picks, and fewer sure than unsure ones), with
    related hobbies that do have events.
    Such a passion's unsure picks are left out rather than padding the list."""

    def __init__(self, picks=(), thin: dict[str, list[str]] | None = None):
        super().__init__(picks)
        self.thin: dict[str, list[str]] = thin or {}


THIN = 3  # a named passion with fewer sure picks than this is thin: no unsure padding for it


def drop_padding(picks: list[Pick], named: Iterable[str]) -> tuple[list[Pick], list[str]]:
    """``picks`` without the unsure ones of each ``named`` passion that has fewer than
    :data:`THIN` sure picks and fewer sure than unsure ones, and those thin passions.

    >>> from datetime import datetime, timezone
    >>> e = Event(title="x", start=datetime(2026, 1, 1, tzinfo=timezone.utc))
    >>> weak = Pick(e, 0.1, "chess", sure=False)
    >>> ps = [Pick(e, 0.5, "chess"), Pick(e, 0.1, "jazz", sure=False), weak, weak]
    >>> kept, thin = drop_padding(ps, ["chess"])
    >>> [(p.passion, p.sure) for p in kept], thin
    ([('chess', True), ('jazz', False)], ['chess'])
    """
    named = set(named)
    sure: dict[str, int] = dict.fromkeys(named, 0)
    total: dict[str, int] = dict.fromkeys(named, 0)
    for p in picks:
        if p.passion in named:
            sure[p.passion] += p.sure
            total[p.passion] += 1
    thin = [name for name, count in sure.items() if count < THIN and 2 * count < total[name]]
    return [p for p in picks if p.sure or p.passion not in thin], sorted(thin)


@dataclass
class Scores:
    """What :meth:`PassionRanker.score` computes: rows are the grouped passions."""

    final: np.ndarray
    text: np.ndarray
    expansions: list[Expansion]
    queries: list[tuple[np.ndarray, np.ndarray]]  # per passion: vocabulary columns, weights
    penalty: float
    lift: np.ndarray | None = None  # per passion and event: 1, or 1 + format_boost for a named format
    feedback: np.ndarray | None = None  # per event: the Rocchio term from likes and dismissals
    liked_rows: list[int] = field(default_factory=list)
    unwanted: np.ndarray | None = None  # per event: best match with what the person does not want
    entries: dict = field(default_factory=dict)  # per passion: its columns' matrix entries, once read


def why_line(passion: str, matched: Iterable[str]) -> str:
    """One line on why an event matched.

    >>> why_line("board games", ["strategy", "board game"])
    'You love board games: it mentions strategy, board game.'
    >>> why_line("hiking", [])
    'You love hiking.'
    """
    words = list(dict.fromkeys(w for w in matched if w))[:4]
    return f"You love {passion}" + (f": it mentions {', '.join(words)}." if words else ".")
