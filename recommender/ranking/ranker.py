"""Ranking events against passions: a scikit-learn-style estimator around ``TfidfVectorizer``.

For each passion the lexicon-expanded query (see :mod:`recommender.passions.expansion`) is scored against
every event by cosine similarity over TF-IDF features (plural-folded words and word pairs of title,
tags, group, venue, organiser and description). A passion that names a hobby only matches events
with a word from that hobby. Then, per event (see :mod:`recommender.ranking.signals`):

* ``business`` — a business-mixer score, subtracted (times ``business_penalty``) unless a
  passion itself is about business or careers;
* ``ties`` — a mild boost for what builds real ties: recurring groups, workshops, volunteering,
  community events (``ties_boost`` times a 0–1 score, and only for events that already match);
* ``format`` — when a passion names a kind of event ("birdwatching *walks*", "pottery *classes*",
  see :mod:`recommender.passions.event_formats`), its match with events of that kind is raised by
  ``format_boost``;
* ``feedback`` — Rocchio toward liked events and away from dismissed ones (dismissed never return);
* ``avoid`` — the match with what the person said they do not want, subtracted.

Several passions share one list: events in order of their score summed over the passions, with
every passion that names a hobby placed in the first ``cover`` entries; repeats (the same title
at the same venue, on the same day or another) collapse into one entry, the best-scored.

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

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from recommender.passions.event_formats import Formats
from recommender.passions.expansion import Expander, Expansion, group_passions, phrase_features
from recommender.passions.filler import is_filler
from recommender.passions.statement import PassionError
from recommender.passions.stemming import analyzer
from recommender.ranking.estimator import Estimator
from recommender.ranking.event_features import EventFeatures, paused_gc, tfidf
from recommender.ranking.index_arrays import prefetch
from recommender.ranking.picks import Pick, Scores
from recommender.ranking.signals import is_business_passion
from recommender.ranking.term_matrix import entries, row_values, rows_with_any, weighted_sum, weighted_sums
from recommender.ranking.topk import passion_shares, spread
from scrapers.event import Event

if TYPE_CHECKING:
    from recommender.ranking.feedback import Feedback

NOTABLE_FEEDBACK = 0.05  # a feedback lift worth naming in the pick
COVER = 10  # every named passion appears within the first COVER picks
IDENTITY_CATEGORY = "community"  # the lexicon's category of identity and life-stage communities
REMEMBERED = 4096  # query vectors and evidence masks a fitted ranker keeps (a digest run asks again)
BOTH_LIFT = 1.0  # events that are both the community and the activity score twice their match


class PassionRanker(Estimator):
    """Lexicon-expanded TF-IDF ranker over events.

    Parameters
    ----------
    business_penalty : subtracted per unit of business-mixer score (0 disables).
    ties_boost : added per unit of "builds real ties" score, for matching events only.
    min_score : text-match score below which an event is not a match at all.
    like_weight, dismiss_weight : Rocchio weights of the liked and dismissed events' centroids.
    avoid_penalty : subtracted per unit of match with what the person said they do not want.
    format_boost : relative lift of a passion's match with events of a format it names.
    unmatched_share : share of the list for a passion that names no known hobby.
    sublinear_tf, max_df : passed to ``TfidfVectorizer``.
    """

    def __init__(
        self,
        *,
        business_penalty: float = 0.5,
        ties_boost: float = 0.03,
        min_score: float = 0.02,
        like_weight: float = 0.5,
        dismiss_weight: float = 0.25,
        avoid_penalty: float = 1.0,
        format_boost: float = 0.2,
        sublinear_tf: bool = True,
        max_df: float = 0.5,
        unmatched_share: float = 0.5,
    ):
        self.business_penalty = business_penalty
        self.ties_boost = ties_boost
        self.min_score = min_score
        self.like_weight = like_weight
        self.dismiss_weight = dismiss_weight
        self.avoid_penalty = avoid_penalty
        self.format_boost = format_boost
        self.sublinear_tf = sublinear_tf
        self.max_df = max_df
        self.unmatched_share = unmatched_share

    def fit(
        self,
        events: Iterable[Event],
        y=None,
        *,
        count: int | None = None,
        features: EventFeatures | None = None,
    ) -> PassionRanker:
        """Fit on ``events``, read once: a sequence is kept as ``events_``; anything else (a stream
        from the store, ``count`` events long) is not kept, and the caller sets ``events_`` from
        the ids that ``features`` (an :class:`EventFeatures` it passes) collects."""
        keep = isinstance(events, Sequence)
        self.events_ = list(events) if keep else None
        count = len(self.events_) if keep else count
        if count is None:
            raise ValueError("fitting on a stream of events needs their count")
        features = EventFeatures() if features is None else features
        texts = features.tokens(self.events_ if keep else events)  # a million texts need not coexist
        with paused_gc():  # (tfidf weighs in float32: half the memory of float64; scores need no more)
            self.matrix_, self.idf_, self.terms_ = tfidf(
                texts, max_df=self.max_df if count > 50 else 1.0, sublinear_tf=self.sublinear_tf
            )
        self.vocabulary_ = dict(zip(self.terms_, range(len(self.terms_)), strict=True))
        self.business_ = features.business
        self.ties_ = features.ties
        self.series_ = features.series
        self.expander_ = Expander.default()
        self.formats_ = Formats.default()
        return self

    def _query(self, exp: Expansion, only: set[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The passion's vocabulary columns and unit-norm weights (``only``: just those features'
        entries, at the same weights)."""
        cols, vals, keep = [], [], []
        for feat, weight in exp.features.items():
            j = self.vocabulary_.get(feat)
            if j is not None:
                cols.append(j)
                vals.append(weight * self.idf_[j])
                keep.append(only is None or feat in only)
        cols_a, vals_a = np.array(cols, dtype=int)[keep], np.array(vals, dtype=float)
        norm = np.linalg.norm(vals_a)
        vals_a = vals_a[keep]
        return cols_a, vals_a / norm if norm else vals_a

    def text_scores(self, exp: Expansion, query: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
        """Cosine similarity of every event with one expanded passion (``query``: its
        :meth:`_query`, when at hand). Loose features ("fan club" of comic books) count only in
        events that hold one of the hobby's own or related words, not beside a context word
        ("fans") alone."""
        out = self._text_scores(*(query or self._query(exp)))
        loose = self._loose_part(exp)
        return out if loose is None else out - loose

    def _loose_part(self, exp: Expansion) -> np.ndarray | None:
        """What the passion's loose features add to events holding none of its own or related
        words (the part :meth:`text_scores` takes off), or None when that is nothing."""
        loose = exp.loose & exp.features.keys() if exp.hobbies else set()
        if loose and (part := self._query(exp, only=loose))[0].size:
            return self._text_scores(*part) * ~self._has_any(exp.core - exp.loose)
        return None

    def _has_any(self, features: set[str]) -> np.ndarray:
        """Which events hold any of ``features`` (kept per feature set: treat it as read-only)."""
        return self._kept("_has_any_kept", frozenset(features), self._rows_holding)

    def _rows_holding(self, features: frozenset[str]) -> np.ndarray:
        cols = [j for f in features if (j := self.vocabulary_.get(f)) is not None]
        return rows_with_any(self.matrix_, cols) if cols else np.zeros(len(self.events_), dtype=bool)

    def _query_of(self, exp: Expansion) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`_query` of a passion's own expansion (nothing merged into it), kept per passion."""
        return self._kept("_queries_kept", exp.passion, lambda _: self._query(exp))

    def _kept(self, name: str, key, compute):
        """``compute(key)``, remembered in the fitted ranker's ``name`` memo (up to ``REMEMBERED``)."""
        kept = self.__dict__.setdefault(name, {})
        found = kept.get(key)
        if found is None:
            found = compute(key)
            if len(kept) < REMEMBERED:
                kept[key] = found
        return found

    def format_lift(self, exp: Expansion) -> np.ndarray | None:
        """1 + ``format_boost`` for events of a format the passion names (1 for the others), or
        None when it names none."""
        names = self.formats_.of(exp.passion)
        if not names or not self.format_boost:
            return None
        hits = np.logical_or.reduce([self._format_hits(name) for name in sorted(names)])
        return 1.0 + self.format_boost * hits

    def _format_hits(self, name: str) -> np.ndarray:
        """Which events are of format ``name`` (kept by :meth:`_has_any`: frequent words)."""
        phrases = self.formats_.phrases([name])
        return self._has_any({f for phrase in phrases for f in phrase_features(phrase)})

    def _text_scores(self, cols: np.ndarray, vals: np.ndarray) -> np.ndarray:
        if not len(cols):
            return np.zeros(len(self.events_))
        return weighted_sum(self.matrix_, cols, vals)

    def feedback_scores(self, feedback: Feedback) -> np.ndarray:
        """Rocchio: ``like_weight`` × similarity to the centroid of liked events, minus
        ``dismiss_weight`` × similarity to the centroid of dismissed ones (ids not fitted are ignored)."""
        out = np.zeros(len(self.events_))
        for ids, weight in ((feedback.likes, self.like_weight), (feedback.dismissed, -self.dismiss_weight)):
            centroid = self._centroid(ids) if weight else None
            if centroid is not None:
                out += weight * (self._rows() @ centroid)
        return out

    def _centroid(self, event_ids) -> np.ndarray | None:
        """The mean TF-IDF row of the fitted events among ``event_ids`` (None when there are none)."""
        rows = self._rows_of(event_ids)
        if not rows:
            return None
        # picked.mean(axis=0) bit for bit (its data scaled by 1/n, summed down each column in row
        # order, in the matrix's dtype) without the dense row of ones and the product it costs
        picked = self._rows()[rows]
        out = np.zeros(picked.shape[1], dtype=picked.dtype)
        np.add.at(out, picked.indices, picked.data * (1.0 / len(rows)))
        return out

    def _liked_rows(self, feedback: Feedback) -> list[int]:
        return self._rows_of(feedback.likes)

    def _most_like(self, i: int, liked_rows: list[int]) -> str:
        """The title of the liked event (among ``liked_rows``) most like event ``i``."""
        matrix = self._rows()
        sims = (matrix[liked_rows] @ matrix[i].T).toarray().ravel()
        return self.events_[liked_rows[int(np.argmax(sims))]].title

    def _row_values(self, i: int, cols: np.ndarray, read: dict, key) -> np.ndarray:
        """``matrix_[i, cols]`` as a flat array: the stored values, read from the row when rows are
        at hand (feedback or a window built them), else from the columns (a query reads only those;
        ``read[key]`` keeps their entries for the next pick of the same passion)."""
        rows = getattr(self, "rows_", None)
        if rows is None:
            if key not in read:
                read[key] = entries(self.matrix_, cols)
            return row_values(self.matrix_, i, cols, read[key])
        lo, hi = rows.indptr[i], rows.indptr[i + 1]
        present, values = rows.indices[lo:hi], rows.data[lo:hi]  # columns sorted (canonical CSR)
        at = np.minimum(np.searchsorted(present, cols), max(len(present) - 1, 0))
        out = np.zeros(len(cols), dtype=rows.dtype)
        if len(present):
            hit = present[at] == cols
            out[hit] = values[at[hit]]
        return out

    def _rows(self):
        if getattr(self, "rows_", None) is None:
            self.rows_ = self.matrix_.tocsr()  # row access for feedback; built only when needed
        return self.rows_

    def _rows_of(self, event_ids) -> list[int]:
        """Matrix rows of the fitted events among ``event_ids`` (others are ignored)."""
        if not event_ids:
            return []
        if getattr(self, "positions_", None) is None:  # built on the first feedback, not per query
            ids = getattr(self.events_, "ids", None)  # a persisted index knows ids without loading events
            ids = [e.id for e in self.events_] if ids is None else ids
            self.positions_ = {event_id: i for i, event_id in enumerate(ids)}
        return sorted(self.positions_[e] for e in event_ids if e in self.positions_)

    def plan(self, passions: Sequence[str]) -> tuple[list[Expansion], list[tuple[np.ndarray, np.ndarray]]]:
        """The grouped, expanded passions and their query vectors (vocabulary columns, weights)."""
        self.check_fitted("matrix_")
        if not passions:
            raise PassionError("no passions given: name at least one thing you love")
        exps = group_passions([self.expander_.expand(p) for p in passions])
        merged = len(exps) < len(passions)  # each merge folds one passion into another
        return exps, [self._query(e) if merged else self._query_of(e) for e in exps]

    def score(
        self,
        passions: Sequence[str],
        feedback: Feedback | None = None,
        avoid: Sequence[str] = (),
        *,
        plan=None,
        text: np.ndarray | None = None,
        admit: np.ndarray | None = None,
    ) -> Scores:
        """Final and text-only scores, one row per (grouped) passion, one column per event.

        ``avoid`` holds what the person does not want ("networking", "team sports"): each event's
        best match with those is subtracted (times ``avoid_penalty``). ``plan`` and ``text`` (from
        :meth:`plan`, and the text-only product a caller already has) skip recomputing them.
        ``admit`` (passions × events, optional) marks events that pass a hobby passion's gate
        without its words: those the semantic layer proposes.
        """
        exps, queries = plan or self.plan(passions)
        mine = text is None
        if mine:  # text_scores of each passion, the products summed in one pass
            text = weighted_sums(self.matrix_, queries)
            for row, exp in zip(text, exps, strict=True):
                if (loose := self._loose_part(exp)) is not None:
                    row -= loose
        gates = [self._has_any(e.evidence) if e.hobbies else None for e in exps]
        if admit is not None:  # events meaning proposed (the semantic layer) pass the words' gate
            gates = [g if g is None else g | a for g, a in zip(gates, admit, strict=True)]
        if any(g is not None for g in gates):  # a hobby passion needs a hobby word, not a stray "long"
            text = text if mine else text.copy()
            for row, gate in zip(text, gates, strict=True):
                if gate is not None:
                    row *= gate
        both = self._both(exps, text)
        if both is not None:
            text = text + both
        penalty = 0.0 if any(is_business_passion(p) for p in passions) else self.business_penalty
        lifts = [self.format_lift(e) for e in exps]
        lift = None
        if any(x is not None for x in lifts):
            lift = np.vstack([np.ones(text.shape[1]) if x is None else x for x in lifts])
        fb = self.feedback_scores(feedback) if feedback else None
        unwanted = np.zeros(len(self.events_))
        for phrase in avoid:
            shunned = self.expander_.expand(phrase)
            unwanted = np.maximum(unwanted, self.text_scores(shunned, self._query_of(shunned)))
        # only events some passion matches can score: the rest stay 0 (the same floats, fewer of them)
        hit = text > self.min_score
        at = np.flatnonzero(hit.any(axis=0))
        match = text[:, at] if lift is None else text[:, at] * lift[:, at]
        match = match if fb is None else match + fb[at]  # feedback reorders matches, never makes one
        adjusted = match - penalty * self.business_[at] + self.ties_boost * self.ties_[at]
        adjusted = adjusted - self.avoid_penalty * unwanted[at]
        final = np.zeros(text.shape, adjusted.dtype)
        final[:, at] = np.where(hit[:, at], adjusted, 0.0)
        if feedback:
            final[:, self._rows_of(feedback.dismissed)] = 0.0
        liked = self._liked_rows(feedback) if feedback else []
        unwanted = unwanted if len(avoid) else None
        return Scores(final, text, exps, queries, penalty, lift, fb, liked, unwanted)

    def rank(
        self,
        passions: Sequence[str],
        *,
        limit: int = 10,
        mask: np.ndarray | None = None,
        feedback: Feedback | None = None,
        avoid: Sequence[str] = (),
        cover: int = COVER,
        scores: Scores | None = None,
    ) -> list[Pick]:
        """The best ``limit`` events (optionally only where ``mask`` is true), best first.

        Events are ordered by their score summed over the passions (each weighted by its share,
        see :func:`passion_shares`), so an event serving two passions rises. Every passion that
        names a hobby and matches something gets a place in the first ``cover`` entries.
        ``feedback`` moves the passions toward liked events and drops dismissed ones. ``scores``:
        :meth:`score` of ``passions`` when already computed (batch scoring).
        """
        scores = scores or self.score(passions, feedback, avoid)
        share = np.array(passion_shares(scores.expansions, self.unmatched_share))
        allowed = np.ones(scores.final.shape[1], bool) if mask is None else np.asarray(mask, bool)
        filler = [not e.hobbies and is_filler(e.passion) for e in scores.expansions]
        if any(filler) and not all(filler):  # an aside only reorders what the other clauses match
            allowed = allowed & (scores.final[[not f for f in filler]] > 0).any(axis=0)
        # one entry per series: the same title at the same place on other days is the same thing
        series = self.series_
        order = spread(scores.final, share, allowed, limit=limit, cover=cover, key=lambda i: int(series[i]))
        prefetch(self.events_, [i for i, _ in order])  # a saved index reads the picks in one go
        return [self._pick(i, p, scores) for i, p in order]

    def _both(self, exps: list[Expansion], text: np.ndarray) -> np.ndarray | None:
        """For a passion naming a community and an activity ("LGBTQ+ climbers", "Black runners"),
        events holding evidence of each named hobby get ``BOTH_LIFT`` times their text score on top,
        so they come before events that are only one of them. The lift depends on the event alone,
        never on which other events are ranked (a week's window ranks as the whole store does).
        None when no passion names such a pair."""
        out = None
        for row, exp in enumerate(exps):
            named = [h for h, w in exp.hobbies.items() if w >= 0.5]
            categories = {self.expander_.category(h) for h in named}
            if len(categories) < 2 or IDENTITY_CATEGORY not in categories or not text[row].any():
                continue  # only a community with an activity; two facets of one pastime are not "both"
            every = np.logical_and.reduce([self._has_any(self.expander_.expand(h).evidence) for h in named])
            if every.any():
                out = np.zeros_like(text) if out is None else out
                out[row] = every * text[row] * BOTH_LIFT
        return out

    @staticmethod
    def _sure(event: Event, hits: set[str], terms: set[str]) -> bool:
        """Whether an event is surely about a named hobby, given the hobby's words it holds that are
        neither ambiguous context nor loose: one of its own terms ("painting"), two of them, or one
        in its title, tags or group (a lone related "grandmaster" deep in a dance-drama's
        description does not make it chess)."""
        if len(hits) >= 2 or not hits.isdisjoint(terms):
            return True
        head = " ".join([event.title, *event.tags, event.group or ""])
        return bool(hits) and not hits.isdisjoint(analyzer(head))

    def _pick(self, i: int, p: int, scores: Scores) -> Pick:
        exp = scores.expansions[p]
        cols, vals = scores.queries[p]
        contrib = self._row_values(i, cols, scores.entries, p) * vals if len(cols) else np.zeros(0)
        why: list[str] = []
        own = expansion = 0.0
        present = {self.terms_[int(cols[k])] for k in np.flatnonzero(contrib > 0)}
        sure = not exp.hobbies or self._sure(self.events_[i], present & (exp.core - exp.loose), exp.terms)
        if exp.hobbies and present & exp.loose and not present & (exp.core - exp.loose):
            # loose words did not count here (see text_scores): neither named nor in the breakdown
            contrib[[self.terms_[int(c)] in exp.loose for c in cols]] = 0.0
        for k in np.argsort(-contrib):
            if contrib[k] <= 0:
                break
            feat = self.terms_[int(cols[k])]
            if feat in exp.own:
                own += contrib[k]
            else:
                expansion += contrib[k]
            label = exp.label_in(feat, present)
            if label not in why:
                why.append(label)
        breakdown = {
            "text": float(own),
            "expansion": float(expansion),
            "business": -float(scores.penalty * self.business_[i]),
            "ties": float(self.ties_boost * self.ties_[i]),
        }
        if scores.lift is not None and scores.lift[p, i] != 1.0:
            breakdown["format"] = float(scores.text[p, i] * (scores.lift[p, i] - 1.0))
        if scores.unwanted is not None:
            breakdown["avoid"] = -float(self.avoid_penalty * scores.unwanted[i])
        liked = ""
        if scores.feedback is not None:
            breakdown["feedback"] = float(scores.feedback[i])
            if scores.feedback[i] > NOTABLE_FEEDBACK and scores.liked_rows:
                liked = self._most_like(i, scores.liked_rows)
        return Pick(self.events_[i], float(scores.final[p, i]), exp.passion, why[:6], breakdown, liked, sure)
