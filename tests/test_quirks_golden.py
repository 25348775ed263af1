"""The quirk corpus: small files that each reproduce one real publisher's fault, read to exactly their
reviewed golden file — the good parts kept, the bad part skipped with a reason, nothing hanging."""

import json

import pytest
from deadline import within
from regen_quirks_golden import QUIRKS, QUIRKS_DIR, expected_path, golden


def test_every_quirk_file_is_described_and_has_a_golden_file():
    on_disk = sorted(p.name for p in QUIRKS_DIR.iterdir() if not p.name.endswith((".json", ".md")))
    assert on_disk == sorted(QUIRKS)
    assert [n for n in QUIRKS if not expected_path(n).exists()] == [], "run tests/regen_quirks_golden.py"


@pytest.mark.parametrize("name", list(QUIRKS), ids=list(QUIRKS))
def test_quirk_is_read_as_reviewed(name):
    with within(20):
        got = golden(name)
    want = json.loads(expected_path(name).read_text("utf-8"))
    assert got["skipped"] == want["skipped"]
    assert got["events"] == want["events"], f"{name}: {QUIRKS[name][1]}"
    assert got["events"], f"{name}: the good part of the file must be read"
