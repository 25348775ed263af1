"""What a person said about events, as the ranker reads it: the ids they liked and dismissed.

Where it is kept (the subscribers' tables, or the local profile) is :mod:`recommender.people.feedback`.

>>> Feedback(likes=frozenset({"ev-1"})), bool(Feedback())
(Feedback(likes=frozenset({'ev-1'}), dismissed=frozenset()), False)
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Feedback:
    """Event ids a person liked and dismissed."""

    likes: frozenset[str] = field(default_factory=frozenset)
    dismissed: frozenset[str] = field(default_factory=frozenset)

    def __bool__(self) -> bool:
        return bool(self.likes or self.dismissed)
