"""``kindred eval`` end to end on a toy labelled Meetup corpus written here (same shape as the
RSVP-stream records the evaluation uses), through the command line's entry point."""

from __future__ import annotations

import json

import pytest

from recommender.evaluation.corpora import MEETUP_FILE
from recommender.evaluation.rankers import SEMANTIC_RANKERS
from recommender.ranking import semantic

# (event id, event name, group name, group topics)
RECORDS = [
    ("g1", "Board game night: Catan and Carcassonne", "Tabletop Tuesdays", ["Board Games"]),
    ("g2", "Strategy board games afternoon", "Dice Tower Friends", ["Board Games", "Games"]),
    ("g3", "Learn to play Go", "Go Players of the East End", ["Board Games"]),
    ("b1", "Speed networking for founders", "Startup Founders Mixer", ["Entrepreneur Networking"]),
    ("b2", "Board of directors networking breakfast", "Business Leaders Club", ["Business"]),
    ("h1", "Saturday ridge hike", "Trail Walkers", ["Hiking"]),
    ("h2", "Sunset hike and picnic", "Trail Walkers", ["Hiking", "Outdoors"]),
    ("h3", "Beginner hiking: waterfalls loop", "Weekend Hikers", ["Hiking"]),
    ("y1", "Vinyasa yoga in the park", "Park Yoga", ["Yoga"]),
    ("y2", "Morning yoga flow", "Park Yoga", ["Yoga"]),
]
QUERIES = [
    {"id": "q-games", "corpus": "meetup", "passions": "board games", "relevant": ["Board Games"]},
    {"id": "q-hike", "corpus": "meetup", "passions": "long hikes", "relevant": ["Hiking"]},
]


@pytest.fixture
def eval_dir(tmp_path):
    data = tmp_path / "data" / "raw"
    stream = data / MEETUP_FILE
    stream.parent.mkdir(parents=True)
    lines = [
        json.dumps(
            {
                "event": {"event_name": name, "event_id": eid, "time": 1490000000000 + i * 3_600_000},
                "group": {"group_name": group, "group_topics": [{"topic_name": t} for t in topics]},
            }
        )
        for i, (eid, name, group, topics) in enumerate(RECORDS)
    ]
    stream.write_text("\n".join(lines) + "\n", encoding="utf-8")
    queries = tmp_path / "eval" / "queries.json"
    queries.parent.mkdir()
    queries.write_text(json.dumps(QUERIES), encoding="utf-8")
    labels = tmp_path / "labels.json"
    labels.write_text(json.dumps({"meetup": ["Entrepreneur Networking", "Business"]}), encoding="utf-8")
    return tmp_path, queries, labels


def test_eval_scores_three_rankers_and_writes_rankings(kindred, eval_dir):
    root, queries, labels = eval_dir
    out = root / "rankings.json"
    result = kindred(
        "eval", "--queries", str(queries), "--data-dir", str(root / "data" / "raw"),
        "--business-labels", str(labels), "--format", "json", "--rankings-out", str(out), check=True,
    )  # fmt: skip
    rows = {(r["ranker"], r["corpus"]): r for r in json.loads(result.stdout)}
    semantic_rows = set(SEMANTIC_RANKERS) if semantic.available() else set()  # with the semantic extra
    assert {r for r, _ in rows} == {"kindred", "tfidf", "bm25"} | semantic_rows
    kindred_all = rows[("kindred", "all")]
    assert kindred_all["ndcg@10"] == 1.0 and kindred_all["leak@10"] == 0.0
    assert rows[("bm25", "all")]["leak@10"] > 0  # "board" pulls the directors' breakfast in
    rankings = json.loads(out.read_text())
    assert set(rankings) == {"q-games", "q-hike"}
    assert set(rankings["q-games"][:3]) == {"g1", "g2", "g3"}
    assert "b1" not in rankings["q-games"] and "b2" not in rankings["q-games"]
    assert "no business labels" not in result.stderr


def test_eval_without_business_labels_says_leak_is_not_measured(kindred, eval_dir):
    root, queries, _ = eval_dir
    result = kindred("eval", "--queries", str(queries), "--data-dir", str(root / "data" / "raw"), check=True)
    assert "no business labels" in result.stderr and "--business-labels" in result.stderr
    kindred_row = next(line for line in result.stdout.splitlines() if line.split()[:2] == ["kindred", "all"])
    assert kindred_row.split()[-1] == "n/a"


def test_eval_with_a_missing_corpus_is_one_clear_error(kindred, eval_dir, tmp_path):
    _, queries, labels = eval_dir
    result = kindred(
        "eval", "--queries", str(queries), "--data-dir", str(tmp_path / "nowhere"),
        "--business-labels", str(labels),
    )  # fmt: skip
    assert result.returncode == 1
    assert "not found" in result.stderr and "--data-dir" in result.stderr
