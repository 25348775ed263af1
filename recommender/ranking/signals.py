"""Per-event signals beside text relevance.

**Business-mixer score** (0–1): "doing networking" phrases from ``data/business_terms.toml``
found in the title, group and organiser (full weight) or the description (half weight); the score is
a noisy-or of the phrase weights, so one strong phrase ("speed networking", 1.0) makes an event a
mixer while a passing "business" (0.5) in a long description barely moves it.

An event also inherits half the mean business score of the *other* events of its group (see
:func:`business_scores`): most business events that leak carry no business word themselves.

**Ties score** (0–1): what builds real relationships — recurring groups (an event with a group,
or "weekly"/"monthly"/"club"), workshops and classes where people do something together,
volunteering and community events. Each cue adds a share; the ranker turns it into a mild boost.

>>> from datetime import datetime, timezone
>>> from scrapers.event import Event
>>> t = datetime(2026, 5, 1, tzinfo=timezone.utc)
>>> mixer = Event(title="Speed networking for founders", start=t)
>>> choir = Event(title="Community choir: weekly rehearsal", start=t, group="East End Singers")
>>> [round(float(x), 2) for x in business_scores([mixer, choir])]
[1.0, 0.0]
>>> [round(float(x), 2) for x in ties_scores([mixer, choir])]
[0.0, 0.8]
>>> is_business_passion("growing my startup"), is_business_passion("board games")
(True, False)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from recommender.passions.expansion import fold
from recommender.passions.lexicon import BusinessTerms
from recommender.passions.stemming import words
from scrapers.event import Event

TIES_CUES = {
    "recurring": (["weekly", "monthly", "every week", "every month", "club", "regulars", "meetup"], 0.35),
    "doing": (["workshop", "class", "lesson", "jam", "practice", "rehearsal", "hands-on", "learn"], 0.25),
    "giving": (["volunteer", "volunteers", "volunteering", "cleanup", "clean-up", "community garden"], 0.3),
    "community": (["community", "neighbourhood", "neighborhood", "potluck", "all welcome", "newcomers"], 0.2),
}


def tokens_of(text: str) -> tuple[str, ...]:
    """Unstemmed folded words: business phrases match exactly ("marketing" is not "market")."""
    return tuple(words(fold(text)))


@lru_cache(maxsize=1)
def _business_terms() -> tuple[dict[tuple[str, ...], float], frozenset[tuple[str, ...]]]:
    terms = BusinessTerms.load()
    weights = {tokens_of(p): float(w) for p, w in terms.weights.items() if tokens_of(p)}
    triggers = frozenset(tokens_of(p) for p in terms.passion_triggers if tokens_of(p))
    return weights, triggers


def _contains(tokens: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tokens[i : i + n] == phrase for i in range(len(tokens) - n + 1))


def business_score(ev: Event) -> float:
    terms, _ = _business_terms()
    head = tokens_of(" ".join([ev.title, ev.group or "", ev.organizer or ""]))
    body = tokens_of(ev.description[:2000])
    present = set(head) | set(body)
    keep = 1.0
    for phrase, weight in terms.items():
        if phrase[0] not in present:  # most phrases: skip the scan
            continue
        if _contains(head, phrase):
            keep *= 1 - weight
        elif _contains(body, phrase):
            keep *= 1 - weight / 2
    return 1.0 - keep


GROUP_WEIGHT = 0.5  # share of its group's business score an event inherits (1.0 scored the same on dev)


def business_scores(events: Sequence[Event]) -> np.ndarray:
    """Business-mixer score of each event (see the module docstring), at least ``GROUP_WEIGHT``
    times the mean score of the *other* events of its group: a farm tour or a bowling night of a
    group whose other events are sales workshops is that group's event."""
    own = np.fromiter((business_score(e) for e in events), dtype=float, count=len(events))
    return with_group_share(own, [group_key(e) for e in events])


def group_key(ev: Event) -> str | None:
    """The group an event's business score is shared within (None: no group)."""
    return " ".join(tokens_of(ev.group)) if ev.group else None


def with_group_share(own: np.ndarray, groups: Sequence[str | None]) -> np.ndarray:
    """Each event's ``own`` business score, at least ``GROUP_WEIGHT`` times the mean of the other
    events of its group (``groups``: :func:`group_key` of each event)."""
    members: dict[str, list[int]] = {}
    for i, key in enumerate(groups):
        if key is not None:
            members.setdefault(key, []).append(i)
    inherited = np.zeros_like(own)
    for rows in members.values():
        if len(rows) > 1:
            total = own[rows].sum()
            inherited[rows] = (total - own[rows]) / (len(rows) - 1)
    return np.maximum(own, GROUP_WEIGHT * inherited)


@lru_cache(maxsize=20_000)  # a digest run asks for each subscriber's passions; many share them
def is_business_passion(passion: str) -> bool:
    """True when a person's own words ask for business or career events."""
    _, triggers = _business_terms()
    tokens = tokens_of(passion)
    present = set(tokens)
    return any(t[0] in present and _contains(tokens, t) for t in triggers)


@lru_cache(maxsize=1)
def _ties_cues() -> dict[str, tuple[list[tuple[str, ...]], float]]:
    return {name: ([tokens_of(c) for c in cues], weight) for name, (cues, weight) in TIES_CUES.items()}


def ties_score(ev: Event) -> float:
    tokens = tokens_of(" ".join([ev.title, ev.description[:1000]]))
    present = set(tokens)
    score = 0.0
    for name, (cues, weight) in _ties_cues().items():
        recurring_group = name == "recurring" and bool(ev.group)  # a named group meets regularly
        if recurring_group or any((not c or c[0] in present) and _contains(tokens, c) for c in cues):
            score += weight
    return min(score, 1.0)


def ties_scores(events: Sequence[Event]) -> np.ndarray:
    """ "Builds real ties" score of each event (see the module docstring)."""
    return np.fromiter((ties_score(e) for e in events), dtype=float, count=len(events))
