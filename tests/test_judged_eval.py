"""Graded nDCG on a judged set (``kindred eval --judged``) and the blind pool (``eval/pool.py``)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from recommender.evaluation.judged import (
    JudgedSetError,
    embedded_corpus,
    graded_ndcg_at_k,
    load_judged,
    run_judged,
    unjudged_at_k,
)
from recommender.evaluation.rankers import RANKERS

ROOT = Path(__file__).resolve().parent.parent


def test_graded_ndcg_rewards_the_higher_grade_first_and_counts_unjudged_as_zero():
    judgements = {"a": 2, "b": 1, "z": 0}
    assert graded_ndcg_at_k(["a", "b"], judgements) == 1.0
    assert graded_ndcg_at_k(["b", "a"], judgements) < 1.0
    assert graded_ndcg_at_k(["x", "a", "b"], judgements) < graded_ndcg_at_k(["a", "b", "x"], judgements)
    assert graded_ndcg_at_k(["z", "x"], judgements) == 0.0
    assert graded_ndcg_at_k(["a"], {"a": 0}) == 0.0  # nothing relevant: 0, not a division by zero
    assert unjudged_at_k(["x", "a", "y", "a"], judgements) == 2  # repeats count once


@pytest.mark.parametrize(
    "content, problem",
    [
        ("{", "not a judged set"),
        ('[{"id": "s1", "statement": "jazz"}]', "judgements"),
        ('[{"id": "s1", "statement": "jazz", "judgements": {"ev-1": 3}}]', "0, 1 or 2"),
        ('[{"id": "s1", "statement": "jazz", "judgements": {"ev-1": true}}]', "0, 1 or 2"),
    ],
)
def test_a_bad_judged_set_is_one_clear_error(tmp_path, content, problem):
    path = tmp_path / "judged.json"
    path.write_text(content)
    with pytest.raises(JudgedSetError, match=problem):
        load_judged(path)


@pytest.fixture(scope="module")
def corpus():
    return embedded_corpus()


def test_judged_rows_score_each_ranker_on_the_embedded_data(corpus, tmp_path):
    top = RANKERS["kindred"](corpus)("live jazz")[:10]
    # judge Kindred's own first three as 2, 1, 0 and one event nobody returned as 2
    others = [e.id for e in corpus.events if e.id not in top]
    judged = tmp_path / "judged.json"
    judgements = {top[0]: 2, top[1]: 1, top[2]: 0, others[0]: 2}
    judged.write_text(json.dumps([{"id": "s1", "statement": "live jazz", "judgements": judgements}]))
    rows = {r["ranker"]: r for r in run_judged(load_judged(judged), RANKERS, corpus)}
    kindred = rows["kindred"]
    assert kindred["unjudged@10"] == len(top) - 3 and 0 < kindred["ndcg@10"] < 1
    assert kindred["unjudged_share"] == round((len(top) - 3) / len(top), 3)
    assert set(rows) == set(RANKERS)


def test_eval_cli_prints_the_judged_table(kindred, tmp_path):
    judged = tmp_path / "judged.json"
    judged.write_text(json.dumps([{"id": "s1", "statement": "pottery", "judgements": {"ev-none": 2}}]))
    result = kindred("eval", "--judged", str(judged), "--ranker", "kindred", "--format", "json", check=True)
    (row,) = json.loads(result.stdout)
    assert row["ranker"] == "kindred" and row["set"] == "judged" and row["ndcg@10"] == 0.0
    assert row["unjudged@10"] > 0  # pottery events exist; none of them is judged
    table = kindred("eval", "--judged", str(judged), "--ranker", "bm25", check=True).stdout
    assert "unjudged@10" in table and table.splitlines()[2].split()[:3] == ["bm25", "judged", "1"]


def test_eval_cli_needs_queries_or_a_judged_set(kindred):
    result = kindred("eval")
    assert result.returncode == 2 and "--judged" in result.stderr


def _pool_module():
    spec = importlib.util.spec_from_file_location("pool", ROOT / "eval" / "pool.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_pool_holds_every_systems_top_10_blind_and_collects_into_a_judged_set(corpus, tmp_path, monkeypatch):
    pool = _pool_module()
    monkeypatch.setattr(pool, "embedded_corpus", lambda: corpus)
    statements = tmp_path / "statements.json"
    rows = [{"id": "a", "statement": "live jazz"}, {"id": "b", "passions": "pottery"}]
    statements.write_text(json.dumps(rows))
    out = tmp_path / "pool.json"
    pool.main([str(statements), "-o", str(out), "--seed", "3"])
    entries = json.loads(out.read_text())
    for sid, text in (("a", "live jazz"), ("b", "pottery")):
        pooled = {e["event_id"] for e in entries if e["statement_id"] == sid}
        for make in pool.systems().values():
            assert set(list(dict.fromkeys(make(corpus)(text)))[:10]) <= pooled
        assert len(pooled) == sum(e["statement_id"] == sid for e in entries)  # each pair once
    assert [e["statement_id"] for e in entries] == sorted(e["statement_id"] for e in entries)
    assert {k for e in entries for k in e} == {
        "statement_id", "statement", "event_id", "title", "description", "when", "where", "grade",
    }  # fmt: skip
    assert all(e["grade"] is None for e in entries)
    for i, e in enumerate(entries):
        e["grade"] = i % 3
    out.write_text(json.dumps(entries))
    judged = tmp_path / "judged.json"
    pool.main(["--collect", str(out), "-o", str(judged)])
    items = load_judged(judged)
    assert [i.id for i in items] == ["a", "b"] and sum(len(i.judgements) for i in items) == len(entries)
    entries[0]["grade"] = None
    out.write_text(json.dumps(entries))
    with pytest.raises(SystemExit, match="no grade"):
        pool.main(["--collect", str(out), "-o", str(judged)])
