"""Pool the top 10 of several systems on the embedded Toronto data, for a blind judge.

Given a statements file (a JSON list of ``{"id", "statement"}``; ``"passions"`` is read when
``"statement"`` is missing, so a queries file works too), runs Kindred, Kindred + semantic (when
the semantic extra is installed), BM25 and TF-IDF over the embedded data and writes one entry per
distinct (statement, event) pair found in any system's top 10: statement id and text, event id,
title, description, when and where, and an empty ``grade`` for the judge. Entries are grouped by
statement, in the file's order, and shuffled within each statement; nothing says which system
returned which event (nor how many did).

    .venv/bin/python eval/pool.py STATEMENTS.json -o pool.json [--seed 17] [--depth 10]

Once every ``grade`` is filled with 0, 1 or 2, turn the pool into a judged set for
``kindred eval --judged``:

    .venv/bin/python eval/pool.py --collect pool.json -o judged.json

This is an evaluation tool: it is not part of the installed package.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from recommender.evaluation.judged import GRADES, embedded_corpus
from recommender.evaluation.rankers import RANKERS
from recommender.ranking.semantic import available
from recommender.store.snapshot import SNAPSHOT_TZ
from scrapers.zones import get_zone

SYSTEMS = ("kindred", "kindred+semantic", "bm25", "tfidf")


def load_statements(path: Path) -> list[tuple[str, str]]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return [(str(r["id"]), str(r.get("statement") or r["passions"])) for r in raw]


def systems() -> dict:
    chosen = {name: RANKERS[name] for name in SYSTEMS if name in RANKERS}
    if available():
        from recommender.evaluation.semantic_rankers import SEMANTIC

        chosen["kindred+semantic"] = SEMANTIC["kindred+semantic"]
    else:
        print("pool: the semantic extra is not installed; pooling without kindred+semantic", file=sys.stderr)
    return {name: chosen[name] for name in SYSTEMS if name in chosen}


def describe(event) -> dict:
    zone = get_zone(SNAPSHOT_TZ)
    when = event.start.date().isoformat() if event.all_day else event.start.astimezone(zone).isoformat()
    if event.end:
        end = event.end.date().isoformat() if event.all_day else event.end.astimezone(zone).isoformat()
        when = f"{when} to {end}"
    where = ", ".join(p for p in (event.venue, event.address, event.city) if p) or (
        "online" if event.attendance == "online" else ""
    )
    return {
        "event_id": event.id,
        "title": event.title,
        "description": event.description,
        "when": when,
        "where": where,
    }


def pool(statements: list[tuple[str, str]], *, depth: int = 10, seed: int = 17) -> list[dict]:
    corpus = embedded_corpus()
    by_id = {e.id: e for e in corpus.events}
    runs = [make(corpus) for make in systems().values()]
    rng = random.Random(seed)
    entries = []
    for sid, text in statements:
        found: set[str] = set()
        for run in runs:
            found.update(list(dict.fromkeys(run(text)))[:depth])
        pairs = sorted(found)
        rng.shuffle(pairs)
        head = {"statement_id": sid, "statement": text}
        entries += [{**head, **describe(by_id[e]), "grade": None} for e in pairs]
    return entries


def collect(entries: list[dict]) -> list[dict]:
    """A filled pool as a judged set; every ``grade`` must be 0, 1 or 2."""
    missing = [f"{e['statement_id']}/{e['event_id']}" for e in entries if e.get("grade") not in GRADES]
    if missing:
        raise SystemExit(f"pool: {len(missing)} entries have no grade 0, 1 or 2, e.g. {missing[:3]}")
    judged: dict[str, dict] = {}
    for e in entries:
        item = judged.setdefault(e["statement_id"], {"id": e["statement_id"], "statement": e["statement"]})
        item.setdefault("judgements", {})[e["event_id"]] = e["grade"]
    return list(judged.values())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("statements", type=Path, help="statements JSON, or with --collect a graded pool")
    parser.add_argument("-o", "--out", type=Path, required=True)
    parser.add_argument("--depth", type=int, default=10, help="top N of each system pooled (10)")
    parser.add_argument("--seed", type=int, default=17, help="shuffle seed (17)")
    parser.add_argument("--collect", action="store_true", help="turn a graded pool into a judged set")
    args = parser.parse_args(argv)
    if args.collect:
        out = collect(json.loads(args.statements.read_text(encoding="utf-8")))
    else:
        out = pool(load_statements(args.statements), depth=args.depth, seed=args.seed)
    args.out.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"pool: wrote {len(out)} entries to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
