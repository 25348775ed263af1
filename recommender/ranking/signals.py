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
    """Whether ``phrase`` is a run of ``tokens`` (the empty phrase always is)."""
    if not phrase:
        return True
    n, at = len(phrase), -1
    while True:
        try:
            at = tokens.index(phrase[0], at + 1)
        except ValueError:
            return False
        if tokens[at : at + n] == phrase:
            return True


@lru_cache(maxsize=1)
def _business_by_word() -> dict[str, list[tuple[int, tuple[str, ...], float]]]:
    """The business phrases by their first word, each with its place in the list."""
    out: dict[str, list[tuple[int, tuple[str, ...], float]]] = {}
    for place, (phrase, weight) in enumerate(_business_terms()[0].items()):
        out.setdefault(phrase[0], []).append((place, phrase, weight))
    return out


_head_tokens = lru_cache(maxsize=1 << 16)(tokens_of)  # titles, groups and organisers repeat


def _head(ev: Event) -> tuple[str, ...]:
    return _head_tokens(" ".join([ev.title, ev.group or "", ev.organizer or ""]))


def business_score(ev: Event) -> float:
    head, body = _head(ev), tokens_of(ev.description[:2000])
    return _business(head, body, {*head, *body})


def _business(head: tuple[str, ...], body: tuple[str, ...], present: set[str]) -> float:
    # only the phrases whose first word is there can match; applied in the list's order
    by_word = _business_by_word()
    found = by_word.keys() & present
    if not found:
        return 0.0
    keep = 1.0
    for _, phrase, weight in sorted(entry for word in found for entry in by_word[word]):
        if _contains(head, phrase):
            keep *= 1 - weight
        elif _contains(body, phrase):
            keep *= 1 - weight / 2
    return 1.0 - keep


def signal_scores(ev: Event, body: tuple[str, ...] | None = None) -> tuple[float, float]:
    """:func:`business_score` and :func:`ties_score` of ``ev``, its description read once (``body``:
    ``tokens_of(ev.description[:2000])`` when the caller has it)."""
    body = tokens_of(ev.description[:2000]) if body is None else body
    present, head = set(body), _head(ev)
    if len(ev.description) <= 1000:  # words never span the space that joins the title to it
        title = _head_tokens(ev.title)
        ties = _ties(ev, title + body, present.union(title))
    else:
        ties = ties_score(ev)
    return _business(head, body, present.union(head)), ties


GROUP_WEIGHT = 0.5  # share of its group's business score an event inherits (1.0 scored the same on dev)


def business_scores(events: Sequence[Event]) -> np.ndarray:
    """Business-mixer score of each event (see the module docstring), at least ``GROUP_WEIGHT``
    times the mean score of the *other* events of its group: a farm tour or a bowling night of a
    group whose other events are sales workshops is that group's event."""
    own = np.fromiter((business_score(e) for e in events), dtype=float, count=len(events))
    return with_group_share(own, [group_key(e) for e in events])


def group_key(ev: Event) -> str | None:
    """The group an event's business score is shared within (None: no group)."""
    return " ".join(_head_tokens(ev.group)) if ev.group else None


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
def _ties_cues() -> list[tuple[bool, bool, frozenset[str], list[tuple[str, ...]], float]]:
    """Per cue kind: whether a group is one, whether some cue is empty (always there), its
    one-word cues, its longer cues, and its weight."""
    out = []
    for name, (cues, weight) in TIES_CUES.items():
        words = [tokens_of(c) for c in cues]
        single = frozenset(c[0] for c in words if len(c) == 1)
        out.append((name == "recurring", not all(words), single, [c for c in words if len(c) > 1], weight))
    return out


@lru_cache(maxsize=1)
def _ties_words() -> frozenset[str] | None:
    """Every word a cue starts with (None when an empty cue is always there)."""
    cues = _ties_cues()
    if any(always for _, always, _, _, _ in cues):
        return None
    return frozenset(w for _, _, single, longer, _ in cues for w in [*single, *(c[0] for c in longer)])


def ties_score(ev: Event) -> float:
    tokens = tokens_of(" ".join([ev.title, ev.description[:1000]]))
    return _ties(ev, tokens, set(tokens))


def _ties(ev: Event, tokens: tuple[str, ...], present: set[str]) -> float:
    cue_words = _ties_words()
    if not ev.group and cue_words is not None and present.isdisjoint(cue_words):
        return 0.0
    score = 0.0
    for by_group, always, single, longer, weight in _ties_cues():
        if (
            (by_group and bool(ev.group))  # a named group meets regularly
            or always
            or not single.isdisjoint(present)
            or any(c[0] in present and _contains(tokens, c) for c in longer)
        ):
            score += weight
    return min(score, 1.0)


def ties_scores(events: Sequence[Event]) -> np.ndarray:
    """ "Builds real ties" score of each event (see the module docstring)."""
    return np.fromiter((ties_score(e) for e in events), dtype=float, count=len(events))
