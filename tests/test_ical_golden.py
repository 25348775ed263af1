"""Golden-file tests: every saved real feed parses to exactly its reviewed ``.expected.json``."""

import importlib.util
import json
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("regen_golden", Path(__file__).parent / "regen_golden.py")
regen_golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(regen_golden)

FEEDS = regen_golden.feeds()


def test_every_feed_has_a_golden_file():
    assert len(FEEDS) >= 6
    missing = [f.name for f in FEEDS if not regen_golden.expected_path(f).exists()]
    assert missing == [], "run tests/regen_golden.py and review the output"


@pytest.mark.parametrize("feed", FEEDS, ids=[f.stem for f in FEEDS])
def test_feed_matches_golden(feed):
    result = regen_golden.parse_feed(feed)
    expected = json.loads(regen_golden.expected_path(feed).read_text("utf-8"))
    actual = regen_golden.golden_dicts(result)
    assert [e["id"] for e in actual] == [e["id"] for e in expected]
    for got, want in zip(actual, expected, strict=True):
        assert got == want, f"{feed.name}: event {want['title']!r} at {want['start']} differs"
    # These real feeds are all well formed: nothing may be dropped on the floor.
    assert result.skipped == []


@pytest.mark.parametrize("feed", FEEDS, ids=[f.stem for f in FEEDS])
def test_reparsing_gives_the_same_ids(feed):
    first = [e.id for e in regen_golden.parse_feed(feed)]
    assert first == [e.id for e in regen_golden.parse_feed(feed)]
    assert len(set(first)) == len(first)
