"""The held-out query set (eval/holdout_queries.json) is a well-formed queries file.

Only the file's shape is checked here; scoring it needs the corpora in ../shared (see eval/README.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from recommender.evaluation.evaluate import load_queries

HOLDOUT = Path(__file__).resolve().parent.parent / "eval" / "holdout_queries.json"
PREFIX = {"toronto": "h-t", "meetup": "h-m"}


@pytest.fixture(scope="module")
def queries():
    return load_queries(HOLDOUT)


def test_every_query_names_a_known_corpus_and_matching_id(queries):
    assert queries
    for q in queries:
        assert q.corpus in PREFIX, q.id
        assert q.id.startswith(PREFIX[q.corpus]), q.id


def test_ids_are_unique(queries):
    ids = [q.id for q in queries]
    assert len(ids) == len(set(ids))


def test_every_query_has_a_statement_and_relevant_labels(queries):
    for q in queries:
        assert q.passions.strip(), q.id
        assert q.relevant and all(isinstance(label, str) and label for label in q.relevant), q.id
        assert len(set(q.relevant)) == len(q.relevant), q.id
