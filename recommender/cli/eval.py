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
    default_rankers,
    load_queries,
    ranker_named,
    run_eval,
)
from recommender.evaluation.judged import JUDGED_METRICS, load_judged, run_judged


@click.command("eval")
@click.option(
    "--queries",
    "queries_path",
    type=click.Path(path_type=Path),
    help="Queries JSON (a list of {id, corpus, passions, relevant, business_ok}).",
)
@click.option(
    "--judged",
    "judged_path",
    type=click.Path(path_type=Path),
    help="Judged set JSON (a list of {id, statement, judgements: {event id: 0|1|2}}) on the embedded "
    "Toronto data: graded nDCG@10 and the unjudged events in each top 10.",
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
def eval_command(queries_path, judged_path, data_dir, business_labels, rankers, fmt, rankings_out):
    """Score Kindred, plain TF-IDF and BM25 side by side: nDCG@10, P@5, R@50, leak@10.

    \b
    Examples:
      kindred eval --queries ../shared/eval/dev_queries.json --rankings-out rankings.json
      kindred eval --queries ../shared/eval/dev_queries.json --ranker kindred+semantic --rankings-out s.json
      kindred eval --judged judged.json

    With the semantic extra installed (pip install -e '.[semantic]') the embedding model alone
    (embedding) and Kindred fused with it (kindred+semantic) are scored too.
    """
    if not queries_path and not judged_path:
        raise click.UsageError("give --queries FILE, --judged FILE or both")
    rows = (
        _labelled_rows(queries_path, data_dir, business_labels, rankers, rankings_out) if queries_path else []
    )
    judged_rows = _judged_rows(judged_path, rankers) if judged_path else []
    if fmt == "json":
        click.echo(json.dumps(rows + judged_rows, indent=2))
        return
    if rows:
        _table(rows, ("ranker", "corpus", "n"), METRICS)
    if judged_rows:
        if rows:
            click.echo()
        _table(judged_rows, ("ranker", "set", "n"), JUDGED_METRICS)


def _judged_rows(path: Path, rankers) -> list[dict]:
    judged = load_judged(path)
    chosen = {name: ranker_named(name) for name in rankers} if rankers else default_rankers()
    return run_judged(judged, chosen)


def _labelled_rows(queries_path, data_dir, business_labels, rankers, rankings_out) -> list[dict]:
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
    return rows


def _cell(value, width: int) -> str:
    if value is None:
        return f"{'n/a':>{width}}"
    return f"{value:>{width}.3f}" if isinstance(value, float) else f"{value:>{width}}"


def _table(rows: list[dict], keys: tuple[str, str, str], metrics) -> None:
    width = max(len("ranker"), *(len(row["ranker"]) for row in rows))
    name, group, n = keys
    widths = [max(8, len(m)) for m in metrics]
    header = f"{name:<{width}} {group:<8} {n:>3} " + " ".join(
        f"{m:>{w}}" for m, w in zip(metrics, widths, strict=True)
    )
    click.echo(header)
    click.echo("-" * len(header))
    for row in rows:
        values = " ".join(_cell(row[m], w) for m, w in zip(metrics, widths, strict=True))
        click.echo(f"{row[name]:<{width}} {row[group]:<8} {row[n]:>3} {values}")
