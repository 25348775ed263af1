"""The benchmark keeps working: a tiny run writes a results page with every section."""

from __future__ import annotations

import json

import pytest

from benchmarks.corpus import Pool, passion_statements, synthetic_events
from benchmarks.run import main


@pytest.mark.slow  # a whole (tiny) benchmark run
def test_quick_benchmark_writes_results(tmp_path):
    out = tmp_path / "RESULTS.md"
    results = main(["--quick", "--sizes", "150", "--skip", "process", "--out", str(out)])
    text = out.read_text()
    assert "| 150 |" in text and "## Batch digest scoring" in text and "## Parse throughput" in text
    (size,) = results["sizes"]
    assert size["batch"]["same_as_one_at_a_time"] is True
    assert size["kindred"]["n"] == 12 and size["kindred"]["p50_ms"] > 0
    pages = results["parse"]["pages"]
    assert pages["files"] > 5 and pages["per_s"] > 0 and pages["errors"] < pages["files"]
    assert json.loads(out.with_suffix(".json").read_text())["sizes"][0]["size"] == 150


def test_synthetic_corpus_is_reproducible_and_varied():
    pool = Pool.load()
    first = [e.to_dict() for e in synthetic_events(pool, 50, seed=5)]
    assert first == [e.to_dict() for e in synthetic_events(pool, 50, seed=5)]
    assert len({e["title"] for e in first}) > 40 and len({e["description"] for e in first}) == 50
    statements = passion_statements(100)
    assert statements == passion_statements(100) and len(set(statements)) > 90
