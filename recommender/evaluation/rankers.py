"""The rankers ``kindred eval`` compares, each ``corpus -> (query text -> doc ids, best first)``.

Kindred itself, plain TF-IDF and BM25 (``rank-bm25``, from the ``eval`` extra); the semantic extra's
two rows are in :mod:`recommender.evaluation.semantic_rankers`.

>>> order_by_score(["a", "b", "c"], np.array([0.2, 0.9, 0.0]))
['b', 'a']
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence

import numpy as np

from recommender.evaluation.corpora import Corpus
from scrapers.errors import KindredError

DEPTH = 100  # how many documents each ranker returns per query


class BaselineMissing(KindredError):
    """A baseline's library is not installed (it comes with the ``eval`` extra)."""


def _tiebreak(doc_id: str) -> str:
    return hashlib.sha1(doc_id.encode()).hexdigest()


def order_by_score(doc_ids: Sequence[str], scores: np.ndarray, depth: int = DEPTH) -> list[str]:
    """Doc ids by descending score; ties broken by a hash of the id, never by file order."""
    keys = sorted(range(len(doc_ids)), key=lambda i: (-scores[i], _tiebreak(doc_ids[i])))
    return [doc_ids[i] for i in keys[:depth] if scores[i] > 0]


def rank_tfidf(corpus: Corpus) -> Callable[[str], list[str]]:
    """Baseline: scikit-learn ``TfidfVectorizer()`` defaults and cosine over the README's text column."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = list(corpus.texts)
    vec = TfidfVectorizer()
    matrix = vec.fit_transform([corpus.texts[d] for d in docs])
    return lambda text: order_by_score(docs, (vec.transform([text]) @ matrix.T).toarray()[0])


def rank_bm25(corpus: Corpus) -> Callable[[str], list[str]]:
    """Baseline: ``rank_bm25.BM25Okapi`` on lowercased ``\\w+`` tokens."""
    try:
        from rank_bm25 import BM25Okapi
    except ModuleNotFoundError:
        raise BaselineMissing(
            "the bm25 baseline needs rank-bm25: pip install 'kindred-events[eval]' "
            "(or pick others: --ranker kindred --ranker tfidf)"
        ) from None

    docs = list(corpus.texts)
    tokens = lambda text: re.findall(r"\w+", text.lower())  # noqa: E731
    bm25 = BM25Okapi([tokens(corpus.texts[d]) for d in docs])
    return lambda text: order_by_score(docs, bm25.get_scores(tokens(text)))


def rank_kindred(corpus: Corpus) -> Callable[[str], list[str]]:
    """Kindred's own ranking (the same code as ``kindred query``), mapped back to doc ids."""
    from recommender.ranking.ranking import Ranking

    ranking = Ranking(corpus.events)

    def run(text: str) -> list[str]:
        picks = ranking.rank(text, limit=DEPTH)
        return [doc for p in picks for doc in corpus.doc_ids[p.event.id]]

    return run


RANKERS = {"kindred": rank_kindred, "tfidf": rank_tfidf, "bm25": rank_bm25}
SEMANTIC_RANKERS = (
    "embedding",
    "kindred+semantic",
)  # with the semantic extra (recommender.evaluation.semantic_rankers)
