"""The benchmark keeps working: a tiny run writes a results page with every section."""

from __future__ import annotations

import json

import pytest

from benchmarks.corpus import Pool, passion_statements, synthetic_events
from benchmarks.run import main


@pytest.mark.slow  # a whole (tiny) benchmark run: real processes, a real server
def test_quick_benchmark_times_the_commands_and_writes_results(tmp_path):
    out = tmp_path / "RESULTS.md"
    results = main(["--quick", "--skip", "query", "--skip", "latency", "--out", str(out)])
    text = out.read_text()
    assert "## Targets (issue 16)" in text and "## `kindred digest` end to end" in text
    assert "calendar feed, conditional → 304" in text and f"{results['machine']['cores']} cores" in text
    (build,) = results["build"]
    assert build["kindred"]["events"] == build["bm25s"]["docs"] == 3_000 and build["kindred"]["peak_mb"] > 0
    digest = results["digest"]
    assert digest["sent"] + digest["nothing"] == digest["subscribers"] and digest["sent"] > 0
    assert digest["cpu_ms_per_subscriber"] > 0
    feed = results["feed"]
    assert feed["feed_304"]["n"] == feed["preferences"]["n"] > 5 and feed["ratios"]["feed"] > 0
    assert json.loads(out.with_suffix(".json").read_text())["digest"]["subscribers"] == digest["subscribers"]


def test_synthetic_corpus_is_reproducible_and_varied():
    pool = Pool.load()
    first = [e.to_dict() for e in synthetic_events(pool, 50, seed=5)]
    assert first == [e.to_dict() for e in synthetic_events(pool, 50, seed=5)]
    assert len({e["title"] for e in first}) > 40 and len({e["description"] for e in first}) == 50
    statements = passion_statements(100)
    assert statements == passion_statements(100) and len(set(statements)) > 90
