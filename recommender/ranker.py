"""Ranking events against passions: a scikit-learn-style estimator around ``TfidfVectorizer``.

For each passion the lexicon-expanded query (see :mod:`recommender.expansion`) is scored against
every event by cosine similarity over TF-IDF features (stemmed words and word pairs of title,
tags, group, organiser and description). Then, per event (see :mod:`recommender.signals`):

* ``business`` — a business-mixer score, subtracted (times ``business_penalty``) unless a
  passion itself is about business or careers;
* ``ties`` — a mild boost for what builds real ties: recurring groups, workshops, volunteering,
  community events (``ties_boost`` times a 0–1 score, and only for events that already match).

Several passions share one list by round robin (each passion's next best in turn, strongest
passion first), and near-duplicates (same title, same day) collapse into one entry.

Examples
--------
>>> from datetime import datetime, timezone
>>> from scrapers.event import Event
>>> when = datetime(2026, 5, 1, 18, tzinfo=timezone.utc)
>>> events = [Event(title="Sunrise hike in the ravine", start=when, description="A trail walk."),
...           Event(title="Speed networking mixer", start=when, description="Bring business cards.")]
>>> ranker = PassionRanker().fit(events)
>>> [(p.event.title, p.why[:2]) for p in ranker.rank(["hiking trails"])]
[('Sunrise hike in the ravine', ['hike', 'sunrise hike'])]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from scrapers.event import Event, normalise_title

from .expansion import Expander, Expansion, group_passions
from .passions import PassionError
from .signals import business_scores, is_business_passion, ties_scores
from .stemming import analyzer
from .topk import BestFirst


@dataclass
class Pick:
    """One ranked event: its score, the passion it serves and the words that matched."""

    event: Event
    score: float
    passion: str = ""
    why: list[str] = field(default_factory=list)
    breakdown: dict[str, float] = field(default_factory=dict)


@dataclass
class Scores:
    """What :meth:`PassionRanker.score` computes: rows are the grouped passions."""

    final: np.ndarray
    text: np.ndarray
    expansions: list[Expansion]
    queries: list[tuple[np.ndarray, np.ndarray]]  # per passion: vocabulary columns, weights
    penalty: float


def event_text(ev: Event) -> str:
    """The text a ranker sees: title (twice, it matters most), tags, group/organiser, description."""
    parts = [ev.title, ev.title, " ".join(ev.tags), ev.group or "", ev.organizer or "", ev.description]
    return "\n".join(p for p in parts if p)


class PassionRanker(BaseEstimator):
    """Lexicon-expanded TF-IDF ranker over events.

    Parameters
    ----------
    business_penalty : subtracted per unit of business-mixer score (0 disables).
    ties_boost : added per unit of "builds real ties" score, for matching events only.
    min_score : text-match score below which an event is not a match at all.
    sublinear_tf, max_df : passed to ``TfidfVectorizer``.
    """

    def __init__(
        self,
        *,
        business_penalty: float = 0.5,
        ties_boost: float = 0.03,
        min_score: float = 0.02,
        sublinear_tf: bool = True,
        max_df: float = 0.5,
    ):
        self.business_penalty = business_penalty
        self.ties_boost = ties_boost
        self.min_score = min_score
        self.sublinear_tf = sublinear_tf
        self.max_df = max_df

    def fit(self, events: Sequence[Event], y=None) -> PassionRanker:
        self.events_ = list(events)
        texts = (event_text(e) for e in self.events_)  # a generator: a million texts need not coexist
        self.vectorizer_ = TfidfVectorizer(
            analyzer=analyzer,
            sublinear_tf=self.sublinear_tf,
            max_df=self.max_df if len(self.events_) > 50 else 1.0,
        )
        self.matrix_ = self.vectorizer_.fit_transform(texts).tocsc()
        self.vocabulary_ = self.vectorizer_.vocabulary_
        self.idf_ = self.vectorizer_.idf_
        self.terms_ = self.vectorizer_.get_feature_names_out()
        self.business_ = business_scores(self.events_)
        self.ties_ = ties_scores(self.events_)
        self.expander_ = Expander.default()
        return self

    def _query(self, exp: Expansion) -> tuple[np.ndarray, np.ndarray]:
        cols, vals = [], []
        for feat, weight in exp.features.items():
            j = self.vocabulary_.get(feat)
            if j is not None:
                cols.append(j)
                vals.append(weight * self.idf_[j])
        cols_a, vals_a = np.array(cols, dtype=int), np.array(vals, dtype=float)
        norm = np.linalg.norm(vals_a)
        return cols_a, vals_a / norm if norm else vals_a

    def text_scores(self, exp: Expansion) -> np.ndarray:
        """Cosine similarity of every event with one expanded passion."""
        return self._text_scores(*self._query(exp))

    def _text_scores(self, cols: np.ndarray, vals: np.ndarray) -> np.ndarray:
        if not len(cols):
            return np.zeros(len(self.events_))
        return np.asarray(self.matrix_[:, cols] @ vals).ravel()

    def plan(self, passions: Sequence[str]) -> tuple[list[Expansion], list[tuple[np.ndarray, np.ndarray]]]:
        """The grouped, expanded passions and their query vectors (vocabulary columns, weights)."""
        check_is_fitted(self, "matrix_")
        if not passions:
            raise PassionError("no passions given: name at least one thing you love")
        exps = group_passions([self.expander_.expand(p) for p in passions])
        return exps, [self._query(e) for e in exps]

    def score(self, passions: Sequence[str], *, plan=None, text: np.ndarray | None = None) -> Scores:
        """Final and text-only scores, one row per (grouped) passion, one column per event.

        ``plan`` and ``text`` (from :meth:`plan` and a batch product, see :mod:`recommender.batch`)
        skip recomputing them."""
        exps, queries = plan or self.plan(passions)
        if text is None:
            text = np.vstack([self._text_scores(*q) for q in queries])
        penalty = 0.0 if any(is_business_passion(p) for p in passions) else self.business_penalty
        matches = text > self.min_score
        final = np.where(matches, text - penalty * self.business_ + self.ties_boost * self.ties_, 0.0)
        return Scores(final, text, exps, queries, penalty)

    def rank(
        self,
        passions: Sequence[str],
        *,
        limit: int = 10,
        mask: np.ndarray | None = None,
        scores: Scores | None = None,
    ) -> list[Pick]:
        """The best ``limit`` events (optionally only where ``mask`` is true), best first.
        ``scores``: :meth:`score` of ``passions`` when already computed (batch scoring)."""
        scores = scores or self.score(passions)
        final = scores.final
        allowed = np.ones(final.shape[1], bool) if mask is None else np.asarray(mask, bool)
        queues = []
        for row in final:
            idx = np.flatnonzero(allowed & (row > 0))
            queues.append(BestFirst(row, idx, first=2 * limit))
        order = sorted(range(len(queues)), key=lambda p: -(final[p, queues[p][0]] if queues[p] else 0))
        picks: list[Pick] = []
        seen: set[tuple[str, object]] = set()
        while len(picks) < limit and any(queues):
            for p in order:
                while queues[p]:
                    i = queues[p].pop(0)
                    ev = self.events_[i]
                    key = (normalise_title(ev.title), ev.start.date())  # also catches the same event twice
                    if key in seen:
                        continue
                    seen.add(key)
                    picks.append(self._pick(i, p, scores))
                    break
                if len(picks) >= limit:
                    break
        return picks

    def _pick(self, i: int, p: int, scores: Scores) -> Pick:
        exp = scores.expansions[p]
        cols, vals = scores.queries[p]
        contrib = self.matrix_[i, cols].toarray().ravel() * vals if len(cols) else np.zeros(0)
        why: list[str] = []
        own = expansion = 0.0
        for k in np.argsort(-contrib):
            if contrib[k] <= 0:
                break
            feat = self.terms_[int(cols[k])]
            if feat in exp.own:
                own += contrib[k]
            else:
                expansion += contrib[k]
            label = exp.labels.get(feat, feat)
            if label not in why:
                why.append(label)
        breakdown = {
            "text": float(own),
            "expansion": float(expansion),
            "business": -float(scores.penalty * self.business_[i]),
            "ties": float(self.ties_boost * self.ties_[i]),
        }
        return Pick(self.events_[i], float(scores.final[p, i]), exp.passion, why[:6], breakdown)
