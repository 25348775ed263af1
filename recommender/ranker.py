"""Ranking events against passions: a scikit-learn-style estimator around ``TfidfVectorizer``.

Each passion is scored separately (cosine similarity over title, tags, organiser/group and
description); an event's score is its best passion's score, and ``why`` lists the words that
matched for that passion.

Examples
--------
>>> from datetime import datetime, timezone
>>> from scrapers.event import Event
>>> when = datetime(2026, 5, 1, 18, tzinfo=timezone.utc)
>>> events = [Event(title="Sunrise hike in the ravine", start=when, description="A trail walk."),
...           Event(title="Speed networking mixer", start=when, description="Bring business cards.")]
>>> ranker = PassionRanker().fit(events)
>>> [(p.event.title, p.why) for p in ranker.rank(["hiking trails"])]
[('Sunrise hike in the ravine', ['hiking', 'trails'])]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from scrapers.event import Event

from .passions import PassionError
from .stemming import analyzer, surface_forms


@dataclass
class Pick:
    """One ranked event: its score, the passion it serves and the words that matched."""

    event: Event
    score: float
    passion: str = ""
    why: list[str] = field(default_factory=list)
    breakdown: dict[str, float] = field(default_factory=dict)


def event_text(ev: Event) -> str:
    """The text a ranker sees: title (twice, it matters most), tags, group/organiser, description."""
    parts = [ev.title, ev.title, " ".join(ev.tags), ev.group or "", ev.organizer or "", ev.description]
    return "\n".join(p for p in parts if p)


class PassionRanker(BaseEstimator):
    """TF-IDF ranker over events. Parameters are passed to ``TfidfVectorizer``.

    Attributes (after ``fit``): ``vectorizer_``, ``matrix_`` (events × terms, L2-normalised),
    ``events_``.
    """

    def __init__(self, *, sublinear_tf: bool = True, min_df: int = 1, max_df: float = 0.6):
        self.sublinear_tf = sublinear_tf
        self.min_df = min_df
        self.max_df = max_df

    def fit(self, events: Sequence[Event], y=None) -> PassionRanker:
        self.events_ = list(events)
        self.vectorizer_ = TfidfVectorizer(
            analyzer=analyzer,
            sublinear_tf=self.sublinear_tf,
            min_df=self.min_df,
            max_df=self.max_df if len(self.events_) > 20 else 1.0,
        )
        self.matrix_ = self.vectorizer_.fit_transform([event_text(e) for e in self.events_]).tocsr()
        self.terms_ = self.vectorizer_.get_feature_names_out()
        return self

    def score(self, passions: Sequence[str]) -> np.ndarray:
        """Cosine scores, one row per passion, one column per fitted event."""
        check_is_fitted(self, "matrix_")
        if not passions:
            raise PassionError("no passions given: name at least one thing you love")
        queries = self.vectorizer_.transform(list(passions))
        return (queries @ self.matrix_.T).toarray()

    def rank(self, passions: Sequence[str], *, limit: int = 10, mask: np.ndarray | None = None) -> list[Pick]:
        """The best ``limit`` events (optionally only where ``mask`` is true), best first."""
        scores = self.score(passions)
        best_passion = scores.argmax(axis=0)
        best = scores.max(axis=0)
        if mask is not None:
            best = np.where(mask, best, 0.0)
        order = [i for i in np.lexsort((np.arange(len(best)), -best)) if best[i] > 0][:limit]
        queries = self.vectorizer_.transform(list(passions))
        picks = []
        for i in order:
            p = int(best_passion[i])
            shared = queries[p].multiply(self.matrix_[i])
            weights = dict(zip(shared.indices, shared.data, strict=True))
            forms = surface_forms(passions[p])
            why = [
                forms.get(self.terms_[j], self.terms_[j]) for j in sorted(weights, key=lambda j: -weights[j])
            ]
            picks.append(Pick(self.events_[i], float(best[i]), passions[p], why, {"text": float(best[i])}))
        return picks
