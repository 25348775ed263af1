"""Graded relevance on a judged set: statements with each (statement, event) pair judged 0, 1 or 2.

A judged set is a JSON list of ``{"id", "statement", "judgements": {event id: 0|1|2}}``, judged on
the embedded Toronto data (``data/toronto_festivals_events.jsonld``, read as ``kindred query``
reads it: parse → store); event ids are the store's ids. Each ranker's top 10 is scored with
graded nDCG@10 (gain = the grade; an unjudged event counts 0) and the unjudged events in it are
counted, since a system the pool never saw is scored low for what nobody judged.

>>> graded_ndcg_at_k(["a", "x", "b"], {"a": 2, "b": 1, "c": 1}, 10)  # (2 + 1/2) / (2 + 1/log2(3) + 1/2)
0.7984848580994974
>>> unjudged_at_k(["a", "x", "b"], {"a": 2, "b": 0}, 10)
1
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from recommender.evaluation.corpora import Corpus
from scrapers.errors import KindredError

GRADES = (0, 1, 2)
JUDGED_METRICS = ("ndcg@10", "unjudged@10")


class JudgedSetError(KindredError):
    """The judged-set file cannot be used."""


@dataclass
class Judged:
    """One judged statement."""

    id: str
    statement: str
    judgements: dict[str, int]


def load_judged(path: Path) -> list[Judged]:
    """The judged statements in ``path``; :class:`JudgedSetError` names what is wrong."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        out = [Judged(str(r["id"]), str(r["statement"]), dict(r["judgements"])) for r in raw]
    except FileNotFoundError as exc:
        raise JudgedSetError(f"{path}: no such judged-set file") from exc
    except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise JudgedSetError(
            f"{path}: not a judged set (a JSON list of {{id, statement, judgements: {{event id: 0|1|2}}}}): "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    for item in out:
        bad = {e: g for e, g in item.judgements.items() if g not in GRADES or isinstance(g, bool)}
        if bad:
            raise JudgedSetError(f"{path}: {item.id}: grades must be 0, 1 or 2, not {bad}")
    return out


def _top(ranking: Sequence[str], k: int) -> list[str]:
    return list(dict.fromkeys(ranking))[:k]


def graded_ndcg_at_k(ranking: Sequence[str], judgements: Mapping[str, int], k: int = 10) -> float:
    """nDCG@k with the grades as gains (unjudged events gain 0); 0 when nothing is judged relevant."""
    dcg = sum(judgements.get(d, 0) / math.log2(i + 2) for i, d in enumerate(_top(ranking, k)))
    best = sorted((g for g in judgements.values() if g > 0), reverse=True)[:k]
    ideal = sum(g / math.log2(i + 2) for i, g in enumerate(best))
    return dcg / ideal if ideal else 0.0


def unjudged_at_k(ranking: Sequence[str], judgements: Mapping[str, int], k: int = 10) -> int:
    """How many of the first ``k`` events carry no judgement."""
    return sum(d not in judgements for d in _top(ranking, k))


def embedded_corpus() -> Corpus:
    """The embedded Toronto data as a :class:`Corpus` whose doc ids are the store's event ids."""
    from recommender.store.event_store import Store
    from recommender.store.snapshot import load_snapshot

    store = Store("sqlite://")
    load_snapshot(store, now=datetime(2026, 1, 1, tzinfo=timezone.utc))
    events = list(store.events())
    return Corpus(
        "embedded",
        events,
        doc_ids={e.id: [e.id] for e in events},
        labels={},
        texts={e.id: f"{e.title}\n{e.description}" for e in events},
    )


def run_judged(
    judged: Sequence[Judged],
    rankers: Mapping[str, Callable[[Corpus], Callable[[str], list[str]]]],
    corpus: Corpus | None = None,
) -> list[dict]:
    """One row per ranker: mean graded nDCG@10, and unjudged events in the top 10 (total over
    the statements, as ``unjudged@10``, and ``unjudged_share``: of all top-10 places)."""
    corpus = corpus or embedded_corpus()
    rows = []
    for name, make in rankers.items():
        run = make(corpus)
        ndcgs, unjudged, places = [], 0, 0
        for item in judged:
            got = run(item.statement)
            ndcgs.append(graded_ndcg_at_k(got, item.judgements))
            unjudged += unjudged_at_k(got, item.judgements)
            places += len(_top(got, 10))
        rows.append(
            {
                "ranker": name,
                "set": "judged",
                "n": len(judged),
                "ndcg@10": round(sum(ndcgs) / len(ndcgs), 3) if ndcgs else None,
                "unjudged@10": unjudged,
                "unjudged_share": round(unjudged / places, 3) if places else None,
            }
        )
    return rows
