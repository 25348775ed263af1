"""The evaluation metrics on hand-computed toy rankings (definitions in the eval README)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from recommender.evaluation.evaluate import (
    EvalError,
    leak_at_k,
    load_queries,
    ndcg_at_k,
    precision_at_k,
    recall_at_k,
)
from recommender.evaluation.rankers import order_by_score

RELEVANT = {"a", "c", "z"}  # "z" is relevant but never retrieved


def test_ndcg_by_hand():
    # gains 1, 0, 1 -> DCG = 1/log2(2) + 1/log2(4) = 1.5; ideal for 3 relevant = 1 + 1/log2(3) + 1/2
    ideal = 1 + 1 / math.log2(3) + 0.5
    assert ndcg_at_k(["a", "b", "c"], RELEVANT) == pytest.approx(1.5 / ideal)
    assert ndcg_at_k(["a", "c", "z"], RELEVANT) == pytest.approx(1.0)
    assert ndcg_at_k(["b", "d"], RELEVANT) == 0.0
    assert ndcg_at_k([], RELEVANT) == 0.0


def test_ndcg_counts_a_repeated_id_once_at_its_first_position():
    assert ndcg_at_k(["a", "a", "c"], RELEVANT) == pytest.approx(ndcg_at_k(["a", "c"], RELEVANT))


def test_ndcg_ideal_is_capped_at_k():
    many = {f"r{i}" for i in range(20)}
    assert ndcg_at_k([f"r{i}" for i in range(10)], many) == pytest.approx(1.0)


def test_precision_recall_and_leak_by_hand():
    ranking = ["a", "b", "c", "d", "e", "z"]
    assert precision_at_k(ranking, RELEVANT) == pytest.approx(2 / 5)  # z is 6th
    assert recall_at_k(ranking, RELEVANT) == pytest.approx(3 / 3)
    assert recall_at_k(["a"], RELEVANT) == pytest.approx(1 / 3)
    assert leak_at_k(["b", "m1", "m2", "a"], {"m1", "m2"}) == pytest.approx(2 / 10)
    assert leak_at_k(["m1", "m1"], {"m1"}) == pytest.approx(1 / 10)


def test_ties_are_broken_without_file_order():
    ids = [f"doc{i}" for i in range(30)]
    forward = order_by_score(ids, np.ones(30))
    backward = order_by_score(ids[::-1], np.ones(30))
    assert forward == backward
    assert forward != ids


def test_order_by_score_drops_zero_scores_and_sorts():
    assert order_by_score(["x", "y", "w"], np.array([0.2, 0.0, 0.9])) == ["w", "x"]


def test_bad_queries_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "q.json"
    bad.write_text('[{"id": "q1"}]')
    with pytest.raises(EvalError, match="not a queries file"):
        load_queries(bad)
    with pytest.raises(EvalError, match="no such queries file"):
        load_queries(tmp_path / "missing.json")
