"""The semantic extra's rows in ``kindred eval``: the embedding model alone and Kindred fused with it.

* ``embedding`` — cosine between the whole statement, as typed, and each event's text: the model on
  its own, with none of Kindred's lexicon, gates or penalties.
* ``kindred+semantic`` — :class:`~recommender.ranking.semantic.SemanticRanking`: Kindred with fused scores.

Both read the events through the same :func:`~recommender.ranking.ranker.event_text` as the ranker.
"""

from __future__ import annotations

from collections.abc import Callable

from recommender.evaluation.corpora import Corpus
from recommender.evaluation.rankers import DEPTH, order_by_score
from recommender.ranking.ranking import Ranking
from recommender.ranking.semantic import Embedder, SemanticRanking, embed_events


def rank_embedding(corpus: Corpus) -> Callable[[str], list[str]]:
    """The embedding model alone: events by cosine with the statement, ties broken by id hash."""
    embedder = Embedder.load()
    vectors = embed_events(embedder, corpus.events)
    ids = [e.id for e in corpus.events]

    def run(text: str) -> list[str]:
        (query,) = embedder.embed([text])
        # cosine lies in [-1, 1]; order_by_score keeps positive scores only, so shift it
        return [
            doc for event_id in order_by_score(ids, vectors @ query + 1.0) for doc in corpus.doc_ids[event_id]
        ]

    return run


def rank_kindred_semantic(corpus: Corpus) -> Callable[[str], list[str]]:
    """Kindred with the semantic layer (the same code as ``kindred query --semantic``)."""
    ranking = SemanticRanking.fit(Ranking(corpus.events))

    def run(text: str) -> list[str]:
        return [doc for p in ranking.rank(text, limit=DEPTH) for doc in corpus.doc_ids[p.event.id]]

    return run


SEMANTIC = {"embedding": rank_embedding, "kindred+semantic": rank_kindred_semantic}
