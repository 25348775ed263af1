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


def why_line(passion: str, matched: Iterable[str]) -> str:
    """One line on why an event matched.

    >>> why_line("board games", ["strategy", "board game"])
    'You love board games: it mentions strategy, board game.'
    >>> why_line("hiking", [])
    'You love hiking.'
    """
    words = list(dict.fromkeys(w for w in matched if w))[:4]
    return f"You love {passion}" + (f": it mentions {', '.join(words)}." if words else ".")
