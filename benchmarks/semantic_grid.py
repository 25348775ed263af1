"""Every fusion rule tried while building the semantic extra, scored on a queries file.

This is the record behind the choice in :mod:`recommender.ranking.semantic` (``gated/hobbies/0.2``): the
rules below were all run on the dev queries, so their spread says how much the choice could be luck.
``centered/hobbies/0.2`` was chosen first; ``gated`` replaced it after a look at real queries showed
meaning-only matches to be noise (it scores the same on the dev queries). Run it on a held-out file
to check the choice without tuning on it::

    python -m benchmarks.semantic_grid --queries ../shared/eval/dev_queries.json

Rules (``lexical`` is Kindred's TF-IDF cosine per passion and event, ``cos`` the embedding cosine):

* ``raw``      (1 - w)·lexical + w·max(cos, 0)
* ``centered`` (1 - w)·lexical + w·max(cos - mean cos, 0)
* ``gated``    ``centered`` where lexical > 0, else 0: words admit, meaning orders (shipped)
* ``added``    lexical + w·max(cos - mean cos, 0)
* ``maxnorm``  both rescaled to 0..1 per passion, mixed, put back on the lexical scale
* ``floor``    (1 - w)·lexical + w·max(cos - (mean + 3 sd), 0)
* ``rrf``      reciprocal-rank fusion (k = 60) of the two orders, on the lexical scale

each with the passion's own words (``words``) or its words plus the hobbies the lexicon found
(``hobbies``, shipped). The business penalty, gates, avoid and the rest apply to all of them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from recommender.evaluation.evaluate import METRICS, load_queries, run_eval
from recommender.evaluation.rankers import DEPTH
from recommender.evaluation.semantic_rankers import SEMANTIC
from recommender.ranking.ranking import Ranking
from recommender.ranking.semantic import Embedder, SemanticRanking, embed_events


def _ranks(m: np.ndarray) -> np.ndarray:
    out = np.empty_like(m)
    for row, values in enumerate(m):
        out[row, np.argsort(-values, kind="stable")] = np.arange(1, m.shape[1] + 1)
    return out


def _centered(cos: np.ndarray) -> np.ndarray:
    return np.maximum(cos - cos.mean(axis=1, keepdims=True), 0)


def _unit(m: np.ndarray) -> np.ndarray:
    return m / np.maximum(m.max(axis=1, keepdims=True), 1e-9)


def _lexical_scale(lex: np.ndarray) -> np.ndarray:
    return np.maximum(lex.max(axis=1, keepdims=True), 0.3)


def maxnorm(lex, cos, w):
    return _lexical_scale(lex) * ((1 - w) * _unit(lex) + w * _unit(_centered(cos)))


def floor(lex, cos, w):
    noise = cos.mean(axis=1, keepdims=True) + 3 * cos.std(axis=1, keepdims=True)
    return (1 - w) * lex + w * np.maximum(cos - noise, 0)


def rrf(lex, cos, w):
    fused = (lex > 0) / (60 + _ranks(lex)) + 1 / (60 + _ranks(cos))
    return _lexical_scale(lex) * _unit(fused)


RULES = {
    "raw": lambda lex, cos, w: (1 - w) * lex + w * np.maximum(cos, 0),
    "centered": lambda lex, cos, w: (1 - w) * lex + w * _centered(cos),
    "added": lambda lex, cos, w: lex + w * _centered(cos),
    "maxnorm": maxnorm,
    "floor": floor,
    "rrf": rrf,
    "gated": lambda lex, cos, w: ((1 - w) * lex + w * _centered(cos)) * (lex > 0),
}
GRID = [
    *[
        (rule, text, w)
        for rule in ("raw", "centered")
        for text in ("words", "hobbies")
        for w in (0.2, 0.33, 0.5)
    ],
    *[("added", "hobbies", w) for w in (0.25, 0.5)],
    *[(rule, text, 0.5) for rule in ("maxnorm", "floor") for text in ("words", "hobbies")],
    ("rrf", "words", 0.0),
    *[("gated", "hobbies", w) for w in (0.2, 0.5)],
]


class _Variant(SemanticRanking):
    rule, text = "centered", "hobbies"

    def passion_text(self, exp):
        return super().passion_text(exp) if self.text == "hobbies" else exp.passion

    def fuse(self, lexical, cosine):
        return RULES[self.rule](lexical, cosine, self.weight)


def variant(rule: str, text: str, weight: float, embedder: Embedder):
    def build(corpus):
        ranking = _Variant(
            Ranking(corpus.events), embedder, embed_events(embedder, corpus.events), weight=weight
        )
        ranking.rule, ranking.text = rule, text

        def run(passions: str) -> list[str]:
            return [d for p in ranking.rank(passions, limit=DEPTH) for d in corpus.doc_ids[p.event.id]]

        return run

    return build


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, help="Default: ../data/raw beside the queries file.")
    args = parser.parse_args(argv)
    queries = load_queries(args.queries)
    data_dir = args.data_dir or args.queries.resolve().parent.parent / "data" / "raw"
    labels_path = args.queries.resolve().parent / "business_labels.json"
    labels = json.loads(labels_path.read_text()) if labels_path.is_file() else {}
    embedder = Embedder.load()
    from recommender.evaluation import evaluate

    names = {f"{rule}/{text}/{w:g}": variant(rule, text, w, embedder) for rule, text, w in GRID}
    evaluate.RANKERS.update(SEMANTIC, **names)
    rows, _ = run_eval(queries, data_dir, labels, ["kindred", "embedding", *names])
    corpora = sorted({r["corpus"] for r in rows} - {"all"}) + ["all"]
    print(f"{'ranker':<22}" + "".join(f"{c:>10}" for c in corpora) + f"{'leak@10':>10}")
    for name in ["kindred", "embedding", *names]:
        mine = {r["corpus"]: r for r in rows if r["ranker"] == name}
        leak = mine["all"]["leak@10"]
        cells = "".join(f"{mine[c]['ndcg@10']:>10.3f}" for c in corpora)
        print(f"{name:<22}{cells}{leak if leak is None else format(leak, '.3f'):>10}")
    print(f"(nDCG@10 per corpus; metrics: {', '.join(METRICS)} in run_eval rows)", file=sys.stderr)
    return rows


if __name__ == "__main__":
    main()
