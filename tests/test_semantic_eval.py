"""``kindred eval`` with and without the semantic extra, on a tiny corpus in the Toronto file's shape."""

from __future__ import annotations

import json
import sys

import pytest
from click.testing import CliRunner

from recommender.cli.main import cli
from recommender.evaluation.corpora import TORONTO_FILE, toronto_doc_id
from recommender.ranking import semantic

needs_model = pytest.mark.skipif(not semantic.available(), reason=f"no semantic extra: {semantic.INSTALL}")

ITEMS = [
    ("Saturn and Jupiter through the big telescope", "Observatory open night on the roof.", ["Astronomy"]),
    ("Sourdough bread workshop", "Bake a loaf with a starter.", ["Food/Culinary"]),
    ("Salsa social", "Latin dance night, lessons at 8.", ["Dance"]),
    ("Watercolour basics", "A relaxed painting class.", ["Arts/Exhibits"]),
    ("Saturday trail run", "10 km on forest trails, all paces.", ["Run/Walk"]),
    ("Chess club", "Weekly games, all levels.", ["Games"]),
    ("Choir rehearsal", "Community choir sings Handel.", ["Music"]),
    ("Evening at the dance hall", "Salsa and bachata for beginners.", ["Dance"]),
    ("Evening of card games", "Poker and bridge for fun.", ["Games"]),
    (
        "Evening at the observatory",
        "Look through the telescopes at the planets and the rings.",
        ["Astronomy"],
    ),
]
QUERIES = [
    {"id": "q-moon", "corpus": "toronto", "passions": "an evening under the moon", "relevant": ["Astronomy"]},
    {"id": "q-salsa", "corpus": "toronto", "passions": "salsa dancing", "relevant": ["Dance"]},
]


@pytest.fixture
def corpus(tmp_path):
    items = [
        {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": name,
            "description": description,
            "startDate": f"2026-06-{i + 1:02d}T19:00:00-04:00",
            "location": {"@type": "Place", "name": f"Hall {i}"},
            "url": f"https://example.org/events/{i}",
            "keywords": keywords,
        }
        for i, (name, description, keywords) in enumerate(ITEMS)
    ]
    path = tmp_path / "raw" / TORONTO_FILE
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(items))
    queries = tmp_path / "eval" / "queries.json"
    queries.parent.mkdir()
    queries.write_text(json.dumps(QUERIES))
    (tmp_path / "eval" / "business_labels.json").write_text("{}")
    doc_ids = {item["name"]: toronto_doc_id(item) for item in items}
    return queries, tmp_path / "raw", doc_ids


def run(*args):
    return CliRunner().invoke(cli, ["eval", *map(str, args)])


@needs_model
def test_eval_adds_the_embedding_and_fused_rows_when_installed(corpus):
    queries, data, _ = corpus
    result = run("--queries", str(queries), "--data-dir", str(data), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {(r["ranker"], r["corpus"]): r for r in json.loads(result.stdout)}
    assert {name for name, _ in rows} == {"kindred", "tfidf", "bm25", "embedding", "kindred+semantic"}
    # "evening" is in three titles; only meaning puts the observatory first
    assert rows["kindred+semantic", "toronto"]["ndcg@10"] > rows["kindred", "toronto"]["ndcg@10"]
    assert rows["embedding", "toronto"]["ndcg@10"] > rows["kindred", "toronto"]["ndcg@10"]
    table = run("--queries", str(queries), "--data-dir", str(data))
    assert "kindred+semantic toronto" in table.output and "embedding " in table.output


@needs_model
@pytest.mark.parametrize("ranker", ["embedding", "kindred+semantic"])
def test_rankings_out_for_a_semantic_ranker(corpus, tmp_path, ranker):
    queries, data, doc = corpus
    out = tmp_path / "rankings.json"
    result = run(
        "--queries", str(queries), "--data-dir", str(data), "--ranker", ranker, "--rankings-out", out
    )
    assert result.exit_code == 0, result.output
    rankings = json.loads(out.read_text())
    assert set(rankings) == {"q-moon", "q-salsa"}
    stargazing = {doc["Evening at the observatory"], doc["Saturn and Jupiter through the big telescope"]}
    assert rankings["q-moon"][0] in stargazing
    assert rankings["q-salsa"][0] in {doc["Salsa social"], doc["Evening at the dance hall"]}


def test_without_the_extra_eval_keeps_its_rows_and_a_semantic_ranker_says_how_to_install(corpus, monkeypatch):
    queries, data, _ = corpus
    monkeypatch.setattr(semantic, "available", lambda: False)
    result = run("--queries", str(queries), "--data-dir", str(data), "--format", "json")
    assert result.exit_code == 0, result.output
    assert {r["ranker"] for r in json.loads(result.stdout)} == {"kindred", "tfidf", "bm25"}
    monkeypatch.setitem(sys.modules, "wordllama", None)
    asked = run("--queries", str(queries), "--data-dir", str(data), "--ranker", "embedding")
    assert asked.exit_code == 1
    assert semantic.INSTALL in asked.output and "Traceback" not in asked.output
