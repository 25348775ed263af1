"""``kindred eval``: Kindred against plain TF-IDF and BM25 on labelled corpora."""

from __future__ import annotations

import json
from pathlib import Path

import click

from recommender.cli import common
from recommender.evaluation.evaluate import (
    METRICS,
    RANKERS,
    SEMANTIC_RANKERS,
    EvalError,
    load_queries,
    run_eval,
)


@click.command("eval")
@click.option(
    "--queries",
    "queries_path",
    required=True,
    type=click.Path(path_type=Path),
    help="Queries JSON (a list of {id, corpus, passions, relevant, business_ok}).",
)
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path),
    help="Folder with the raw corpora. Default: ../data/raw beside the queries file.",
)
@click.option(
    "--business-labels",
    type=click.Path(path_type=Path),
    help="business_labels.json. Default: beside the queries file.",
)
@click.option(
    "--ranker",
    "rankers",
    multiple=True,
    type=click.Choice([*RANKERS, *SEMANTIC_RANKERS]),
    help="Rankers to compare (repeatable). Default: all; embedding and kindred+semantic need the "
    "semantic extra.",
)
@common.format_option("table", "json")
@click.option(
    "--rankings-out",
    type=click.Path(path_type=Path),
    help="Write Kindred's rankings as {query id: [doc ids, best first]} (with one --ranker: that one's).",
)
def eval_command(queries_path, data_dir, business_labels, rankers, fmt, rankings_out):
    """Score Kindred, plain TF-IDF and BM25 side by side: nDCG@10, P@5, R@50, leak@10.

    \b
    Examples:
      kindred eval --queries ../shared/eval/dev_queries.json --rankings-out rankings.json
      kindred eval --queries ../shared/eval/dev_queries.json --ranker kindred+semantic --rankings-out s.json

    With the semantic extra installed (pip install -e '.[semantic]') the embedding model alone
    (embedding) and Kindred fused with it (kindred+semantic) are scored too.
    """
    queries = load_queries(queries_path)
    data_dir = data_dir or queries_path.resolve().parent.parent / "data" / "raw"
    labels_path = business_labels or queries_path.resolve().parent / "business_labels.json"
    if business_labels and not labels_path.is_file():
        raise EvalError(f"{labels_path}: no such business labels file")
    labels = json.loads(labels_path.read_text(encoding="utf-8")) if labels_path.is_file() else {}
    if not labels:
        click.echo(
            f"kindred: note: no business labels at {labels_path}, so leak@10 is n/a; "
            "pass --business-labels FILE",
            err=True,
        )
    rows, rankings = run_eval(queries, data_dir, labels, rankers or None)
    if rankings_out:
        rankings_out.write_text(
            json.dumps(rankings.get("kindred") or next(iter(rankings.values())), indent=1)
        )
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    width = max(len("ranker"), *(len(row["ranker"]) for row in rows))
    header = f"{'ranker':<{width}} {'corpus':<8} {'n':>3} " + " ".join(f"{m:>8}" for m in METRICS)
    click.echo(header)
    click.echo("-" * len(header))
    for row in rows:
        values = " ".join(f"{row[m]:>8.3f}" if row[m] is not None else f"{'n/a':>8}" for m in METRICS)
        click.echo(f"{row['ranker']:<{width}} {row['corpus']:<8} {row['n']:>3} {values}")
